/**
 * The network picture's content: a box per layer with its kind, size, activation and parameter
 * count, each edge's tensor in course notation, residual blocks with their layers and shortcut,
 * problems on the layer they are about, and nothing from the file that could run as markup.
 * Shapes and counts are worked by hand from the course's rules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../../src/core/check';
import { diagramModel, diagramSvg, wrap } from '../../src/extension/diagram';

const root = join(__dirname, '..', '..');
const example = (name: string): string => readFileSync(join(root, 'examples', name), 'utf8');

test('planar: X (2, m), a tanh layer of 4 units (4·2 + 4 = 12 params), a sigmoid output Ŷ = A[2] (1, m)', () => {
  const d = diagramModel(checkText(example('planar.dnn.json')));
  assert.equal(d.input, 'X = A[0] (2, m)');
  assert.deepEqual(d.boxes.map((b) => [b.label, b.kind, b.detail, b.params, b.output]), [
    ['1', 'dense', '4 units · tanh', '12 params', 'A[1] (4, m)'],
    ['2', 'dense', '1 unit · sigmoid', '5 params', 'Ŷ = A[2] (1, m)'],
  ]);
  assert.equal(d.summary, '2 layers · 17 params');
  const svg = diagramSvg(d);
  for (const text of ['X = A[0] (2, m)', '1 · dense', '12 params', 'A[1] (4, m)', 'Ŷ = A[2] (1, m)']) assert.ok(svg.includes(text), text);
  // A click on a box names its layer by JSON path.
  assert.ok(svg.includes('data-path="[&quot;layers&quot;,0]"'));
});

test('a layer with an error is drawn in the error colour with its message; layers it hides have unknown shapes', () => {
  const text = '{ "input": 2, "layers": [ { "units": 4, "activation": "tanh", "shapes": { "W": [2, 4] } }, { "units": 0, "activation": "relu" }, { "units": 1, "activation": "sigmoid" } ] }';
  const d = diagramModel(checkText(text));
  assert.equal(d.boxes[0].problem?.severity, 'error');
  assert.match(d.boxes[0].problem!.message, /W\[1\] must be \(n\[1\], n\[0\]\) = \(4, 2\); found \(2, 4\)/);
  assert.equal(d.boxes[1].problem?.severity, 'error');
  assert.equal(d.boxes[1].params, undefined, 'a layer that cannot be inferred has no count');
  assert.equal(d.boxes[2].output, 'Ŷ = A[3] ?');
  const svg = diagramSvg(d);
  assert.match(svg, /<g class="layer dense error" data-path="\[&quot;layers&quot;,0\]">/);
  assert.ok(svg.includes('<text class="message error"'));
});

test('a residual block: its layers inside it, the shortcut on the skip line, the sum\'s output after it', () => {
  const d = diagramModel(checkText(example('resnet-small.dnn.json')));
  const kinds = d.boxes.map((b) => `${b.label}:${b.kind}:${b.depth}`);
  assert.deepEqual(kinds.slice(0, 4), ['1:conv:0', '2–3:residual:0', '2:conv:1', '3:conv:1']);
  const block = d.boxes[1];
  assert.equal(block.inner, 2);
  assert.equal(block.detail, 'Z + A (identity)');
  const withShortcut = d.boxes.find((b) => b.kind === 'residual' && b.detail.startsWith('Z + W_s'))!;
  const shortcut = d.boxes.find((b) => b.shortcut)!;
  assert.equal(shortcut.label, 's5');
  // A batch-normalised 1×1 conv from 16 to 32 channels: (1·1·16 + 1)·32 + 2·32 = 608 parameters.
  assert.equal(shortcut.params, '608 params');
  assert.match(shortcut.output, /^W_s\[5\] ∗ A\[3\] \(m, 16, 16, 32\)$/);
  assert.match(withShortcut.output, /^A\[5\] \(m, 16, 16, 32\)$/);
  assert.ok(diagramSvg(d).includes('class="skip"'));
});

test('text from the file is escaped: an activation named like markup stays text', () => {
  const text = '{ "input": 2, "layers": [ { "units": 1, "activation": "<script>alert(1)</script>" } ] }';
  const svg = diagramSvg(diagramModel(checkText(text)));
  assert.ok(!svg.includes('<script>'));
  assert.ok(svg.includes('&lt;script&gt;'));
});

test('a 500-layer network: 500 boxes, numbered in order, in one picture', () => {
  const hidden = Array.from({ length: 499 }, (_, i) => `{ "units": ${3 + (i % 4)}, "activation": "relu" }`);
  const text = `{ "input": 8, "layers": [ ${hidden.join(', ')}, { "units": 1, "activation": "sigmoid" } ] }`;
  const d = diagramModel(checkText(text));
  assert.equal(d.boxes.length, 500);
  assert.equal(d.boxes[499].label, '500');
  assert.equal(d.boxes[1].params, `${(4 * 3 + 4).toLocaleString('en-US')} params`);
  const svg = diagramSvg(d);
  assert.equal(svg.match(/<g class="layer /g)?.length, 500);
});

test('long messages wrap under the box, at most three lines', () => {
  assert.deepEqual(wrap('a b c d e f', 3, 3), ['a b', 'c d', 'e f']);
  const lines = wrap('word '.repeat(100), 20, 3);
  assert.equal(lines.length, 3);
  assert.ok(lines.every((l) => l.length <= 20));
  assert.ok(lines[2].endsWith('…'));
});
