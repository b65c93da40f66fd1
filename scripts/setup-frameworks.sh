#!/usr/bin/env bash
# Creates (once) a separate Python venv with the real training frameworks whose schedules LR Lens
# reproduces (Hugging Face transformers, timm, Lightning, Keras, optax on JAX), for
# scripts/record-framework-traces.py. Kept apart from the torch venv so those packages cannot change
# the torch that the engine's own reference traces come from. Idempotent: reuses a venv whose
# versions already match. Prints the venv's python path on stdout (progress goes to stderr).
set -euo pipefail

VENV="${LR_LENS_CACHE:-$HOME/.cache/lr-lens}/frameworks-venv"
PY="$VENV/bin/python"
# The versions the committed traces in test/reference/frameworks/ were recorded with.
PACKAGES=(
  "torch==2.13.0+cpu"
  "transformers==5.18.0"
  "timm==1.0.29"
  "lightning==2.6.6"
  "keras==3.15.1"
  "optax==0.2.8"
  "jax==0.10.2"
  "jaxlib==0.10.2"
  "accelerate==1.15.0"
)

has_frameworks() {
  [ -x "$PY" ] && "$PY" - "${PACKAGES[@]}" >/dev/null 2>&1 <<'PYCHECK'
import sys
from importlib.metadata import version
for spec in sys.argv[1:]:
    name, wanted = spec.split("==")
    if version(name) != wanted:
        sys.exit(1)
PYCHECK
}

if ! has_frameworks; then
  echo "setup-frameworks: installing ${PACKAGES[*]} into $VENV" >&2
  mkdir -p "$(dirname "$VENV")"
  [ -x "$PY" ] || python3 -m venv "$VENV"
  # From pip's configured indexes (local wheels on these machines); elsewhere set PIP_EXTRA_INDEX_URL to
  # PyTorch's CPU wheel index for the +cpu torch.
  "$VENV/bin/pip" install --quiet "${PACKAGES[@]}" >&2
  has_frameworks || { echo "setup-frameworks: the pinned versions are still not importable from $PY" >&2; exit 1; }
fi

echo "$PY"
