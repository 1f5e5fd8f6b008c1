#!/usr/bin/env bash
# Concurrency: P processes add M documents each to one store at the same time; none may fail
# (no "database is locked"), and all P*M documents must be there, each logged once.
# usage: concurrent.sh KELISIM PKI_DIR DOCS_DIR WORK_DIR P M [STORE_URI]
set -u
kelisim=$1 pki=$2 docs=$3 work=$4 p=$5 m=$6
. "$(dirname "$0")/../fresh-work-dir.sh"
fresh_work_dir "$work" 'concurrent*' || exit $?
work=$fresh_dir
store=${7:-"sqlite:$work/concurrent.db"}
fail() { echo "store.concurrent: $*" >&2; exit 1; }

ls "$docs"/doc-*.xml | sort | head -n $((p * m)) > "$work/all"
[ "$(wc -l < "$work/all")" = $((p * m)) ] || fail "need $((p * m)) documents in $docs"
split -n "l/$p" -d "$work/all" "$work/part-"
# Create the store first so that the writers race on adds, not on creating the schema.
"$kelisim" store head --store "$store" > /dev/null || fail "cannot create the store"
pids=()
for part in "$work"/part-*; do
  xargs -a "$part" "$kelisim" store add --store "$store" --trust "$pki/root.crt" \
    > "$part.out" 2> "$part.err" &
  pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
cat "$work"/part-*.err >&2
[ "$status" = 0 ] || fail "a writer failed"
! grep -q 'locked' "$work"/part-*.err || fail "'database is locked' reported"
stored=$(cat "$work"/part-*.out | grep -c '^stored ')
[ "$stored" = $((p * m)) ] || fail "$stored stored, expected $((p * m))"
listed=$("$kelisim" store list --store "$store" | wc -l)
[ "$listed" = $((p * m)) ] || fail "$listed listed, expected $((p * m))"
size=$("$kelisim" store head --store "$store" | sed -n 's/^size //p')
[ "$size" = $((p * m)) ] || fail "log has $size leaves, expected $((p * m))"
"$kelisim" store check --store "$store" || fail "store check failed"
echo "store.concurrent: $p writers x $m documents: ok"
