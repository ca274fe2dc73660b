#!/usr/bin/env node
// `npm run test:electron`: the editor suite (test/suite/, the same files `npm run test:editor`
// runs in code-server's VS Code host) in desktop VS Code, through @vscode/test-electron, for
// contributors whose machines can download VS Code. CI keeps the offline runner (test:editor),
// which needs no download.
//
// It installs @vscode/test-electron into .vscode-test/runner (not a dependency of the project:
// nothing else needs it), builds, copies test/fixtures/editor to a fresh workspace with fresh
// user data (tests edit and save files), and lets runTests download VS Code into .vscode-test/
// once. On Linux without a display, run it under a virtual one: `xvfb-run -a npm run test:electron`.
// Where VS Code cannot be downloaded (no route to its download server), or there is no display,
// it says so in one line and exits with 1, before building or making a workspace.
// Env: VSCODE_VERSION (default "stable"; "insiders" or a number such as "1.90.0"),
//      DNN_TEST_GREP (run only the tests whose title matches).
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const REPO = path.join(__dirname, '..');
const RUNNER = path.join(REPO, '.vscode-test', 'runner');
// 3.x needs Node 22; 2.5 has the same runTests and download API and runs on the Node 20 the
// project supports, without an engine warning.
const VERSION = Number(process.versions.node.split('.')[0]) >= 22 ? '3.1.0' : '2.5.2';

/** Says what went wrong in one line (no stack trace) and exits with 1. */
function fail(message) {
  console.error(`test:electron: ${message}`);
  process.exit(1);
}

/** The text of whatever was thrown: the runner throws Errors and, for some failures, plain strings. */
function reason(e) {
  return e instanceof Error ? e.message : String(e);
}

function runner() {
  const pkg = path.join(RUNNER, 'node_modules', '@vscode', 'test-electron', 'package.json');
  const installed = fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).version === VERSION;
  if (!installed) {
    console.log(`installing @vscode/test-electron ${VERSION} into ${path.relative(REPO, RUNNER)}`);
    fs.mkdirSync(RUNNER, { recursive: true });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    try {
      execFileSync(npm, ['install', '--prefix', RUNNER, '--no-save', '--no-audit', '--no-fund', `@vscode/test-electron@${VERSION}`], { stdio: 'inherit', shell: process.platform === 'win32' });
    } catch (e) {
      fail(`could not install @vscode/test-electron ${VERSION} from the npm registry (${reason(e).split('\n')[0]}).`);
    }
  }
  return require(path.join(RUNNER, 'node_modules', '@vscode', 'test-electron'));
}

async function main() {
  const { runTests, downloadAndUnzipVSCode } = runner();
  const version = process.env.VSCODE_VERSION || 'stable';
  // The download first, on its own: where it cannot happen, that is the whole story, and it must
  // not read as a failing suite.
  let vscodeExecutablePath;
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode({ version, cachePath: path.join(REPO, '.vscode-test') });
  } catch (e) {
    fail(`could not download VS Code ${version} (${reason(e)}). Desktop VS Code is fetched from its ` +
      'download server on first use, and this machine cannot reach it. `npm run test:editor` runs the ' +
      'same suite with nothing to download.');
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    fail('there is no display for desktop VS Code: run it under a virtual one, `xvfb-run -a npm run test:electron`.');
  }
  console.log('build');
  execFileSync(process.execPath, [path.join(REPO, 'esbuild.js')], { cwd: REPO, stdio: 'inherit' });

  const run = fs.mkdtempSync(path.join(os.tmpdir(), 'dnn-electron-'));
  const ws = path.join(run, 'ws');
  fs.cpSync(path.join(REPO, 'test', 'fixtures', 'editor'), ws, { recursive: true });
  // The settings test/e2e/run.sh gives the offline host, so both runners see the same editor.
  const data = path.join(run, 'data');
  fs.mkdirSync(path.join(data, 'User'), { recursive: true });
  fs.writeFileSync(path.join(data, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false,
    'extensions.autoUpdate': false, 'extensions.autoCheckUpdates': false, 'telemetry.telemetryLevel': 'off',
    'workbench.tips.enabled': false, 'update.mode': 'none', 'git.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
  }, null, 2));

  try {
    // runTests resolves with VS Code's exit code and rejects when it is not 0 (a failed test
    // makes test/suite/index.ts's run() reject, and VS Code then exits with 1).
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: REPO,
      extensionTestsPath: path.join(REPO, 'out', 'test', 'suite', 'index.js'),
      launchArgs: [ws, '--disable-extensions', `--user-data-dir=${data}`],
      extensionTestsEnv: process.env.DNN_TEST_GREP ? { DNN_TEST_GREP: process.env.DNN_TEST_GREP } : {},
    });
    fs.rmSync(run, { recursive: true, force: true });
  } catch (e) {
    console.error(`the editor suite failed in desktop VS Code: ${e instanceof Error ? e.message : e}`);
    console.error(`workspace and user data kept in ${run}`);
    process.exit(1);
  }
}

main().catch((e) => fail(reason(e)));
