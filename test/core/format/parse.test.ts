/**
 * The parser's problems: code, severity, message and exact position, each written by hand from
 * the fixture (lines and columns are 1-based; the end column is exclusive).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../src/core/check';
import { TRAINING_DEFAULTS, type DenseLayerSpec } from '../../../src/core/format/types';
import { applyEdits, expectProblem, net, one, span } from '../check-helpers';

// Line 4 of net(...) holds the first layer, so a layer at the start of that line is easy to count.
const LAYER = '{ "units": 1, "activation": "sigmoid" }';

test('syntax-error: a missing comma is reported where the comma belongs', () => {
  const text = '{"input": 2 "layers": []}';
  const p = checkText(text).problems[0];
  assert.equal(p.code, 'syntax-error');
  assert.equal(p.severity, 'error');
  assert.equal(p.message, "expected ',' between items");
  assert.equal(span(text, p.range), '1:13-1:21'); // the key "layers"
});

test('syntax-error: an empty file says it is empty, at 1:1', () => {
  expectProblem('', 'syntax-error', 'error', 'the file is empty: expected an object { "input": ..., "layers": [...] }', '1:1-1:1');
  expectProblem(' \n ', 'syntax-error', 'error', 'the file is empty: expected an object { "input": ..., "layers": [...] }', '2:2-2:2');
});

test('syntax-error: NaN is not JSON', () => {
  const text = net(LAYER, ',\n"loss": NaN');
  const p = checkText(text).problems.find((x) => x.code === 'syntax-error');
  assert.ok(p);
  assert.equal(p.message, 'unexpected text: JSON values are objects, arrays, strings in double quotes, numbers, true, false or null');
  assert.equal(span(text, p.range), '6:9-6:12');
});

test('syntax-error: nesting deeper than 256 levels is refused at the 257th bracket', () => {
  const text = '['.repeat(300);
  expectProblem(text, 'syntax-error', 'error', 'nesting deeper than 256 levels', '1:257-1:258');
});

test('syntax-error: an unterminated string', () => {
  const text = '{\n"input": 2,\n"name": "planar\n}';
  const p = checkText(text).problems[0];
  assert.equal(p.code, 'syntax-error');
  assert.equal(p.message, 'unterminated string: missing closing \'"\'');
  assert.equal(span(text, p.range).split('-')[0], '3:9');
});

test('syntax errors do not also report the keys not typed yet', () => {
  const result = checkText('{\n"input": 2,\n"lay');
  assert.ok(result.problems.some((p) => p.code === 'syntax-error'));
  assert.ok(!result.problems.some((p) => p.code === 'missing-key'));
});

test('not-an-object: a top-level array', () => {
  expectProblem('[1, 2]', 'not-an-object', 'error', 'the file must be an object { "input": ..., "layers": [...] }; found an array', '1:1-1:7');
});

test('not-an-object: training as a number', () => {
  expectProblem(net(LAYER, ',\n"training": 5'), 'not-an-object', 'error', 'training must be an object { ... }; found the number 5', '6:13-6:14');
});

test('wrong-type: units written as a string', () => {
  expectProblem(
    net('{ "units": "4", "activation": "relu" },\n' + LAYER),
    'wrong-type',
    'error',
    "layer 1: units must be an integer; found the string '4'",
    '4:12-4:15',
  );
});

test('wrong-type: batchNorm must be true or false', () => {
  expectProblem(
    net('{ "units": 1, "activation": "sigmoid", "batchNorm": 1 }'),
    'wrong-type',
    'error',
    'layer 1: batchNorm must be true or false; found the number 1',
    '4:53-4:54',
  );
});

test('missing-key: input, at the opening brace of the file', () => {
  const text = '{\n"layers": [\n' + LAYER + '\n]\n}';
  expectProblem(text, 'missing-key', 'error', "missing required key 'input' (n[0], the number of input features)", '1:1-1:2');
});

test('missing-key: a layer without units, at the layer\'s opening brace', () => {
  expectProblem(
    net(LAYER.replace('"units": 1, ', '')),
    'missing-key',
    'error',
    "missing required key 'units' in layer 1 (n[1], the number of units)",
    '4:1-4:2',
  );
});

test('missing-key: data without builtin or train, at the key "data"', () => {
  expectProblem(
    net(LAYER, ',\n"data": { "seed": 1 }'),
    'missing-key',
    'error',
    "missing required key 'builtin' in data (a built-in dataset (planar, moons, circles, xor, spiral, blobs, shapes, digits), 'train' (a CSV or HDF5 file) or 'images' (a folder of pictures))",
    '6:1-6:7',
  );
});

test('duplicate-key: warns at the second key and the last one wins, like JSON.parse', () => {
  const text = net('{ "units": 3, "units": 1, "activation": "sigmoid" }');
  const p = expectProblem(text, 'duplicate-key', 'warning', "duplicate key 'units' in layer 1; the last one wins", '4:15-4:22');
  assert.equal(span(text, p.related![0].range), '4:3-4:10');
  assert.equal((checkText(text).spec?.layers[0] as DenseLayerSpec).units, 1);
});

test('unknown-key: a misspelt training key suggests the camelCase name and the fix renames it', () => {
  const text = net(LAYER, ',\n"training": {\n"learningrate": 0.5\n}');
  const p = expectProblem(text, 'unknown-key', 'warning', "unknown key 'learningrate' in training; did you mean 'learningRate'?", '7:1-7:15');
  assert.equal(p.fix?.[0].preferred, true);
  const fixed = applyEdits(text, p.fix![0].edits);
  const again = checkText(fixed);
  assert.deepEqual(again.problems, []);
  assert.equal(again.spec?.training.learningRate, 0.5);
});

test('unknown-key: no rename fix when the suggested key is already there', () => {
  const text = net(LAYER, ',\n"training": {\n"learningRate": 0.1, "learningrate": 0.5\n}');
  const p = one(checkText(text), 'unknown-key');
  assert.equal(p.fix, undefined);
  assert.equal(checkText(text).spec?.training.learningRate, 0.1);
});

test("unknown-key: the course's snake_case names map to ours", () => {
  expectProblem(
    net(LAYER, ',\n"training": {\n"num_iterations": 100\n}'),
    'unknown-key',
    'warning',
    "unknown key 'num_iterations' in training; did you mean 'iterations'?",
    '7:1-7:17',
  );
});

test('unknown-key: no suggestion when nothing is close; no fix', () => {
  const p = expectProblem(net(LAYER, ',\n"colour": "red"'), 'unknown-key', 'warning', "unknown key 'colour'", '6:1-6:9');
  assert.equal(p.fix, undefined);
});

const outOfRange: [string, string, string, string][] = [
  // [fixture layer or top-level addition, field, message, where]
  ['{ "units": 0, "activation": "sigmoid" }', 'units', 'layer 1: units must be a positive integer ≤ 1,000,000; found 0', '4:12-4:13'],
  ['{ "units": 1000000000000000, "activation": "sigmoid" }', 'units', 'layer 1: units must be a positive integer ≤ 1,000,000; found 1000000000000000', '4:12-4:28'],
  ['{ "units": 2.5, "activation": "sigmoid" }', 'units', 'layer 1: units must be a positive integer ≤ 1,000,000; found 2.5', '4:12-4:15'],
  ['{ "units": 1e400, "activation": "sigmoid" }', 'units', 'layer 1: units must be a positive integer ≤ 1,000,000; found 1e400 (too large for a double)', '4:12-4:17'],
];

for (const [layer, , message, where] of outOfRange) {
  test(`out-of-range: ${layer}`, () => {
    expectProblem(net(layer), 'out-of-range', 'error', message, where);
  });
}

// Training limits from the issue, each on line 7 at column 1 ("key": value).
const trainingLimits: [string, string][] = [
  ['"learningRate": 0', 'training.learningRate must be a number > 0; found 0'],
  ['"learningRate": -1', 'training.learningRate must be a number > 0; found -1'],
  ['"iterations": 0', 'training.iterations must be a positive integer ≤ 1,000,000,000; found 0'],
  ['"iterations": 10.5', 'training.iterations must be a positive integer ≤ 1,000,000,000; found 10.5'],
  ['"keepProb": 0', 'training.keepProb must be a number in (0, 1]; found 0'],
  ['"keepProb": 1.5', 'training.keepProb must be a number in (0, 1]; found 1.5'],
  ['"batchSize": 0', 'training.batchSize must be a positive integer or null (full batch); found 0'],
  ['"l2": -0.1', 'training.l2 must be a number ≥ 0; found -0.1'],
  ['"seed": -1', 'training.seed must be an integer in [0, 2^32 - 1]; found -1'],
  ['"seed": 4294967296', 'training.seed must be an integer in [0, 2^32 - 1]; found 4294967296'],
];

for (const [line, message] of trainingLimits) {
  test(`out-of-range: ${line}`, () => {
    const key = line.slice(0, line.indexOf(':'));
    const valueColumn = key.length + 3; // `"key": ` then the value
    const valueLength = line.length - key.length - 2;
    expectProblem(
      net(LAYER, `,\n"training": {\n${line}\n}`),
      'out-of-range',
      'error',
      message,
      `7:${valueColumn}-7:${valueColumn + valueLength}`,
    );
  });
}

test('in range: the limits themselves are accepted (seed 2^32 - 1, keepProb 1, batchSize null)', () => {
  const r = checkText(net(LAYER, ',\n"training": {\n"seed": 4294967295, "keepProb": 1, "batchSize": null, "l2": 0\n}'));
  assert.deepEqual(r.problems, []);
  assert.equal(r.spec?.training.seed, 4294967295);
  assert.equal(r.spec?.training.batchSize, null);
});

test('unknown-activation: did you mean, with a preferred fix to the closest name', () => {
  const text = net('{ "units": 1, "activation": "sigmiod" }');
  const p = expectProblem(
    text,
    'unknown-activation',
    'error',
    "unknown activation 'sigmiod'; did you mean 'sigmoid'? (known: sigmoid, tanh, relu, leaky-relu, softmax, linear)",
    '4:29-4:38',
  );
  assert.equal(p.fix?.[0].title, "Change to 'sigmoid'");
  assert.equal(p.fix?.[0].preferred, true);
  assert.deepEqual(checkText(applyEdits(text, p.fix![0].edits)).problems, []);
});

test('unknown-activation: case does not matter for the suggestion (ReLU -> relu)', () => {
  const p = one(checkText(net('{ "units": 3, "activation": "ReLU" },\n' + LAYER)), 'unknown-activation');
  assert.match(p.message, /did you mean 'relu'\?/);
});

test('unknown-loss: binary-crossentropy -> binary-cross-entropy', () => {
  expectProblem(
    net(LAYER, ',\n"loss": "binary-crossentropy"'),
    'unknown-loss',
    'error',
    "unknown loss 'binary-crossentropy'; did you mean 'binary-cross-entropy'? (known: binary-cross-entropy, categorical-cross-entropy, mse)",
    '6:9-6:30',
  );
});

test('unknown-value: optimizer, init scheme, dataset and layer type', () => {
  expectProblem(
    net(LAYER, ',\n"training": {\n"optimizer": "adma"\n}'),
    'unknown-value',
    'error',
    "unknown optimizer 'adma'; did you mean 'adam'? (known: gd, momentum, rmsprop, adam)",
    '7:14-7:20',
  );
  expectProblem(
    net(LAYER, ',\n"training": {\n"init": "glorot"\n}'),
    'unknown-value',
    'error',
    "unknown init scheme 'glorot' (known: zeros, random, he, xavier)",
    '7:9-7:17',
  );
  expectProblem(
    net(LAYER, ',\n"data": { "builtin": "planer" }'),
    'unknown-value',
    'error',
    "unknown built-in dataset 'planer'; did you mean 'planar'? (known: planar, moons, circles, xor, spiral, blobs, shapes, digits)",
    '6:22-6:30',
  );
  expectProblem(
    net('{ "type": "lstm", "units": 1, "activation": "sigmoid" }'),
    'unknown-value',
    'error',
    "unknown layer type 'lstm' (known: dense, conv, pool, flatten, residual)",
    '4:11-4:17',
  );
});

test('empty-network: layers: [] is an error at the empty list', () => {
  expectProblem(
    '{\n"input": 2,\n"layers": []\n}',
    'empty-network',
    'error',
    'the network has no layers: add at least the output layer, e.g. { "units": 1, "activation": "sigmoid" }',
    '3:11-3:13',
  );
});

test('a minimal file gets every default filled in', () => {
  const r = checkText(net(LAYER));
  assert.deepEqual(r.problems, []);
  const spec = r.spec!;
  assert.deepEqual(spec.inputShape, [2]);
  assert.equal(spec.inputUnits, 2);
  assert.equal(spec.layers[0].type, 'dense');
  assert.equal(spec.layers[0].alpha, 0.01);
  assert.equal(spec.layers[0].batchNorm, false);
  // No loss written: the one that suits a sigmoid output.
  assert.equal(spec.loss, 'binary-cross-entropy');
  assert.equal(spec.data, undefined);
  assert.deepEqual(spec.training, TRAINING_DEFAULTS);
  assert.equal(spec.training.seed, undefined);
});

test('the loss defaults from the output activation: softmax -> categorical, linear -> mse', () => {
  assert.equal(checkText(net('{ "units": 3, "activation": "softmax" }')).spec?.loss, 'categorical-cross-entropy');
  assert.equal(checkText(net('{ "units": 1, "activation": "linear" }')).spec?.loss, 'mse');
});

test('input as a shape is flattened: [64, 64, 3] -> n[0] = 12288', () => {
  const r = checkText('{ "input": { "shape": [64, 64, 3] }, "layers": [' + LAYER + '] }');
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.spec?.inputShape, [64, 64, 3]);
  assert.equal(r.spec?.inputUnits, 64 * 64 * 3);
});

test('out-of-range: an input shape whose product is too big, at the shape', () => {
  // 1000 * 1000 * 1000 = 10^9 > 10^8.
  expectProblem(
    '{ "input": { "shape": [1000, 1000, 1000] }, "layers": [' + LAYER + '] }',
    'out-of-range',
    'error',
    'input.shape flattens to n[0] = 1,000,000,000 features; the limit is 100,000,000',
    '1:23-1:41',
  );
});

test('training, optimizer, init and data objects are read in full', () => {
  const text = net(
    LAYER,
    `,
"data": { "builtin": "spiral", "examples": 300, "noise": 0.2, "seed": 3, "classes": 3, "devFraction": 0.25, "standardize": true },
"training": {
  "iterations": 5, "learningRate": 0.1, "seed": 7, "batchSize": 64, "decayRate": 0.5, "l2": 0.7, "keepProb": 0.8, "printEvery": 2,
  "init": { "scheme": "random", "scale": 0.5 },
  "optimizer": { "name": "adam", "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-7 }
}`,
  );
  const r = checkText(text);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.spec?.data, {
    kind: 'builtin', builtin: 'spiral', examples: 300, noise: 0.2, seed: 3, classes: 3, devFraction: 0.25, standardize: true, path: ['data'],
  });
  assert.deepEqual(r.spec?.training, {
    iterations: 5, learningRate: 0.1, seed: 7, batchSize: 64, decayRate: 0.5, l2: 0.7, keepProb: 0.8, printEvery: 2,
    decay: 'updateLr', timeInterval: 1000, printPrecision: 6,
    init: { scheme: 'random', scale: 0.5 },
    optimizer: { name: 'adam', beta: 0.9, beta1: 0.8, beta2: 0.99, epsilon: 1e-7 },
  });
});

test('CSV data and an init file', () => {
  const r = checkText(net(LAYER, ',\n"data": { "train": "d/train.csv", "dev": "d/dev.csv" },\n"training": { "init": { "file": "w.params.json" } }'));
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.spec?.data, { kind: 'csv', train: 'd/train.csv', dev: 'd/dev.csv', label: 'y', devFraction: 0, standardize: false, path: ['data'] });
  assert.deepEqual(r.spec?.training.init, { scheme: 'file', path: 'w.params.json' });
});

test('a UTF-8 byte order mark, CRLF line ends and comments are all fine', () => {
  const text = '\uFEFF// planar\r\n{\r\n  "input": 2, /* n[0] */\r\n  "layers": [' + LAYER + '],\r\n  "loss": "mse"\r\n}\r\n';
  const r = checkText(text);
  // mse with a sigmoid output is a warning; it must sit on line 5, column 11, CRLF or not.
  assert.equal(r.problems.length, 1);
  assert.equal(span(text, r.problems[0].range), '5:11-5:16');
  assert.equal(r.spec?.inputUnits, 2);
});
