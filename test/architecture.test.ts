/**
 * The architecture's invariants (ARCHITECTURE.md), enforced: a lint rule written as a test so it
 * runs everywhere the unit tests run, with no extra tool.
 *   - src/core imports no 'vscode', no Node built-in module and uses no DOM globals;
 *   - src/cli and webview/ import no 'vscode';
 *   - webview/ imports no Node built-in module (it runs in a browser).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'node_modules' && name !== 'generated') out.push(...tsFiles(p));
    } else if (/\.ts$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Every module specifier a file imports: static, dynamic, re-exports and require(). */
function imports(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;
  for (let m = re.exec(code); m; m = re.exec(code)) found.push(m[1]);
  return found;
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function violations(dir: string, forbidden: (spec: string) => boolean): string[] {
  return tsFiles(join(ROOT, dir)).flatMap((f) =>
    imports(readFileSync(f, 'utf8'))
      .filter(forbidden)
      .map((spec) => `${relative(ROOT, f)} imports '${spec}'`),
  );
}

test('src/core imports neither vscode nor Node built-in modules', () => {
  assert.deepEqual(violations('src/core', (s) => s === 'vscode' || NODE_BUILTINS.has(s)), []);
});

test('src/core uses no DOM globals', () => {
  const dom = /\b(document|window|HTMLElement|navigator|localStorage)\s*[.(]/;
  const hits = tsFiles(join(ROOT, 'src/core')).filter((f) =>
    dom.test(readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')),
  );
  assert.deepEqual(hits.map((f) => relative(ROOT, f)), []);
});

test('the CLI does not import vscode', () => {
  assert.deepEqual(violations('src/cli', (s) => s === 'vscode'), []);
});

test('the webview imports neither vscode nor Node built-in modules', () => {
  assert.deepEqual(violations('webview', (s) => s === 'vscode' || NODE_BUILTINS.has(s)), []);
});

test('the rule itself sees the import forms it must catch', () => {
  const sample = `import * as vscode from 'vscode';\nimport fs = require("fs");\nconst p = await import('node:path');\nexport { x } from './core/y';`;
  assert.deepEqual(imports(sample), ['vscode', 'fs', 'node:path', './core/y']);
});
