#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and runs every test suite; prints one closing line
# "tests: N passed, M failed" and exits non-zero when any suite fails.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh || { echo "tests: 0 passed, 1 failed"; exit 1; }

passed=0
failed=0
failed_suites=()
LOG_DIR=$(mktemp -d)

# run NAME COMMAND...: runs a suite and counts its tests from mocha's "N passing"/"N failing" or node's
# test runner's "pass N"/"fail N"; a suite that prints neither counts as one test.
run() {
  local name=$1
  shift
  echo
  echo "=== $name: $*"
  local log="$LOG_DIR/$name.log"
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local ok bad
  ok=$(grep -Eo '^ *[0-9]+ passing|^(ℹ|#) pass [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+' || true)
  bad=$(grep -Eo '^ *[0-9]+ failing|^(ℹ|#) fail [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+' || true)
  if [[ -z "$ok" && -z "$bad" ]]; then
    if ((status == 0)); then ok=1; bad=0; else ok=0; bad=1; fi
  fi
  ok=${ok:-0}
  bad=${bad:-0}
  if ((status != 0 && bad == 0)); then bad=1; fi
  passed=$((passed + ok))
  failed=$((failed + bad))
  ((status == 0)) || failed_suites+=("$name")
}

run typecheck npm run --silent typecheck
run unit npx mocha
run differential npm run --silent test:differential
run torch-recordings bash scripts/check-recordings.sh
for suite in test:webview test:webgpu test:vscode test:package test:examples; do
  if npm pkg get "scripts.$suite" | grep -q '"'; then run "${suite#test:}" npm run --silent "$suite"; fi
done

echo
((${#failed_suites[@]})) && echo "failed suites: ${failed_suites[*]}"
echo "tests: $passed passed, $failed failed"
((failed == 0))
