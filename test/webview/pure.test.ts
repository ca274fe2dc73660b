/**
 * The page's model stays runnable under Node: the modules the Node tests import use no DOM and no
 * chart.js, and import only the protocol and each other. (They are also type-checked without the
 * DOM library, through these tests; this says which rule a failure breaks.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const WEBVIEW = join(__dirname, '../../webview');
const PURE = ['state.ts', 'saved.ts', 'curves.ts', 'format.ts', 'overrides.ts', 'decimate.ts'];
const ALLOWED = new Set(['../src/protocol', ...PURE.map((f) => `./${f.replace(/\.ts$/, '')}`)]);

function code(file: string): string {
  return readFileSync(join(WEBVIEW, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

test('the state, saved-state, curves and formatting modules import only the protocol and each other', () => {
  const bad = PURE.flatMap((f) =>
    [...code(f).matchAll(/\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]/g)]
      .map((m) => m[1] ?? m[2])
      .filter((spec) => !ALLOWED.has(spec))
      .map((spec) => `${f} imports '${spec}'`),
  );
  assert.deepEqual(bad, []);
});

test('the state, saved-state, curves and formatting modules use no DOM globals', () => {
  const dom = /\b(document|window|HTMLElement|getComputedStyle|requestAnimationFrame|acquireVsCodeApi)\b/;
  assert.deepEqual(PURE.filter((f) => dom.test(code(f))), []);
});
