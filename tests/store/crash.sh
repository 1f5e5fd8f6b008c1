#!/usr/bin/env bash
# Crash safety: load N documents with `kelisim store add`, killing it with SIGKILL at random
# points and starting it again on what is not yet acknowledged, until all are in. Then every
# document acknowledged ("stored" printed after its commit) must be there with its exact
# bytes, none half-written, and `store check` must pass.
# usage: crash.sh KELISIM PKI_DIR DOCS_DIR WORK_DIR N
set -u
kelisim=$1 pki=$2 docs=$3 work=$4 n=$5
. "$(dirname "$0")/../fresh-work-dir.sh"
fresh_work_dir "$work" 'crash*' || exit $?
work=$fresh_dir
store="sqlite:$work/crash.db"
fail() { echo "store.crash: $*" >&2; exit 1; }

ls "$docs"/doc-*.xml | head -n "$n" | sort > "$work/all"
[ "$(wc -l < "$work/all")" = "$n" ] || fail "need $n documents in $docs"
: > "$work/out.jsonl"
kills=0; rounds=0
while :; do
  # What is acknowledged so far: complete JSON lines only.
  grep '}$' "$work/out.jsonl" | sed -n 's/.*"file": "\([^"]*\)".*/\1/p' | sort -u > "$work/acked"
  comm -23 "$work/all" "$work/acked" > "$work/remaining"
  [ -s "$work/remaining" ] || break
  rounds=$((rounds + 1))
  [ "$rounds" -le 60 ] || fail "no progress after 60 rounds"
  mapfile -t files < "$work/remaining"
  "$kelisim" store add --json --store "$store" --trust "$pki/root.crt" "${files[@]}" \
    >> "$work/out.jsonl" 2>> "$work/err" &
  pid=$!
  if [ "$kills" -lt 12 ]; then
    # 50..1500 ms, then SIGKILL: mid-transaction, mid-fsync, between documents...
    sleep "0.$(printf '%03d' $((RANDOM % 950 + 50)))"
    [ $((RANDOM % 3)) = 0 ] && sleep 0.5
    kill -KILL "$pid" 2>/dev/null
    kills=$((kills + 1))
  fi
  wait "$pid" 2>/dev/null
done
echo "store.crash: $n documents loaded in $rounds rounds with $kills kills"
if grep -v 'database is locked' "$work/err" | grep -q .; then
  grep -q 'not accepted\|error' "$work/err" && { cat "$work/err" >&2; fail "errors while adding"; }
fi

# Every acknowledged document is there, once.
sed -n 's/.*"id": "\([^"]*\)".*/\1/p' "$work/out.jsonl" | sort -u > "$work/acked-ids"
"$kelisim" store list --store "$store" | cut -f1 | sort > "$work/listed" || fail "list failed"
[ "$(wc -l < "$work/acked-ids")" = "$n" ] || fail "$(wc -l < "$work/acked-ids") ids acknowledged, expected $n"
[ "$(wc -l < "$work/listed")" = "$n" ] || fail "$(wc -l < "$work/listed") documents listed, expected $n"
cmp -s "$work/acked-ids" "$work/listed" || fail "acknowledged and listed documents differ"
# The exact bytes of a sample.
for f in $(shuf -n 25 "$work/all"); do
  id=$(sed -n 's/.*<DocumentId>\([^<]*\)<.*/\1/p' "$f" | head -1)
  "$kelisim" store get "$id" --store "$store" -o "$work/back.xml" || fail "get $id"
  cmp -s "$f" "$work/back.xml" || fail "bytes of $id differ"
done
# The log: one leaf per document (no duplicates from retried adds), and it checks.
size=$("$kelisim" store head --store "$store" | sed -n 's/^size //p')
[ "$size" = "$n" ] || fail "log has $size leaves, expected $n"
"$kelisim" store check --store "$store" || fail "store check failed"
echo "store.crash: ok"
