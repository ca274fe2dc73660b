/**
 * The checker is a total function: seeded random mutations of valid files (truncation, deleted
 * and inserted characters, swapped tokens, huge numbers, duplicated lines, stray unicode) never
 * make it throw, and every problem it returns points inside the text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../../src/core/check';
import { PROBLEM_CODES, type TextRange } from '../../src/core/problems';

const examplesDir = join(__dirname, '..', '..', 'examples');
const seeds: string[] = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.dnn.json'))
  .map((f) => readFileSync(join(examplesDir, f), 'utf8'));
seeds.push(
  `{"input": {"shape": [4, 4, 3]}, "layers": [{"type": "dense", "units": 8, "activation": "leaky-relu", "alpha": 0.2, "batchNorm": true},
  {"units": 3, "activation": "softmax", "shapes": {"W": [3, 8], "b": [3, 1], "Z": [3, "m"], "dW": [3, 8], "dA": [3, "m"]}}],
  "loss": "categorical-cross-entropy", "data": {"train": "a.csv", "dev": "b.csv", "label": "c", "standardize": true},
  "training": {"optimizer": {"name": "adam", "beta1": 0.9}, "init": {"file": "p.json"}, "batchSize": 32, "keepProb": 0.5}}`,
);

/** mulberry32: a tiny seeded generator, so a failure reproduces from its case number. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRAY = ['{', '}', '[', ']', ',', ':', '"', '\\', '/', '*', '\n', '\r\n', ' ', '-', 'e', '0', 'm', 'NaN', '\u0000', '\uD800', '\uFEFF', 'é', '😀', 'true', 'null'];
const NUMBERS = ['1e400', '-1e400', '1e15', '0', '-1', '2.5', '1e-400', '4294967296', '-0', '999999999999999999999', '0.0000001'];
const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[{}[\],:]|true|false|null/g;

function mutate(text: string, next: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const at = Math.floor(next() * (text.length + 1));
  switch (Math.floor(next() * 8)) {
    case 0: // truncate
      return text.slice(0, at);
    case 1: // delete a few characters
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 4));
    case 2: // insert a stray character or word
      return text.slice(0, at) + pick(STRAY) + text.slice(at);
    case 3: {
      // swap two tokens
      const tokens = [...text.matchAll(TOKEN)];
      if (tokens.length < 2) return text;
      const [a, b] = [pick(tokens), pick(tokens)].sort((x, y) => x.index! - y.index!);
      if (a.index === b.index) return text;
      return text.slice(0, a.index) + b[0] + text.slice(a.index! + a[0].length, b.index) + a[0] + text.slice(b.index! + b[0].length);
    }
    case 4: {
      // replace a number with a hostile one
      const numbers = [...text.matchAll(/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g)];
      if (numbers.length === 0) return text;
      const n = pick(numbers);
      return text.slice(0, n.index) + pick(NUMBERS) + text.slice(n.index! + n[0].length);
    }
    case 5: {
      // duplicate a line (duplicate keys, repeated layers)
      const lines = text.split('\n');
      const i = Math.floor(next() * lines.length);
      lines.splice(i, 0, lines[i]);
      return lines.join('\n');
    }
    case 6: {
      // replace a token with a value of another type
      const tokens = [...text.matchAll(TOKEN)];
      if (tokens.length === 0) return text;
      const t = pick(tokens);
      return text.slice(0, t.index) + pick(['"x"', '[]', '{}', 'null', 'true', '[1, "m"]', '"m"']) + text.slice(t.index! + t[0].length);
    }
    default: // several mutations at once
      return mutate(mutate(text, next), next);
  }
}

function assertInside(text: string, r: TextRange, what: string): void {
  assert.ok(Number.isInteger(r.offset) && Number.isInteger(r.length), `${what}: non-integer range`);
  assert.ok(r.offset >= 0 && r.length >= 0 && r.offset + r.length <= text.length, `${what}: range ${JSON.stringify(r)} outside 0..${text.length}`);
}

/** DNN_FUZZ=long runs a hundred times as many cases (minutes); the default keeps `npm test` quick. */
const SCALE = process.env.DNN_FUZZ === 'long' ? 100 : 1;

test('3,000 seeded mutations: checkText never throws; every problem is positioned inside the text; no spec with errors', () => {
  const next = rng(20261123);
  let withErrors = 0;
  for (let i = 0; i < 3000 * SCALE; i++) {
    const text = mutate(seeds[i % seeds.length], next);
    const where = `case ${i}: ${JSON.stringify(text.slice(0, 80))}`;
    const result = checkText(text);
    assert.ok(Array.isArray(result.problems), where);
    for (const p of result.problems) {
      assert.ok(p.code in PROBLEM_CODES, `${where}: unknown code ${p.code}`);
      assert.ok(['error', 'warning', 'info'].includes(p.severity), where);
      assert.ok(p.message.length > 0 && !/\bNaN\b|Infinity|undefined|\[object /.test(p.message), `${where}: message ${p.message}`);
      assertInside(text, p.range, `${where} ${p.code}`);
      for (const f of p.fix ?? []) for (const e of f.edits) assertInside(text, e.range, `${where} fix`);
      for (const rel of p.related ?? []) assertInside(text, rel.range, `${where} related`);
    }
    const errors = result.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) {
      withErrors++;
      // A spec is the promise that the engine can run the file as written: never with an error.
      assert.equal(result.spec, undefined, `${where}: a spec despite ${errors[0].code}: ${errors[0].message}`);
    } else {
      // No error means a complete network: the engine can rely on spec and every layer's shapes.
      assert.ok(result.spec, `${where}: no errors but no spec`);
      assert.equal(result.shapes?.complete, true, where);
      // One entry per layer; a residual block adds one for itself and one for its shortcut.
      const entries = result.spec.layers.reduce((n, l) => n + (l.type === 'residual' ? l.layers.length + 1 + (l.shortcut ? 1 : 0) : 1), 0);
      assert.equal(result.shapes?.layers.length, entries, where);
    }
  }
  // The mutations must actually break files, or this test proves nothing.
  assert.ok(withErrors > 1000 * SCALE, `only ${withErrors} mutated files had errors`);
});

test('every fix of a mutated file applies cleanly and does not make the checker throw', () => {
  const next = rng(7);
  for (let i = 0; i < 500 * SCALE; i++) {
    const text = mutate(seeds[i % seeds.length], next);
    for (const p of checkText(text).problems) {
      for (const f of p.fix ?? []) {
        let fixed = text;
        for (const e of [...f.edits].sort((a, b) => b.range.offset - a.range.offset)) {
          fixed = fixed.slice(0, e.range.offset) + e.newText + fixed.slice(e.range.offset + e.range.length);
        }
        // The problem the fix addresses is gone (same code at the same place).
        const again = checkText(fixed).problems;
        assert.ok(
          !again.some((q) => q.code === p.code && q.range.offset === p.range.offset && q.message === p.message),
          `case ${i}: fix '${f.title}' left '${p.message}'`,
        );
      }
    }
  }
});
