#!/usr/bin/env bash
# Sign N documents for the store tests into DIR (two processes in parallel), once per PKI.
# usage: make-docs.sh GEN_DOCS SOURCE_DIR PKI_DIR DIR N
set -euo pipefail
gen=$1 src=$2 pki=$3 dir=$4 n=$5
stamp="$dir/.done-$n-$(sha256sum "$pki/operator.crt" | cut -c1-16)"
[ -f "$stamp" ] && exit 0
. "$(dirname "$0")/../fresh-work-dir.sh"
fresh_work_dir "$dir" 'docs*'
dir=$fresh_dir
half=$((n / 2))
"$gen" "$src" "$pki" "$dir" "$half" 0 &
"$gen" "$src" "$pki" "$dir" $((n - half)) "$half"
wait $!
[ "$(ls "$dir" | grep -c '^doc-')" = "$n" ]
touch "$stamp"
