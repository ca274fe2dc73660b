#!/usr/bin/env node
// `npm run demo`: the extension in a real VS Code, in the browser. Builds the extension, starts the
// VS Code server that code-server bundles (installed once by scripts/vscode-server.sh, the same
// install the editor tests use) with the extension loaded from this repository and a fresh copy of
// examples/ as the workspace, prints the URL and opens a browser when the machine has one. Ctrl-C
// stops the server and every process it started.
//
//   npm run demo [-- --port N] [--folder PATH] [--host ADDRESS] [--no-open]
//
// Env: DNN_E2E_ROOT (where the server is installed, default .vscode-e2e), CS_VERSION.
'use strict';
const { spawn, spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const net = require('net');
const path = require('path');

const REPO = path.resolve(__dirname, '..');
const ROOT = path.resolve(process.env.DNN_E2E_ROOT || path.join(REPO, '.vscode-e2e'));
const SERVER = path.join(ROOT, 'cs/node_modules/code-server/lib/vscode/out/server-main.js');
const USAGE = `usage: npm run demo [-- --port N] [--folder PATH] [--host ADDRESS] [--no-open]
  --port N          the port to serve on (default 8080)
  --folder PATH     open your own folder instead of a copy of examples/
  --host ADDRESS    the address to bind (default 127.0.0.1); beyond loopback the URL carries a
                    connection token, and anyone who can reach the port and has it can use the
                    editor, its terminal and your files
  --no-open         do not open a browser`;

function usage(message) {
  console.error(`demo: ${message}\n${USAGE}`);
  process.exit(2);
}

/** The command line: { port, folder?, host, open }, or exit 2 with the usage. */
function parseArgs(argv) {
  const opts = { port: 8080, folder: undefined, host: '127.0.0.1', open: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (a === '--port') {
      const v = value();
      const port = Number(v);
      if (!/^\d+$/.test(v) || port < 1 || port > 65535) usage(`--port must be a number from 1 to 65535; found ${v}`);
      opts.port = port;
    } else if (a === '--folder') {
      // Relative to where the user typed the command: npm runs scripts in the package's folder.
      const folder = path.resolve(process.env.INIT_CWD || process.cwd(), value());
      if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) usage(`--folder: no folder at ${folder}`);
      opts.folder = folder;
    } else if (a === '--host') {
      opts.host = value();
    } else if (a === '--no-open') {
      opts.open = false;
    } else {
      usage(`unknown option ${a}`);
    }
  }
  return opts;
}

function isLoopback(host) {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Resolves when `host:port` can be bound, rejects with a sentence when it cannot. */
function checkPort(host, port) {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', (e) =>
      reject(new Error(e.code === 'EADDRINUSE' ? `port ${port} is in use on ${host}; choose another with --port` : `cannot listen on ${host}:${port}: ${e.message}`)),
    );
    s.listen(port, host, () => s.close(() => resolve()));
  });
}

/** Whether the server answers at `url`. */
function answers(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode < 500);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => req.destroy());
  });
}

/** Whether any process of process group `pgid` is alive. */
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Prints, ignoring a closed stdout (npm may have gone before us after Ctrl-C). */
function say(text) {
  try {
    process.stdout.write(text + '\n');
  } catch {
    // nobody is reading any more
  }
}
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

/** A browser, when this machine has a desktop to show one on; never an error when it has none. */
function openBrowser(url) {
  const opener = process.platform === 'darwin' ? 'open' : 'xdg-open';
  if (process.platform !== 'darwin' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return false;
  const found = spawnSync('sh', ['-c', `command -v ${opener}`], { stdio: 'ignore' }).status === 0;
  if (!found) return false;
  // Its own session: the browser is the user's and outlives the demo.
  const child = spawn(opener, [url], { detached: true, stdio: 'ignore' });
  child.on('error', () => {});
  child.unref();
  return true;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const beyondLoopback = !isLoopback(opts.host);
  if (beyondLoopback) {
    console.error(
      `warning: --host ${opts.host} binds beyond this machine: anyone who can reach port ${opts.port} and has the URL\n` +
        '  (it carries a connection token) can use this editor, its terminal and your files. Keep the URL private.',
    );
  }

  // Before anything slow: a port in use is found at once.
  try {
    await checkPort(opts.host, opts.port);
  } catch (e) {
    console.error(`demo: ${e.message}`);
    process.exit(1);
  }

  // One install for the demo and the editor tests; a few minutes on first use, nothing after.
  const install = spawnSync('bash', [path.join(REPO, 'scripts/vscode-server.sh')], { stdio: 'inherit', env: { ...process.env, REPO } });
  if (install.status !== 0) {
    console.error('demo: the VS Code server could not be installed (see above)');
    process.exit(1);
  }
  say('building the extension');
  const build = spawnSync(process.execPath, [path.join(REPO, 'esbuild.js')], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) {
    console.error('demo: the build failed (see above)');
    process.exit(1);
  }

  // Everything of this run in its own folder, removed when it stops: two demos can run at once.
  fs.mkdirSync(path.join(ROOT, 'tmp'), { recursive: true });
  const run = fs.mkdtempSync(path.join(ROOT, 'demo.'));
  const data = path.join(run, 'data');
  const exts = path.join(run, 'exts');
  fs.mkdirSync(path.join(data, 'User'), { recursive: true });
  fs.mkdirSync(exts);
  let folder = opts.folder;
  if (!folder) {
    folder = path.join(run, 'examples');
    fs.cpSync(path.join(REPO, 'examples'), folder, { recursive: true });
  }
  const settings = {
    'workbench.startupEditor': 'none',
    // The copy of the examples is ours to trust; a folder of the user's opens in restricted mode
    // until they trust it, as in desktop VS Code.
    'security.workspace.trust.enabled': opts.folder !== undefined,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
  };
  fs.writeFileSync(path.join(data, 'User/settings.json'), JSON.stringify(settings, null, 2));
  // The extension is loaded from this repository, where it was just built: the extensions
  // folder's manifest points at it, so nothing is packaged or copied.
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const id = `${pkg.publisher}.${pkg.name}`;
  fs.writeFileSync(
    path.join(exts, 'extensions.json'),
    JSON.stringify([{ identifier: { id }, version: pkg.version, location: { $mid: 1, scheme: 'file', path: REPO }, metadata: { installedTimestamp: Date.now() } }]),
  );

  const token = beyondLoopback ? crypto.randomBytes(16).toString('hex') : undefined;
  const log = fs.openSync(path.join(run, 'server.log'), 'a');
  // Its own process group (detached), so that stopping it stops the extension host, the file
  // watcher and the terminal host it starts, whatever becomes of this process's group.
  const server = spawn(
    process.execPath,
    [
      SERVER, '--host', opts.host, '--port', String(opts.port),
      ...(token ? ['--connection-token', token] : ['--without-connection-token']),
      '--accept-server-license-terms', '--disable-telemetry',
      '--user-data-dir', data, '--extensions-dir', exts,
    ],
    { detached: true, stdio: ['ignore', log, log], env: { ...process.env, TMPDIR: path.join(ROOT, 'tmp') } },
  );
  const lastLines = () => fs.readFileSync(path.join(run, 'server.log'), 'utf8').trimEnd().split('\n').slice(-20).join('\n');
  let exited = false;
  server.on('exit', () => (exited = true));

  let stopping;
  const stop = (code) => {
    if (stopping) return stopping;
    stopping = (async () => {
      if (groupAlive(server.pid)) {
        try {
          process.kill(-server.pid, 'SIGTERM');
        } catch {
          // already gone
        }
        for (let i = 0; i < 50 && groupAlive(server.pid); i++) await sleep(100);
        if (groupAlive(server.pid)) {
          try {
            process.kill(-server.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
      fs.rmSync(run, { recursive: true, force: true });
      process.exit(code);
    })();
    return stopping;
  };
  process.on('SIGINT', () => {
    say('\nstopping the VS Code server');
    stop(130);
  });
  process.on('SIGTERM', () => stop(143));
  process.on('SIGHUP', () => stop(129));

  const where = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${opts.port}/`;
  say(`starting VS Code on ${where}`);
  for (let i = 0; ; i++) {
    if (exited) {
      console.error('demo: the VS Code server stopped:');
      console.error(lastLines());
      return stop(1);
    }
    if (await answers(where + (token ? `?tkn=${token}` : ''))) break;
    if (i === 240) {
      console.error('demo: the VS Code server did not answer within 2 minutes');
      return stop(1);
    }
    await sleep(500);
  }
  const url = `${where}?${token ? `tkn=${token}&` : ''}folder=${encodeURIComponent(folder).replace(/%2F/g, '/')}`;
  say('');
  say(`DNN Designer in VS Code: ${url}`);
  say(
    opts.folder
      ? '  your folder; trust it (the banner, or Manage Workspace Trust) to train'
      : '  a copy of examples/ (changes there are not kept); open planar.dnn.json, then DNN: Train',
  );
  if (opts.host === '0.0.0.0' || opts.host === '::') say(`  from another machine, use this machine's name or address (its hostname is ${require('os').hostname()}) in place of ${opts.host}`);
  const opened = opts.open && openBrowser(url);
  say(opened ? '  opening it in your browser' : '  open it in a browser');
  say('Ctrl-C stops it');
  server.on('exit', () => {
    if (stopping) return;
    console.error('demo: the VS Code server stopped:');
    console.error(lastLines());
    stop(1);
  });
}

main().catch((e) => {
  console.error(`demo: ${(e && e.stack) || e}`);
  process.exit(1);
});
