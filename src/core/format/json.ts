/**
 * Reading a jsonc-parser tree with problems instead of exceptions.
 *
 * `SpecReader` wraps the checks every part of the format needs (types, ranges, known keys,
 * duplicate keys, closed lists of values) so each part of the parser states only what it
 * expects. Every problem gets its range from a parse-tree node, never from searching the text.
 */
import type { Node } from 'jsonc-parser';
import type { Fix, JsonPath, Problem, ProblemCode, RelatedLocation, Severity, TextRange } from '../problems';
import { closest, quote } from './suggest';
import { rangeOfNode } from './locate';

/** A value node together with the property key node that introduced it (absent in arrays). */
export interface Entry {
  key?: Node;
  value?: Node;
}

/** The key node of the last property before `props[i]` named `key`, or undefined. */
function keyBefore(props: readonly Node[], i: number, key: string): Node | undefined {
  for (let j = i - 1; j >= 0; j--) {
    const k = props[j].children?.[0];
    if (k && k.value === key) return k;
  }
  return undefined;
}

/**
 * An object's properties by key, the last one winning as in JSON.parse. It reads the parse tree's
 * own property nodes (objects in a file have a handful of keys): a Map and an entry per property,
 * made for every layer of a large file, cost more than the lookups they saved.
 */
export class Properties {
  constructor(private readonly props: readonly Node[]) {}

  /** The last property named `key`. */
  private find(key: string): Node | undefined {
    const props = this.props;
    for (let i = props.length - 1; i >= 0; i--) if (props[i].children?.[0]?.value === key) return props[i];
    return undefined;
  }

  has(key: string): boolean {
    return this.find(key) !== undefined;
  }

  /** The value node of `key` (undefined when absent, or present without a value in broken text). */
  value(key: string): Node | undefined {
    return this.find(key)?.children?.[1];
  }

  /** The key node of `key`, for problems about the key itself. */
  key(key: string): Node | undefined {
    return this.find(key)?.children?.[0];
  }

  get(key: string): Entry | undefined {
    const p = this.find(key);
    return p && { key: p.children?.[0], value: p.children?.[1] };
  }

  /** The number of property nodes, duplicates included (see `firstKey`). */
  get count(): number {
    return this.props.length;
  }

  /**
   * The key of the i-th property node when no earlier one has it, else undefined: for i from 0 to
   * `count`, each key once in the order it first appears, as `forEach` gives them.
   */
  firstKey(i: number): string | undefined {
    const k = this.props[i].children?.[0];
    return !k || typeof k.value !== 'string' || keyBefore(this.props, i, k.value) ? undefined : k.value;
  }

  /**
   * Each key once, in the order it first appears, with its last value: the order a Map keyed by
   * the properties would iterate in.
   */
  forEach(f: (key: string, value: Node | undefined) => void): void {
    const props = this.props;
    for (let i = 0; i < props.length; i++) {
      const k = props[i].children?.[0];
      if (!k || typeof k.value !== 'string' || keyBefore(props, i, k.value)) continue;
      f(k.value, this.value(k.value));
    }
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
export function describe(node: Node | undefined): string {
  if (!node) return 'nothing';
  switch (node.type) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return `the string ${quote(String(node.value))}`;
    case 'number':
      return `the number ${String(node.value)}`;
    case 'boolean':
      return String(node.value);
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

  /** The source text of a node, shortened for messages. */
  source(node: Node, max = 40): string {
    const s = this.text.slice(node.offset, node.offset + node.length);
    return s.length > max ? s.slice(0, max) + '…' : s;
  }

  /**
   * The properties of an object node, last one winning on duplicates (like JSON.parse), with
   * warnings for duplicates and unknown keys. `known` lists the keys the format allows here;
   * `aliases` maps other spellings (the course's snake_case names) to a suggestion.
   */
  properties(
    node: Node,
    path: JsonPath,
    known: readonly string[],
    aliases: Readonly<Record<string, string>> = {},
    unknownMessage?: (key: string) => string | undefined,
  ): Properties {
    const props = node.children ?? [];
    for (let i = 0; i < props.length; i++) {
      const keyNode = props[i].children?.[0];
      if (!keyNode || typeof keyNode.value !== 'string') continue;
      const key = keyNode.value;
      const earlier = keyBefore(props, i, key);
      if (earlier) {
        this.report(
          'duplicate-key',
          'warning',
          `duplicate key ${quote(key)} in ${label(path)}; the last one wins`,
          rangeOfNode(keyNode),
          [...path, key],
          { related: [{ path: [...path, key], range: this.clamp(rangeOfNode(earlier)), message: `first ${quote(key)} is here` }] },
        );
      }
      if (!known.includes(key)) {
        const custom = unknownMessage?.(key);
        const suggestion = custom ? undefined : closest(key, known, aliases);
        const where = path.length === 0 ? '' : ` in ${label(path)}`;
        const message =
          custom ?? `unknown key ${quote(key)}${where}${suggestion ? `; did you mean '${suggestion}'?` : ''}`;
        // Renaming onto a key the object already has would only trade this for a duplicate.
        const taken = suggestion !== undefined && props.some((q) => q.children?.[0]?.value === suggestion);
        const fix: Fix[] = suggestion && !taken
          ? [{ title: `Rename to '${suggestion}'`, edits: [{ range: rangeOfNode(keyNode), newText: JSON.stringify(suggestion) }], preferred: true }]
          : [];
        this.report('unknown-key', 'warning', message, rangeOfNode(keyNode), [...path, key], { fix });
      }
    }
    return new Properties(props);
  }

  /** Reports a missing required key at the object's key in its parent, or at its opening brace. */
  missing(objectNode: Node, path: JsonPath, key: string, why: string): void {
    const keyInParent = objectNode.parent?.type === 'property' ? objectNode.parent.children?.[0] : undefined;
    const range = keyInParent ? rangeOfNode(keyInParent) : { offset: objectNode.offset, length: Math.min(1, objectNode.length) };
    const where = path.length === 0 ? '' : ` in ${label(path)}`;
    this.report('missing-key', 'error', `missing required key ${quote(key)}${where} (${why})`, range, [...path, key]);
  }

  /**
   * `key`, when given, is appended to `path` only if a problem is reported: building the path of
   * every value read, for problems most values never have, was a large part of a check's garbage.
   */
  wrongType(node: Node, path: JsonPath, expected: string, key?: string | number): void {
    if (key !== undefined) path = [...path, key];
    this.report('wrong-type', 'error', `${label(path)} must be ${expected}; found ${describe(node)}`, rangeOfNode(node), path);
  }

  /** An object value, or not-an-object when it is something else. */
  object(node: Node, path: JsonPath, key?: string | number): boolean {
    if (node.type === 'object') return true;
    if (key !== undefined) path = [...path, key];
    this.report('not-an-object', 'error', `${label(path)} must be an object { ... }; found ${describe(node)}`, rangeOfNode(node), path);
    return false;
  }

  number(node: Node, path: JsonPath, rule: NumberRule, key?: string | number): number | undefined {
    if (node.type !== 'number' || typeof node.value !== 'number') {
      this.wrongType(node, path, rule.integer ? 'an integer' : 'a number', key);
      return undefined;
    }
    const v = node.value;
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
    this.report('out-of-range', 'error', `${label(path)} must be ${rule.says}; found ${found}`, rangeOfNode(node), path);
    return undefined;
  }

  string(node: Node, path: JsonPath, key?: string | number): string | undefined {
    if (node.type === 'string' && typeof node.value === 'string') return node.value;
    this.wrongType(node, path, 'a string', key);
    return undefined;
  }

  boolean(node: Node, path: JsonPath, key?: string | number): boolean | undefined {
    if (node.type === 'boolean' && typeof node.value === 'boolean') return node.value;
    this.wrongType(node, path, 'true or false', key);
    return undefined;
  }

  /** A string from a closed list, with "did you mean" and a fix that replaces the value. */
  choice<T extends string>(
    node: Node,
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
        const f: Fix = { title: `Change to '${c}'`, edits: [{ range: rangeOfNode(node), newText: JSON.stringify(c) }] };
        if (c === suggestion) f.preferred = true;
        return f;
      });
    this.report(code, 'error', message, rangeOfNode(node), path, { fix });
    return undefined;
  }
}
