// Drives the VS Code workbench (served by code-server's VS Code server) in headless Debian chromium.
//   node run-in-vscode.js suite   run the mocha suite (extensionTestsPath) in the Node extension host
//   node run-in-vscode.js ui      with the installed .vsix: a squiggle and a Problems entry, screenshots
// Env: HOST, WS (workspace folder on the server), PROFILE, RESULTS (json {passed, failed} written here),
//      suite: EXT, TESTS; ui: OUT (screenshot folder), DATA (user data dir, to switch themes).
'use strict';
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');
const util = require('util');

const mode = process.argv[2] || 'suite';
const HOST = process.env.HOST || '127.0.0.1:8765';
const WS = process.env.WS;
const PROFILE = process.env.PROFILE || require('os').tmpdir() + '/chrome-profile';
const TIMEOUT = +(process.env.TIMEOUT_MS || 240000);
const t0 = Date.now();
const results = { passed: 0, failed: 0 };

function writeResults() {
  if (process.env.RESULTS) fs.writeFileSync(process.env.RESULTS, JSON.stringify(results));
}

async function launch() {
  const ctx = await chromium.launchPersistentContext(PROFILE + '-' + mode + '-' + Date.now(), {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = ctx.pages()[0] || (await ctx.newPage());
  return { ctx, page };
}

/** The extension host's console reaches the page prefixed with "[Extension Host]". */
function forwardHostLog(page, onLine) {
  page.on('console', (m) => {
    const text = m.text();
    if (!text.includes('[Extension Host]')) return;
    const line = text.replace(/%c/g, '').replace(/color: [a-z]+/g, '').replace('[Extension Host]', '').trim();
    onLine(line);
  });
}

async function runSuite() {
  const EXT = process.env.EXT;
  const TESTS = process.env.TESTS;
  const { ctx, page } = await launch();
  let done;
  const exited = new Promise((r) => (done = r));
  // test/suite/index.ts prints one line with mocha's counts; the rest is the spec reporter's output.
  let counted = false;
  const onLine = (line) => {
    const m = /DNN-E2E-RESULT (\{.*\})/.exec(line);
    if (m) {
      Object.assign(results, JSON.parse(m[1]));
      counted = true;
    } else console.log(line);
  };
  // In test mode the extension host's console comes through codeAutomationLog.
  await page.exposeFunction('codeAutomationLog', (_type, args) => onLine(util.format(...args)));
  await page.exposeFunction('codeAutomationExit', (code) => done(code));
  forwardHostLog(page, onLine);
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', `vscode-remote://${HOST}${EXT}`],
    ['extensionTestsPath', `vscode-remote://${HOST}${TESTS}`],
    ['skipWelcome', 'true'],
  ]);
  await page.goto(`http://${HOST}/?folder=${encodeURIComponent(WS)}&payload=${encodeURIComponent(payload)}`);
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('TIMEOUT'), TIMEOUT))]);
  console.log('exit code from workbench:', code, 'after', (Date.now() - t0) / 1000, 's');
  if (!counted) results.failed = Math.max(results.failed, 1);
  if (code !== 0 && results.failed === 0) results.failed = 1;
  if (process.env.SHOT) await page.screenshot({ path: process.env.SHOT }).catch(() => {});
  await ctx.close();
  writeResults();
  return code === 0 && results.failed === 0 ? 0 : 1;
}

/** One UI check: counts as a test in the closing line. */
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

function setTheme(theme) {
  const file = path.join(process.env.DATA, 'User', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(file, 'utf8'));
  settings['workbench.colorTheme'] = theme;
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
}

async function runUi() {
  const OUT = process.env.OUT;
  setTheme('Default Dark Modern');
  const { ctx, page } = await launch();
  forwardHostLog(page, (line) => console.log(line));
  console.log('UI check (extension installed from the .vsix)');
  await page.goto(`http://${HOST}/?folder=${encodeURIComponent(WS)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await check('the installed .vsix activates on a .dnn.json and shows a squiggle', async () => {
    // Quick Open the fixture with a shape error.
    await page.locator('.monaco-workbench .part.editor').click({ timeout: 30000 }).catch(() => {});
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').waitFor({ timeout: 30000 });
    await page.keyboard.type('shape-errors.dnn.json');
    await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 30000 });
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60000 });
  });
  await check('the Problems panel lists the problem with source dnn', async () => {
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'W[2]' }).first();
    await row.waitFor({ timeout: 30000 });
    const text = await page.locator('.markers-panel').innerText();
    if (!/dnn/.test(text)) throw new Error('no "dnn" source in the Problems panel: ' + text.slice(0, 300));
  });
  await check('screenshots in dark and light themes', async () => {
    await page.mouse.move(5, 5);
    await page.screenshot({ path: path.join(OUT, 'editor-dark.png') });
    setTheme('Default Light Modern');
    await page.locator('.monaco-workbench.vs').waitFor({ timeout: 30000 });
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30000 });
    await page.screenshot({ path: path.join(OUT, 'editor-light.png') });
  });
  await check('hover on a layer shows its shapes', async () => {
    // Hover the "units" value of the first layer: the layer's table.
    const token = page.locator('.monaco-editor .view-line span', { hasText: '"tanh"' }).first();
    await token.hover({ timeout: 30000 });
    const hover = page.locator('.monaco-hover-content', { hasText: 'Z[1] = W[1]·A[0] + b[1]' }).first();
    await hover.waitFor({ timeout: 30000 });
    await page.screenshot({ path: path.join(OUT, 'editor-hover.png') });
  });
  await ctx.close();
  writeResults();
  return results.failed === 0 ? 0 : 1;
}

(mode === 'ui' ? runUi() : runSuite()).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    results.failed++;
    writeResults();
    process.exit(1);
  },
);
