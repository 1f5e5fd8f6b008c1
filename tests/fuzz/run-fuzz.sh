#!/usr/bin/env bash
# run-fuzz.sh FUZZER FUZZ_SEED SOURCE_DIR WORK_DIR SECONDS - a short fuzzing run for CI, seeded
# with a real signed document (made with the test PKI) and a few hand-made edge cases.
set -euo pipefail
fuzzer=$1 seed=$2 src=$3 work=$4 seconds=${5:-10}
pki=${KELISIM_TEST_PKI:?}
# The work folder is emptied: refuse anything that is not a fuzzer's own "*-work" folder.
case "$(basename "$work")" in
  *-work) ;;
  *) echo "run-fuzz.sh: refusing to empty '$work' (not a *-work folder)" >&2; exit 64 ;;
esac
rm -rf "$work" && mkdir -p "$work/corpus"
"$seed" "$pki" "$src" "$work/corpus"
printf '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>' >"$work/corpus/dtd.xml"
printf '<a xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:Signature/></a>' >"$work/corpus/sig.xml"
cd "$work"
# Leaks are checked too; -rss_limit_mb keeps a runaway input from taking the machine.
"$fuzzer" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 corpus
