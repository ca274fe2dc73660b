/**
 * What the editor shows for a network, as plain strings: inlay hints, hovers, the CodeLens
 * tooltip and the Show Shapes table. The network is the course's planar one (2 → 4 tanh → 1
 * sigmoid): W[1] (4, 2), b[1] (4, 1), 4·2 + 4 = 12 parameters; W[2] (1, 4), b[2] (1, 1),
 * 1·4 + 1 = 5 parameters; 17 in total (worked out by hand from the course's rules).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../../src/core/check';
import {
  declaredShapeHover, keyHover, kindSummary, layerHint, layerHover, layerLensTitle, layerLensTooltip, shapesTable, statusText, unitsOf,
  valueHover,
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
  // n[1]·n[0] = 4·2 = 8 multiply-adds per example.
  assert.equal(layerLensTooltip(layer1!), 'Layer 1: W 4×2 + b 4×1 · 8 multiply-adds per example');
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
      '**8 multiply-adds** per example = 4·2',
    ].join('\n'),
  );
  assert.match(layerHover(layer2!, 4), /\n`A\[2\] = g\[2\]\(Z\[2\]\)`, g\[2\] = sigmoid\n/);
  assert.match(layerHover(layer2!, 4), /n\[1\] = 4, n\[2\] = 1 · \*\*5 parameters\*\* = 1·4 \+ 1\n\*\*4 multiply-adds\*\* per example = 1·4$/);
});

test('hover on a batch-norm layer counts gamma and beta: 5·3 + 5 + 2·5 = 30', () => {
  const bn = checkText('{ "input": 3, "layers": [ { "units": 5, "activation": "relu", "batchNorm": true } ] }').shapes!.layers[0]!;
  assert.match(layerHover(bn, 3), /\*\*30 parameters\*\* = 5·3 \+ 5 \+ 2·5\n/);
});

test('hover on a declared shape: the inferred shape and its rule beside what was written', () => {
  assert.equal(declaredShapeHover(layer2!, 'W', '[4,\n  1]'), '`W[2]` is `(1, 4)` = (n[2], n[1]); declared `[4, 1]`');
  assert.equal(declaredShapeHover(layer2!, 'dZ', '[1, "m"]'), '`dZ[2]` is `(1, m)` = like Z[2]; declared `[1, "m"]`');
  assert.equal(declaredShapeHover(layer2!, 'gamma', '[1, 1]'), undefined);
});

test('hover text quoted from the document stays code: a backtick in it cannot open links or images', () => {
  const hostile = '[1, "`](command:workbench.action.quit) ![x](https://example.invalid/i.png) ``"]';
  const hover = declaredShapeHover(layer2!, 'W', hostile)!;
  const quoted = hover.slice(hover.indexOf('declared ') + 'declared '.length);
  // CommonMark: a code span opened by a run of n backticks ends only at a run of exactly n.
  const fence = /^`+/.exec(quoted)![0];
  assert.ok(quoted.endsWith(` ${fence}`) && quoted.startsWith(`${fence} `), quoted);
  const inner = quoted.slice(fence.length, -fence.length);
  assert.ok(!(inner.match(/`+/g) ?? []).some((run) => run.length === fence.length), `the fence ${fence} closes early in ${inner}`);
  assert.equal(inner.trim(), hostile);
  // Long text is cut, so a hover never carries a page of the document.
  assert.ok(declaredShapeHover(layer2!, 'W', `[${'1, '.repeat(500)}1]`)!.length < 250);
});

test('Show Shapes: a table of every layer, the total, and the formulas of the kinds in it', () => {
  const lines = shapesTable('planar.dnn.json', planar).split('\n');
  assert.deepEqual(lines.slice(0, 3), ['planar (planar.dnn.json)', '========================', '']);
  const rows = lines.map((l) => l.trim().split(/\s{2,}/).join('|'));
  assert.ok(rows.includes('0|input|2|A[0] = X (2, m)'), rows.join('\n'));
  // The last column is multiply-adds per example, n[l]·n[l-1]: 4·2 = 8 and 1·4 = 4.
  assert.ok(rows.includes('1|dense|tanh|4|(4, 2)|(4, 1)|(4, m)|12|8'), rows.join('\n'));
  assert.ok(rows.includes('2|dense|sigmoid|1|(1, 4)|(1, 1)|(1, m)|5|4'), rows.join('\n'));
  assert.ok(lines.includes('Total params: 17'));
  assert.ok(lines.includes('Multiply-adds per example: 12'));
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

/*
 * A small conv net, worked out by hand from course 4's rules:
 *   X (m, 32, 32, 3)
 *   1 conv 6 filters 5×5 valid:  n_H = ⌊(32 + 0 − 5)/1⌋ + 1 = 28; W (5, 5, 3, 6), (5·5·3 + 1)·6 = 456
 *                                parameters, 28·28·6 · 5·5·3 = 352,800 multiply-adds
 *   2 max pool 2×2, stride 2:    n_H = ⌊(28 − 2)/2⌋ + 1 = 14 → 14×14×6, no parameters
 *   3, 4 conv 6 filters 3×3 same (p = 1), in an identity block: 14×14×6, (3·3·6 + 1)·6 = 330
 *                                parameters and 14·14·6 · 3·3·6 = 63,504 multiply-adds each
 *   5 flatten: 14·14·6 = 1176;  6 dense 10: 10·1176 + 10 = 11,770 parameters, 11,760 multiply-adds
 */
const convNet = checkText(`{
  "input": { "shape": [32, 32, 3] },
  "layers": [
    { "type": "conv", "filters": 6, "size": 5, "activation": "relu" },
    { "type": "pool", "mode": "max", "size": 2 },
    { "type": "residual", "layers": [
        { "type": "conv", "filters": 6, "size": 3, "padding": "same", "activation": "relu" },
        { "type": "conv", "filters": 6, "size": 3, "padding": "same", "activation": "relu" }
    ] },
    { "type": "flatten" },
    { "units": 10, "activation": "softmax" }
  ]
}`);
const net = convNet.shapes!;
const byPath = (...path: (string | number)[]) => net.layers.find((s) => JSON.stringify(s.path) === JSON.stringify(path))!;
const hoverOf = (...path: (string | number)[]) => layerHover(byPath(...path), unitsOf(net, byPath(...path).input), net);

test('conv: the hint ends in the volume, n_H×n_W×n_C', () => {
  assert.deepEqual(convNet.problems, []);
  assert.equal(layerHint(byPath('layers', 0)), 'W 5×5×3×6 · b 1×1×1×6 → 28×28×6');
  assert.equal(layerHint(byPath('layers', 1)), '→ 14×14×6');
  assert.equal(layerHint(byPath('layers', 2, 'layers', 1)), 'W 3×3×6×6 · b 1×1×1×6 → 14×14×6');
  assert.equal(layerHint(byPath('layers', 2)), '→ 14×14×6');
  assert.equal(layerHint(byPath('layers', 3)), '→ A (1176, m)');
  assert.equal(layerHint(byPath('layers', 4)), 'W (10, 1176) · b (10, 1) → A (10, m)');
});

test('conv: the hover shows the size formulas with their numbers, every shape, parameters and multiply-adds', () => {
  assert.equal(
    hoverOf('layers', 0),
    [
      '**Layer 1** · conv · 28×28×6 · `relu`',
      '',
      '`Z[1] = W[1] ∗ A[0] + b[1]`  ',
      '`A[1] = g[1](Z[1])`, g[1] = relu',
      '',
      '`n_H[1] = ⌊(32 + 2·0 − 5)/1⌋ + 1 = 28`  ',
      '`n_W[1] = ⌊(32 + 2·0 − 5)/1⌋ + 1 = 28`  ',
      '`n_C[1] = 6 filters`',
      '',
      '| | shape | rule |',
      '|---|---|---|',
      '| `W[1]` | `(5, 5, 3, 6)` | (f[1], f[1], n_C[0], n_C[1]) |',
      '| `b[1]` | `(1, 1, 1, 6)` | (1, 1, 1, n_C[1]) |',
      '| `Z[1]` | `(m, 28, 28, 6)` | (m, n_H[1], n_W[1], n_C[1]) |',
      '| `A[1]` | `(m, 28, 28, 6)` | (m, n_H[1], n_W[1], n_C[1]) |',
      '| `dW[1]` | `(5, 5, 3, 6)` | like W[1] |',
      '| `db[1]` | `(1, 1, 1, 6)` | like b[1] |',
      '| `dZ[1]` | `(m, 28, 28, 6)` | like Z[1] |',
      '| `dA[1]` | `(m, 28, 28, 6)` | like A[1] |',
      '',
      'f[1] = 5, n_C[0] = 3, n_C[1] = 6 · **456 parameters** = (5·5·3 + 1)·6',
      '**352,800 multiply-adds** per example = 28·28·6·5·5·3',
    ].join('\n'),
  );
});

test('pool and flatten: their formulas and A, no W or b, no activation, no parameters', () => {
  const pool = hoverOf('layers', 1);
  assert.ok(!pool.includes('undefined'), pool);
  assert.ok(!/`d?[Wb]\[2\]`/.test(pool), pool);
  assert.match(pool, /^\*\*Layer 2\*\* · pool · 14×14×6\n\n`A\[2\] = pool\(A\[1\]\)`\n\n`n_H\[2\] = ⌊\(28 \+ 2·0 − 2\)\/2⌋ \+ 1 = 14` {2}\n/);
  assert.match(pool, /\| `A\[2\]` \| `\(m, 14, 14, 6\)` \| \(m, n_H\[2\], n_W\[2\], n_C\[2\]\) \|/);
  assert.match(pool, /\n\n.*· \*\*0 parameters\*\*$/);
  const flat = hoverOf('layers', 3);
  assert.ok(!flat.includes('undefined'), flat);
  assert.match(flat, /^\*\*Layer 5\*\* · flatten · 1,176 units\n\n`A\[5\] = A\[4\]\.reshape\(m, −1\)\.T`\n\n`n\[5\] = n_H\[4\]·n_W\[4\]·n_C\[4\] = 14·14·6 = 1176`\n/);
  assert.match(flat, /\| `A\[5\]` \| `\(1176, m\)` \|/);
  // The dense layer after it reads n[5] = 1176 values per example.
  assert.match(hoverOf('layers', 4), /n\[5\] = 1176, n\[6\] = 10 · \*\*11,770 parameters\*\* = 10·1176 \+ 10\n\*\*11,760 multiply-adds\*\* per example = 10·1176$/);
});

test('a residual block: its sum, its output, and the parameters and multiply-adds of its layers', () => {
  const block = hoverOf('layers', 2);
  assert.ok(!block.includes('undefined'), block);
  assert.match(block, /^\*\*Residual block, layers 3–4\*\* · residual · 14×14×6\n\n`A\[4\] = g\[4\]\(Z\[4\] \+ A\[2\]\)`\n/);
  // 2 · 330 = 660 parameters, 2 · 63,504 = 127,008 multiply-adds.
  assert.match(block, /block: \*\*660 parameters\*\*, \*\*127,008 multiply-adds\*\* per example/);
  assert.equal(layerLensTitle(byPath('layers', 2), net), 'block: 660 parameters');
  assert.equal(layerLensTooltip(byPath('layers', 2), net), 'Residual block, layers 3–4: 660 parameters in its layers · 127,008 multiply-adds per example');
  // Its inner layer is layer 4 and reads A[3].
  assert.match(hoverOf('layers', 2, 'layers', 1), /^\*\*Layer 4\*\* · conv · 14×14×6 · `relu`\n\n`Z\[4\] = W\[4\] ∗ A\[3\] \+ b\[4\]`/);
  assert.equal(layerLensTooltip(byPath('layers', 2, 'layers', 1)), 'Layer 4: W 3×3×6×6 + b 1×1×1×6 · 63,504 multiply-adds per example');
});

test("a shortcut: the course's W_s, reading the block's input", () => {
  // X (m, 8, 8, 4); layer 1: 3×3 stride 2 "same" → ⌈8/2⌉ = 4; the 1×1 stride-2 shortcut:
  // ⌊(8 + 0 − 1)/2⌋ + 1 = 4, W_s (1, 1, 4, 8), (1·1·4 + 1)·8 = 40 parameters, 4·4·8·1·1·4 = 512 multiply-adds.
  const r = checkText(`{ "input": { "shape": [8, 8, 4] }, "layers": [ { "type": "residual", "layers": [
    { "type": "conv", "filters": 8, "size": 3, "stride": 2, "padding": "same", "activation": "relu" },
    { "type": "conv", "filters": 8, "size": 3, "padding": "same", "activation": "relu" } ],
    "shortcut": { "type": "conv", "filters": 8, "size": 1, "stride": 2 } }, { "type": "flatten" }, { "units": 1, "activation": "sigmoid" } ] }`);
  const s = r.shapes!.layers.find((x) => x.shortcut)!;
  assert.equal(layerHint(s), 'W_s 1×1×4×8 · b_s 1×1×1×8 → 4×4×8');
  const h = layerHover(s, unitsOf(r.shapes!, s.input), r.shapes!);
  assert.match(h, /^\*\*Shortcut of layer 2\*\* · conv · 4×4×8 · `linear`\n\n`Z_s\[2\] = W_s\[2\] ∗ A\[0\] \+ b_s\[2\]` {2}\n`A_s\[2\] = g_s\[2\]\(Z_s\[2\]\)`, g_s\[2\] = linear {2}\nadded to Z\[2\] before g\[2\]\n/);
  assert.match(h, /`n_H_s\[2\] = ⌊\(8 \+ 2·0 − 1\)\/2⌋ \+ 1 = 4`/);
  assert.match(h, /\| `W_s\[2\]` \| `\(1, 1, 4, 8\)` \| \(f_s\[2\], f_s\[2\], n_C\[0\], n_C_s\[2\]\) \|/);
  assert.match(h, /\| `dW_s\[2\]` \| `\(1, 1, 4, 8\)` \| like W_s\[2\] \|/);
  assert.match(h, /\nf_s\[2\] = 1, n_C\[0\] = 4, n_C_s\[2\] = 8 · \*\*40 parameters\*\* = \(1·1·4 \+ 1\)·8\n\*\*512 multiply-adds\*\* per example = 4·4·8·1·1·4$/);
});

test('Show Shapes and the status bar: the new kinds, volumes as n_H×n_W×n_C, multiply-adds', () => {
  const lines = shapesTable('conv.dnn.json', convNet).split('\n');
  const rows = lines.map((l) => l.trim().split(/\s{2,}/).join('|'));
  assert.ok(rows.includes('0|input|3072|A[0] = X 32×32×3'), rows.join('\n'));
  assert.ok(rows.includes('1|conv|relu|4704|5×5×3×6|1×1×1×6|28×28×6|456|352,800'), rows.join('\n'));
  assert.ok(rows.includes('2|pool|1176|14×14×6|0|0'), rows.join('\n'));
  assert.ok(rows.includes('3–4|residual|1176|14×14×6|0|0'), rows.join('\n'));
  assert.ok(rows.includes('5|flatten|1176|(1176, m)|0|0'), rows.join('\n'));
  // 456 + 330 + 330 + 11,770 = 12,886; 352,800 + 2·63,504 + 11,760 = 491,568.
  assert.ok(lines.includes('Total params: 12,886'));
  assert.ok(lines.includes('Multiply-adds per example: 491,568'));
  assert.ok(lines.includes('A[l] = pool(A[l-1]);  dA has the shape of A.'));
  const status = statusText(convNet);
  // L = 6: the block's two layers are numbered like any others.
  // It has no data: the shapes check, and the status says it cannot train yet.
  assert.equal(status.text, '$(symbol-structure) 6 layers · 12,886 params · $(check) · no data');
  assert.match(status.tooltip, /^All shapes check\n491,568 multiply-adds per example\n/);
});

test('the status bar counts the data problems it is given and the layers a broken file lists', () => {
  const ok = checkText('{ "input": 2, "layers": [ { "units": 4, "activation": "tanh" }, { "units": 1, "activation": "sigmoid" } ], "loss": "binary-cross-entropy", "data": { "builtin": "planar" } }');
  assert.equal(statusText(ok).text, '$(symbol-structure) 2 layers · 17 params · $(check)');
  // A data mismatch found when the data loaded: the shapes check, the file does not.
  const mismatch = { code: 'data-mismatch', severity: 'error', message: 'the data has 3 features but n[0] = 2', path: ['input'] } as const;
  const withData = statusText({ ...ok, problems: [...ok.problems, mismatch] as never });
  assert.equal(withData.text, '$(symbol-structure) 2 layers · 17 params · $(error) 1');
  assert.match(withData.tooltip, /^1 error: the data has 3 features but n\[0\] = 2/);
  // One layer the parser cannot read: the file still lists three layers.
  const broken = checkText('{ "input": 2, "layers": [ { "units": 4 }, { "units": "x" }, { "units": 1, "activation": "sigmoid" } ] }');
  assert.match(statusText(broken).text, /^\$\(symbol-structure\) 3 layers .*\$\(error\)/);
});

test('a network without data says what data it needs, never a dataset that cannot fit', () => {
  // The cat network of examples/deep.dnn.json without its "data" line.
  const text = readFileSync(join(__dirname, '..', '..', 'examples', 'deep.dnn.json'), 'utf8').replace(/^\s*"data": .*\n/m, '');
  assert.ok(!text.includes('"data"'));
  const deep = checkText(text);
  const status = statusText(deep);
  assert.match(status.text, / · no data$/);
  assert.match(status.tooltip, /n\[0\] = 12,288 features each \(64×64×3 pictures, flattened\) and a 0\/1 label per example/);
  assert.doesNotMatch(status.tooltip, /planar/);
});
