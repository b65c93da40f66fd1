#!/usr/bin/env bash
# Installs a real VS Code for the integration tests: code-server 4.100.3 (Code-OSS 1.100.3, the last
# line that runs on Node 20), from the npm registry, driven later by Debian's headless Chromium.
# Idempotent and cached: a second run only checks the marker file and exits.
#
#   scripts/setup-vscode-host.sh        # prints the code-server directory on its last line
#
# Location: ${LR_LENS_CACHE:-$HOME/.cache/lr-lens}/code-server (outside the repo).
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
CACHE_ROOT="${LR_LENS_CACHE:-$HOME/.cache/lr-lens}"
HOST_DIR="$CACHE_ROOT/code-server"
PACKAGE_DIR="$HOST_DIR/node_modules/code-server"
VSCODE_DIR="$PACKAGE_DIR/lib/vscode"
MARKER="$HOST_DIR/.installed-$CODE_SERVER_VERSION"

log() { echo "[setup-vscode-host] $*" >&2; }

installed() { [[ -f "$MARKER" && -f "$PACKAGE_DIR/out/node/entry.js" ]]; }
if installed; then
  echo "$PACKAGE_DIR"
  exit 0
fi

# One installer at a time (test suites may start side by side); a waiter finds the work done.
mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/code-server.lock"
flock 9
if installed; then
  echo "$PACKAGE_DIR"
  exit 0
fi

# Debian packages: Chromium drives the workbench, ripgrep backs workspace.findFiles, Kerberos headers
# let the `kerberos` native module build.
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
[[ -x /usr/bin/rg ]] || missing+=(ripgrep)
[[ -f /usr/include/krb5.h || -f /usr/include/gssapi/gssapi.h ]] || missing+=(libkrb5-dev)
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >&2
fi

# Native modules build against the installed Node's headers (Debian's nodejs ships them); no header download.
if [[ -f /usr/include/node/node.h ]]; then export npm_config_nodedir=/usr; fi
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

start=$(date +%s)
mkdir -p "$HOST_DIR"
cd "$HOST_DIR"
[[ -f package.json ]] || echo '{ "name": "lr-lens-vscode-host", "private": true }' > package.json

log "installing code-server@$CODE_SERVER_VERSION into $HOST_DIR"
npm install --save-exact --ignore-scripts --loglevel=error "code-server@$CODE_SERVER_VERSION" >&2
# argon2's prebuilt download is unreachable here; it builds from source.
npm rebuild argon2 --loglevel=error >&2

# code-server's postinstall, done by hand (its script downloads things this machine cannot reach).
cd "$VSCODE_DIR"
log "installing VS Code's server dependencies"
npm install --omit=dev --ignore-scripts --loglevel=error >&2
# node-pty's postinstall ends with a harmless "npx canceled … node-gyp" once pty.node exists.
npm rebuild @vscode/spdlog native-watchdog @vscode/deviceid kerberos node-pty --loglevel=error >&2 || true
for native in node_modules/node-pty/build/Release/pty.node node_modules/@vscode/spdlog/build/Release/spdlog.node; do
  [[ -f "$native" ]] || { log "native module missing after rebuild: $native"; exit 1; }
done

# @vscode/ripgrep cannot download rg: use Debian's (without it workspace.findFiles fails with ENOENT).
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sfn /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg
ln -sfn node_modules node_modules.asar
ln -sfn code-linux.sh bin/remote-cli/code-server
ln -sfn browser-linux.sh bin/helpers/browser.sh

log "installing VS Code's built-in extensions' dependencies"
(cd extensions && npm install --omit=dev --loglevel=error >&2)

touch "$MARKER"
log "done in $(($(date +%s) - start)) s"
echo "$PACKAGE_DIR"
