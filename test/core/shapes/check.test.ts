/**
 * Shape inference and the shape-level problems. Expected shapes come from the course's rules
 * (W[l] is (n[l], n[l-1]), b[l] is (n[l], 1), Z[l] and A[l] are (n[l], m)), computed here from
 * the list of units; parameter counts are worked out by hand in the comments.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../../../src/core/check';
import type { LayerShapes, NetworkShapes } from '../../../src/core/shapes/types';
import { applyEdits, expectProblem, net, one, span } from '../check-helpers';

const examples = join(__dirname, '..', '..', '..', 'examples');

/** Asserts the whole table against the course's formulas for layers_dims = dims. */
function assertTable(maybe: NetworkShapes | undefined, dims: number[], activations: string[]): void {
  assert.ok(maybe);
  const shapes: NetworkShapes = maybe;
  assert.equal(shapes.inputUnits, dims[0]);
  assert.equal(shapes.layers.length, dims.length - 1);
  for (let l = 1; l < dims.length; l++) {
    const s: LayerShapes = shapes.layers[l - 1];
    assert.equal(s.l, l);
    assert.equal(s.type, 'dense');
    assert.equal(s.activation, activations[l - 1]);
    assert.equal(s.units, dims[l]);
    assert.deepEqual(s.W, [dims[l], dims[l - 1]]);
    assert.deepEqual(s.b, [dims[l], 1]);
    assert.deepEqual(s.Z, [dims[l], 'm']);
    assert.deepEqual(s.A, [dims[l], 'm']);
    assert.deepEqual(s.dW, s.W);
    assert.deepEqual(s.db, s.b);
    assert.deepEqual(s.dZ, s.Z);
    assert.deepEqual(s.dA, s.A);
    assert.equal(s.params, dims[l] * dims[l - 1] + dims[l]);
    assert.deepEqual(s.path, ['layers', l - 1]);
  }
}

test('planar example: 2 -> 4 tanh -> 1 sigmoid, 17 parameters, no problems', () => {
  const r = checkText(readFileSync(join(examples, 'planar.dnn.json'), 'utf8'));
  assert.deepEqual(r.problems, []);
  assertTable(r.shapes, [2, 4, 1], ['tanh', 'sigmoid']);
  // (4*2 + 4) + (1*4 + 1) = 12 + 5
  assert.equal(r.shapes?.totalParams, 17);
  // Built-in planar has m = 400; per example A[0] (2) + Z[1], A[1] (4 + 4) + Z[2], A[2] (1 + 1) = 12.
  assert.equal(r.shapes?.activationsPerExample, 12);
  assert.equal(r.shapes?.m, 400);
  assert.equal(r.shapes?.activationBytes, 12 * 400 * 8);
  assert.equal(r.spec?.training.iterations, 10000);
  assert.equal(r.spec?.training.learningRate, 1.2);
  assert.equal(r.spec?.training.seed, 2);
  assert.deepEqual(r.spec?.training.init, { scheme: 'random', scale: 0.01 });
  assert.equal(r.spec?.training.printEvery, 1000);
});

test('deep example: 12288 -> 20 -> 7 -> 5 -> 1, 245,973 parameters', () => {
  const r = checkText(readFileSync(join(examples, 'deep.dnn.json'), 'utf8'));
  assert.deepEqual(r.problems, []);
  assertTable(r.shapes, [12288, 20, 7, 5, 1], ['relu', 'relu', 'relu', 'sigmoid']);
  // 20*12288 + 20 = 245,780; 7*20 + 7 = 147; 5*7 + 5 = 40; 1*5 + 1 = 6.
  assert.equal(r.shapes?.totalParams, 245780 + 147 + 40 + 6);
  assert.equal(r.shapes?.totalParams, 245973);
  assert.deepEqual(r.spec?.inputShape, [64, 64, 3]);
  assert.equal(r.spec?.training.init.scheme, 'xavier');
  // The course's own HDF5 files, divided by 255 as the notebook does.
  assert.deepEqual(r.spec?.data, {
    kind: 'hdf5', train: 'datasets/train_catvnoncat.h5', dev: 'datasets/test_catvnoncat.h5', divideBy: 255, devFraction: 0, standardize: false, path: ['data'],
  });
});

test('mistakes example: a transposed W, a wrong b, softmax with BCE, a misspelt key', () => {
  const r = checkText(readFileSync(join(examples, 'mistakes.dnn.json'), 'utf8'));
  assert.deepEqual(
    r.problems.map((p) => [p.code, p.severity]),
    [
      ['shape-transposed', 'error'],
      ['shape-mismatch', 'error'],
      ['loss-activation-mismatch', 'error'],
      ['unknown-key', 'warning'],
    ],
  );
  // 2 -> 16 -> 8 -> 3: (16*2 + 16) + (8*16 + 8) + (3*8 + 3) = 48 + 136 + 27 = 211.
  assertTable(r.shapes, [2, 16, 8, 3], ['relu', 'relu', 'softmax']);
  assert.equal(r.shapes?.totalParams, 211);
});

test('batch norm adds gamma[l] and beta[l], (n[l], 1) each, to the parameter count', () => {
  const r = checkText(net('{ "units": 4, "activation": "relu", "batchNorm": true },\n{ "units": 1, "activation": "sigmoid" }'));
  // 4*2 + 4 + 2*4 = 20; 1*4 + 1 = 5.
  assert.equal(r.shapes?.layers[0].params, 20);
  assert.equal(r.shapes?.totalParams, 25);
});

const twoLayers = (shapes: string) => net(`{ "units": 4, "activation": "tanh" },\n{ "units": 1, "activation": "sigmoid", "shapes": ${shapes} }`);

test('shape-transposed: names the layer, the rule, both shapes; fix to the inferred shape; related n[l], n[l-1]', () => {
  const text = twoLayers('{ "W": [4, 1] }');
  const p = expectProblem(text, 'shape-transposed', 'error', 'W[2] must be (n[2], n[1]) = (1, 4); found (4, 1): transposed?', '5:57-5:63');
  assert.equal(p.fix?.[0].title, 'Change W[2] to (1, 4)');
  assert.equal(p.fix?.[0].preferred, true);
  assert.deepEqual(
    p.related?.map((x) => [x.message, span(text, x.range)]),
    [
      ['n[2] = 1 is set here', '5:12-5:13'],
      ['n[1] = 4 is set here', '4:12-4:13'],
    ],
  );
  assert.deepEqual(checkText(applyEdits(text, p.fix![0].edits)).problems, []);
});

test('shape-transposed: Z written as (m, n[l])', () => {
  expectProblem(twoLayers('{ "Z": ["m", 1] }'), 'shape-transposed', 'error', 'Z[2] must be (n[2], m) = (1, m); found (m, 1): transposed?', '5:57-5:65');
});

test('shape-mismatch: a wrong b, with a fix that writes the inferred shape', () => {
  const text = twoLayers('{ "b": [4, 1] }');
  const p = expectProblem(text, 'shape-mismatch', 'error', 'b[2] must be (n[2], 1) = (1, 1); found (4, 1)', '5:57-5:63');
  assert.deepEqual(p.fix?.[0].edits[0].newText, '[1, 1]');
  assert.deepEqual(checkText(applyEdits(text, p.fix![0].edits)).problems, []);
});

test('shape-mismatch: gradients have the shape of what they differentiate', () => {
  expectProblem(twoLayers('{ "dW": [2, 4] }'), 'shape-mismatch', 'error', 'dW[2] must be (n[2], n[1]) = (1, 4), like W[2]; found (2, 4)', '5:58-5:64');
  expectProblem(twoLayers('{ "dA": [1, 400] }'), 'shape-mismatch', 'error', 'dA[2] must be (n[2], m) = (1, m), like A[2]; found (1, 400)', '5:58-5:66');
});

test('a number in place of m is accepted when it equals the data\'s m', () => {
  const text = net('{ "units": 1, "activation": "sigmoid", "shapes": { "A": [1, 400] } }', ',\n"data": { "builtin": "planar" }');
  assert.deepEqual(checkText(text).problems, []);
});

test('shape-invalid: wrong rank, a bad dimension, not an array', () => {
  expectProblem(twoLayers('{ "W": [1, 4, 1] }'), 'shape-invalid', 'error', 'W[2] must have 2 dimensions (rows, columns); found 3', '5:57-5:66');
  expectProblem(twoLayers('{ "W": [1, "n"] }'), 'shape-invalid', 'error', 'W[2]: a dimension must be a positive integer or "m"; found "n"', '5:61-5:64');
  expectProblem(twoLayers('{ "W": [0, 4] }'), 'shape-invalid', 'error', 'W[2]: a dimension must be a positive integer or "m"; found 0', '5:58-5:59');
  expectProblem(twoLayers('{ "W": "1x4" }'), 'shape-invalid', 'error', 'W[2] must be a shape like [4, 2] or [4, "m"]; found a string', '5:57-5:62');
});

test('an unknown shape name is an unknown key with a suggestion (w -> W)', () => {
  expectProblem(twoLayers('{ "w": [1, 4] }'), 'unknown-key', 'warning', "unknown key 'w' in layer 2: shapes; did you mean 'W'?", '5:52-5:55');
});

test('when layer 2 is broken, layer 1 keeps its shapes; layer 3 needs n[2] and is left out', () => {
  const r = checkText(
    net('{ "units": 4, "activation": "tanh" },\n{ "units": "x", "activation": "tanh" },\n{ "units": 1, "activation": "sigmoid" }'),
  );
  assert.equal(r.spec, undefined);
  assert.ok(r.shapes);
  assert.deepEqual(r.shapes.layers.map((s) => s.l), [1]);
  assert.deepEqual(r.shapes.layers[0].W, [4, 2]);
  assert.equal(r.shapes.complete, false);
});

test('when only layer 2\'s activation is unknown, layer 3 is still inferred from n[2]', () => {
  const r = checkText(
    net('{ "units": 4, "activation": "tanh" },\n{ "units": 3, "activation": "tanhh" },\n{ "units": 1, "activation": "sigmoid" }'),
  );
  assert.deepEqual(r.shapes?.layers.map((s) => s.l), [1, 3]);
  assert.deepEqual(r.shapes?.layers[1].W, [1, 3]);
});

const output = (layer: string, loss: string) => net(`{ "units": 4, "activation": "relu" },\n${layer}`, `,\n"loss": "${loss}"`);

test('loss-activation-mismatch: softmax with binary-cross-entropy; preferred fix switches the loss', () => {
  const text = output('{ "units": 3, "activation": "softmax" }', 'binary-cross-entropy');
  const p = expectProblem(
    text,
    'loss-activation-mismatch',
    'error',
    'binary-cross-entropy needs a sigmoid output layer, A[2] in (0, 1); layer 2 uses softmax',
    '7:9-7:31',
  );
  assert.equal(span(text, p.related![0].range), '5:29-5:38');
  assert.equal(p.fix?.[0].title, "Change the loss to 'categorical-cross-entropy'");
  assert.equal(p.fix?.[0].preferred, true);
  assert.deepEqual(checkText(applyEdits(text, p.fix![0].edits)).problems, []);
  assert.deepEqual(checkText(applyEdits(text, p.fix![1].edits)).problems, []);
});

test('loss-activation-mismatch: sigmoid with categorical-cross-entropy', () => {
  const text = output('{ "units": 1, "activation": "sigmoid" }', 'categorical-cross-entropy');
  const p = expectProblem(
    text,
    'loss-activation-mismatch',
    'error',
    'categorical-cross-entropy needs a softmax output layer with n[2] ≥ 2 classes; layer 2 uses sigmoid',
    '7:9-7:36',
  );
  assert.deepEqual(checkText(applyEdits(text, p.fix![0].edits)).problems, []);
});

test('loss-activation-mismatch: softmax over one unit, even with the matching loss', () => {
  const text = output('{ "units": 1, "activation": "softmax" }', 'categorical-cross-entropy');
  const p = expectProblem(
    text,
    'loss-activation-mismatch',
    'error',
    'softmax over n[2] = 1 unit always outputs 1 and cannot learn: use n[2] ≥ 2 units, or sigmoid with binary-cross-entropy',
    '7:9-7:36',
  );
  assert.deepEqual(checkText(applyEdits(text, p.fix![0].edits)).problems, []);
});

test('loss-activation-mismatch: mse with a sigmoid output is a warning', () => {
  expectProblem(
    output('{ "units": 1, "activation": "sigmoid" }', 'mse'),
    'loss-activation-mismatch',
    'warning',
    'mse with a sigmoid output learns slowly once the output saturates; sigmoid goes with binary-cross-entropy, mse with a linear output',
    '7:9-7:14',
  );
});

test('matching pairs are fine: sigmoid (multi-label too) + BCE, softmax + CCE, linear + mse', () => {
  assert.deepEqual(checkText(output('{ "units": 3, "activation": "sigmoid" }', 'binary-cross-entropy')).problems, []);
  assert.deepEqual(checkText(output('{ "units": 3, "activation": "softmax" }', 'categorical-cross-entropy')).problems, []);
  assert.deepEqual(checkText(output('{ "units": 1, "activation": "linear" }', 'mse')).problems, []);
});

test('zero-init: a warning at the scheme, with a fix to random', () => {
  const text = net('{ "units": 4, "activation": "tanh" },\n{ "units": 1, "activation": "sigmoid" }', ',\n"training": { "init": "zeros" }');
  const p = expectProblem(
    text,
    'zero-init',
    'warning',
    'zero initialisation: every unit of a hidden layer computes the same function and gets the same gradient, so symmetry is never broken; initialise W at random',
    '7:23-7:30',
  );
  assert.deepEqual(checkText(applyEdits(text, p.fix![0].edits)).problems, []);
  one(checkText(text.replace('"zeros"', '{ "scheme": "zeros" }')), 'zero-init');
  const scale0 = text.replace('"zeros"', '{ "scheme": "random", "scale": 0 }');
  assert.equal(span(scale0, one(checkText(scale0), 'zero-init').range), '7:54-7:55');
});

test('zero-init is fine for logistic regression (L = 1): nothing to break symmetry between', () => {
  assert.deepEqual(checkText(net('{ "units": 1, "activation": "sigmoid" }', ',\n"training": { "init": "zeros" }')).problems, []);
});

test('too-large: 10^12 parameters are a warning with what training would hold, at the biggest layer', () => {
  const text = '{\n"input": 1000000,\n"layers": [\n{ "units": 1000000, "activation": "relu" },\n{ "units": 1, "activation": "sigmoid" }\n]\n}';
  // Layer 1: 10^6 * 10^6 + 10^6 = 1,000,001,000,000; layer 2: 10^6 + 1 = 1,000,001.
  // Total P = 1,000,002,000,001 values = 7.28 TiB; gradient descent also holds dW, db: 2P = 14.55 TiB.
  // m is not known (no data), so no batch is counted.
  expectProblem(
    text,
    'too-large',
    'warning',
    "training would need 14.6 TiB (parameters 7.3 TiB, gradients 7.3 TiB); the engine's limit is 2.0 GiB: layer 1 alone has 1,000,001,000,000 parameters",
    '4:12-4:19',
  );
  // Size never makes the network fail the check: the file is still complete.
  assert.ok(checkText(text).spec);
});

test('too-large: activations and caches for m examples past the budget, at data.examples', () => {
  const text = net('{ "units": 1000, "activation": "tanh" },\n{ "units": 1, "activation": "sigmoid" }', ',\n"data": { "builtin": "planar", "examples": 10000000 }');
  // P = 1000·2 + 1000 + 1·1000 + 1 = 4001 (31.3 KiB). Per example training holds X (2), Z, A, dZ,
  // dA of each layer (4·1000 + 4·1) and the loss's scratch (1): 4007 values; * 10^7 =
  // 40,070,000,000 values = 298.5 GiB; with 2P: 40,070,008,002 values = 298.5 GiB.
  expectProblem(
    text,
    'too-large',
    'warning',
    "training would need 298.5 GiB (parameters 31.3 KiB, gradients 31.3 KiB, activations and caches of m = 10,000,000 examples 298.5 GiB); the engine's limit is 2.0 GiB: use fewer examples or a smaller batchSize",
    '7:44-7:52',
  );
  // With mini-batches of 64 only 4007 * 64 values are live at a time.
  assert.deepEqual(checkText(text.replace('}\n}', '},\n"training": { "batchSize": 64 }\n}')).problems, []);
});

test('the caller can give m (e.g. the rows of a CSV): activation memory and too-large use it', () => {
  const text = net('{ "units": 1000, "activation": "tanh" },\n{ "units": 1, "activation": "sigmoid" }', ',\n"data": { "train": "big.csv" }');
  assert.deepEqual(checkText(text).problems, []);
  assert.equal(checkText(text).shapes?.m, undefined);
  // A[0], Z[l] and A[l]: 2004 values per example (2 + 2·1000 + 2·1) * 1,000 = 16,032,000 bytes.
  assert.equal(checkText(text, { m: 1000 }).shapes?.activationBytes, 16032000);
  // Training holds 4007 values per example (see above): * 200,000 = 801,400,000 values + 2·4001
  // = 801,408,002 > 2^28 = 268,435,456: reported at "data".
  const p = one(checkText(text, { m: 200000 }), 'too-large');
  assert.equal(p.severity, 'warning');
  assert.match(p.message, /^training would need 6\.0 GiB \(parameters 31\.3 KiB, gradients 31\.3 KiB, activations and caches of m = 200,000 examples 6\.0 GiB\)/);
  assert.equal(checkText(text, { m: 200000 }).shapes?.memory.values, 801408002);
  assert.equal(span(text, p.range), '7:9-7:31');
});

test('memory: what training holds, per layer and in total, with the optimiser\'s state', () => {
  const text = net('{ "units": 4, "activation": "tanh" },\n{ "units": 1, "activation": "sigmoid" }', ',\n"data": { "builtin": "planar" },\n"training": { "optimizer": "adam", "batchSize": 64 }');
  const s = checkText(text).shapes!;
  // P = 12 + 5 = 17; Adam keeps v and s: 34 values. Per example: X 2, layer 1 4·4, layer 2 4·1,
  // the loss's scratch 1 = 23; a batch of 64: 1472. Total 17 + 17 + 34 + 1472 = 1540 values.
  assert.deepEqual(s.layers.map((x) => x.memory), [
    { parameters: 12, gradients: 12, optimizer: 24, activationsPerExample: 16 },
    { parameters: 5, gradients: 5, optimizer: 10, activationsPerExample: 4 },
  ]);
  assert.deepEqual(s.memory, {
    parameters: 17, gradients: 17, optimizer: 34, activationsPerExample: 23, batch: 64, activations: 1472, values: 1540, bytes: 12320,
  });
});

test('two "layers" arrays: shapes, a declared-shape error and its fix all belong to the last one', () => {
  const text = [
    '{',
    '  "input": 2,',
    '  "layers": [ { "units": 3, "activation": "relu", "shapes": { "W": [3, 2] } } ],',
    '  "layers": [ { "units": 4, "activation": "tanh", "shapes": { "W": [2, 4] } },',
    '              { "units": 1, "activation": "sigmoid" } ]',
    '}',
  ].join('\n');
  const r = checkText(text);
  // 2 → 4 → 1 from the second array: 4·2 + 4 = 12 and 1·4 + 1 = 5 parameters.
  assert.deepEqual(r.shapes?.layers.map((s) => s.params), [12, 5]);
  assert.deepEqual(r.shapes?.layers.map((s) => span(text, r.locate(s.path))), ['4:15-4:78', '5:15-5:54']);
  const p = expectProblem(text, 'shape-transposed', 'error', 'W[1] must be (n[1], n[0]) = (4, 2); found (2, 4): transposed?', '4:68-4:74');
  assert.match(applyEdits(text, p.fix![0].edits), /"W": \[4, 2\] \} \},\n/);
  assert.match(applyEdits(text, p.fix![0].edits), /"W": \[3, 2\]/);
});
