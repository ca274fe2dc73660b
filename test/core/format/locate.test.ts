import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTree, type Node } from 'jsonc-parser';
import type { JsonPath } from '../../../src/core/problems';
import { readTree } from '../../../src/core/format/tree';
import { LineIndex, isRead, lineColumn, locate, nodeAt, placeAt, rangeAt } from '../../../src/core/format/locate';

test('lineColumn counts 1-based lines and columns, CRLF as one break', () => {
  const text = 'ab\r\ncd\nef';
  assert.deepEqual(lineColumn(text, 0), { line: 1, column: 1 });
  assert.deepEqual(lineColumn(text, 4), { line: 2, column: 1 }); // 'c'
  assert.deepEqual(lineColumn(text, 7), { line: 3, column: 1 }); // 'e'
  assert.deepEqual(lineColumn(text, 8), { line: 3, column: 2 });
});

test('a path with a duplicate key means the last one, as JSON.parse and the checker read it', () => {
  const text = '{ "layers": [1], "layers": [2, 3] }';
  const tree = parseTree(text)!;
  const second = text.indexOf('[2');
  assert.equal(nodeAt(tree, ['layers'])?.offset, second);
  assert.equal(nodeAt(tree, ['layers', 1])?.value, 3);
  assert.equal(nodeAt(tree, ['layers', 2]), undefined);
  assert.deepEqual(JSON.parse(text).layers, [2, 3]);
});

test('locate walks up to the nearest node that exists, and says how far it got', () => {
  const text = '{ "training": { "seed": 1 } }';
  const tree = parseTree(text)!;
  const at = locate(tree, ['training', 'learningRate']);
  assert.deepEqual(at?.path, ['training']);
  assert.equal(at?.exact, false);
  // Value, "key": value, and key ranges of the same place.
  const seed = text.indexOf('1 }');
  assert.deepEqual(rangeAt(tree, ['training', 'seed']), { offset: seed, length: 1 });
  assert.deepEqual(rangeAt(tree, ['training', 'seed'], 'property'), { offset: text.indexOf('"seed"'), length: '"seed": 1'.length });
  assert.deepEqual(rangeAt(tree, ['training', 'seed'], 'key'), { offset: text.indexOf('"seed"'), length: 6 });
  assert.deepEqual(rangeAt(undefined, ['x']), { offset: 0, length: 0 });
});

test('LineIndex gives 0-based positions, clamped to the text', () => {
  const lines = new LineIndex('ab\ncd');
  assert.deepEqual(lines.positionAt(3), { line: 1, character: 0 });
  assert.deepEqual(lines.positionAt(99), { line: 1, character: 2 });
  assert.deepEqual(lines.positionAt(-5), { line: 0, character: 0 });
});

test('placeAt: the path of a key, a value and a bracket, as a hover asks for them', () => {
  const text = '{ "layers": [ { "units": 4, "activation": "tanh" } ], "training": { "seed": 1 } }';
  const tree = parseTree(text)!;
  const at = (needle: string, plus = 1) => placeAt(tree, text.indexOf(needle) + plus);
  assert.deepEqual(at('"units"')?.path, ['layers', 0, 'units']);
  assert.equal(at('"units"')?.onKey, true);
  assert.equal(at('"units"')?.node?.value, 'units');
  assert.deepEqual(at('4', 0)?.path, ['layers', 0, 'units']);
  assert.equal(at('4', 0)?.onKey, false);
  assert.equal(at('4', 1)?.node?.value, 4); // the end of a token still belongs to it
  assert.deepEqual(at('"tanh"')?.path, ['layers', 0, 'activation']);
  assert.deepEqual(at('{ "units"', 0)?.path, ['layers', 0]);
  assert.equal(at('{ "units"', 0)?.node?.type, 'object');
  assert.equal(at(' "seed"', 0), undefined); // between the entries of an object
  const colon = at(': 1', 1);
  assert.deepEqual([colon?.path, colon?.onKey, colon?.node], [['training', 'seed'], false, undefined]);
});

test('with two "layers" keys, the text of the first is not read and a path means the second', () => {
  const text = '{ "layers": [ { "units": 3 } ], "input": 2, "layers": [ { "units": 4 } ] }';
  const tree = parseTree(text)!;
  const first = placeAt(tree, text.indexOf('3'))!;
  const second = placeAt(tree, text.indexOf('4'))!;
  assert.deepEqual([first.path, first.read], [['layers', 0, 'units'], false]);
  assert.deepEqual([second.path, second.read], [['layers', 0, 'units'], true]);
  assert.equal(nodeAt(tree, second.path), second.node);
  assert.equal(placeAt(tree, text.indexOf('"layers"') + 1)!.read, false);
  assert.equal(isRead(nodeAt(tree, ['input'])!), true);
});

test('on the checker\'s own tree, nodeAt and rangeAt find what they find on jsonc-parser\'s', () => {
  // Every path into these texts, and paths that go one step too far, with each target.
  const texts = [
    '{ "layers": [1], "layers": [2, {"units": 3, "units": 4}] , "training": {"seed": 1}}',
    '// c\n{ "input": {"shape": [2, 3]}, "layers": [{"type": "residual", "layers": [{"units": 1, "activation": "relu"}]}] }',
  ];
  const paths = (node: Node, path: JsonPath, out: JsonPath[]): JsonPath[] => {
    out.push(path, [...path, 'missing'], [...path, 7]);
    if (node.type === 'object') for (const p of node.children ?? []) paths(p.children![1]!, [...path, p.children![0]!.value as string], out);
    if (node.type === 'array') (node.children ?? []).forEach((c, i) => paths(c, [...path, i], out));
    return out;
  };
  for (const text of texts) {
    const theirs = parseTree(text)!;
    const ours = readTree(text, 256)!.root()!;
    for (const path of paths(theirs, [], [])) {
      const a = nodeAt(theirs, path);
      const b = nodeAt(ours, path);
      assert.deepEqual(b && [b.type, b.offset, b.length], a && [a.type, a.offset, a.length], `nodeAt ${JSON.stringify(path)}`);
      for (const target of ['value', 'property', 'key'] as const) {
        assert.deepEqual(rangeAt(ours, path, target), rangeAt(theirs, path, target), `rangeAt ${JSON.stringify(path)} ${target}`);
      }
    }
  }
});
