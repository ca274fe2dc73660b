/**
 * The fast reader must build exactly jsonc-parser's tree for every text jsonc-parser reads without
 * an error, and give up on every other text (so the error-tolerant parse reports it). The corpus:
 * every shipped example and template-like file, hand-picked edge cases, and random mutations of
 * the examples (deleted, duplicated and swapped characters) that hit its give-up paths.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseTree, type Node, type ParseError } from 'jsonc-parser';
import { readTree, Tree } from '../../../src/core/format/tree';
import { filesUnder } from '../../helpers/files';
import { convNetwork, network } from '../../../bench/check.bench';

const MAX_DEPTH = 256;

/** jsonc-parser's node layout as plain objects, so trees compare with deepStrictEqual. */
function plain(node: Node, parent?: Node): Node {
  const out: Record<string, unknown> = { type: node.type, offset: node.offset, length: node.length };
  if (parent) out.parent = parent;
  if (node.type === 'property' && node.colonOffset !== undefined) out.colonOffset = node.colonOffset;
  if (node.children) out.children = node.children.map((c) => plain(c, out as unknown as Node));
  else out.value = node.value;
  return out as unknown as Node;
}

/** The fast reader's tree as jsonc-parser's nodes (plain objects), or undefined when it gave up. */
function parseTreeFast(text: string, maxDepth: number): Node | undefined {
  const root = readTree(text, maxDepth)?.root();
  return root && plain(root);
}

/** jsonc-parser's tree when it reads `text` without errors, else undefined. */
function reference(text: string): Node | undefined {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  return errors.length === 0 ? tree : undefined;
}

function depth(node: Node | undefined): number {
  if (!node?.children) return 0;
  const inner = Math.max(0, ...node.children.map(depth));
  return node.type === 'property' ? inner : inner + 1;
}

/** Same tree, or the fast reader gave up (allowed only when jsonc-parser reports errors or the nesting is too deep). */
function agrees(text: string, where: string): void {
  const fast = parseTreeFast(text, MAX_DEPTH);
  const slow = reference(text);
  if (fast === undefined) {
    assert.ok(slow === undefined || depth(slow) > MAX_DEPTH, `${where}: the fast reader gave up on text jsonc-parser reads cleanly:\n${text.slice(0, 300)}`);
    return;
  }
  assert.ok(slow !== undefined, `${where}: the fast reader accepted text jsonc-parser reports errors in:\n${text.slice(0, 300)}`);
  assert.deepStrictEqual(fast, plain(slow), `${where}: trees differ`);
}

const examples = filesUnder('examples', /\.json$/).concat(filesUnder('test/fixtures', /\.dnn\.json$/));

test('every shipped example reads to the same tree as jsonc-parser', () => {
  assert.ok(examples.length >= 7, `found ${examples.length} example files`);
  for (const file of examples) {
    const text = readFileSync(file, 'utf8');
    assert.ok(parseTreeFast(text, MAX_DEPTH), `${file} should take the fast path`);
    agrees(text, file);
  }
});

test('comments, trailing commas, escapes, numbers and literals give the same tree', () => {
  const cases = [
    '{}',
    '[]',
    '  {"a": 1}  ',
    '// head\n{ /* block */ "a" /* between */ : /* x */ [1, 2, ], "b": {"c": null,}, }\n// tail',
    '{"s": "tab\\t nl\\n quote\\" slash\\/ back\\\\ u\\u00e9\\uD83D\\uDE00 é 😀"}',
    '{"n": [0, -0, 1.5, -2e10, 3E-7, 1e400, 123456789012345678901234567890, -0.0e+0]}',
    '{"t": true, "f": false, "z": null}',
    '{"a": 1, "a": 2}',
    '{"k":1}\r\n',
    '"just a string"',
    '42',
    '{"a"\n:\n1\n}',
    '{"x": {"y": {"z": [[[]]]}}}',
    '/**/{"a":1}/***/',
  ];
  for (const c of cases) {
    assert.ok(parseTreeFast(c, MAX_DEPTH), `should take the fast path: ${c}`);
    agrees(c, JSON.stringify(c));
  }
});

test('the 2,000-layer files the bench checks read to the same tree as jsonc-parser', () => {
  agrees(network(2000), 'the dense bench file');
  agrees(convNetwork(), 'the conv bench file');
});

test('strings read again are the same text, whatever their hash; integers of up to 15 digits and beyond keep their values', () => {
  // Many distinct short keys and values share the reader's 256 slots of repeated strings.
  const keys = Array.from({ length: 2000 }, (_, i) => `"k${i}": ["v${i % 300}", "v${(i * 7) % 300}", "m", "${'x'.repeat(i % 40)}"]`);
  agrees(`{${keys.join(', ')}}`, 'distinct keys');
  agrees('{"k": "a", "k2": "ab", "kk": "b", "ab": "ab", "b": "a\\u0062", "ab ": "a\\"b"}', 'escapes next to plain strings');
  agrees(
    '[0, -0, 7, -7, 999999999999999, -999999999999999, 1000000000000000, 9007199254740993, 12345678901234567, -0.5, 10e2, 2E0]',
    'integers around 15 digits',
  );
});

test('text with any error, or what jsonc-parser reads specially, is left to jsonc-parser', () => {
  const cases = [
    '',
    '   ',
    '// only a comment',
    '{',
    '{"a": }',
    '{"a" 1}',
    '{"a": 1 "b": 2}',
    '[1 2]',
    '[1,,2]',
    '{,}',
    '{"a": 01}',
    '{"a": 1.}',
    '{"a": .5}',
    '{"a": 1e}',
    '{"a": -}',
    '{"a": +1}',
    '{"a": truex}',
    '{"a": nul}',
    '{"a": NaN}',
    '{"a": 1}x',
    '{"a": 1} {}',
    '{"a": "unterminated}',
    '{"a": "bad \\x escape"}',
    '{"a": "bad \\u12 escape"}',
    '{"a": "raw\ttab"}',
    "{'a': 1}",
    '{a: 1}',
    '{"a": 1 /* unterminated }',
    '{"a": 1}/',
    '\u00a0{"a": 1}',
    '\u000b{"a": 1}',
  ];
  for (const c of cases) {
    assert.equal(parseTreeFast(c, MAX_DEPTH), undefined, `should give up: ${JSON.stringify(c)}`);
    agrees(c, JSON.stringify(c));
  }
});

test('nesting deeper than the limit is left to jsonc-parser, at the limit it is read', () => {
  assert.equal(parseTreeFast('['.repeat(257) + ']'.repeat(257), MAX_DEPTH), undefined);
  assert.equal(parseTreeFast('['.repeat(100000), MAX_DEPTH), undefined);
  agrees('['.repeat(256) + ']'.repeat(256), '256 brackets');
});

test('random edits of the examples: the same tree whenever jsonc-parser reads them cleanly', () => {
  // A small linear congruential generator: the corpus is the same on every run.
  let state = 12345;
  const next = (n: number): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state % n;
  };
  const alphabet = ['{', '}', '[', ']', ',', ':', '"', '\\', '/', '*', ' ', '\n', '0', '1', '-', '.', 'e', 't', 'n', 'u', 'x', '\t'];
  const texts = examples.map((f) => readFileSync(f, 'utf8'));
  let accepted = 0;
  for (let i = 0; i < 1500; i++) {
    let t = texts[next(texts.length)];
    for (let k = 1 + next(3); k > 0; k--) {
      const at = next(t.length);
      const op = next(3);
      if (op === 0) t = t.slice(0, at) + t.slice(at + 1);
      else if (op === 1) t = t.slice(0, at) + alphabet[next(alphabet.length)] + t.slice(at);
      else t = t.slice(0, at) + t.slice(at + 1 + next(20));
    }
    agrees(t, `mutation ${i}`);
    if (parseTreeFast(t, MAX_DEPTH)) accepted++;
  }
  // Both paths are exercised: many edits leave valid text (inside strings, comments, numbers).
  assert.ok(accepted > 150 && accepted < 1350, `${accepted} of 1500 mutations took the fast path`);
});

test('the tree hands out one Node per node: a child is among its parent\'s children, asked for in any order', () => {
  const text = '{"input": 2, "layers": [{"units": 3, "activation": "relu"}, {"units": 1, "activation": "sigmoid"}]}';
  const tree = readTree(text, MAX_DEPTH)!;
  // Ask for a deep node first, before anything above it was made.
  const units = [...Array(tree.size).keys()].slice(1).filter((n) => tree.type(n) === 'number' && tree.value(n) === 1)[0]!;
  const node = tree.node(units);
  assert.equal(node.value, 1);
  assert.equal(text.slice(node.offset, node.offset + node.length), '1');
  const property = node.parent!;
  assert.equal(property.type, 'property');
  assert.equal(property.children![1], node, 'the same object as its parent lists');
  assert.equal(property.children![0]!.value, 'units');
  assert.equal(text[property.colonOffset!], ':');
  assert.equal(tree.node(units), node, 'asked again: the same object');
  const root = tree.root()!;
  assert.equal(root, tree.node(1));
  assert.equal(root.parent, undefined);
  const layers = root.children![1]!.children![1]!;
  assert.equal(layers.children![1]!.children![0], property, 'reached from the root: the same object');
});

test('a tree jsonc-parser read from broken text keeps jsonc-parser\'s own nodes', () => {
  const text = '{"input": 2, "layers": [{"units": }], "loss"';
  const errors: ParseError[] = [];
  const slow = parseTree(text, errors, { allowTrailingComma: true })!;
  assert.ok(errors.length > 0);
  const tree = Tree.of(slow);
  assert.equal(tree.root(), slow);
  // Its columns say the same as the nodes: the property "loss" has a key and no value.
  const loss = tree.child(1, 2);
  assert.equal(tree.keyOf(loss), 'loss');
  assert.equal(tree.valueNode(loss), 0);
  assert.equal(tree.node(tree.keyNode(loss)), slow.children![2]!.children![0]);
  const units = tree.child(tree.child(tree.valueNode(tree.child(1, 1)), 0), 0);
  assert.equal(tree.keyOf(units), 'units');
  assert.equal(tree.node(units), slow.children![1]!.children![1]!.children![0]!.children![0]);
});

test('texts denser in values than the columns first expect read to the same tree (the columns grow)', () => {
  // About one node per two characters, against the four the reader first makes room for.
  agrees(`[${'0,'.repeat(30000)}1]`, '30,001 numbers');
  agrees(`{"a": [${'[],'.repeat(20000)}{}], "b": [${'"x",'.repeat(10000)}true, false, null]}`, 'empty arrays, strings and literals');
});
