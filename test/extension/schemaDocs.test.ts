/**
 * Key documentation comes from schemas/dnn.schema.json alone: the hover on a key shows the
 * description the schema gives that key at that place in the file. These tests walk the parser's
 * key lists, so a key the format accepts cannot go undocumented.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyDescription } from '../../src/extension/schemaDocs';
import {
  BUILTIN_DATA_KEYS, CSV_DATA_KEYS, HDF5_DATA_KEYS, IMAGE_DATA_KEYS, INIT_KEYS, LAYER_KEYS, OPTIMIZER_KEYS, ROOT_KEYS, TRAINING_KEYS,
} from '../../src/core/format/parse';
import { SHAPE_NAMES } from '../../src/core/format/types';
import type { JsonPath } from '../../src/core/problems';
import schemaJson from '../../schemas/dnn.schema.json';

/** Every key the parser accepts, at a path where it may appear. */
const ACCEPTED: JsonPath[] = [
  ...ROOT_KEYS.map((k) => [k]),
  ['input', 'shape'],
  ...LAYER_KEYS.map((k) => ['layers', 0, k]),
  ...SHAPE_NAMES.map((k) => ['layers', 2, 'shapes', k]),
  ...BUILTIN_DATA_KEYS.map((k) => ['data', k]),
  ...CSV_DATA_KEYS.map((k) => ['data', k]),
  ...HDF5_DATA_KEYS.map((k) => ['data', k]),
  ...IMAGE_DATA_KEYS.map((k) => ['data', k]),
  ...TRAINING_KEYS.map((k) => ['training', k]),
  ...INIT_KEYS.map((k) => ['training', 'init', k]),
  ['training', 'init', 'file'],
  ...OPTIMIZER_KEYS.map((k) => ['training', 'optimizer', k]),
];

test('every key the parser accepts has a description of a few words at least', () => {
  const poor = ACCEPTED.filter((path) => (keyDescription(path) ?? '').split(/\s+/).length < 4).map((p) => p.join('.'));
  assert.deepEqual(poor, []);
});

test('a key under a value of several forms: training.init.file (the { "file": ... } form)', () => {
  assert.equal(keyDescription(['training', 'init', 'file']), 'A parameters file (*.params.json: W1, b1, ...) relative to this file.');
  assert.match(keyDescription(['training', 'init', 'scale'])!, /np\.random\.randn\(n\[l\], n\[l-1\]\) \* scale/);
});

test("a key's own description wins over its definition's; a bare reference takes the definition's", () => {
  // units refers to the shared definition of a positive count but says what n[l] is.
  assert.match(keyDescription(['layers', 0, 'units'])!, /^n\[l\], the number of units/);
  // training.optimizer.name is only a reference to the optimizer names.
  assert.match(keyDescription(['training', 'optimizer', 'name'])!, /^gd \(plain gradient descent\)/);
});

test('the same key means different things in different places: data.seed and training.seed', () => {
  assert.match(keyDescription(['data', 'seed'])!, /generating the data/);
  assert.match(keyDescription(['training', 'seed'])!, /initial weights/);
});

test('markdown descriptions are preferred: the hover is markdown', () => {
  assert.match(keyDescription(['input'])!, /^`n\[0\]`, the number of input features/);
});

test('no description for a key the format does not have there', () => {
  for (const path of [
    ['path'], ['training', 'init', 'path'], ['seed'], ['layers', 0, 'unit'], ['training', 'alpha'],
    ['constructor'], ['layers', 0, '__proto__'], ['input', 'shape', 'x'], ['layers', 'units'], ['layers', 0],
  ] as JsonPath[]) {
    assert.equal(keyDescription(path), undefined, path.join('.'));
  }
});

// VS Code's JSON language server shows the editor schema (scripts/editor-schema.js) on a key, and
// ours no longer does: what it shows must be the key's own description.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { editorSchema } = require('../../scripts/editor-schema.js') as { editorSchema: (s: unknown) => EditorNode };
interface EditorNode {
  description?: string;
  markdownDescription?: string;
  properties?: Record<string, EditorNode>;
  items?: EditorNode;
  anyOf?: EditorNode[];
  allOf?: EditorNode[];
}

/**
 * The schemas the JSON server matches against one value, in its order: a node's alternatives
 * (each with its own alternatives first) before the node. With nothing to validate in the editor
 * schema, every alternative matches.
 */
function matching(node: EditorNode): EditorNode[] {
  return [...[...(node.allOf ?? []), ...(node.anyOf ?? [])].flatMap(matching), node];
}

/** The text the server's hover shows on the key at `path`: the first description it meets. */
function serverKeyHover(root: EditorNode, path: JsonPath): string | undefined {
  let at = [root];
  for (const seg of path) {
    at = at.flatMap(matching).flatMap((n) => {
      const next = typeof seg === 'number' ? n.items : n.properties?.[seg];
      return next ? [next] : [];
    });
  }
  const shown = at.flatMap(matching).find((n) => n.markdownDescription ?? n.description);
  return shown?.markdownDescription ?? shown?.description;
}

test("the JSON server's hover on every key is the key's own description, not its definition's or an alternative's", () => {
  const editor = editorSchema(schemaJson);
  const wrong = ACCEPTED.filter((path) => serverKeyHover(editor, path) !== keyDescription(path)).map(
    (path) => `${path.join('.')}: ${serverKeyHover(editor, path)}`,
  );
  assert.deepEqual(wrong, []);
  // Before: units read "A positive integer ≤ 1,000,000.", input its number form's definition.
  assert.match(serverKeyHover(editor, ['layers', 0, 'units'])!, /^n\[l\], the number of units/);
  assert.match(serverKeyHover(editor, ['input'])!, /^`n\[0\]`/);
  assert.match(serverKeyHover(editor, ['training', 'init'])!, /^How W\[l\] starts/);
});
