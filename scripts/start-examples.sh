#!/usr/bin/env bash
# The main job: packages LR Lens, starts a real VS Code (code-server 4.100.3, installed on first use by
# scripts/setup-vscode-host.sh) with the extension installed and the examples/ workspace open, and prints
# the address to open in a browser. Runs until Ctrl+C.
#
#   bash scripts/start-examples.sh [--port 8080] [--host 127.0.0.1] [--verbose]
#   (LR_LENS_PORT / LR_LENS_HOST work too; use --host 0.0.0.0 to reach it from another machine.)
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -d node_modules ]] || npm ci
npm run --silent package >&2
exec node test/vscode/serve.mjs --vsix lr-lens.vsix --folder examples "$@"
