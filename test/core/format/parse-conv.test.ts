/**
 * Reading the convolutional kinds: conv, pool, flatten, residual (with layers and a shortcut),
 * each wrong key or value a positioned problem by the same rules as a dense layer's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../src/core/check';
import type { ConvLayerSpec, PoolLayerSpec, ResidualLayerSpec } from '../../../src/core/format/types';
import { applyEdits, expectProblem } from '../check-helpers';

function img(layers: string): string {
  return `{\n"input": { "shape": [16, 16, 3] },\n"layers": [\n${layers}\n]\n}`;
}

/** The span of `needle` on 1-based `line`, found in the text itself. */
function where(text: string, line: number, needle: string): string {
  const at = text.split('\n')[line - 1].indexOf(needle);
  assert.ok(at >= 0, needle);
  return `${line}:${at + 1}-${line}:${at + 1 + needle.length}`;
}

test('a complete conv network parses with every default filled in', () => {
  const text = img([
    '{ "type": "conv", "filters": 4, "size": 3, "activation": "relu" },',
    '{ "type": "pool", "size": [2, 7] },',
    '{ "type": "residual", "layers": [ { "type": "conv", "filters": 4, "size": 1, "activation": "relu" } ],',
    '  "shortcut": { "filters": 4, "size": 1 } },',
    '{ "type": "flatten" },',
    '{ "units": 3, "activation": "softmax" }',
  ].join('\n'));
  const r = checkText(text);
  assert.deepEqual(r.problems, []);
  const [conv, pool, block] = r.spec!.layers as [ConvLayerSpec, PoolLayerSpec, ResidualLayerSpec];
  assert.deepEqual([conv.size, conv.stride, conv.padding, conv.batchNorm], [[3, 3], [1, 1], 'valid', false]);
  // A pool's stride defaults to its window.
  assert.deepEqual([pool.mode, pool.size, pool.stride, pool.padding], ['max', [2, 7], [2, 7], 'valid']);
  assert.equal(block.layers.length, 1);
  assert.deepEqual([block.shortcut?.type, block.shortcut?.activation, block.shortcut?.path], ['conv', 'linear', ['layers', 2, 'shortcut']]);
  assert.equal(r.spec!.loss, 'categorical-cross-entropy');
});

test('missing-key: a conv layer needs filters, size and activation', () => {
  const text = img('{ "type": "conv", "size": 3, "activation": "relu" }');
  expectProblem(text, 'missing-key', 'error', "missing required key 'filters' in layer 1 (n_C[1], the number of filters)", '4:1-4:2');
  assert.equal(checkText(text).spec, undefined);
  expectProblem(img('{ "type": "pool" }'), 'missing-key', 'error', "missing required key 'size' in layer 1 (f[1], the window size, e.g. 2)", '4:1-4:2');
});

test('wrong-type and out-of-range: size and stride are an integer or a pair; padding "valid", "same" or p ≥ 0', () => {
  const a = img('{ "type": "conv", "filters": 4, "size": "3", "activation": "relu" }');
  expectProblem(a, 'wrong-type', 'error', 'layer 1: size must be an integer f or a pair [f_H, f_W]; found the string \'3\'', where(a, 4, '"3"'));
  const b = img('{ "type": "conv", "filters": 4, "size": [3, 3, 3], "activation": "relu" }');
  expectProblem(b, 'out-of-range', 'error', 'layer 1: size must be an integer or a pair [f_H, f_W]; found 3 numbers', where(b, 4, '[3, 3, 3]'));
  const c = img('{ "type": "pool", "size": 2, "stride": 0 }');
  expectProblem(c, 'out-of-range', 'error', 'layer 1: stride must be a positive integer ≤ 1,000,000; found 0', where(c, 4, '0'));
  const d = img('{ "type": "pool", "size": 2, "padding": -1 }');
  expectProblem(d, 'out-of-range', 'error', 'layer 1: padding must be "valid", "same" or an integer p ≥ 0; found -1', where(d, 4, '-1'));
});

test('unknown-value: padding, pooling mode and the kinds a residual block may hold, with "did you mean"', () => {
  const a = img('{ "type": "conv", "filters": 4, "size": 3, "padding": "sam", "activation": "relu" }');
  const p = expectProblem(a, 'unknown-value', 'error', "unknown padding 'sam'; did you mean 'same'? (known: valid, same)", where(a, 4, '"sam"'));
  assert.deepEqual(checkText(applyEdits(a, p.fix![0].edits)).problems.map((x) => x.code), []);
  const b = img('{ "type": "pool", "mode": "min", "size": 2 }');
  expectProblem(b, 'unknown-value', 'error', "unknown pooling mode 'min' (known: max, average)", where(b, 4, '"min"'));
  const c = img('{ "type": "residual", "layers": [ { "type": "pool", "size": 2 } ] }');
  expectProblem(c, 'unknown-value', 'error', "unknown layer type in a residual block 'pool' (known: dense, conv)", where(c, 4, '"pool"'));
});

test('unknown-key: a key of another kind says which kind it belongs to', () => {
  const a = img('{ "type": "conv", "filters": 4, "units": 4, "size": 3, "activation": "relu" }');
  expectProblem(a, 'unknown-key', 'warning', "'units' is a key of dense layers; layer 1 is conv", where(a, 4, '"units"'));
  const b = img('{ "filters": 4, "size": 3, "activation": "relu" }');
  const p = checkText(b).problems.filter((x) => x.code === 'unknown-key').map((x) => x.message);
  assert.deepEqual(p, [
    '\'filters\' is a key of conv layers; layer 1 is dense (the default type): add "type": "conv"',
    '\'size\' is a key of conv layers; layer 1 is dense (the default type): add "type": "conv"',
  ]);
});

test('residual blocks: an empty block, a shortcut that is not an object, numbering in messages', () => {
  const a = img('{ "type": "residual", "layers": [] }');
  expectProblem(a, 'empty-network', 'error', 'layer 1: a residual block needs at least one layer', where(a, 4, '[]'));
  const b = img('{ "type": "residual", "layers": [ { "type": "conv", "filters": 3, "size": 1, "activation": "relu" } ], "shortcut": 7 }');
  expectProblem(b, 'not-an-object', 'error', 'layer 1: shortcut must be an object { ... }; found the number 7', where(b, 4, '7'));
  // Layers are numbered in document order: the block's second layer is layer 3.
  const c = img([
    '{ "type": "conv", "filters": 3, "size": 1, "activation": "relu" },',
    '{ "type": "residual", "layers": [ { "type": "conv", "filters": 3, "size": 1, "activation": "relu" }, { "type": "conv", "filters": 3, "size": 1 } ] }',
  ].join('\n'));
  const brace = where(c, 5, '{ "type": "conv", "filters": 3, "size": 1 }').replace(/-5:\d+$/, (end) => end.replace(/\d+$/, (n) => String(Number(n) - 42)));
  expectProblem(c, 'missing-key', 'error', 'missing required key \'activation\' in layer 2: layers[1] (g[3], e.g. "relu")', brace);
});

test('shape-invalid: a dense layer\'s declared shapes are rank 2; other kinds take any rank, each dimension checked', () => {
  const a = img('{ "type": "flatten" },\n{ "units": 1, "activation": "sigmoid", "shapes": { "W": [1, 768, 1, 1] } }');
  expectProblem(a, 'shape-invalid', 'error', 'W[2] must have 2 dimensions (rows, columns); found 4', where(a, 5, '[1, 768, 1, 1]'));
  const b = img('{ "type": "conv", "filters": 4, "size": 3, "activation": "relu", "shapes": { "Z": ["m", 0, 14, 4] } }');
  expectProblem(b, 'shape-invalid', 'error', 'Z[1]: a dimension must be a positive integer or "m"; found 0', where(b, 4, '0'));
  const c = img('{ "type": "pool", "size": 2, "shapes": { "W": [1, 1] } }');
  expectProblem(c, 'unknown-key', 'warning', "unknown key 'W' in layer 1: shapes", where(c, 4, '"W"'));
});
