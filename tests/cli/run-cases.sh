#!/usr/bin/env bash
# Runs the CLI cases: each tests/cli/*.case file names a command, its input and what must
# come out. Usage: run-cases.sh KELISIM_BINARY SOURCE_DIR WORK_DIR [CASE...]
#
# A case file is lines of "key: value" ('#' starts a comment line):
#   setup: SHELL LINE       run before the command (bash; may repeat)
#   run: ARGS               the kelisim arguments (bash words; variables expanded)
#   stdin: FILE             feed FILE to standard input (default: nothing)
#   exit: N                 the expected exit code
#   stdout-has: TEXT        standard output contains TEXT (may repeat)
#   stdout-lacks: TEXT      ... does not contain TEXT
#   stderr-has: TEXT / stderr-lacks: TEXT
#   stdout-empty: yes       standard output is empty
#   file-exists: PATH / file-absent: PATH / file-has: PATH TEXT
#   check: SHELL LINE       must succeed after the command (may repeat)
# Variables: $KELISIM (the binary), $SRC (source tree), $EXAMPLES (schemas/examples),
# $WORK (a fresh empty folder per case), $PKI (the test PKI, when made).
set -u
kelisim=$(realpath "$1"); src=$(realpath "$2"); work_root=${3:?no work folder}; shift 3
. "$(dirname "$0")/../fresh-work-dir.sh"
mkdir -p "$work_root"
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=("$src"/tests/cli/*.case)

# Replace the case variables in a value, leaving quotes and everything else as written.
expand_vars() {
  local v=$1
  v=${v//\$WORK/$WORK}; v=${v//\$EXAMPLES/$EXAMPLES}; v=${v//\$SRC/$SRC}
  v=${v//\$PKI/$PKI}; v=${v//\$KELISIM/$KELISIM}
  printf '%s' "$v"
}

passed=0; failed=0
for case_file in "${cases[@]}"; do
  name=$(basename "$case_file" .case)
  fresh_work_dir "$work_root/${name:?}" "$name" || exit $?
  WORK=$fresh_dir
  export KELISIM="$kelisim" SRC="$src" EXAMPLES="$src/schemas/examples" WORK
  export PKI="${KELISIM_TEST_PKI:-$src/build/test-pki}"
  run=""; stdin=/dev/null; expect_exit=0; problems=()
  checks=()
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in ''|'#'*) continue ;; esac
    key=${line%%:*}; value=${line#*: }
    case "$key" in
      setup) (cd "$WORK" && bash -c "$value") || problems+=("setup failed: $value") ;;
      run) run=$value ;;
      stdin) stdin=$(expand_vars "$value") ;;
      exit) expect_exit=$value ;;
      *) checks+=("$key"$'\t'"$value") ;;
    esac
  done < "$case_file"

  eval "args=($run)"
  (cd "$WORK" && "$kelisim" "${args[@]}" < "$stdin" > "$WORK/.stdout" 2> "$WORK/.stderr")
  code=$?
  [ "$code" = "$expect_exit" ] || problems+=("exit code $code, expected $expect_exit")
  for c in "${checks[@]}"; do
    key=${c%%$'\t'*}; value=${c#*$'\t'}
    value_x=$(expand_vars "$value")
    case "$key" in
      stdout-has) grep -qF -- "$value_x" "$WORK/.stdout" || problems+=("stdout lacks: $value_x") ;;
      stdout-lacks) ! grep -qF -- "$value_x" "$WORK/.stdout" || problems+=("stdout has: $value_x") ;;
      stderr-has) grep -qF -- "$value_x" "$WORK/.stderr" || problems+=("stderr lacks: $value_x") ;;
      stderr-lacks) ! grep -qF -- "$value_x" "$WORK/.stderr" || problems+=("stderr has: $value_x") ;;
      stdout-empty) [ ! -s "$WORK/.stdout" ] || problems+=("stdout is not empty") ;;
      file-exists) [ -e "$value_x" ] || problems+=("missing file: $value_x") ;;
      file-absent) [ ! -e "$value_x" ] || problems+=("file should not exist: $value_x") ;;
      file-has) f=${value_x%% *}; t=${value_x#* }
                grep -qF -- "$t" "$f" 2>/dev/null || problems+=("$f lacks: $t") ;;
      check) (cd "$WORK" && bash -c "$value") || problems+=("check failed: $value") ;;
      *) problems+=("unknown key in case file: $key") ;;
    esac
  done

  if [ ${#problems[@]} -eq 0 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $name"
    for p in "${problems[@]}"; do echo "  - $p"; done
    echo "  stderr: $(head -c 600 "$WORK/.stderr")"
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
