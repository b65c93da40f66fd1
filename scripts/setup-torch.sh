#!/usr/bin/env bash
# Creates (once) the Python venv with real torch that records reference traces and runs the
# differential test and benchmark. Idempotent: reuses a venv that already imports torch 2.13.
# Prints the venv's python path on stdout (progress goes to stderr).
set -euo pipefail

TORCH_VERSION="2.13.0+cpu"
VENV="${LR_LENS_CACHE:-$HOME/.cache/lr-lens}/torch-venv"
PY="$VENV/bin/python"

has_torch() {
  [ -x "$PY" ] && "$PY" -c 'import sys, numpy, torch; sys.exit(0 if torch.__version__.startswith("2.13") else 1)' >/dev/null 2>&1
}

if ! has_torch; then
  echo "setup-torch: installing torch==$TORCH_VERSION into $VENV" >&2
  mkdir -p "$(dirname "$VENV")"
  [ -x "$PY" ] || python3 -m venv "$VENV"
  # From pip's configured indexes (local wheels on these machines). Elsewhere, point pip at PyTorch's
  # CPU wheel index (PIP_EXTRA_INDEX_URL) for the +cpu build.
  "$VENV/bin/pip" install --quiet "torch==$TORCH_VERSION" numpy >&2
  has_torch || { echo "setup-torch: torch 2.13 still not importable from $PY" >&2; exit 1; }
fi

echo "$PY"
