// Drives the VS Code workbench (served by code-server's VS Code server) in headless Debian chromium.
//   node run-in-vscode.js suite   run the mocha suite (extensionTestsPath) in the Node extension host
//   node run-in-vscode.js ui      with the installed .vsix: a squiggle and a Problems entry, screenshots
//   node run-in-vscode.js restricted   the same extension in an untrusted workspace
//   node run-in-vscode.js install   a workbench with no extension installed: install the .vsix through
//                                   the workbench's own UI and see the walkthrough open
// Env: HOST, WS (workspace folder on the server), PROFILE, RESULTS (json {passed, failed} written here),
//      suite: EXT, TESTS; ui, restricted, install: OUT (screenshot folder); install: VSIX (its path on the server, alone in its folder),
//      EXTS (the server's extensions folder).
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
    if (currentPage && process.env.OUT) {
      const file = path.join(process.env.OUT, `failed-${name.replace(/\W+/g, '-')}.png`);
      await currentPage.screenshot({ path: file }).catch(() => {});
      console.log(`    screenshot: ${file}`);
    }
  }
}

/** Switch the colour theme through its picker (Ctrl+K Ctrl+T), as a user would. */
async function pickTheme(page, theme, cls) {
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+T');
  await page.locator('.quick-input-widget input').waitFor({ timeout: 30000 });
  await page.keyboard.type(theme);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: theme }).first().waitFor({ timeout: 30000 });
  await page.keyboard.press('Enter');
  await page.locator(`.monaco-workbench.${cls}`).waitFor({ timeout: 30000 });
}

let currentPage;

/** The command palette's rows for `text`, once one holding `expected` shows; the palette is closed again. */
async function paletteRows(page, text, expected) {
  await page.keyboard.press('Control+Shift+P');
  await page.locator('.quick-input-widget input').waitFor({ timeout: 30000 });
  await page.keyboard.type(text);
  const rows = page.locator('.quick-input-list .monaco-list-row');
  await rows.filter({ hasText: expected }).first().waitFor({ timeout: 30000 });
  const texts = await rows.allInnerTexts();
  await page.keyboard.press('Escape');
  return texts;
}

/** Quick Open (Ctrl+P) a workspace file as a user would, then wait for its first error squiggle. */
async function openWithSquiggle(page, file) {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor({ timeout: 30000 });
  await page.keyboard.type(file);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: file.replace(/\.dnn\.json$/, '') }).first().waitFor({ timeout: 30000 });
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60000 });
}

async function runUi() {
  const OUT = process.env.OUT;
  const { ctx, page } = await launch();
  currentPage = page;
  forwardHostLog(page, (line) => console.log(line));
  console.log('UI check (extension installed from the .vsix)');
  await page.goto(`http://${HOST}/?folder=${encodeURIComponent(WS)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await check('the installed .vsix activates on a .dnn.json and shows a squiggle', async () => {
    await openWithSquiggle(page, 'shape-errors.dnn.json');
  });
  await check('the Problems panel lists the problem with source dnn', async () => {
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'W[2] must be (n[2], n[1]) = (1, 4)' }).first();
    await row.waitFor({ timeout: 30000 });
    const text = await row.innerText();
    if (!/dnn\W*shape-transposed/.test(text)) throw new Error('no "dnn(shape-transposed)" in the Problems entry: ' + text);
  });
  await check('the status bar shows layers, parameters and the shape status', async () => {
    // 2 → 4 → 1: 12 + 5 = 17 parameters; two shape errors.
    const item = page.locator('.statusbar-item', { hasText: '2 layers · 17 params' }).first();
    await item.waitFor({ timeout: 30000 });
  });
  await check('inlay hints and CodeLens are drawn', async () => {
    await page.locator('.monaco-editor', { hasText: 'W (1, 4) · b (1, 1) → A (1, m)' }).first().waitFor({ timeout: 30000 });
    // The Problems panel has the focus; CodeLens shows once the user is back in the editor.
    await page.locator('.monaco-editor .view-lines').first().click({ position: { x: 600, y: 150 } });
    await page.locator('.monaco-editor .codelens-decoration', { hasText: '12 parameters' }).first().waitFor({ timeout: 30000 });
    await page.mouse.move(700, 700);
    await page.screenshot({ path: path.join(OUT, 'editor-dark.png') });
  });
  await check('the editor title offers Train and Show Shapes (trusted workspace)', async () => {
    const actions = page.locator('.editor-actions');
    await actions.locator('[aria-label*="Show Shapes"]').first().waitFor({ timeout: 30000 });
    await actions.locator('[aria-label="Train"]').first().waitFor({ timeout: 30000 });
  });
  await check('the palette offers Train for "train", and no Stop Training while nothing runs', async () => {
    const rows = await paletteRows(page, 'train', 'DNN: Train');
    if (!rows.some((t) => /DNN: Train(?!ing)/.test(t))) throw new Error('no DNN: Train in ' + JSON.stringify(rows));
    if (rows.some((t) => t.includes('Stop Training'))) throw new Error('Stop Training is offered with nothing running: ' + JSON.stringify(rows));
  });
  await check('hover on a layer shows its shapes', async () => {
    const token = page.locator('.monaco-editor .view-line span', { hasText: '"tanh"' }).first();
    await token.hover({ timeout: 30000 });
    const hover = page.locator('.monaco-hover-content', { hasText: 'Z[1] = W[1]·A[0] + b[1]' }).first();
    await hover.waitFor({ timeout: 30000 });
    // The hover fades in: take the picture once it is opaque.
    await page.waitForFunction(() => {
      const h = document.querySelector('.monaco-hover');
      return h && getComputedStyle(h).opacity === '1';
    }, undefined, { timeout: 10000 });
    await page.screenshot({ path: path.join(OUT, 'editor-hover-dark.png') });
  });
  await check('the quick fix for the transposed W is offered at the squiggle', async () => {
    await page.keyboard.press('Escape');
    await page.mouse.move(700, 700);
    // Line 7 is `      "shapes": { "W": [4, 1], ...`: column 26 is inside [4, 1].
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').waitFor({ timeout: 30000 });
    await page.keyboard.type('7:26');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+.');
    await page.locator('.action-widget', { hasText: 'Change W[2] to (1, 4)' }).first().waitFor({ timeout: 30000 });
    await page.screenshot({ path: path.join(OUT, 'editor-quickfix-dark.png') });
    await page.keyboard.press('Escape');
  });
  await check('light theme: squiggle and hints still visible', async () => {
    await page.mouse.move(700, 700);
    await pickTheme(page, 'Light Modern', 'vs');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30000 });
    await page.screenshot({ path: path.join(OUT, 'editor-light.png') });
  });
  await check('a conv network: volume hints, and a hover with the size formula filled in', async () => {
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').waitFor({ timeout: 30000 });
    await page.keyboard.type('conv.dnn.json');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'conv' }).first().waitFor({ timeout: 30000 });
    await page.keyboard.press('Enter');
    // conv 5×5 on 32×32×3: ⌊(32 − 5)/1⌋ + 1 = 28.
    await page.locator('.monaco-editor', { hasText: '→ 28×28×6' }).first().waitFor({ timeout: 30000 });
    // The cursor on the first layer's size (line 7, column 45), then Show Hover (Ctrl+K Ctrl+I):
    // a mouse position would land on a key of this long line, whose hover the JSON server owns.
    // Only to focus the editor: it may still be scrolling into place, so do not wait for it to settle.
    await page.locator('.monaco-editor .view-lines').first().click({ position: { x: 10, y: 10 }, force: true });
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').waitFor({ timeout: 30000 });
    await page.keyboard.type('7:45');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    await page.locator('.monaco-hover-content', { hasText: 'n_H[1] = ⌊(32 + 2·0 − 5)/1⌋ + 1 = 28' }).first().waitFor({ timeout: 30000 });
    await page.waitForFunction(() => {
      const h = document.querySelector('.monaco-hover');
      return h && getComputedStyle(h).opacity === '1';
    }, undefined, { timeout: 10000 });
    await page.screenshot({ path: path.join(OUT, 'editor-conv-hover.png') });
  });
  await check('a conv network trains: Train in the editor title and the palette', async () => {
    await page.keyboard.press('Escape');
    const actions = page.locator('.editor-actions');
    await actions.locator('[aria-label*="Show Shapes"]').first().waitFor({ timeout: 30000 });
    await actions.locator('[aria-label="Train"]').first().waitFor({ timeout: 30000 });
    const rows = await paletteRows(page, 'DNN:', 'Show Shapes');
    for (const command of ['DNN: Train', 'DNN: Predict', 'DNN: Gradient Check']) {
      if (!rows.some((t) => t.includes(command))) throw new Error(`the palette does not offer ${command} on a conv file: ` + JSON.stringify(rows));
    }
    await page.keyboard.press('Escape');
  });
  await check('Show Network draws the conv network beside it, in light, dark and high-contrast themes', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').waitFor({ timeout: 30000 });
    await page.keyboard.type('DNN: Show Network');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Network' }).first().waitFor({ timeout: 30000 });
    await page.keyboard.press('Enter');
    const view = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    // conv 5×5 on 32×32×3 to 6 filters: A[1] (m, 28, 28, 6), (5·5·3 + 1)·6 = 456 parameters.
    await view.locator('text=A[1] (m, 28, 28, 6)').first().waitFor({ timeout: 30000 });
    await view.locator('text=456 params').first().waitFor({ timeout: 30000 });
    await page.mouse.move(5, 5);
    await page.screenshot({ path: path.join(OUT, 'network-light.png') });
    for (const [theme, cls, file] of [['Dark Modern', 'vs-dark', 'network-dark.png'], ['Dark High Contrast', 'hc-black', 'network-hc.png']]) {
      await pickTheme(page, theme, cls);
      await view.locator('text=456 params').first().waitFor({ timeout: 30000 });
      await page.screenshot({ path: path.join(OUT, file) });
    }
  });
  await check('Train on planar draws its cost in the training panel, to the end', async () => {
    await pickTheme(page, 'Dark Modern', 'vs-dark');
    // One webview on screen: the panel's, so its frame is the only one.
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+W');
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').waitFor({ timeout: 30000 });
    await page.keyboard.type('planar.dnn.json');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'planar' }).first().waitFor({ timeout: 30000 });
    await page.keyboard.press('Enter');
    await page.locator('.editor-actions [aria-label="Train"]').first().click({ timeout: 30000 });
    const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    // The fixture's 10,000 iterations of the course's week 3 network.
    await panel.locator('text=/Done: 10,000 iterations/').first().waitFor({ timeout: 120000 });
    await page.mouse.move(5, 5);
    await page.screenshot({ path: path.join(OUT, 'training-panel-dark.png') });
  });
  await check('while a training runs the palette offers Stop Training, which stops it and leaves the palette again', async () => {
    // Planar for long enough to stop it by hand (a few thousand iterations a second).
    fs.writeFileSync(
      path.join(WS, 'long-run.dnn.json'),
      '{ "input": 2, "layers": [{ "units": 4, "activation": "tanh" }, { "units": 1, "activation": "sigmoid" }],\n' +
        '  "data": { "builtin": "planar" }, "training": { "iterations": 100000000, "learningRate": 1.2, "seed": 2 } }\n',
    );
    // Opened from the Explorer, which the file watcher updates: Quick Open may answer from the file
    // list it cached before the file existed ("No matching results" in one CI run).
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'long-run.dnn.json' }).first().click({ timeout: 30000 });
    await page.locator('.tabs-container .tab', { hasText: 'long-run.dnn.json' }).first().waitFor({ timeout: 30000 });
    await page.locator('.editor-actions [aria-label="Train"]').first().click({ timeout: 30000 });
    // The palette lists what its `when` clauses allow as it opens: open it again until the run has begun.
    for (let attempt = 1; ; attempt++) {
      const rows = await paletteRows(page, 'train', 'DNN: Train');
      if (rows.some((t) => t.includes('Stop Training'))) break;
      if (attempt === 20) throw new Error('no Stop Training while a training runs: ' + JSON.stringify(rows));
      await page.waitForTimeout(1000);
    }
    await page.keyboard.press('Control+Shift+P');
    await page.locator('.quick-input-widget input').waitFor({ timeout: 30000 });
    await page.keyboard.type('DNN: Stop Training');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Stop Training' }).first().waitFor({ timeout: 30000 });
    await page.keyboard.press('Enter');
    // The run ends once its worker has finished the iteration under way and saved.
    for (let attempt = 1; ; attempt++) {
      const rows = await paletteRows(page, 'train', 'DNN: Train');
      if (!rows.some((t) => t.includes('Stop Training'))) break;
      if (attempt === 10) throw new Error('Stop Training is still offered after the run was stopped: ' + JSON.stringify(rows));
      await page.waitForTimeout(1000);
    }
  });
  await ctx.close();
  writeResults();
  return results.failed === 0 ? 0 : 1;
}

/** Restricted mode (an untrusted workspace): checking still works; Train is not offered, a lens says why. */
async function runRestricted() {
  const { ctx, page } = await launch();
  currentPage = page;
  console.log('UI check in restricted mode (workspace not trusted)');
  await page.goto(`http://${HOST}/?folder=${encodeURIComponent(WS)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await check('the workspace opens in restricted mode', async () => {
    // The web workbench opens a folder it has never trusted in Restricted Mode without asking.
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30000 });
  });
  await check('restricted mode: a .dnn.json still gets its squiggles', async () => {
    await openWithSquiggle(page, 'shape-errors.dnn.json');
  });
  await check('restricted mode: hovering a key shows its description once', async () => {
    // Keys are documented by VS Code's JSON language server, which runs in an untrusted workspace too.
    // Where the key is on screen now: CodeLens lines may still appear above it and move it, so
    // the position is taken again for each try.
    const unitsKey = () =>
      page.evaluate(() => {
        for (const el of document.querySelectorAll('.monaco-editor .view-line span span')) {
          const text = el.firstChild;
          const i = text && text.textContent ? text.textContent.indexOf('"units"') : -1;
          if (i < 0) continue;
          const r = document.createRange();
          r.setStart(text, i + 2);
          r.setEnd(text, i + 3);
          const b = r.getBoundingClientRect();
          return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
        }
        return undefined;
      });
    const hover = page.locator('.monaco-hover', { hasText: 'the number of units' }).first();
    for (let attempt = 1; ; attempt++) {
      const at = await unitsKey();
      if (!at) throw new Error('no "units" key on screen');
      await page.mouse.move(5, 5);
      await page.mouse.move(at.x, at.y);
      try {
        await hover.waitFor({ timeout: 10000 });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
    const shown = (await page.locator('.monaco-hover').allInnerTexts()).join('\n');
    if (shown.split('n[l], the number of units').length !== 2) throw new Error('the description is not shown once: ' + shown);
    await page.screenshot({ path: path.join(process.env.OUT, 'hover-restricted.png') });
    await page.mouse.move(5, 5);
  });
  await check('restricted mode: no Train button in the editor title, Show Shapes is there', async () => {
    const actions = page.locator('.editor-actions');
    await actions.locator('[aria-label*="Show Shapes"]').first().waitFor({ timeout: 30000 });
    const train = await actions.locator('[aria-label="Train"]').count();
    if (train !== 0) throw new Error('a Train action is offered in an untrusted workspace');
    // CodeLens: Shapes and the parameter counts, no Train.
    await page.locator('.monaco-editor .view-lines').first().click({ position: { x: 600, y: 150 } });
    await page.locator('.monaco-editor .codelens-decoration', { hasText: '12 parameters' }).first().waitFor({ timeout: 30000 });
    const lensText = await page.locator('.monaco-editor .codelens-decoration').allInnerTexts();
    if (!lensText.some((t) => t.includes('Shapes')) || lensText.some((t) => t.includes('▶ Train') || t.includes('Gradient check'))) {
      throw new Error('restricted-mode lenses: ' + JSON.stringify(lensText));
    }
    await page.screenshot({ path: path.join(process.env.OUT, 'editor-restricted.png') });
  });
  await check('restricted mode: a lens says training needs trust, and opens Manage Workspace Trust', async () => {
    const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Training needs a trusted workspace' }).first();
    await lens.waitFor({ timeout: 30000 });
    await lens.click();
    await page.locator('.tabs-container .tab', { hasText: 'Workspace Trust' }).first().waitFor({ timeout: 30000 });
    await page.screenshot({ path: path.join(process.env.OUT, 'restricted-trust.png') });
  });
  await check('trusting the folder there brings back ▶ Train, in the lens and the editor title', async () => {
    await page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first().click({ timeout: 30000 });
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'detached', timeout: 30000 });
    await page.locator('.tabs-container .tab', { hasText: 'shape-errors.dnn.json' }).first().click();
    await page.locator('.monaco-editor .codelens-decoration', { hasText: '▶ Train' }).first().waitFor({ timeout: 30000 });
    await page.locator('.editor-actions [aria-label="Train"]').first().waitFor({ timeout: 30000 });
  });
  await ctx.close();
  writeResults();
  return results.failed === 0 ? 0 : 1;
}

/**
 * A first install as a user makes it: the workbench starts with empty user data and no extension,
 * the .vsix is installed through "Extensions: Install from VSIX..." and the file dialog, and VS Code
 * opens the extension's walkthrough by itself.
 *
 * How VS Code decides (its walkthroughs service, the same code in the desktop and web workbench):
 * the service notes each extension installed in this window, and when such an extension's
 * walkthroughs register it runs "workbench.action.openWalkthrough" for the first one, if
 * workbench.welcomePage.walkthroughs.openOnInstall is on (the default). Two things can keep it
 * from opening, so the check sets the scene a new user has:
 * - the service is created only when something needs it (the Welcome page, "Welcome: Open
 *   Walkthrough..."); with "workbench.startupEditor": "none" nothing has, it hears of no install
 *   and opens nothing. A new user has the default, and the Welcome page opens on first start.
 * - openWalkthrough does nothing while the active Welcome page is inside another walkthrough with
 *   a step selected, as it may be on first start (VS Code's own "Setup" walkthrough). The check
 *   closes the Welcome page before installing, as a user does who goes on to install something.
 */
async function runInstall() {
  const VSIX = process.env.VSIX;
  const OUT = process.env.OUT;
  const { ctx, page } = await launch();
  currentPage = page;
  console.log('first install through the workbench (no extension installed)');
  await page.goto(`http://${HOST}/?folder=${encodeURIComponent(WS)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  // The Welcome editor's tab is titled "Walkthrough: <extension's display name>".
  const walkthroughTab = page.locator('.tabs-container .tab', { hasText: 'Walkthrough: DNN Designer' });
  await check('the Welcome page opens on first start, and no extension is installed', async () => {
    const welcome = page.locator('.tabs-container .tab .label-name', { hasText: /^(Welcome|Walkthrough: .*)$/ });
    await welcome.first().waitFor({ timeout: 60000 });
    if (await walkthroughTab.count()) throw new Error('our walkthrough is open before the install');
    const installed = fs.readdirSync(process.env.EXTS).filter((name) => name.startsWith('dnn-designer.'));
    if (installed.length) throw new Error('DNN Designer is installed already: ' + installed.join(', '));
    // Close it (View: Close All Editors, Ctrl+K Ctrl+W), as a user does before going on.
    await page.locator('.monaco-workbench .part.editor').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+W');
    await welcome.first().waitFor({ state: 'detached', timeout: 30000 });
  });
  await check('Extensions: Install from VSIX... with the path typed in the file dialog installs it', async () => {
    // The command is offered once the workbench has connected to the server's extension management.
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Control+Shift+P');
      await page.locator('.quick-input-widget input').waitFor({ timeout: 30000 });
      await page.keyboard.type('Extensions: Install from VSIX');
      try {
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Install from VSIX' }).first().waitFor({ timeout: 10000 });
        break;
      } catch (e) {
        await page.keyboard.press('Escape');
        if (attempt === 6) throw e;
      }
    }
    await page.keyboard.press('Enter');
    // The web workbench's own file dialog: a quick input that lists a folder on the server and
    // takes a typed path. Type once it has listed its first folder, or the listing overwrites it.
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Install from VSIX' }).waitFor({ timeout: 30000 });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: '..' }).first().waitFor({ timeout: 30000 });
    const input = page.locator('.quick-input-widget input');
    await input.fill(VSIX);
    // The dialog moves to the typed path's folder (the .vsix alone in a folder of its own) and
    // selects the file; Enter then takes it.
    await page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(VSIX) }).first().waitFor({ timeout: 30000 });
    await page.keyboard.press('Enter');
    // VS Code says "Completed installing extension." or why it could not; either ends the wait.
    const said = page.locator('.notification-list-item', { hasText: /Completed installing|[Ee]rror|[Uu]nable|[Cc]annot|[Ff]ailed/ }).first();
    await said.waitFor({ timeout: 60000 });
    const text = await said.innerText();
    if (!/Completed installing/.test(text)) throw new Error('VS Code did not install it: ' + text);
    const installed = fs.readdirSync(process.env.EXTS).filter((name) => name.startsWith('dnn-designer.'));
    if (installed.length !== 1) throw new Error('the extensions folder holds ' + JSON.stringify(fs.readdirSync(process.env.EXTS)));
  });
  await check('the walkthrough "Get Started with DNN Designer" opens by itself, with its six steps', async () => {
    await walkthroughTab.first().waitFor({ timeout: 60000 });
    const slide = page.locator('.gettingStartedSlideDetails');
    await slide.locator('h2.category-title', { hasText: 'Get Started with DNN Designer' }).first().waitFor({ timeout: 30000 });
    const steps = slide.locator('button.getting-started-step h3.step-title');
    for (const title of ['Create a network from a template', 'See the shapes', 'Fix a mistake with a quick fix',
      'Train and watch the cost', 'Predict', 'See the network picture']) {
      await steps.filter({ hasText: title }).first().waitFor({ state: 'attached', timeout: 30000 });
    }
    const count = await steps.count();
    if (count !== 6) throw new Error(`the walkthrough shows ${count} steps, not 6: ` + JSON.stringify(await steps.allInnerTexts()));
    // The first step is open, with its button.
    await slide.locator('.getting-started-step.expanded a.button-link, .getting-started-step.expanded .monaco-button', { hasText: 'Create planar.dnn.json' }).first().waitFor({ timeout: 30000 });
    await page.mouse.move(5, 5);
    await page.screenshot({ path: path.join(OUT, 'walkthrough-first-install-light.png') });
  });
  await ctx.close();
  writeResults();
  return results.failed === 0 ? 0 : 1;
}

const modes = { suite: runSuite, ui: runUi, restricted: runRestricted, install: runInstall };
(modes[mode] || runSuite)().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    results.failed++;
    writeResults();
    process.exit(1);
  },
);
