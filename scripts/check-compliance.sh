#!/usr/bin/env bash
# scripts/check-compliance.sh BUILD_DIR [SOURCE_DIR]: every row of COMPLIANCE.md whose status is
# "pass" (outside the Summary table) must name at least one test, and every test it names
# (`Executable: Suite::test`, or `…::test` for another test of the same executable and suite)
# must be registered in that test executable (its --list output). Exits 1 naming each miss.
set -euo pipefail

BUILD=${1:?usage: check-compliance.sh BUILD_DIR [SOURCE_DIR]}
SOURCE=${2:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
FILE=$SOURCE/COMPLIANCE.md
declare -A lists
failures=0
checked=0

fail() {
  echo "COMPLIANCE.md:$1: $2"
  failures=$((failures + 1))
}

registered() { # exe test -> 0 when exe --list names test
  local exe=$1 test=$2
  if [ -z "${lists[$exe]+x}" ]; then
    if [ -x "$BUILD/bin/$exe" ]; then
      lists[$exe]=$("$BUILD/bin/$exe" --list 2> /dev/null || true)
    else
      lists[$exe]=""
    fi
  fi
  grep -qxF "$test" <<< "${lists[$exe]}"
}

section=""
lineno=0
while IFS= read -r line; do
  lineno=$((lineno + 1))
  case $line in
    "## "*) section=${line#\#\# } ;;
  esac
  [[ $line == "|"* ]] || continue
  [ "$section" = "Summary" ] && continue
  # The status is the second cell.
  status=$(awk -F'|' '{gsub(/^ +| +$/, "", $3); print $3}' <<< "$line")
  [[ $status == pass* ]] || continue
  refs=$(grep -oE '`[^`]*::test[A-Za-z0-9_]+`' <<< "$line" | tr -d '`' || true)
  if [ -z "$refs" ]; then
    fail "$lineno" "a \"pass\" row names no test: ${line:0:100}"
    continue
  fi
  exe="" suite=""
  while IFS= read -r ref; do
    if [[ $ref =~ ^([A-Za-z0-9_-]+):\ *([A-Za-z0-9_]+)::(test[A-Za-z0-9_]+)$ ]]; then
      exe=${BASH_REMATCH[1]} suite=${BASH_REMATCH[2]} test=${BASH_REMATCH[3]}
    elif [[ $ref =~ ^…::(test[A-Za-z0-9_]+)$ ]] && [ -n "$exe" ]; then
      test=${BASH_REMATCH[1]}
    else
      fail "$lineno" "cannot read the test reference \`$ref\` (expected \`Executable: Suite::test\`)"
      continue
    fi
    checked=$((checked + 1))
    registered "$exe" "$suite::$test" || fail "$lineno" "$exe has no test $suite::$test"
  done <<< "$refs"
done < "$FILE"

echo "check-compliance: $checked test references checked, $failures problem(s)"
[ "$failures" -eq 0 ]
