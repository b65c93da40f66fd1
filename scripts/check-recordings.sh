#!/usr/bin/env bash
# Re-records, with the real torch installed by scripts/setup-torch.sh, every trace the tests compare
# against (scheduler reference traces, the analysis fixtures' traces, the training runs) and fails if
# any committed recording differs from what torch produces now. Run from a git checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="$(bash scripts/setup-torch.sh)"

bash scripts/record-traces.sh > /dev/null
npx tsx test/fixtures/python/record-torch-traces.ts > /dev/null
"$PY" test/training/record_torch_fixtures.py > /dev/null

recordings=(test/reference/traces test/fixtures/python/torch-cases.json test/fixtures/python/torch-traces.json test/training/fixtures)
if git diff --quiet -- "${recordings[@]}"; then
  echo "every committed torch recording is reproduced by torch $("$PY" -c 'import torch; print(torch.__version__)')"
else
  echo "committed recordings differ from what torch produces now:"
  git diff --stat -- "${recordings[@]}"
  exit 1
fi
