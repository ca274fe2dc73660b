/**
 * The schema that VS Code's JSON language server gets for *.dnn.json (package.json
 * `jsonValidation`), derived at build time from schemas/dnn.schema.json (esbuild.js writes it to
 * dist/dnn-editor.schema.json).
 *
 * Why: the JSON server validates every file it has a schema for, and our own checker reports the
 * same mistakes with positions, "did you mean" and quick fixes, so each mistake was listed twice
 * ("Property activaton is not allowed." next to "unknown key 'activaton'; did you mean
 * 'activation'?"). This schema keeps everything completion and hover use (properties, items,
 * descriptions, defaults) and turns allowed values into `examples`, which the server still
 * offers as completions, but has nothing left to validate: no types, ranges, required keys,
 * closed objects or enums, and `oneOf` becomes `anyOf`. It also allows comments, which the
 * server otherwise reports for a language participant despite its `comments` flag.
 *
 * The server's hover on a key is the only documentation of keys in the editor, so the schema is
 * also shaped for it, because the server reads a schema differently from schemas/dnn.schema.json's
 * meaning in two ways:
 * - It resolves a `$ref` by copying the definition over the referring node, so the definition's
 *   description replaces the key's own (`units` would read "A positive integer ≤ 1,000,000.").
 *   Here every local `$ref` is inlined instead, with the referring node's own keys winning.
 * - It shows the first description among the schemas that match a value, and the alternatives of
 *   an `anyOf` come before the node itself (`input` would read as its number form's definition).
 *   Here an alternative loses its description when the node it belongs to has one.
 *
 * Plain CommonJS so that esbuild.js and the unit tests (test/core/format/schema.test.ts) share it.
 */
'use strict';

/** Keywords that only validate; dropped everywhere. */
const VALIDATION_ONLY = [
  'type', 'required', 'additionalProperties', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'minItems', 'maxItems', 'uniqueItems', 'minLength', 'maxLength', 'pattern', 'format', 'not', 'multipleOf',
];

/** Maps of subschemas by name, whose keys are property names, not keywords. */
const SCHEMA_MAPS = ['properties', 'definitions', 'patternProperties'];

/** Values that are data, not schemas: never searched for references. */
const DATA = ['default', 'examples', 'enum', 'const', 'enumDescriptions'];

/** What the server shows of a node on hover. */
const DESCRIPTIONS = ['title', 'description', 'markdownDescription'];

/** Lists of alternatives (or parts) whose schemas the server matches before the node itself. */
const UNIONS = ['anyOf', 'oneOf', 'allOf'];

/** The node that a local reference ("#/definitions/units") points to, or undefined. */
function target(root, ref) {
  let at = root;
  for (const part of ref.replace(/^#\/?/, '').split('/').filter((p) => p !== '')) {
    const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
    at = at !== null && typeof at === 'object' && Object.prototype.hasOwnProperty.call(at, key) ? at[key] : undefined;
  }
  return at !== null && typeof at === 'object' && !Array.isArray(at) ? at : undefined;
}

/**
 * `node` with every local `$ref` replaced by a copy of what it points to, the referring node's own
 * keys (its description, its default) winning over the definition's. `stack` holds the references
 * being inlined: a reference to one of them (a recursive schema) is left as it is.
 */
function inline(node, root, stack = []) {
  if (Array.isArray(node)) return node.map((n) => inline(n, root, stack));
  if (node === null || typeof node !== 'object') return node;
  const ref = node.$ref;
  if (typeof ref === 'string' && ref.startsWith('#') && !stack.includes(ref)) {
    const definition = target(root, ref);
    if (definition) {
      const own = { ...node };
      delete own.$ref;
      return inline({ ...definition, ...own }, root, [...stack, ref]);
    }
  }
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = DATA.includes(key) ? value : inline(value, root, stack);
  }
  return out;
}

/** An alternative without what the server would show on hover, through nested alternatives too. */
function undescribed(node) {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (DESCRIPTIONS.includes(key)) continue;
    out[key] = UNIONS.includes(key) && Array.isArray(value) ? value.map(undescribed) : value;
  }
  return out;
}

function transform(node) {
  if (Array.isArray(node)) return node.map(transform);
  if (node === null || typeof node !== 'object') return node;
  const described = DESCRIPTIONS.some((k) => k in node);
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (VALIDATION_ONLY.includes(key)) continue;
    if (SCHEMA_MAPS.includes(key)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, transform(sub)]));
    } else if (key === 'enum') {
      out.examples = [...(out.examples ?? []), ...value];
    } else if (key === 'const') {
      out.examples = [...(out.examples ?? []), value];
    } else if (UNIONS.includes(key)) {
      // The node's own description is the one to show: its alternatives' would come first.
      const alternatives = transform(described ? value.map(undescribed) : value);
      const union = key === 'oneOf' ? 'anyOf' : key;
      out[union] = [...(out[union] ?? []), ...alternatives];
    } else if (key === 'enumDescriptions' || key === 'default' || key === 'examples') {
      // Data, not schemas: kept as they are.
      out[key] = key === 'examples' ? [...(out.examples ?? []), ...value] : value;
    } else {
      out[key] = transform(value);
    }
  }
  return out;
}

/** The editor's schema for a parsed schemas/dnn.schema.json. */
function editorSchema(schema) {
  const out = transform(inline(schema, schema));
  // Every reference is inlined, so nothing refers to the definitions any more.
  delete out.definitions;
  out.$comment =
    'Generated by scripts/editor-schema.js from schemas/dnn.schema.json for the JSON language server: completion and hover only; DNN Designer reports every mistake itself.';
  out.allowComments = true;
  out.allowTrailingCommas = true;
  return out;
}

module.exports = { editorSchema, VALIDATION_ONLY };
