#!/usr/bin/env bash
# Sets up a fresh machine for LR Lens development and tests. Idempotent; caches live in
# ${LR_LENS_CACHE:-$HOME/.cache/lr-lens} so a second run takes seconds.
#   - npm packages (npm ci), then the esbuild bundles (dist/, media/)
#   - real torch 2.13 (CPU) in a venv, for reference traces, differential tests and benchmarks
#   - a real VS Code (code-server 4.100.3) and Debian's Chromium, for integration and webview tests
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[setup] $*" >&2; }

if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
log "building bundles"
npm run --silent build
log "torch venv: $(bash scripts/setup-torch.sh)"
log "VS Code host: $(bash scripts/setup-vscode-host.sh | tail -1)"
