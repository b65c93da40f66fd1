#!/usr/bin/env bash
# Records test/reference/frameworks/mmengine-traces.json with mmengine's real scheduler code and the
# frameworks venv's torch. mmengine has no wheel here: give its source as a git repository (a clone, or a
# bare mirror) and a revision, or as a folder that already holds mmengine/. The source is extracted into
# a temporary folder and never copied into this repository.
# Usage: scripts/record-mmengine-traces.sh MMENGINE_REPO_OR_SOURCE [REVISION]   (default revision: HEAD)
# The committed traces were recorded from open-mmlab/mmengine 254234293 (0.11.0rc0).
set -euo pipefail
cd "$(dirname "$0")/.."
SOURCE="${1:?usage: $0 MMENGINE_REPO_OR_SOURCE [REVISION]}"
REVISION="${2:-HEAD}"
PY="$(scripts/setup-frameworks.sh)"
if git -C "$SOURCE" rev-parse --verify --quiet "$REVISION^{commit}" >/dev/null 2>&1; then
  COMMIT="$(git -C "$SOURCE" rev-parse "$REVISION^{commit}")"
  TMP="$(mktemp -d)"
  trap 'rm -rf "$TMP"' EXIT
  git -C "$SOURCE" archive "$COMMIT" mmengine | tar -x -C "$TMP"
  "$PY" scripts/record-mmengine-traces.py "$TMP" --commit "$COMMIT"
else
  "$PY" scripts/record-mmengine-traces.py "$SOURCE"
fi
