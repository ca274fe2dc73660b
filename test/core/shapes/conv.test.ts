/**
 * Convolutional networks (course 4): the size formula n[l] = ⌊(n[l-1] + 2p − f)/s⌋ + 1 for every
 * padding mode, strides that do and do not divide, rectangular windows, parameter counts
 * (f·f·n_C[l-1] + 1)·n_C[l], multiply-adds n_H·n_W·n_C·f·f·n_C[l-1], residual blocks, and each
 * problem a window or a block can have. Every number is worked out by hand in the comments.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../../../src/core/check';
import { layerKind } from '../../../src/core/shapes/layers';
import type { LayerShapes } from '../../../src/core/shapes/types';
import { applyEdits, expectProblem, one, span } from '../check-helpers';

/** A network on pictures of `shape`, layers from line 4 on, as `net` does for vectors. */
function img(shape: number[], layers: string, rest = ''): string {
  return `{\n"input": { "shape": [${shape.join(', ')}] },\n"layers": [\n${layers}\n]${rest}\n}`;
}

/** The span of the `nth` occurrence of `needle` on 1-based `line`, found in the text itself. */
function where(text: string, line: number, needle: string, nth = 1): string {
  const l = text.split('\n')[line - 1];
  let at = -1;
  for (let i = 0; i < nth; i++) at = l.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} on line ${line}`);
  return `${line}:${at + 1}-${line}:${at + 1 + needle.length}`;
}

function example(name: string): string {
  return readFileSync(join(__dirname, '..', '..', '..', 'examples', `${name}.dnn.json`), 'utf8');
}

function layers(text: string): LayerShapes[] {
  const r = checkText(text);
  assert.deepEqual(r.problems.filter((p) => p.severity === 'error'), []);
  return r.shapes!.layers;
}

test('valid padding: 64×64×3, 8 filters 4×4, stride 1 -> 61×61×8, with every shape in course notation', () => {
  const [c] = layers(img([64, 64, 3], '{ "type": "conv", "filters": 8, "size": 4, "activation": "relu" }'));
  // n_H[1] = ⌊(64 + 2·0 − 4)/1⌋ + 1 = 61.
  assert.deepEqual(c.derivation, ['n_H[1] = ⌊(64 + 2·0 − 4)/1⌋ + 1 = 61', 'n_W[1] = ⌊(64 + 2·0 − 4)/1⌋ + 1 = 61', 'n_C[1] = 8 filters']);
  assert.deepEqual([c.W, c.b, c.Z, c.A], [[4, 4, 3, 8], [1, 1, 1, 8], ['m', 61, 61, 8], ['m', 61, 61, 8]]);
  assert.deepEqual([c.dW, c.db, c.dZ, c.dA], [[4, 4, 3, 8], [1, 1, 1, 8], ['m', 61, 61, 8], ['m', 61, 61, 8]]);
  // (4·4·3 + 1)·8 = 392 parameters; 61·61·8 = 29,768 outputs, each 4·4·3 = 48 multiply-adds.
  assert.equal(c.params, 392);
  assert.equal(c.multiplyAdds, 29768 * 48);
  assert.equal(c.units, 29768);
  assert.equal(layerKind('conv').paramCount(c, 0), '(4·4·3 + 1)·8');
  assert.equal(layerKind('conv').sizes(1, 12288, c.units, c), 'f[1] = 4, n_C[0] = 3, n_C[1] = 8');
  assert.deepEqual(checkText(img([64, 64, 3], '{ "type": "conv", "filters": 8, "size": 4, "activation": "relu" }')).shapes!.input, ['m', 64, 64, 3]);
});

test('"same" padding: ⌈n/s⌉, p = (f−1)/2 for an odd f and stride 1; TensorFlow\'s split for a stride', () => {
  // 28 with f = 5, s = 1: p = 2 on each side, ⌊(28 + 4 − 5)/1⌋ + 1 = 28.
  const [a] = layers(img([28, 28, 1], '{ "type": "conv", "filters": 6, "size": 5, "padding": "same", "activation": "relu" }'));
  assert.equal(a.derivation[0], 'n_H[1] = ⌊(28 + 2·2 − 5)/1⌋ + 1 = 28');
  assert.deepEqual(a.A, ['m', 28, 28, 6]);
  // 7 with f = 3, s = 2: ⌈7/2⌉ = 4; total padding (4 − 1)·2 + 3 − 7 = 2, one on each side.
  const [b] = layers(img([7, 7, 1], '{ "type": "conv", "filters": 1, "size": 3, "stride": 2, "padding": "same", "activation": "relu" }'));
  assert.equal(b.derivation[0], 'n_H[1] = ⌊(7 + 2·1 − 3)/2⌋ + 1 = 4');
  // 8 with f = 1, s = 3: ⌈8/3⌉ = 3; (3 − 1)·3 + 1 − 8 < 0, so no padding: ⌊7/3⌋ + 1 = 3.
  const [c] = layers(img([8, 8, 1], '{ "type": "conv", "filters": 1, "size": 1, "stride": 3, "padding": "same", "activation": "relu" }'));
  assert.equal(c.derivation[0], 'n_H[1] = ⌊(8 + 2·0 − 1)/3⌋ + 1 = 3');
  // An even f = 4, s = 1 on 64: total 3, the smaller half (1) before and 2 after.
  const r = checkText(img([64, 64, 3], '{ "type": "conv", "filters": 8, "size": 4, "padding": "same", "activation": "relu" }'));
  assert.equal(r.shapes!.layers[0].derivation[0], 'n_H[1] = ⌊(64 + 1 + 2 − 4)/1⌋ + 1 = 64');
});

test('an explicit padding p: 32×32×3, f = 5, p = 2 keeps 32×32', () => {
  const [c] = layers(img([32, 32, 3], '{ "type": "conv", "filters": 4, "size": 5, "padding": 2, "activation": "relu" }'));
  // ⌊(32 + 4 − 5)/1⌋ + 1 = 32; (5·5·3 + 1)·4 = 304.
  assert.equal(c.derivation[0], 'n_H[1] = ⌊(32 + 2·2 − 5)/1⌋ + 1 = 32');
  assert.equal(c.params, 304);
});

test('rectangular sizes and strides: [5, 3] filters with stride [1, 2] on 32×17×3', () => {
  const [c] = layers(img([32, 17, 3], '{ "type": "conv", "filters": 6, "size": [5, 3], "stride": [1, 2], "activation": "relu" }'));
  // n_H = ⌊(32 − 5)/1⌋ + 1 = 28, n_W = ⌊(17 − 3)/2⌋ + 1 = 8; W is (5, 3, 3, 6).
  assert.deepEqual(c.derivation.slice(0, 2), ['n_H[1] = ⌊(32 + 2·0 − 5)/1⌋ + 1 = 28', 'n_W[1] = ⌊(17 + 2·0 − 3)/2⌋ + 1 = 8']);
  assert.deepEqual(c.W, [5, 3, 3, 6]);
  // (5·3·3 + 1)·6 = 276; 28·8·6 = 1,344 outputs of 5·3·3 = 45 multiply-adds: 60,480.
  assert.equal(c.params, 276);
  assert.equal(c.multiplyAdds, 60480);
});

test('batch norm per channel adds 2·n_C[l] parameters', () => {
  const [c] = layers(img([8, 8, 3], '{ "type": "conv", "filters": 4, "size": 3, "activation": "relu", "batchNorm": true }'));
  // (3·3·3 + 1)·4 + 2·4 = 120.
  assert.equal(c.params, 120);
  assert.equal(layerKind('conv').paramCount(c, 0), '(3·3·3 + 1)·4 + 2·4');
});

test('pool and flatten: 28×28×6 max-pooled 2×2 (stride defaults to the size) is 14×14×6; a 3×3 average pool to 12×12×6, flattened (864, m)', () => {
  const ls = layers(img([32, 32, 1], [
    '{ "type": "conv", "filters": 6, "size": 5, "activation": "relu" },',
    '{ "type": "pool", "size": 2 },',
    '{ "type": "pool", "mode": "average", "size": 3, "stride": 1 },',
    '{ "type": "flatten" },',
    '{ "units": 10, "activation": "softmax" }',
  ].join('\n')));
  const [, pool, avg, flat, dense] = ls;
  // ⌊(28 − 2)/2⌋ + 1 = 14; then ⌊(14 − 3)/1⌋ + 1 = 12; 12·12·6 = 864.
  assert.deepEqual(pool.A, ['m', 14, 14, 6]);
  assert.equal(pool.W, undefined);
  assert.equal(pool.params, 0);
  assert.equal(pool.multiplyAdds, 0);
  assert.deepEqual(avg.A, ['m', 12, 12, 6]);
  assert.deepEqual(flat.A, [864, 'm']);
  assert.deepEqual(flat.derivation, ['n[4] = n_H[3]·n_W[3]·n_C[3] = 12·12·6 = 864']);
  assert.deepEqual(dense.W, [10, 864]);
  assert.equal(dense.multiplyAdds, 8640);
});

test('a picture input read by a dense layer keeps its meaning: flattened, A[0] is (n[0], m)', () => {
  const r = checkText(img([64, 64, 3], '{ "units": 20, "activation": "relu" },\n{ "units": 1, "activation": "sigmoid" }'));
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.shapes!.input, [12288, 'm']);
  assert.deepEqual(r.shapes!.layers[0].W, [20, 12288]);
});

test('LeNet-5 (32×32×3): the formula\'s counts 608, 3,216, 48,120, 10,164 and 850, not the slide\'s erratum', () => {
  const text = example('lenet5');
  const r = checkText(text);
  assert.deepEqual(r.problems, []);
  // (5·5·3 + 1)·8, 0, (5·5·8 + 1)·16, 0, 0, 400·120 + 120, 120·84 + 84, 84·10 + 10.
  assert.deepEqual(r.shapes!.layers.map((s) => s.params), [608, 0, 3216, 0, 0, 48120, 10164, 850]);
  assert.deepEqual(r.shapes!.layers.map((s) => s.A), [
    ['m', 28, 28, 8], ['m', 14, 14, 8], ['m', 10, 10, 16], ['m', 5, 5, 16], [400, 'm'], [120, 'm'], [84, 'm'], [10, 'm'],
  ]);
  assert.equal(r.shapes!.totalParams, 62958);
});

test('VGG-16: the published 138,357,544 parameters, and only the memory warning', () => {
  const text = example('vgg16');
  const r = checkText(text);
  assert.equal(r.shapes!.totalParams, 138357544);
  assert.deepEqual(r.problems.map((p) => [p.code, p.severity]), [['too-large', 'warning']]);
  // 2 · 138,357,544 values (W, b and their gradients) · 8 bytes = 2.06 GiB > 2 GiB.
  assert.match(r.problems[0].message, /^training would need 2\.1 GiB \(parameters 1\.0 GiB, gradients 1\.0 GiB\)/);
  assert.ok(r.spec);
});

test('residual blocks: inner layers numbered in document order, the block has its last layer\'s number', () => {
  const text = img([16, 16, 8], [
    '{ "type": "residual", "layers": [',
    '  { "type": "conv", "filters": 8, "size": 3, "padding": "same", "activation": "relu" },',
    '  { "type": "conv", "filters": 8, "size": 3, "padding": "same", "activation": "relu" }',
    '] },',
    '{ "type": "flatten" },',
    '{ "units": 2, "activation": "softmax" }',
  ].join('\n'));
  const r = checkText(text);
  assert.deepEqual(r.problems, []);
  const s = r.shapes!;
  assert.deepEqual(s.layers.map((x) => [x.l, x.type]), [[1, 'conv'], [2, 'conv'], [2, 'residual'], [3, 'flatten'], [4, 'dense']]);
  assert.equal(s.layerCount, 4);
  const block = s.layers[2];
  assert.deepEqual(block.derivation, ['A[2] = g[2](Z[2] + A[0])']);
  assert.equal(block.params, 0);
  assert.equal(block.input, 0);
  // The sum counts no parameters: (3·3·8 + 1)·8 = 584 twice, then 16·16·8 = 2048 flattened into 2·2048 + 2.
  assert.equal(s.totalParams, 584 + 584 + (2048 * 2 + 2));
  assert.equal(s.layers[3].A[0], 2048);
});

test('a shortcut (the course\'s convolutional block) is W_s of the block\'s last layer, reading the block\'s input', () => {
  const text = example('resnet-small');
  const r = checkText(text);
  assert.deepEqual(r.problems, []);
  const sc = r.shapes!.layers.find((x) => x.shortcut)!;
  // 1×1 conv, stride 2, on 32×32×16: ⌊(32 − 1)/2⌋ + 1 = 16; W_s is (1, 1, 16, 32); (1·1·16 + 1)·32 + 2·32 = 608.
  assert.deepEqual([sc.l, sc.input, sc.activation, sc.W, sc.A, sc.params], [5, 3, 'linear', [1, 1, 16, 32], ['m', 16, 16, 32], 608]);
  // 16·16·32 outputs · 16 multiply-adds each: the shortcut's work counts.
  assert.equal(sc.multiplyAdds, 131072);
  assert.equal(r.shapes!.layerCount, 8);
});

test('empty-output: a filter larger than the padded input, with the formula and its numbers', () => {
  const text = img([5, 5, 1], '{ "type": "conv", "filters": 2, "size": 7, "activation": "relu" }');
  // ⌊(5 + 0 − 7)/1⌋ + 1 = −1.
  expectProblem(
    text,
    'empty-output',
    'error',
    'layer 1 has no output: n_H[1] = ⌊(5 + 2·0 − 7)/1⌋ + 1 = -1 and n_W[1] = ⌊(5 + 2·0 − 7)/1⌋ + 1 = -1; the filter (7×7) is larger than A[0] (5×5) with "valid"',
    where(text, 4, '7'),
  );
});

test('uneven-stride: how many rows and columns the floor drops; the fix sets the padding or stride that makes it even', () => {
  // 10 with f = 3, s = 3: 10 − 3 = 7 = 2·3 + 1, so the last row and column are dropped; p = 1 gives 9.
  const text = img([10, 10, 1], '{ "type": "conv", "filters": 2, "size": 3, "stride": 3, "activation": "relu" }');
  const p = expectProblem(
    text,
    'uneven-stride',
    'warning',
    'layer 1: the stride does not divide n + 2p − f (10 + 2·0 − 3 = 7 by s = 3), so the floor drops the last row and the last column of A[0]; set padding to 1 to use them all',
    where(text, 4, '3', 2),
  );
  assert.equal(p.fix![0].title, 'Set padding to 1');
  const fixed = applyEdits(text, p.fix![0].edits);
  assert.deepEqual(checkText(fixed).problems, []);
  assert.deepEqual(checkText(fixed).shapes!.layers[0].A, ['m', 4, 4, 2]);
  // 8 with f = 3, s = 2: 5 is odd and 2p is even, so only a smaller stride helps; rectangular: rows only.
  const rows = img([8, 9, 1], '{ "type": "pool", "size": 3, "stride": 2, "padding": 0 }');
  const q = expectProblem(
    rows,
    'uneven-stride',
    'warning',
    'layer 1: the stride does not divide n + 2p − f (8 + 2·0 − 3 = 5 by s = 2), so the floor drops the last row of A[0]; set stride to 1 to use them all',
    where(rows, 4, '2'),
  );
  assert.equal(applyEdits(rows, q.fix![0].edits).split('\n')[3], '{ "type": "pool", "size": 3, "stride": 1, "padding": 0 }');
  // A 1×1 shortcut with stride 2 skips rows by design: no warning (f < s).
  assert.deepEqual(checkText(img([8, 8, 1], '{ "type": "conv", "filters": 1, "size": 1, "stride": 2, "activation": "relu" }')).problems, []);
});

test('asymmetric-padding: "same" with an even filter pads one more row and column after', () => {
  const text = img([64, 64, 3], '{ "type": "conv", "filters": 8, "size": 4, "padding": "same", "activation": "relu" }');
  expectProblem(
    text,
    'asymmetric-padding',
    'warning',
    'layer 1: "same" padding with a 4×4 filter is asymmetric: 1 row before and 2 after, as TensorFlow pads (an odd f with stride 1 pads (f−1)/2 on each side)',
    where(text, 4, '"same"'),
  );
});

test('needs-flatten: a dense layer straight after a conv layer; the fix inserts a flatten layer', () => {
  const text = img([8, 8, 3], '{ "type": "conv", "filters": 4, "size": 3, "activation": "relu" },\n{ "units": 1, "activation": "sigmoid" }');
  const p = expectProblem(
    text,
    'needs-flatten',
    'error',
    'layer 2 is dense but A[1] is a volume (m, 6, 6, 4): insert { "type": "flatten" } before it, which makes A (144, m) = (n_H·n_W·n_C, m)',
    '5:1-5:40',
  );
  assert.equal(p.fix![0].title, 'Insert a flatten layer before this one');
  const fixed = applyEdits(text, p.fix![0].edits);
  assert.deepEqual(checkText(fixed).problems, []);
  assert.deepEqual(checkText(fixed).shapes!.layers.map((s) => s.type), ['conv', 'flatten', 'dense']);
});

test('needs-volume: a conv or pool layer after a dense or flatten layer, or on a column input', () => {
  const text = img([8, 8, 3], '{ "type": "flatten" },\n{ "type": "pool", "size": 2 }');
  expectProblem(
    text,
    'needs-volume',
    'error',
    'layer 2 is a pool layer, which needs a volume (m, n_H, n_W, n_C) before it; A[1] of the flatten layer 1 is a column (192, m)',
    where(text, 5, '"pool"'),
  );
  const column = '{\n"input": 2,\n"layers": [\n{ "type": "conv", "filters": 1, "size": 1, "activation": "relu" }\n]\n}';
  expectProblem(
    column,
    'needs-volume',
    'error',
    'layer 1 is a conv layer, which needs a volume (m, n_H, n_W, n_C) before it; the input is a column of n[0] = 2 values; give it as { "shape": [n_H, n_W, n_C] }',
    where(column, 4, '"conv"'),
  );
});

test('residual-shape: a block whose output differs from its input names both shapes; the fix adds a 1×1 shortcut', () => {
  const text = img([8, 8, 8], [
    '{ "type": "residual", "layers": [',
    '  { "type": "conv", "filters": 16, "size": 3, "stride": 2, "padding": "same", "activation": "relu" },',
    '  { "type": "conv", "filters": 16, "size": 3, "padding": "same", "activation": "relu" }',
    '] }',
  ].join('\n'));
  // ⌈8/2⌉ = 4: Z[2] is (m, 4, 4, 16); the input is (m, 8, 8, 8). A 1×1 conv with stride 2 gives ⌊7/2⌋ + 1 = 4.
  const p = expectProblem(
    text,
    'residual-shape',
    'error',
    'residual block (layers 1–2) adds its input to Z[2], but Z[2] is (m, 4, 4, 16) and its input A[0] is (m, 8, 8, 8); the shapes must be equal: add a "shortcut", a 1×1 conv to 16 filters',
    where(text, 4, '"residual"'),
  );
  assert.equal(p.fix![0].title, 'Add a 1×1 shortcut to 16 filters with stride 2');
  const fixed = applyEdits(text, p.fix![0].edits);
  assert.deepEqual(checkText(fixed).problems, []);
  // A shortcut that does not fit is the same error, at the shortcut.
  const wrong = fixed.replace('"filters": 16, "size": 1', '"filters": 8, "size": 1');
  const q = one(checkText(wrong), 'residual-shape');
  assert.match(q.message, /the shortcut's output W_s\[2\] ∗ A\[0\] is \(m, 4, 4, 8\)/);
  assert.equal(span(wrong, q.range).split(':')[0], '7');
});

test('declared shapes on every kind, 4-D included; another order of the same sizes is called out', () => {
  const text = img([8, 8, 3], [
    '{ "type": "conv", "filters": 4, "size": 3, "activation": "relu", "shapes": { "W": [4, 3, 3, 3], "Z": ["m", 6, 6, 4] } },',
    '{ "type": "pool", "size": 2, "shapes": { "A": ["m", 3, 3, 2] } },',
    '{ "type": "flatten", "shapes": { "A": [36, "m"], "dA": ["m", 36] } },',
    '{ "units": 1, "activation": "sigmoid" }',
  ].join('\n'));
  const r = checkText(text);
  assert.deepEqual(r.problems.map((p) => p.message), [
    'W[1] must be (f[1], f[1], n_C[0], n_C[1]) = (3, 3, 3, 4); found (4, 3, 3, 3): the same sizes in another order?',
    'A[2] must be (m, n_H[2], n_W[2], n_C[2]) = (m, 3, 3, 4); found (m, 3, 3, 2)',
    'dA[3] must be (n_H[2]·n_W[2]·n_C[2], m) = (36, m), like A[3]; found (m, 36): transposed?',
  ]);
  assert.deepEqual(r.problems.map((p) => p.code), ['shape-transposed', 'shape-mismatch', 'shape-transposed']);
  const w = r.problems[0];
  assert.equal(span(text, w.range), where(text, 4, '[4, 3, 3, 3]'));
  assert.equal(applyEdits(text, w.fix![0].edits).split('\n')[3].includes('"W": [3, 3, 3, 4]'), true);
});

test('the registry\'s text for the new kinds, in general form', () => {
  assert.deepEqual(layerKind('conv').rules('l').W, { rule: '(f[l], f[l], n_C[l-1], n_C[l])' });
  assert.deepEqual(layerKind('conv').rules(2).db, { rule: '(1, 1, 1, n_C[2])', like: 'b' });
  assert.deepEqual(layerKind('conv').forward(1), ['Z[1] = W[1] ∗ A[0] + b[1]', 'A[1] = g[1](Z[1])']);
  assert.deepEqual(layerKind('pool').parameters, []);
  assert.deepEqual(Object.keys(layerKind('pool').rules(2)), ['A', 'dA']);
  assert.deepEqual(layerKind('flatten').forward(3), ['A[3] = A[2].reshape(m, −1).T']);
  assert.deepEqual(layerKind('residual').forward(4, 2), ['A[4] = g[4](Z[4] + A[2])']);
});

test('memory: a conv layer holds its im2col windows, and backward a scratch as large as the largest windows after the first layer', () => {
  const text = img(
    [32, 32, 3],
    '{ "type": "conv", "filters": 8, "size": 5, "activation": "relu" },\n{ "type": "conv", "filters": 4, "size": 3, "activation": "relu" },\n{ "type": "flatten" },\n{ "units": 1, "activation": "sigmoid" }',
    ',\n"data": { "train": "x.h5" },\n"training": { "batchSize": 64 }',
  );
  const s = checkText(text, { m: 1000 }).shapes!;
  // Layer 1: 28·28·8 = 6,272 units, windows 28·28·5·5·3 = 58,800: Z, A, dZ, dA and the windows
  // 4·6,272 + 58,800 = 83,888. Layer 2: 26·26·4 = 2,704 units, windows 26·26·3·3·8 = 48,672:
  // 4·2,704 + 48,672 = 59,488. Flatten 0, dense 4·1.
  assert.deepEqual(s.layers.map((l) => l.memory.activationsPerExample), [83888, 59488, 0, 4]);
  assert.deepEqual(s.layers.map((l) => l.memory.windowsPerExample), [58800, 48672, undefined, undefined]);
  // X 3,072 + 83,888 + 59,488 + 4 + the loss's scratch 1 + dcols for layer 2's windows 48,672
  // (layer 1 reads X and has no dA[0]) = 195,125 per example; a batch of 64: 12,488,000.
  // P = (5·5·3 + 1)·8 + (3·3·8 + 1)·4 + 2,704 + 1 = 608 + 292 + 2,705 = 3,605.
  assert.equal(s.memory.activationsPerExample, 195125);
  assert.equal(s.memory.activations, 12488000);
  assert.equal(s.memory.values, 2 * 3605 + 12488000);
});

test('too-large counts the windows: one 1024×1024×3 picture through an 11×11 conv is past the budget', () => {
  const text = img(
    [1024, 1024, 3],
    '{ "type": "conv", "filters": 16, "size": 11, "padding": "same", "activation": "relu" },\n{ "type": "flatten" },\n{ "units": 1, "activation": "sigmoid" }',
    ',\n"data": { "train": "x.h5" }',
  );
  const r = checkText(text, { m: 1 });
  // Without the windows: X 3,145,728 + Z, A, dZ, dA 4·16,777,216 + 5 = 70,254,597 values per
  // example, and P = (11·11·3 + 1)·16 + 16,777,216 + 1 = 16,783,041: 103,820,679 values in all,
  // under 2^28. The windows add 1024·1024·11·11·3 = 380,633,088: 484,453,767 values = 3.6 GiB.
  assert.equal(r.shapes!.memory.values, 484453767);
  const p = one(r, 'too-large');
  assert.equal(p.severity, 'warning');
  assert.match(p.message, /^training would need 3\.6 GiB \(parameters 128\.0 MiB, gradients 128\.0 MiB, activations and caches of m = 1 examples 3\.4 GiB\)/);
});

test('a conv network\'s large batch is counted as the engine runs it: in chunks of 2^26 values at most', () => {
  const text = img(
    [64, 64, 3],
    '{ "type": "conv", "filters": 8, "size": 3, "padding": "same", "activation": "relu" },\n{ "type": "flatten" },\n{ "units": 1, "activation": "sigmoid" }',
    ',\n"data": { "train": "x.h5" }',
  );
  const s = checkText(text, { m: 10000 }).shapes!;
  // Per example: X 12,288 + 4·32,768 + windows 64·64·3·3·3 = 110,592, + dense 4 + loss 1 = 253,957.
  // A chunk holds ⌊2^26 / 253,957⌋ = 264 examples; 10,000 = 37·264 + 232, so a full chunk and the
  // last one, 496 examples' buffers, plus X, AL and the loss's scratch for all 10,000:
  // 253,957·496 + (12,288 + 2)·10,000 = 125,962,672 + 122,900,000 = 248,862,672.
  assert.equal(s.memory.activationsPerExample, 253957);
  assert.equal(s.memory.activations, 248862672);
  assert.equal(checkText(text, { m: 10000 }).problems.some((p) => p.code === 'too-large'), false);
});

test('residual-shape in text cut short inside the block: no fix that would add the shortcut inside an unfinished string', () => {
  const block = `{ "input": { "shape": [8, 8, 4] }, "layers": [
    { "type": "residual", "layers": [ { "type": "conv", "filters": 6, "size": 3, "stride": 2, "padding": "same", "activation": "relu" } ] },
    { "type": "flatten" }, { "units": 1, "activation": "sigmoid" } ] }`;
  const whole = one(checkText(block), 'residual-shape');
  assert.equal(whole.fix?.[0].title, 'Add a 1×1 shortcut to 6 filters with stride 2');
  // The same file typed up to the middle of "relu": the block's object has no closing brace yet.
  const cut = block.slice(0, block.indexOf('"relu"') + 4);
  const r = checkText(cut);
  const p = r.problems.find((q) => q.code === 'residual-shape');
  assert.ok(p, JSON.stringify(r.problems.map((q) => q.code)));
  assert.equal(p.fix, undefined, JSON.stringify(p.fix));
});
