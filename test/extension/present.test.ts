/**
 * What the editor shows for a network, as plain strings: inlay hints, hovers, the CodeLens
 * tooltip and the Show Shapes table. The network is the course's planar one (2 → 4 tanh → 1
 * sigmoid): W[1] (4, 2), b[1] (4, 1), 4·2 + 4 = 12 parameters; W[2] (1, 4), b[2] (1, 1),
 * 1·4 + 1 = 5 parameters; 17 in total (worked out by hand from the course's rules).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../src/core/check';
import {
  declaredShapeHover, keyHover, kindSummary, layerHint, layerHover, layerLensTooltip, shapesTable, valueHover,
} from '../../src/extension/present';

const planar = checkText(
  '{ "name": "planar", "input": 2, "layers": [ { "units": 4, "activation": "tanh" }, { "units": 1, "activation": "sigmoid" } ], "loss": "binary-cross-entropy" }',
);
const [layer1, layer2] = planar.shapes!.layers;

test('inlay hint: the parameters, then the output', () => {
  assert.equal(layerHint(layer1!), 'W (4, 2) · b (4, 1) → A (4, m)');
  assert.equal(layerHint(layer2!), 'W (1, 4) · b (1, 1) → A (1, m)');
});

test('CodeLens tooltip: the parameter shapes of the layer', () => {
  assert.equal(layerLensTooltip(layer1!), 'Layer 1: W 4×2 + b 4×1');
});

test('hover on a layer: formulas, every shape with numbers and its rule, the parameter count', () => {
  assert.equal(
    layerHover(layer1!, 2),
    [
      '**Layer 1** · dense · 4 units · `tanh`',
      '',
      '`Z[1] = W[1]·A[0] + b[1]`  ',
      '`A[1] = g[1](Z[1])`, g[1] = tanh',
      '',
      '| | shape | rule |',
      '|---|---|---|',
      '| `W[1]` | `(4, 2)` | (n[1], n[0]) |',
      '| `b[1]` | `(4, 1)` | (n[1], 1) |',
      '| `Z[1]` | `(4, m)` | (n[1], m) |',
      '| `A[1]` | `(4, m)` | (n[1], m) |',
      '| `dW[1]` | `(4, 2)` | like W[1] |',
      '| `db[1]` | `(4, 1)` | like b[1] |',
      '| `dZ[1]` | `(4, m)` | like Z[1] |',
      '| `dA[1]` | `(4, m)` | like A[1] |',
      '',
      'n[0] = 2, n[1] = 4 · **12 parameters** = 4·2 + 4',
    ].join('\n'),
  );
  assert.match(layerHover(layer2!, 4), /\n`A\[2\] = g\[2\]\(Z\[2\]\)`, g\[2\] = sigmoid\n/);
  assert.match(layerHover(layer2!, 4), /n\[1\] = 4, n\[2\] = 1 · \*\*5 parameters\*\* = 1·4 \+ 1$/);
});

test('hover on a batch-norm layer counts gamma and beta: 5·3 + 5 + 2·5 = 30', () => {
  const bn = checkText('{ "input": 3, "layers": [ { "units": 5, "activation": "relu", "batchNorm": true } ] }').shapes!.layers[0]!;
  assert.match(layerHover(bn, 3), /\*\*30 parameters\*\* = 5·3 \+ 5 \+ 2·5$/);
});

test('hover on a declared shape: the inferred shape and its rule beside what was written', () => {
  assert.equal(declaredShapeHover(layer2!, 'W', '[4,\n  1]'), '`W[2]` is `(1, 4)` = (n[2], n[1]); declared `[4, 1]`');
  assert.equal(declaredShapeHover(layer2!, 'dZ', '[1, "m"]'), '`dZ[2]` is `(1, m)` = like Z[2]; declared `[1, "m"]`');
  assert.equal(declaredShapeHover(layer2!, 'gamma', '[1, 1]'), undefined);
});

test('Show Shapes: a table of every layer, the total, and the formulas of the kinds in it', () => {
  const lines = shapesTable('planar.dnn.json', planar).split('\n');
  assert.deepEqual(lines.slice(0, 3), ['planar (planar.dnn.json)', '========================', '']);
  const rows = lines.map((l) => l.trim().split(/\s{2,}/).join('|'));
  assert.ok(rows.includes('0|input|2|A[0] = X (2, m)'), rows.join('\n'));
  assert.ok(rows.includes('1|dense|tanh|4|(4, 2)|(4, 1)|(4, m)|12'), rows.join('\n'));
  assert.ok(rows.includes('2|dense|sigmoid|1|(1, 4)|(1, 1)|(1, m)|5'), rows.join('\n'));
  assert.ok(lines.includes('Total params: 17'));
  assert.ok(lines.includes('Loss: binary-cross-entropy, output g[L] = sigmoid'));
  assert.ok(lines.includes(kindSummary('dense')));
  assert.equal(kindSummary('dense'), 'Z[l] = W[l]·A[l-1] + b[l],  A[l] = g[l](Z[l]);  dW, db, dZ, dA have the shapes of W, b, Z, A.');
});

test('hover on a key: its description from the schema, none for a key the format lacks there', () => {
  assert.match(keyHover(['training', 'learningRate'])!, /^\*\*learningRate\*\*: α, the learning rate: the step size of gradient descent/);
  assert.match(keyHover(['training', 'init', 'file'])!, /^\*\*file\*\*: A parameters file \(\*\.params\.json/);
  assert.equal(keyHover(['layers', 0, 'path']), undefined);
});

test('hover on a value the schema describes: what that value means', () => {
  assert.equal(valueHover(['training', 'init'], 'he'), '`he`: W = np.random.randn(n[l], n[l-1]) * sqrt(2 / n[l-1]), for relu');
  assert.equal(valueHover(['training', 'init', 'scheme'], 'zeros'), '`zeros`: W = 0: every hidden unit stays the same (fine only for L = 1)');
  assert.match(valueHover(['training', 'optimizer'], 'adam')!, /^`adam`: Adam: momentum and RMSprop with bias correction/);
  assert.match(valueHover(['loss'], 'mse')!, /^`mse`: \(1\/2m\) Σ \(a - y\)²/);
  assert.match(valueHover(['data', 'builtin'], 'planar')!, /load_planar_dataset, m = 400/);
  // Not an allowed value, or a string the schema does not list (a name, a file, "m" in a shape).
  for (const [path, value] of [[['loss'], 'hinge'], [['name'], 'planar'], [['data', 'train'], 'train.csv'], [['layers', 0, 'shapes', 'A', 1], 'm']] as const) {
    assert.equal(valueHover([...path], value), undefined, `${path.join('.')} = ${value}`);
  }
});
