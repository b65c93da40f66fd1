#!/usr/bin/env bash
# Records the reference traces with real torch: every test/reference/cases/NAME.json is run through
# scripts/torch_simulate.py into test/reference/traces/NAME.json (committed; the header names the torch
# version and the hash of the cases file, so a stale trace is detected by the tests).
# Usage: scripts/record-traces.sh [NAME ...]   (default: every cases file)
set -euo pipefail
cd "$(dirname "$0")/.."
PY="$(scripts/setup-torch.sh)"
mkdir -p test/reference/traces
if [ "$#" -gt 0 ]; then names=("$@"); else names=(); for f in test/reference/cases/*.json; do names+=("$(basename "$f" .json)"); done; fi
for name in "${names[@]}"; do
  out="test/reference/traces/$name.json"
  "$PY" scripts/torch_simulate.py "test/reference/cases/$name.json" --header > "$out.tmp"
  mv "$out.tmp" "$out"
  echo "recorded $out ($("$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["results"]))' "$out") cases)"
done
