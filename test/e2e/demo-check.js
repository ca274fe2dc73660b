// `npm run demo` as a user runs it: started in a terminal of its own (its own process group) on a
// free port, its URL opened in headless Debian chromium, where the workbench must load with the
// extension active on a copy of the examples; then Ctrl-C (SIGINT to that process group, as a
// terminal sends it) must leave no process behind, neither in the demo's group nor in any group
// one of its processes started (the VS Code server's), and remove the copy.
// Env: RESULTS (json {passed, failed} written here), OUT (screenshots), DNN_E2E_ROOT, PROFILE.
'use strict';
const { chromium } = require('playwright-core');
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');

const REPO = path.resolve(__dirname, '../..');
const PROFILE = process.env.PROFILE || require('os').tmpdir() + '/chrome-profile';
const results = { passed: 0, failed: 0 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Every process now: pid -> { ppid, pgid }, from /proc/PID/stat (fields after the command's ')'). */
function processes() {
  const all = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      all.set(+name, { ppid: +f[1], pgid: +f[2] });
    } catch {
      // it ended while we looked
    }
  }
  return all;
}

/** The process groups of `pid` and of all its descendants. */
function groupsUnder(pid) {
  const all = processes();
  const groups = new Set();
  const todo = [pid];
  while (todo.length > 0) {
    const p = todo.pop();
    const info = all.get(p);
    if (info) groups.add(info.pgid);
    for (const [child, i] of all) if (i.ppid === p) todo.push(child);
  }
  return groups;
}

/** The processes that remain in `groups`, with their command lines. */
function remaining(groups) {
  const left = [];
  for (const [pid, info] of processes()) {
    if (!groups.has(info.pgid)) continue;
    let cmd = '';
    try {
      cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 120);
    } catch {
      // gone
    }
    left.push(`${pid} ${cmd}`);
  }
  return left;
}

async function check(name, fn) {
  const t = Date.now();
  try {
    await fn();
    results.passed++;
    console.log(`  ✔ ${name} (${Date.now() - t} ms)`);
  } catch (e) {
    results.failed++;
    console.log(`  ✘ ${name}: ${(e && e.message) || e}`);
  }
}

async function main() {
  const port = await freePort();
  console.log(`npm run demo -- --port ${port} --no-open`);
  // No desktop: the demo must not try a browser, and must not fail for it.
  const env = { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' };
  const demo = spawn('npm', ['run', 'demo', '--', '--port', String(port), '--no-open'], { cwd: REPO, detached: true, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  demo.stdout.on('data', (d) => (output += d));
  demo.stderr.on('data', (d) => (output += d));
  let exitCode;
  const exited = new Promise((r) => demo.on('exit', (code, signal) => r((exitCode = code ?? signal))));
  let groups = new Set([demo.pid]);
  let url;
  let folder;

  await check('npm run demo prints the URL of a VS Code with a copy of the examples', async () => {
    for (let i = 0; !url; i++) {
      const m = /DNN Designer in VS Code: (http:\/\/127\.0\.0\.1:(\d+)\/\?folder=(\S+))/.exec(output);
      if (m) {
        url = m[1];
        if (+m[2] !== port) throw new Error(`the URL is not on port ${port}: ${url}`);
        folder = decodeURIComponent(m[3]);
      } else if (exitCode !== undefined) throw new Error(`the demo exited (${exitCode}):\n${output}`);
      else if (i > 1200) throw new Error(`no URL within 10 minutes:\n${output}`);
      else await sleep(500);
    }
    if (folder === path.join(REPO, 'examples')) throw new Error('the demo opens the repository\'s examples/ itself, not a copy');
    if (!fs.existsSync(path.join(folder, 'planar.dnn.json'))) throw new Error(`no planar.dnn.json in ${folder}`);
    for (const g of groupsUnder(demo.pid)) groups.add(g);
    if (groups.size < 2) throw new Error('the VS Code server is not in a process group of its own');
  });

  if (url) {
    await check('the workbench loads with the extension active on an example', async () => {
      const ctx = await chromium.launchPersistentContext(PROFILE + '-demo-' + Date.now(), {
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        headless: true,
        viewport: { width: 1400, height: 900 },
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      const page = ctx.pages()[0] || (await ctx.newPage());
      try {
        await page.goto(url);
        await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
        await page.keyboard.press('Control+P');
        await page.locator('.quick-input-widget input').waitFor({ timeout: 30000 });
        await page.keyboard.type('mistakes.dnn.json');
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'mistakes' }).first().waitFor({ timeout: 30000 });
        await page.keyboard.press('Enter');
        // The extension's squiggles and its status bar item: examples/mistakes.dnn.json is
        // 2 → 16 → 8 → 3 with wrong declared shapes, (16·2 + 16) + (8·16 + 8) + (3·8 + 3) = 211 parameters.
        await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60000 });
        await page.locator('.statusbar-item', { hasText: '3 layers · 211 params' }).first().waitFor({ timeout: 30000 });
        if (process.env.OUT) await page.screenshot({ path: path.join(process.env.OUT, 'demo.png') });
      } finally {
        await ctx.close();
      }
    });
  }

  await check('Ctrl-C stops the demo and every process it started', async () => {
    for (const g of groupsUnder(demo.pid)) groups.add(g);
    try {
      process.kill(-demo.pid, 'SIGINT');
    } catch {
      // already gone: then the check below says what is left
    }
    await Promise.race([exited, sleep(30000)]);
    // The last processes may take a moment to be reaped after npm returns.
    let left = remaining(groups);
    for (let i = 0; i < 50 && left.length > 0; i++) {
      await sleep(200);
      left = remaining(groups);
    }
    if (left.length > 0) {
      for (const g of groups) {
        try {
          process.kill(-g, 'SIGKILL');
        } catch {
          // gone
        }
      }
      throw new Error(`still running after Ctrl-C:\n  ${left.join('\n  ')}`);
    }
    if (exitCode === undefined) throw new Error('npm run demo did not exit');
    if (folder && fs.existsSync(folder)) throw new Error(`the copy of the examples is still there: ${folder}`);
  });
  if (results.failed > 0) console.log('the demo\'s output:\n' + output.replace(/^/gm, '  | '));
}

main()
  .catch((e) => {
    console.error(e);
    results.failed++;
  })
  .finally(() => {
    if (process.env.RESULTS) fs.writeFileSync(process.env.RESULTS, JSON.stringify(results));
    process.exit(results.failed === 0 ? 0 : 1);
  });
