/**
 * The editor checks a file again at every pause in typing, and the checker keeps each layer's
 * formulas from one check to the next. A file checked after an edit, or after another file with
 * layers of the same numbers, must show the formulas of its own sizes: every text below is worked
 * out by hand from n[l] = ⌊(n[l-1] + 2p − f)/s⌋ + 1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../src/core/check';

/** A residual block of two 3×3 "same" convs on an n_H × n_W × 4 input, then flatten and softmax. */
function block(h: number, w: number, first = 4, shortcut = ''): string {
  return `{
  "input": { "shape": [${h}, ${w}, 4] },
  "layers": [
    { "type": "residual", "layers": [
      { "type": "conv", "filters": ${first}, "size": 3, "padding": "same", "activation": "relu" },
      { "type": "conv", "filters": 4, "size": 3, "padding": "same", "activation": "relu" }
    ]${shortcut} },
    { "type": "flatten" },
    { "units": 2, "activation": "softmax" }
  ]
}`;
}

/** Every layer's derivation, by its l (s2 for a shortcut, r2 for the block ending at layer 2). */
function derivations(text: string): Record<string, string[]> {
  const r = checkText(text);
  assert.deepEqual(r.problems, []);
  const out: Record<string, string[]> = {};
  for (const s of r.shapes!.layers) out[`${s.shortcut ? 's' : s.type === 'residual' ? 'r' : ''}${s.l}`] = [...s.derivation];
  return out;
}

// "same" with f = 3 and s = 1 pads (3 − 1)/2 = 1 on each side, so n_H[l] = n_H[l-1].
const plain = {
  1: ['n_H[1] = ⌊(8 + 2·1 − 3)/1⌋ + 1 = 8', 'n_W[1] = ⌊(8 + 2·1 − 3)/1⌋ + 1 = 8', 'n_C[1] = 4 filters'],
  2: ['n_H[2] = ⌊(8 + 2·1 − 3)/1⌋ + 1 = 8', 'n_W[2] = ⌊(8 + 2·1 − 3)/1⌋ + 1 = 8', 'n_C[2] = 4 filters'],
  r2: ['A[2] = g[2](Z[2] + A[0])'],
  // n[3] = 8·8·4.
  3: ['n[3] = n_H[2]·n_W[2]·n_C[2] = 8·8·4 = 256'],
  4: [],
};

test('a file checked again after edits shows the formulas of its new sizes, then of its old ones', () => {
  assert.deepEqual(derivations(block(8, 8)), plain);
  // A 10 × 8 input: ⌊(10 + 2·1 − 3)/1⌋ + 1 = 10 rows, still 8 columns.
  assert.deepEqual(derivations(block(10, 8)), {
    ...plain,
    1: ['n_H[1] = ⌊(10 + 2·1 − 3)/1⌋ + 1 = 10', 'n_W[1] = ⌊(8 + 2·1 − 3)/1⌋ + 1 = 8', 'n_C[1] = 4 filters'],
    2: ['n_H[2] = ⌊(10 + 2·1 − 3)/1⌋ + 1 = 10', 'n_W[2] = ⌊(8 + 2·1 − 3)/1⌋ + 1 = 8', 'n_C[2] = 4 filters'],
    3: ['n[3] = n_H[2]·n_W[2]·n_C[2] = 10·8·4 = 320'],
  });
  // Six filters in the first conv: only its n_C changes.
  assert.deepEqual(derivations(block(8, 8, 6)), { ...plain, 1: [plain[1][0], plain[1][1], 'n_C[1] = 6 filters'] });
  assert.deepEqual(derivations(block(8, 8)), plain);
});

test('a shortcut and a block with one get their own formulas, not those of the layers with their numbers', () => {
  const shortcut = ', "shortcut": { "type": "conv", "filters": 4, "size": 1 }';
  assert.deepEqual(derivations(block(8, 8)), plain);
  // The 1×1 shortcut W_s[2] reads A[0]: ⌊(8 + 2·0 − 1)/1⌋ + 1 = 8.
  assert.deepEqual(derivations(block(8, 8, 4, shortcut)), {
    ...plain,
    s2: ['n_H_s[2] = ⌊(8 + 2·0 − 1)/1⌋ + 1 = 8', 'n_W_s[2] = ⌊(8 + 2·0 − 1)/1⌋ + 1 = 8', 'n_C_s[2] = 4 filters'],
    r2: ['A[2] = g[2](Z[2] + W_s[2] ∗ A[0] + b_s[2])'],
  });
  // A 3×3 "same" shortcut has layer 2's very numbers; only its symbols differ.
  const same = ', "shortcut": { "type": "conv", "filters": 4, "size": 3, "padding": "same" }';
  assert.deepEqual(derivations(block(8, 8, 4, same)), {
    ...plain,
    s2: ['n_H_s[2] = ⌊(8 + 2·1 − 3)/1⌋ + 1 = 8', 'n_W_s[2] = ⌊(8 + 2·1 − 3)/1⌋ + 1 = 8', 'n_C_s[2] = 4 filters'],
    r2: ['A[2] = g[2](Z[2] + W_s[2] ∗ A[0] + b_s[2])'],
  });
  assert.deepEqual(derivations(block(8, 8)), plain);
});

test('two results of the same file share a layer\'s formulas, frozen, so neither can change the other', () => {
  const a = checkText(block(8, 8)).shapes!.layers[0];
  const b = checkText(block(8, 8)).shapes!.layers[0];
  assert.deepEqual(b.derivation, plain[1]);
  assert.ok(Object.isFrozen(a.derivation));
  assert.throws(() => (a.derivation as string[]).push('x'), TypeError);
  assert.deepEqual(b.derivation, plain[1]);
});
