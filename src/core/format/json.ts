/**
 * Reading the parse tree with problems instead of exceptions.
 *
 * `SpecReader` wraps the checks every part of the format needs (types, ranges, known keys,
 * duplicate keys, closed lists of values) so each part of the parser states only what it
 * expects. Every problem gets its range from a parse-tree node, never from searching the text.
 * Nodes are indices into the tree's columns (format/tree.ts); 0 is "absent".
 */
import type { Fix, JsonPath, Problem, ProblemCode, RelatedLocation, Severity, TextRange } from '../problems';
import { closest, quote } from './suggest';
import { PROPERTY, Tree } from './tree';

/** A value node together with the property key node that introduced it (absent in arrays). */
export interface Entry {
  key: number;
  value: number;
}

/** The key node of the last property before the i-th child of `object` named `key`, or 0. */
function keyBefore(tree: Tree, object: number, i: number, key: string): number {
  for (let j = i - 1; j >= 0; j--) {
    const p = tree.child(object, j);
    if (tree.keyOf(p) === key) return tree.keyNode(p);
  }
  return 0;
}

/**
 * An object's properties by key, the last one winning as in JSON.parse. It reads the tree's own
 * property nodes (objects in a file have a handful of keys): a Map and an entry per property,
 * made for every layer of a large file, cost more than the lookups they saved.
 */
export class Properties {
  constructor(
    private readonly tree: Tree,
    private readonly object: number,
  ) {}

  /** The last property named `key`, or 0. */
  private find(key: string): number {
    const t = this.tree;
    for (let i = t.childCount(this.object) - 1; i >= 0; i--) {
      const p = t.child(this.object, i);
      if (t.keyOf(p) === key) return p;
    }
    return 0;
  }

  has(key: string): boolean {
    return this.find(key) !== 0;
  }

  /** The value node of `key` (0 when absent, or present without a value in broken text). */
  value(key: string): number {
    const p = this.find(key);
    return p && this.tree.valueNode(p);
  }

  /** The key node of `key`, for problems about the key itself, or 0. */
  key(key: string): number {
    const p = this.find(key);
    return p && this.tree.keyNode(p);
  }

  get(key: string): Entry | undefined {
    const p = this.find(key);
    return p ? { key: this.tree.keyNode(p), value: this.tree.valueNode(p) } : undefined;
  }

  /** The number of property nodes, duplicates included (see `firstKey`). */
  get count(): number {
    return this.tree.childCount(this.object);
  }

  /**
   * The key of the i-th property node when no earlier one has it, else undefined: for i from 0 to
   * `count`, each key once in the order it first appears.
   */
  firstKey(i: number): string | undefined {
    const k = this.tree.keyOf(this.tree.child(this.object, i));
    return k === undefined || keyBefore(this.tree, this.object, i, k) ? undefined : k;
  }
}

/** How a path reads in a message: `training.learningRate`, `layer 2: units` (1-based l). */
export function label(path: JsonPath): string {
  if (path.length >= 2 && path[0] === 'layers' && typeof path[1] === 'number') {
    const rest = path.slice(2);
    const layer = `layer ${path[1] + 1}`;
    return rest.length === 0 ? layer : `${layer}: ${dotted(rest)}`;
  }
  return path.length === 0 ? 'the top level' : dotted(path);
}

function dotted(path: JsonPath): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s;
}

/** "a string", "an array", "true"... for "found ..." in messages. */
export function describe(tree: Tree, node: number): string {
  if (!node) return 'nothing';
  switch (tree.type(node)) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return `the string ${quote(String(tree.value(node)))}`;
    case 'number':
      return `the number ${String(tree.value(node))}`;
    case 'boolean':
      return String(tree.value(node));
    case 'null':
      return 'null';
    default:
      return 'a value';
  }
}

export interface NumberRule {
  integer?: boolean;
  /** Inclusive bounds. */
  min?: number;
  max?: number;
  /** Exclusive bounds. */
  above?: number;
  below?: number;
  /** How the rule reads in a message, e.g. "a positive integer ≤ 1,000,000". */
  says: string;
}

export class SpecReader {
  readonly problems: Problem[] = [];
  /** The tree being read: set once the text is parsed. */
  tree = new Tree(0);

  constructor(readonly text: string) {}

  report(
    code: ProblemCode,
    severity: Severity,
    message: string,
    range: TextRange,
    path: JsonPath,
    extra: { fix?: Fix[]; related?: RelatedLocation[] } = {},
  ): void {
    const p: Problem = { code, severity, message, path, range: this.clamp(range) };
    if (extra.fix && extra.fix.length > 0) p.fix = extra.fix;
    if (extra.related && extra.related.length > 0) p.related = extra.related;
    this.problems.push(p);
  }

  /** Keeps every range inside the text, whatever jsonc-parser handed us. */
  clamp(r: TextRange): TextRange {
    const offset = Math.max(0, Math.min(r.offset, this.text.length));
    const length = Math.max(0, Math.min(r.length, this.text.length - offset));
    return { offset, length };
  }

  /** The range of a node. */
  range(node: number): TextRange {
    return this.tree.range(node);
  }

  /** The source text of a node, shortened for messages. */
  source(node: number, max = 40): string {
    const t = this.tree;
    const s = this.text.slice(t.offset[node], t.offset[node] + t.length[node]);
    return s.length > max ? s.slice(0, max) + '…' : s;
  }

  /**
   * The properties of an object node, last one winning on duplicates (like JSON.parse), with
   * warnings for duplicates and unknown keys. `known` lists the keys the format allows here;
   * `aliases` maps other spellings (the course's snake_case names) to a suggestion. `key`, when
   * given, is appended to `path` only if a problem is reported (see `wrongType`).
   */
  properties(
    node: number,
    objectPath: JsonPath,
    known: readonly string[],
    aliases: Readonly<Record<string, string>> = {},
    unknownMessage?: (key: string) => string | undefined,
    objectKey?: string,
  ): Properties {
    const t = this.tree;
    const count = t.childCount(node);
    let path = objectPath;
    for (let i = 0; i < count; i++) {
      const keyNode = t.keyNode(t.child(node, i));
      const key = t.string(keyNode);
      if (key === undefined) continue;
      const earlier = keyBefore(t, node, i, key);
      if (!earlier && known.includes(key)) continue;
      if (objectKey !== undefined && path === objectPath) path = [...objectPath, objectKey];
      if (earlier) {
        this.report(
          'duplicate-key',
          'warning',
          `duplicate key ${quote(key)} in ${label(path)}; the last one wins`,
          t.range(keyNode),
          [...path, key],
          { related: [{ path: [...path, key], range: this.clamp(t.range(earlier)), message: `first ${quote(key)} is here` }] },
        );
      }
      if (!known.includes(key)) {
        const custom = unknownMessage?.(key);
        const suggestion = custom ? undefined : closest(key, known, aliases);
        const where = path.length === 0 ? '' : ` in ${label(path)}`;
        const message =
          custom ?? `unknown key ${quote(key)}${where}${suggestion ? `; did you mean '${suggestion}'?` : ''}`;
        // Renaming onto a key the object already has would only trade this for a duplicate.
        const taken = suggestion !== undefined && hasKey(t, node, suggestion);
        const fix: Fix[] = suggestion && !taken
          ? [{ title: `Rename to '${suggestion}'`, edits: [{ range: t.range(keyNode), newText: JSON.stringify(suggestion) }], preferred: true }]
          : [];
        this.report('unknown-key', 'warning', message, t.range(keyNode), [...path, key], { fix });
      }
    }
    return new Properties(t, node);
  }

  /** Reports a missing required key at the object's key in its parent, or at its opening brace. */
  missing(objectNode: number, path: JsonPath, key: string, why: string): void {
    const t = this.tree;
    const parent = t.parent[objectNode];
    const keyInParent = parent && t.kind[parent] === PROPERTY ? t.keyNode(parent) : 0;
    const range = keyInParent ? t.range(keyInParent) : { offset: t.offset[objectNode], length: Math.min(1, t.length[objectNode]) };
    const where = path.length === 0 ? '' : ` in ${label(path)}`;
    this.report('missing-key', 'error', `missing required key ${quote(key)}${where} (${why})`, range, [...path, key]);
  }

  /**
   * `key`, when given, is appended to `path` only if a problem is reported: building the path of
   * every value read, for problems most values never have, was a large part of a check's garbage.
   */
  wrongType(node: number, path: JsonPath, expected: string, key?: string | number): void {
    if (key !== undefined) path = [...path, key];
    this.report('wrong-type', 'error', `${label(path)} must be ${expected}; found ${describe(this.tree, node)}`, this.tree.range(node), path);
  }

  /** An object value, or not-an-object when it is something else. */
  object(node: number, path: JsonPath, key?: string | number): boolean {
    if (this.tree.type(node) === 'object') return true;
    if (key !== undefined) path = [...path, key];
    this.report('not-an-object', 'error', `${label(path)} must be an object { ... }; found ${describe(this.tree, node)}`, this.tree.range(node), path);
    return false;
  }

  number(node: number, path: JsonPath, rule: NumberRule, key?: string | number): number | undefined {
    const v = this.tree.number(node);
    if (v === undefined) {
      this.wrongType(node, path, rule.integer ? 'an integer' : 'a number', key);
      return undefined;
    }
    const ok =
      Number.isFinite(v) &&
      (!rule.integer || Number.isInteger(v)) &&
      (rule.min === undefined || v >= rule.min) &&
      (rule.max === undefined || v <= rule.max) &&
      (rule.above === undefined || v > rule.above) &&
      (rule.below === undefined || v < rule.below);
    if (ok) return v;
    if (key !== undefined) path = [...path, key];
    const found = Number.isFinite(v) ? this.source(node) : `${this.source(node)} (too large for a double)`;
    this.report('out-of-range', 'error', `${label(path)} must be ${rule.says}; found ${found}`, this.tree.range(node), path);
    return undefined;
  }

  string(node: number, path: JsonPath, key?: string | number): string | undefined {
    const s = this.tree.string(node);
    if (s !== undefined) return s;
    this.wrongType(node, path, 'a string', key);
    return undefined;
  }

  boolean(node: number, path: JsonPath, key?: string | number): boolean | undefined {
    if (this.tree.type(node) === 'boolean') return this.tree.value(node) === true;
    this.wrongType(node, path, 'true or false', key);
    return undefined;
  }

  /** A string from a closed list, with "did you mean" and a fix that replaces the value. */
  choice<T extends string>(
    node: number,
    path: JsonPath,
    choices: readonly T[],
    code: ProblemCode,
    what: string,
    key?: string | number,
  ): T | undefined {
    const s = this.string(node, path, key);
    if (s === undefined) return undefined;
    if ((choices as readonly string[]).includes(s)) return s as T;
    if (key !== undefined) path = [...path, key];
    const suggestion = closest(s, choices);
    const message =
      `unknown ${what} ${quote(s)}` +
      (suggestion ? `; did you mean '${suggestion}'?` : '') +
      ` (known: ${choices.join(', ')})`;
    const fix: Fix[] = (suggestion ? [suggestion] : [])
      .concat(choices.filter((c) => c !== suggestion))
      .map((c) => {
        const f: Fix = { title: `Change to '${c}'`, edits: [{ range: this.tree.range(node), newText: JSON.stringify(c) }] };
        if (c === suggestion) f.preferred = true;
        return f;
      });
    this.report(code, 'error', message, this.tree.range(node), path, { fix });
    return undefined;
  }
}

/** Whether an object node has a property named `key`. */
export function hasKey(tree: Tree, object: number, key: string): boolean {
  for (let i = tree.childCount(object) - 1; i >= 0; i--) if (tree.keyOf(tree.child(object, i)) === key) return true;
  return false;
}
