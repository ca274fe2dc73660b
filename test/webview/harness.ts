/**
 * Loads the built training page (dist/webview/main.js) in headless Debian chromium, inside the same
 * HTML and CSP the panel uses (src/extension/training/html.ts), with a stand-in for
 * acquireVsCodeApi that records what the page posts and keeps its setState state. The page's
 * debug channel is on (as in the editor tests), so it reports what it drew and exposes its charts
 * as `window.__dnn`; `debug: false` loads it as a production panel does.
 *
 * Themes: VS Code sets --vscode-* variables on <html> and a class on <body>; THEMES holds the
 * values of the themes we screenshot (a subset of Dark+, Light+ and Dark High Contrast).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { panelHtml } from '../../src/extension/training/html';
import { isPageDebugMessage, type PageDebugMessage, type RenderedReport } from '../../src/protocol';

export const REPO = path.resolve(__dirname, '../..');
export const OUT = path.join(REPO, 'test-output');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCRIPT = path.join(REPO, 'dist/webview/main.js');
const STYLE = path.join(REPO, 'dist/webview/main.css');

export const THEMES = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-editor-background': '#1e1e1e',
      '--vscode-errorForeground': '#f48771',
      '--vscode-focusBorder': '#007fd4',
      '--vscode-button-background': '#0e639c',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#1177bb',
      '--vscode-button-secondaryBackground': '#3a3d41',
      '--vscode-button-secondaryForeground': '#ffffff',
      '--vscode-input-background': '#3c3c3c',
      '--vscode-input-foreground': '#cccccc',
      '--vscode-dropdown-background': '#3c3c3c',
      '--vscode-dropdown-foreground': '#f0f0f0',
      '--vscode-dropdown-border': '#3c3c3c',
      '--vscode-textLink-foreground': '#3794ff',
      '--vscode-textBlockQuote-background': '#7f7f7f1a',
      '--vscode-charts-foreground': '#cccccc',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-yellow': '#cca700',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-purple': '#b180d7',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-foreground': '#616161',
      '--vscode-descriptionForeground': '#717171',
      '--vscode-editor-background': '#ffffff',
      '--vscode-errorForeground': '#a1260d',
      '--vscode-focusBorder': '#0090f1',
      '--vscode-button-background': '#007acc',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#0062a3',
      '--vscode-button-secondaryBackground': '#5f6a79',
      '--vscode-button-secondaryForeground': '#ffffff',
      '--vscode-input-background': '#ffffff',
      '--vscode-input-foreground': '#616161',
      '--vscode-input-border': '#cecece',
      '--vscode-dropdown-background': '#ffffff',
      '--vscode-dropdown-foreground': '#616161',
      '--vscode-dropdown-border': '#cecece',
      '--vscode-textLink-foreground': '#006ab1',
      '--vscode-textBlockQuote-background': '#7f7f7f1a',
      '--vscode-charts-foreground': '#616161',
      '--vscode-charts-red': '#e51400',
      '--vscode-charts-blue': '#1a85ff',
      '--vscode-charts-yellow': '#bf8803',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#388a34',
      '--vscode-charts-purple': '#652d90',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-foreground': '#ffffff',
      '--vscode-descriptionForeground': '#ffffffb3',
      '--vscode-editor-background': '#000000',
      '--vscode-contrastBorder': '#6fc3df',
      '--vscode-errorForeground': '#f48771',
      '--vscode-focusBorder': '#f38518',
      '--vscode-button-background': '#000000',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-border': '#6fc3df',
      '--vscode-button-secondaryBackground': '#000000',
      '--vscode-button-secondaryForeground': '#ffffff',
      '--vscode-input-background': '#000000',
      '--vscode-input-foreground': '#ffffff',
      '--vscode-input-border': '#6fc3df',
      '--vscode-dropdown-background': '#000000',
      '--vscode-dropdown-foreground': '#ffffff',
      '--vscode-dropdown-border': '#6fc3df',
      '--vscode-textLink-foreground': '#21a6ff',
      '--vscode-charts-foreground': '#ffffff',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-yellow': '#ffd700',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-purple': '#b180d7',
    },
  },
} as const;
export type ThemeName = keyof typeof THEMES;

export function haveChromium(): boolean {
  return existsSync(CHROMIUM);
}

export async function launch(): Promise<Browser> {
  if (!existsSync(SCRIPT) || !existsSync(STYLE)) {
    throw new Error(`${path.relative(REPO, SCRIPT)} is missing: run \`npm run build\` first`);
  }
  // playwright-core never downloads a browser; this is the system's chromium.
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Writes the harness page for a theme into test-output/ and returns its file URL. */
function harnessUrl(theme: ThemeName, debug: boolean): string {
  mkdirSync(OUT, { recursive: true });
  const t = THEMES[theme];
  let html = panelHtml({
    cspSource: 'file:',
    scriptUri: pathToFileURL(SCRIPT).href,
    styleUri: pathToFileURL(STYLE).href,
    nonce: 'dGVzdC1ub25jZS0xMjM0NTY=',
    debug,
  });
  const style = Object.entries(t.vars)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
  html = html.replace('<html lang="en">', `<html lang="en" style='${style}'>`);
  html = html.replace('<body>', `<body class="${t.bodyClass}">`);
  const file = path.join(OUT, `webview-harness-${theme}${debug ? '' : '-production'}.html`);
  writeFileSync(file, html);
  return pathToFileURL(file).href;
}

export interface Harness {
  page: Page;
  /** Messages the page posted, in order. */
  posted(): Promise<{ type: string; [k: string]: unknown }[]>;
  /** Sends a message to the page as the extension would. */
  send(message: unknown): Promise<void>;
  state(): Promise<unknown>;
  /** Problems the page reported: uncaught errors, console errors, CSP violations. */
  errors: string[];
  /**
   * Waits until the page-side expression is truthy. Polled from here with page.evaluate, because
   * Playwright's waitForFunction evaluates strings with eval, which the panel's CSP forbids.
   */
  waitFor(expression: string, timeoutMs?: number): Promise<void>;
  /** Resolves with the first posted message that satisfies `pred`. */
  waitForPosted(pred: (m: { type: string; [k: string]: unknown }) => boolean, timeoutMs?: number): Promise<{ type: string; [k: string]: unknown }>;
  /** Resolves with the first report of the debug channel (what the page drew) that satisfies `pred`. */
  waitForRendered(pred: (r: RenderedReport) => boolean, timeoutMs?: number): Promise<RenderedReport>;
}

export async function openPage(
  browser: Browser,
  opts: { theme?: ThemeName; state?: unknown; width?: number; height?: number; debug?: boolean } = {},
): Promise<Harness> {
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1100, height: opts.height ?? 720 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  // A string, not a function: tsx compiles functions with a `__name` helper that the page lacks.
  await page.addInitScript(`(() => {
    const w = window;
    w.__posted = [];
    w.__state = ${JSON.stringify(opts.state ?? null)};
    let acquired = false;
    w.acquireVsCodeApi = () => {
      // VS Code allows one call per page load; a second one throws there, so it must here too.
      if (acquired) throw new Error('acquireVsCodeApi called twice');
      acquired = true;
      return {
        postMessage: (m) => w.__posted.push(JSON.parse(JSON.stringify(m))),
        getState: () => w.__state,
        setState: (s) => { w.__state = JSON.parse(JSON.stringify(s)); },
      };
    };
  })();`);
  await page.goto(harnessUrl(opts.theme ?? 'dark', opts.debug ?? true));
  // Page-side code as strings: the tests' tsconfig has no DOM types (nor should it).
  const posted = () => page.evaluate('window.__posted') as Promise<{ type: string; [k: string]: unknown }[]>;
  async function waitForPosted(pred: (m: { type: string; [k: string]: unknown }) => boolean, timeoutMs = 5000) {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const found = (await posted()).find(pred);
      if (found) return found;
      if (Date.now() > end) throw new Error(`no matching message within ${timeoutMs} ms; posted: ${JSON.stringify((await posted()).map((m) => m.type))}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  return {
    page,
    errors,
    posted,
    // Webview messages are JSON-serialised by VS Code: do the same so NaN becomes null here too.
    send: async (m) => {
      await page.evaluate(`window.postMessage(JSON.parse(${JSON.stringify(JSON.stringify(m))}), '*')`);
    },
    state: () => page.evaluate('window.__state'),
    async waitFor(expression, timeoutMs = 5000) {
      const end = Date.now() + timeoutMs;
      while (!(await page.evaluate(expression))) {
        if (Date.now() > end) throw new Error(`still false after ${timeoutMs} ms: ${expression}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    waitForPosted,
    async waitForRendered(pred, timeoutMs) {
      const m = await waitForPosted((m) => isPageDebugMessage(m) && pred(m.rendered), timeoutMs);
      return (m as unknown as PageDebugMessage).rendered;
    },
  };
}
