/**
 * What a key of a .dnn.json means, read from the description that schemas/dnn.schema.json gives
 * it: the schema is the one place keys are documented, for VS Code's JSON hover, completion, other
 * editors and our own hover alike. No 'vscode' import, so the lookup runs in Node tests.
 */
import schemaJson from '../../schemas/dnn.schema.json';
import type { JsonPath } from '../core/problems';

/** The parts of a JSON schema node that lead to a key's description. */
interface SchemaNode {
  $ref?: string;
  description?: string;
  markdownDescription?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  enum?: unknown[];
  enumDescriptions?: string[];
  markdownEnumDescriptions?: string[];
}

const ROOT = schemaJson as unknown as SchemaNode;

/** The node a local `$ref` ("#/definitions/common/devFraction") points to. */
function resolve(node: SchemaNode, root: SchemaNode): SchemaNode {
  let at = node;
  // A chain of references ends; the depth bound only guards against a cyclic schema.
  for (let depth = 0; at.$ref !== undefined && depth < 32; depth++) {
    let target: unknown = root;
    for (const part of at.$ref.replace(/^#\/?/, '').split('/').filter((p) => p !== '')) {
      target = target !== null && typeof target === 'object' ? (target as Record<string, unknown>)[part] : undefined;
    }
    if (target === null || typeof target !== 'object') return at;
    at = target as SchemaNode;
  }
  return at;
}

/**
 * The forms a value may take (init: a scheme name, { scheme, scale } or { file }), references
 * resolved: the node itself, then its alternatives.
 */
function forms(node: SchemaNode, root: SchemaNode): SchemaNode[] {
  const self = resolve(node, root);
  return [self, ...(self.oneOf ?? []), ...(self.anyOf ?? [])].map((n) => resolve(n, root));
}

/** The subschema for one step of a path: an array's items, or an object's property `seg`. */
function child(node: SchemaNode, seg: string | number, root: SchemaNode): SchemaNode | undefined {
  // The first form that has the step.
  for (const form of forms(node, root)) {
    if (typeof seg === 'number') {
      if (form.items) return form.items;
    } else if (form.properties && Object.prototype.hasOwnProperty.call(form.properties, seg)) {
      return form.properties[seg];
    }
  }
  return undefined;
}

/** The subschema of the value at `path`, or undefined where the format has no such value. */
function nodeAtPath(path: JsonPath, root: SchemaNode): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const seg of path) {
    node = child(node, seg, root);
    if (!node) return undefined;
  }
  return node;
}

/**
 * The description of the key at `path` (e.g. ['training', 'init', 'file'] or
 * ['layers', 0, 'units']), as markdown; undefined for a key the format does not have there. A
 * key's own description wins over the one of the definition it refers to.
 */
export function keyDescription(path: JsonPath, root: SchemaNode = ROOT): string | undefined {
  if (path.length === 0 || typeof path[path.length - 1] !== 'string') return undefined;
  const node = nodeAtPath(path, root);
  if (!node) return undefined;
  const target = resolve(node, root);
  return node.markdownDescription ?? node.description ?? target.markdownDescription ?? target.description;
}

/**
 * What one allowed value means, from the schema's `enumDescriptions` (e.g. "he" under
 * training.init: `W = np.random.randn(n[l], n[l-1]) * sqrt(2 / n[l-1])`, for relu); undefined
 * for a value the schema does not describe. The editor's schema has no `enum` left (it validates
 * nothing), so VS Code's JSON hover cannot show these: ours does.
 */
export function valueDescription(path: JsonPath, value: string, root: SchemaNode = ROOT): string | undefined {
  const node = nodeAtPath(path, root);
  for (const form of node ? forms(node, root) : []) {
    const i = form.enum?.indexOf(value) ?? -1;
    if (i >= 0) return form.markdownEnumDescriptions?.[i] ?? form.enumDescriptions?.[i];
  }
  return undefined;
}
