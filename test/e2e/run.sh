#!/usr/bin/env bash
# The editor tests in a real VS Code: code-server's bundled VS Code server (a Node extension host,
# the same host desktop VS Code uses) driven by headless Debian chromium through playwright-core.
# Desktop VS Code cannot be downloaded here, so @vscode/test-electron cannot run; the suite under
# test/suite/ keeps its layout (a `run()` entry) so that it can, elsewhere.
#
# Steps: install what is missing (apt: chromium + build libraries for code-server's native
# modules; npm: a pinned code-server and playwright-core into .vscode-e2e/, never a downloaded
# browser), build, run the mocha suite in the host, package the .vsix, install it like a user
# would and check through the UI that it shows a squiggle and a Problems entry (screenshots in
# test-output/), then install it once more into an empty workbench through the workbench's own
# "Install from VSIX..." and see the walkthrough open. The last line is `N passed, N failed` for CI.
#
# Last, `npm run demo` as a user starts it (test/e2e/demo-check.js): the workbench in the browser
# with the extension active, and nothing left running after Ctrl-C.
#
# Env: DNN_E2E_ROOT (cache, default .vscode-e2e), CS_VERSION, PORT (default: a free one), SKIP_VSIX=1 (suite only),
# SKIP_SUITE=1 (package + UI checks + demo only), SKIP_DEMO=1 (no demo check).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$REPO/test/e2e
PW_VERSION=1.65.1
OUT=$REPO/test-output
t() { echo "[$(date +%T)] $*"; }
node -v

# The system packages (chromium too) and code-server, shared with `npm run demo`: sets ROOT,
# CS_VERSION, SERVER and TMPDIR.
t "system packages, code-server, playwright-core $PW_VERSION"
NEED_BROWSER=1 source "$REPO/scripts/vscode-server.sh"
mkdir -p "$OUT"
if [ ! -d "$ROOT/pw/node_modules/playwright-core" ] || [ "$(cat "$ROOT/pw/version" 2>/dev/null)" != "$PW_VERSION" ]; then
  rm -rf "$ROOT/pw"; mkdir -p "$ROOT/pw"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$ROOT/pw" --no-save --no-audit --no-fund "playwright-core@$PW_VERSION" >/dev/null
  echo "$PW_VERSION" >"$ROOT/pw/version"
fi
export NODE_PATH=$ROOT/pw/node_modules

t "build"
(cd "$REPO" && node esbuild.js)

# Everything of this run in its own folder (engineers share the working tree and may run this at
# the same time; the code-server and playwright caches above are shared). Kept when a test fails.
RUN=$(mktemp -d "$ROOT/run.XXXXXX")
export TMPDIR=$RUN/tmp; mkdir -p "$TMPDIR"
# A free port, unless PORT is given.
PORT=${PORT:-$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')}
# A fresh workspace copy and user data for each VS Code session: tests edit and save files, and
# VS Code restores editors (unsaved ones too) from its user data.
WS=$RUN/ws
fresh() {  # fresh [trust|firstrun]: with "trust", workspace trust is on (the folder starts untrusted);
           # with "firstrun", VS Code's own start (the Welcome page) in the light theme
  rm -rf "$WS" "$RUN/data"; mkdir -p "$RUN/data/User"
  cp -r "$REPO/test/fixtures/editor" "$WS"
  local trust=false start='"workbench.startupEditor": "none", ' theme="Default Dark Modern"
  [ "${1:-}" = trust ] && trust=true
  [ "${1:-}" = firstrun ] && { start=; theme="Default Light Modern"; }
  cat >"$RUN/data/User/settings.json" <<JSON
{ $start"security.workspace.trust.enabled": $trust,
  "extensions.autoUpdate": false, "extensions.autoCheckUpdates": false, "telemetry.telemetryLevel": "off",
  "workbench.tips.enabled": false, "update.mode": "none", "git.enabled": false,
  "git.openRepositoryInParentFolders": "never", "workbench.colorTheme": "$theme" }
JSON
}
mkdir -p "$RUN/exts" "$RUN/results" "$RUN/home"
fresh

SPID=
start_server() {  # start_server [extensions folder]
  HOME=$RUN/home setsid node "$SERVER" --host 127.0.0.1 --port "$PORT" \
    --without-connection-token --accept-server-license-terms --enable-smoke-test-driver --disable-telemetry \
    --user-data-dir "$RUN/data" --extensions-dir "${1:-$RUN/exts}" >"$RUN/server.log" 2>&1 &
  SPID=$!
  for _ in $(seq 120); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/" && return 0; sleep 0.5; done
  echo "VS Code server did not start"; tail -20 "$RUN/server.log"; return 1
}
stop_server() { [ -n "$SPID" ] && { kill -- -"$SPID" 2>/dev/null || true; wait "$SPID" 2>/dev/null || true; }; SPID=; }
trap stop_server EXIT   # the whole process group: extension host, file watcher, pty host

STATUS=0
if [ "${SKIP_SUITE:-}" != 1 ]; then
  # The HDF5 files a suite test reads are generated, not committed (test/helpers/h5.ts makes them
  # for the unit tier; this covers running the editor tier alone).
  [ -e "$REPO/test/fixtures/data/h5/pictures_train.h5" ] || /usr/bin/python3 "$REPO/test/fixtures/data/gen_h5.py" >/dev/null || echo "warning: could not generate the HDF5 test files (python3-h5py)"
  t "suite in the extension host"
  start_server
  HOST=127.0.0.1:$PORT EXT=$REPO TESTS=$REPO/out/test/suite/index.js WS=$WS PROFILE=$RUN/chrome \
    RESULTS=$RUN/results/suite.json node "$HERE/run-in-vscode.js" suite || STATUS=1
  stop_server
fi

if [ "${SKIP_VSIX:-}" != 1 ]; then
  t "package the .vsix and install it like a user"
  (cd "$REPO" && npm run --silent package) >"$RUN/package.log" 2>&1 || { tail -30 "$RUN/package.log"; STATUS=1; }
  VSIX=$(ls -t "$REPO"/*.vsix 2>/dev/null | head -1 || true)
  if [ -n "$VSIX" ]; then
    echo "$(basename "$VSIX"): $(du -k "$VSIX" | cut -f1) KB"
    fresh
    HOME=$RUN/home node "$SERVER" --extensions-dir "$RUN/exts" --user-data-dir "$RUN/data" \
      --install-extension "$VSIX" --force >"$RUN/install.log" 2>&1 || { cat "$RUN/install.log"; STATUS=1; }
    t "UI check with the installed .vsix"
    start_server
    HOST=127.0.0.1:$PORT WS=$WS PROFILE=$RUN/chrome OUT=$OUT \
      RESULTS=$RUN/results/ui.json node "$HERE/run-in-vscode.js" ui || STATUS=1
    stop_server
    t "UI check in restricted mode"
    LOGS=$(cat "$RUN"/data/logs/*/exthost*/dnn-designer.dnn-designer/*.log 2>/dev/null || true)
    fresh trust
    start_server
    HOST=127.0.0.1:$PORT WS=$WS PROFILE=$RUN/chrome OUT=$OUT \
      RESULTS=$RUN/results/restricted.json node "$HERE/run-in-vscode.js" restricted || STATUS=1
    stop_server
    # A first install through the workbench itself: no extension installed, VS Code's own first
    # start, the .vsix installed from the Extensions: Install from VSIX... file dialog; the
    # walkthrough must open by itself.
    t "UI check: first install through the workbench opens the walkthrough"
    fresh firstrun
    rm -rf "$RUN/exts-first" "$RUN/vsix"; mkdir -p "$RUN/exts-first" "$RUN/vsix"
    # The .vsix alone in a folder, as a download is: the file dialog lists it whole.
    cp "$VSIX" "$RUN/vsix/"
    start_server "$RUN/exts-first"
    HOST=127.0.0.1:$PORT WS=$WS EXTS=$RUN/exts-first VSIX=$RUN/vsix/$(basename "$VSIX") PROFILE=$RUN/chrome OUT=$OUT \
      RESULTS=$RUN/results/install.json node "$HERE/run-in-vscode.js" install || STATUS=1
    stop_server
    # The extension's own log ("DNN Designer" output channel): activation time, workspace check.
    echo "$LOGS" | sed 's/^/  log: /'
  else
    echo '{"passed":0,"failed":1}' >"$RUN/results/ui.json"; STATUS=1
  fi
fi

if [ "${SKIP_VSIX:-}" != 1 ] && [ "${SKIP_DEMO:-}" != 1 ]; then
  t "npm run demo, opened in the browser, then Ctrl-C"
  DNN_E2E_ROOT=$ROOT PROFILE=$RUN/chrome OUT=$OUT RESULTS=$RUN/results/demo.json node "$HERE/demo-check.js" || STATUS=1
fi

node -e '
  const fs = require("fs"); let p = 0, f = 0;
  for (const n of ["suite", "ui", "restricted", "install", "demo"]) {
    const file = process.argv[1] + "/" + n + ".json";
    const skipped = n === "suite" ? process.env.SKIP_SUITE === "1"
      : process.env.SKIP_VSIX === "1" || (n === "demo" && process.env.SKIP_DEMO === "1");
    if (!fs.existsSync(file)) { if (!skipped) f++; continue; }
    const r = JSON.parse(fs.readFileSync(file, "utf8")); p += r.passed; f += r.failed;
  }
  console.log(`${p} passed, ${f} failed`);
  if (f > 0) process.exitCode = 1;' "$RUN/results" || STATUS=1
if [ "$STATUS" = 0 ]; then rm -rf "$RUN"; else echo "logs and workspace of this run: $RUN"; fi
exit $STATUS
