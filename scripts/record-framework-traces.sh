#!/usr/bin/env bash
# Records the framework reference traces (test/reference/frameworks/traces/) with the real libraries,
# installing them first into their own venv when needed. Usage: scripts/record-framework-traces.sh [LIBRARY ...]
set -euo pipefail
cd "$(dirname "$0")/.."
PY="$(scripts/setup-frameworks.sh)"
"$PY" scripts/record-framework-traces.py "$@"
