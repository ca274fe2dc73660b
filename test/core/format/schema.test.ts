/**
 * schemas/dnn.schema.json drives VS Code's completion and hover docs; the checker is the
 * TypeScript in src/core/format. These tests fail when the two drift apart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ACTIVATIONS, BUILTIN_DATASETS, DECAY_SCHEDULES, INIT_SCHEMES, LOSSES, OPTIMIZERS, PADDINGS, POOL_MODES, SHAPE_NAMES, TRAINING_DEFAULTS,
} from '../../../src/core/format/types';
import {
  BUILTIN_DATA_KEYS, CONV_KEYS, CSV_DATA_KEYS, HDF5_DATA_KEYS, IMAGE_DATA_KEYS, FLATTEN_KEYS, INIT_KEYS, LAYER_KEYS, LAYER_TYPES, LIMITS, OPTIMIZER_KEYS, POOL_KEYS,
  RESIDUAL_INNER_TYPES, RESIDUAL_KEYS, ROOT_KEYS, SHAPES_OF, TRAINING_KEYS,
} from '../../../src/core/format/parse';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const schema: Json = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'schemas', 'dnn.schema.json'), 'utf8'));
const defs = schema.definitions;
const keys = (o: Json) => Object.keys(o.properties).sort();
const sorted = (a: readonly string[]) => [...a].sort();

test('the schema is draft-07 and closed at every object level', () => {
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  for (const o of [
    schema, defs.layer, defs.layer.properties.shapes, defs.builtinData, defs.csvData, defs.training,
    defs.convLayer, defs.convLayer.properties.shapes, defs.poolLayer, defs.flattenLayer, defs.residualLayer,
    defs.residualLayer.properties.shortcut, defs.volumeShapes,
  ]) {
    assert.equal(o.additionalProperties, false);
  }
});

test('enums equal the TypeScript lists', () => {
  assert.deepEqual(defs.layer.properties.activation.enum, [...ACTIVATIONS]);
  assert.deepEqual(schema.properties.loss.enum, [...LOSSES]);
  assert.deepEqual(defs.optimizerName.enum, [...OPTIMIZERS]);
  assert.deepEqual(defs.initScheme.enum, [...INIT_SCHEMES]);
  assert.deepEqual(defs.builtinData.properties.builtin.enum, [...BUILTIN_DATASETS]);
  // Each kind is its own definition, whose `type` names it; together they are the parser's kinds.
  const kinds = [defs.layer, defs.convLayer, defs.poolLayer, defs.flattenLayer, defs.residualLayer];
  assert.deepEqual(kinds.map((k) => k.properties.type.enum[0]), [...LAYER_TYPES]);
  assert.deepEqual(schema.properties.layers.items.oneOf.map((r: Json) => r.$ref.split('/').pop()), ['layer', 'convLayer', 'poolLayer', 'flattenLayer', 'residualLayer']);
  assert.deepEqual(defs.residualLayer.properties.layers.items.oneOf.length, RESIDUAL_INNER_TYPES.length);
  assert.deepEqual(defs.padding.oneOf[0].enum, [...PADDINGS]);
  assert.deepEqual(defs.poolLayer.properties.mode.enum, [...POOL_MODES]);
  assert.deepEqual(defs.convLayer.properties.activation.enum, [...ACTIVATIONS]);
  // One description per enum value, in the same order.
  for (const e of [
    defs.layer.properties.activation, schema.properties.loss, defs.optimizerName, defs.initScheme, defs.builtinData.properties.builtin,
    defs.padding.oneOf[0], defs.poolLayer.properties.mode,
  ]) {
    assert.equal(e.enumDescriptions.length, e.enum.length);
  }
});

test('the keys the schema knows are the keys the parser knows', () => {
  assert.deepEqual(keys(schema), sorted(ROOT_KEYS));
  assert.deepEqual(keys(defs.layer), sorted(LAYER_KEYS));
  assert.deepEqual(keys(defs.layer.properties.shapes), sorted(SHAPE_NAMES));
  assert.deepEqual(keys(defs.training), sorted(TRAINING_KEYS));
  assert.deepEqual(keys(defs.builtinData), sorted(BUILTIN_DATA_KEYS));
  assert.deepEqual(keys(defs.csvData), sorted(CSV_DATA_KEYS));
  assert.deepEqual(keys(defs.hdf5Data), sorted(HDF5_DATA_KEYS));
  assert.deepEqual(keys(defs.imageData), sorted(IMAGE_DATA_KEYS));
  assert.deepEqual(keys(defs.training.properties.optimizer.oneOf[1]), sorted(OPTIMIZER_KEYS));
  assert.deepEqual(keys(defs.training.properties.init.oneOf[1]), sorted(INIT_KEYS));
  assert.deepEqual(schema.required, ['input', 'layers']);
  assert.deepEqual(defs.layer.required, ['units', 'activation']);
  assert.deepEqual(keys(defs.convLayer), sorted(CONV_KEYS));
  assert.deepEqual(keys(defs.convLayer.properties.shapes), sorted(SHAPES_OF.conv));
  assert.deepEqual(keys(defs.poolLayer), sorted(POOL_KEYS));
  assert.deepEqual(keys(defs.flattenLayer), sorted(FLATTEN_KEYS));
  assert.deepEqual(keys(defs.residualLayer), sorted(RESIDUAL_KEYS));
  assert.deepEqual(keys(defs.residualLayer.properties.shortcut), sorted(CONV_KEYS));
  assert.deepEqual(keys(defs.volumeShapes), sorted(SHAPES_OF.pool));
  assert.deepEqual(SHAPES_OF.flatten, SHAPES_OF.pool);
  assert.deepEqual(SHAPES_OF.residual, SHAPES_OF.pool);
  assert.deepEqual(defs.convLayer.required, ['type', 'filters', 'size', 'activation']);
  assert.deepEqual(defs.poolLayer.required, ['type', 'size']);
  assert.deepEqual(defs.flattenLayer.required, ['type']);
  assert.deepEqual(defs.residualLayer.required, ['type', 'layers']);
  assert.deepEqual(defs.residualLayer.properties.shortcut.required, ['filters', 'size']);
});

test('every key has a description', () => {
  const missing: string[] = [];
  const walk = (o: Json, where: string) => {
    for (const [k, v] of Object.entries<Json>(o.properties ?? {})) {
      if (!v.description && !v.$ref) missing.push(`${where}.${k}`);
      walk(v, `${where}.${k}`);
      for (const alt of v.oneOf ?? []) walk(alt, `${where}.${k}`);
    }
  };
  walk(schema, '');
  for (const [name, d] of Object.entries<Json>(defs)) walk(d, `#${name}`);
  assert.deepEqual(missing, []);
});

test('limits and defaults in the schema are the ones the checker applies', () => {
  assert.equal(defs.units.maximum, LIMITS.maxUnits);
  assert.equal(defs.units.minimum, 1);
  const t = defs.training.properties;
  assert.equal(t.seed.maximum, LIMITS.maxSeed);
  assert.equal(t.iterations.maximum, LIMITS.maxIterations);
  assert.equal(t.iterations.default, TRAINING_DEFAULTS.iterations);
  assert.equal(t.learningRate.default, TRAINING_DEFAULTS.learningRate);
  assert.equal(t.learningRate.exclusiveMinimum, 0);
  assert.equal(t.keepProb.default, TRAINING_DEFAULTS.keepProb);
  assert.equal(t.keepProb.exclusiveMinimum, 0);
  assert.equal(t.keepProb.maximum, 1);
  assert.equal(t.l2.default, TRAINING_DEFAULTS.l2);
  assert.equal(t.decayRate.default, TRAINING_DEFAULTS.decayRate);
  assert.equal(t.printEvery.default, TRAINING_DEFAULTS.printEvery);
  assert.equal(t.printPrecision.default, TRAINING_DEFAULTS.printPrecision);
  assert.equal(t.decay.default, TRAINING_DEFAULTS.decay);
  assert.deepEqual(t.decay.enum, [...DECAY_SCHEDULES]);
  assert.equal(t.decay.enumDescriptions.length, DECAY_SCHEDULES.length);
  assert.equal(t.timeInterval.default, TRAINING_DEFAULTS.timeInterval);
  assert.equal(t.shuffleSeed.maximum, LIMITS.maxSeed);
  assert.equal(t.batchSize.default, TRAINING_DEFAULTS.batchSize);
  assert.deepEqual(t.init.default, TRAINING_DEFAULTS.init);
  assert.equal(t.optimizer.default, TRAINING_DEFAULTS.optimizer.name);
  const o = t.optimizer.oneOf[1].properties;
  assert.equal(o.beta.default, TRAINING_DEFAULTS.optimizer.beta);
  assert.equal(o.beta1.default, TRAINING_DEFAULTS.optimizer.beta1);
  assert.equal(o.beta2.default, TRAINING_DEFAULTS.optimizer.beta2);
  assert.equal(o.epsilon.default, TRAINING_DEFAULTS.optimizer.epsilon);
  assert.equal(defs.builtinData.properties.examples.maximum, LIMITS.maxExamples);
  assert.equal(defs.padding.default, 'valid');
  assert.equal(defs.poolLayer.properties.mode.default, 'max');
  assert.equal(defs.convLayer.properties.stride.default, 1);
  assert.equal(defs.residualLayer.properties.shortcut.properties.activation.default, 'linear');
  assert.equal(defs.builtinData.properties.classes.maximum, LIMITS.maxClasses);
});

test('package.json gives the JSON language server the editor schema for *.dnn.json, and nothing else', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
  assert.deepEqual(pkg.contributes.jsonValidation, [{ fileMatch: '*.dnn.json', url: './dist/dnn-editor.schema.json' }]);
});

// The editor schema (scripts/editor-schema.js): everything completion and hover read, nothing the
// JSON server could report a problem from, so each mistake is listed once, by our checker.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { editorSchema, VALIDATION_ONLY } = require('../../../scripts/editor-schema.js') as {
  editorSchema: (s: Json) => Json;
  VALIDATION_ONLY: string[];
};
const editor = editorSchema(schema);

/** Every (path, node) of a schema, following properties, items, definitions and anyOf/oneOf. */
function nodes(node: Json, path = '#', out: [string, Json][] = []): [string, Json][] {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return out;
  out.push([path, node]);
  for (const map of ['properties', 'definitions']) {
    for (const [name, sub] of Object.entries((node[map] ?? {}) as Record<string, Json>)) nodes(sub, `${path}/${map}/${name}`, out);
  }
  if (node.items) nodes(node.items, `${path}/items`, out);
  for (const union of ['oneOf', 'anyOf']) ((node[union] ?? []) as Json[]).forEach((sub, i) => nodes(sub, `${path}/anyOf/${i}`, out));
  return out;
}

test('the editor schema has nothing to validate with: no types, ranges, required keys, closed objects, enums or oneOf', () => {
  for (const [path, node] of nodes(editor)) {
    for (const key of [...VALIDATION_ONLY, 'enum', 'const', 'oneOf']) assert.ok(!(key in node), `${path} still has ${key}`);
  }
  assert.equal(editor.allowComments, true);
  assert.equal(editor.allowTrailingCommas, true);
});

/** A node of the full schema as the editor's should read: what its `$ref` points to, under its own keys. */
function resolved(node: Json): Json {
  let at = node;
  while (typeof at.$ref === 'string') {
    const { $ref, ...own } = at;
    const definition = ($ref as string).replace(/^#\//, '').split('/').reduce((o: Json, k: string) => o?.[k], schema);
    assert.ok(definition, `${String($ref)} resolves`);
    at = { ...definition, ...own };
  }
  return at;
}

/**
 * The nodes of the full schema reachable from its root (references followed) beside the editor
 * schema's node at the same place, and whether the node is an alternative of a described value.
 */
function pairs(full: Json, edit: Json, path = '#', alternative = false, out: [string, Json, Json, boolean][] = []): [string, Json, Json, boolean][] {
  const node = resolved(full);
  assert.ok(edit && typeof edit === 'object', `${path} kept`);
  out.push([path, node, edit, alternative]);
  for (const [name, sub] of Object.entries((node.properties ?? {}) as Record<string, Json>)) {
    pairs(sub, edit.properties?.[name], `${path}/properties/${name}`, false, out);
  }
  if (node.items) pairs(node.items, edit.items, `${path}/items`, false, out);
  const described = ['title', 'description', 'markdownDescription'].some((k) => k in node);
  ((node.oneOf ?? node.anyOf ?? []) as Json[]).forEach((sub, i) => pairs(sub, edit.anyOf?.[i], `${path}/anyOf/${i}`, alternative || described, out));
  return out;
}

test('the editor schema keeps every key, description and default for completion and hover, and offers every allowed value', () => {
  for (const [path, node, e, alternative] of pairs(schema, editor)) {
    // The alternatives of a described value lose their descriptions: the server would show theirs, not the value's.
    for (const key of ['description', 'markdownDescription']) assert.deepEqual(e[key], alternative ? undefined : node[key], `${path} ${key}`);
    assert.deepEqual(e.default, node.default, `${path} default`);
    for (const value of (node.enum ?? []) as unknown[]) assert.ok((e.examples as unknown[]).includes(value), `${path} offers ${String(value)}`);
    if ('const' in node) assert.ok((e.examples as unknown[]).includes(node.const), `${path} offers ${String(node.const)}`);
  }
});

test("the editor schema has no references: the server would put a definition's description over the key's own", () => {
  assert.ok(!JSON.stringify(editor).includes('"$ref"'));
  assert.equal(editor.definitions, undefined);
  // A dense layer's units refers to the positive-count definition, and says what n[l] is.
  const dense = (editor.properties.layers.items.anyOf as Json[]).find((kind) => kind.properties?.units);
  assert.match(dense!.properties.units.description, /^n\[l\], the number of units/);
  assert.equal(editor.properties.input.anyOf[0].description, undefined);
});
