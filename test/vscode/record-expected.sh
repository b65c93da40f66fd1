#!/usr/bin/env bash
# Records what real torch returns for the fixture workspace's schedules (test/vscode/expected/cases.json)
# into test/vscode/expected/traces.json, which the integration tests compare the lenses and hovers with.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="$(scripts/setup-torch.sh)"
"$PY" scripts/torch_simulate.py test/vscode/expected/cases.json --header > test/vscode/expected/traces.json.tmp
mv test/vscode/expected/traces.json.tmp test/vscode/expected/traces.json
echo "recorded test/vscode/expected/traces.json"
