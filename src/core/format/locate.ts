/**
 * From a JSON path to a place in the text: the one owner of that conversion.
 *
 * Every part of the project (checker, CLI, editor, training) that turns a `JsonPath` into a range,
 * a line and column, or a VS Code position goes through this module, so they all agree on which
 * text a path means. The rule for duplicate keys is JSON.parse's, the checker's: the last one
 * wins. (jsonc-parser's `findNodeAtLocation` returns the first, which put editor hints on text the
 * checker had ignored.)
 *
 * Offsets and lengths are UTF-16 code units of the parsed string, the units of VS Code's
 * `document.positionAt`.
 */
import { findNodeAtOffset, type Node } from 'jsonc-parser';
import type { JsonPath, TextRange } from '../problems';
import { PROPERTY, TreeNode } from './tree';

/**
 * The node at `path` (a property's value node, or an array element), or undefined when the path
 * does not exist. With duplicate keys in an object the last one wins.
 */
export function nodeAt(root: Node | undefined, path: JsonPath): Node | undefined {
  if (root instanceof TreeNode) {
    // The checker's own tree: found in its columns, and only the node found (with the nodes above
    // it and their siblings) made.
    const n = root.tree.find(path, root.n);
    return n ? root.tree.node(n) : undefined;
  }
  let node = root;
  for (const segment of path) {
    if (!node) return undefined;
    if (typeof segment === 'number') {
      if (node.type !== 'array' || !node.children || segment < 0 || segment >= node.children.length) return undefined;
      node = node.children[segment];
    } else {
      if (node.type !== 'object' || !node.children) return undefined;
      let found: Node | undefined;
      for (const prop of node.children) {
        const key = prop.children?.[0];
        if (key && key.value === segment) found = prop.children?.[1];
      }
      node = found;
    }
  }
  return node;
}

/** What `locate` found: the node, and how much of the asked-for path exists. */
export interface Location {
  node: Node;
  /** The prefix of the asked-for path that exists (the whole path when `exact`). */
  path: JsonPath;
  exact: boolean;
}

/** The node at `path`, or at its nearest existing ancestor (the root at worst). */
export function locate(root: Node | undefined, path: JsonPath): Location | undefined {
  if (!root) return undefined;
  for (let n = path.length; n >= 0; n--) {
    const prefix = path.slice(0, n);
    const node = nodeAt(root, prefix);
    if (node) return { node, path: prefix, exact: n === path.length };
  }
  return undefined;
}

/**
 * Which text of a located node a range covers: the value itself, or for a property's value the
 * whole `"key": value` (what a reader sees as "the setting"), or just its key.
 */
export type RangeTarget = 'value' | 'property' | 'key';

/** The span of a node, widened to its property or narrowed to its key as `target` asks. */
export function rangeOfNode(node: Node, target: RangeTarget = 'value'): TextRange {
  const prop = node.parent?.type === 'property' ? node.parent : undefined;
  if (prop && target === 'property') return { offset: prop.offset, length: prop.length };
  const key = prop?.children?.[0];
  if (key && target === 'key') return { offset: key.offset, length: key.length };
  return { offset: node.offset, length: node.length };
}

/**
 * The range of `path` in the tree: its node's, or its nearest existing ancestor's; the start of
 * the text when there is no tree at all.
 */
export function rangeAt(root: Node | undefined, path: JsonPath, target: RangeTarget = 'value'): TextRange {
  if (root instanceof TreeNode) {
    // The checker's own tree: read from its columns, making no node (a file with a problem in
    // each of 2,000 layers asks this 2,000 times).
    const t = root.tree;
    for (let depth = path.length; depth >= 0; depth--) {
      const n = t.find(path, root.n, depth);
      if (!n) continue;
      const prop = t.parent[n] && t.kind[t.parent[n]] === PROPERTY ? t.parent[n] : 0;
      if (prop && target === 'property') return t.range(prop);
      const key = prop ? t.keyNode(prop) : 0;
      return t.range(key && target === 'key' ? key : n);
    }
  }
  const found = locate(root, path);
  return found ? rangeOfNode(found.node, target) : { offset: 0, length: 0 };
}

/**
 * Whether the checker reads `node`'s text: false when some object on its way up has a later
 * property with the same key, which hides this one (JSON.parse's rule).
 */
export function isRead(node: Node): boolean {
  for (let child = node; child.parent; child = child.parent) {
    const prop = child.parent;
    if (prop.type !== 'property') continue;
    const key = prop.children?.[0]?.value;
    const siblings = prop.parent?.children ?? [];
    for (let i = siblings.length - 1; siblings[i] !== prop; i--) {
      if (siblings[i]!.children?.[0]?.value === key) return false;
    }
  }
  return true;
}

/** The JSON path of a node: the keys and indices from the root down to it. */
function pathOf(node: Node): JsonPath {
  const path: JsonPath = [];
  for (let child = node; child.parent; child = child.parent) {
    const parent = child.parent;
    if (parent.type === 'property') path.unshift(parent.children?.[0]?.value as string);
    else if (parent.type === 'array') path.unshift(parent.children!.indexOf(child));
  }
  return path;
}

/** What the text at an offset is: see `placeAt`. */
export interface Place {
  /** The JSON path there; on a property's key it ends with that key. */
  path: JsonPath;
  /** The token there: a key, a value, or an object or array at its opening bracket. */
  node?: Node;
  /** On a property's key (up to its colon) rather than its value. */
  onKey: boolean;
  /** False on text a later duplicate key hides: the checker did not read it. */
  read: boolean;
}

/**
 * The place of an offset in the tree (a hover's question), or undefined between the entries of
 * an object or array. An offset at the end of a token still belongs to it, as a cursor does.
 */
export function placeAt(root: Node | undefined, offset: number): Place | undefined {
  const node = root && findNodeAtOffset(root, offset, true);
  if (!node) return undefined;
  if (node.type === 'property') {
    const [key, value] = node.children ?? [];
    if (!key) return undefined;
    const onKey = node.colonOffset === undefined || offset <= node.colonOffset;
    const place: Place = { path: pathOf(key), onKey, read: isRead(key) };
    if (onKey) place.node = key;
    else if (value && offset >= value.offset) place.node = value;
    return place;
  }
  if ((node.type === 'object' || node.type === 'array') && offset !== node.offset) return undefined;
  const onKey = node.parent?.type === 'property' && node.parent.children?.[0] === node;
  return { path: pathOf(node), node, onKey, read: isRead(node) };
}

/** 1-based line and column of an offset, counting "\n" (and "\r\n") as line breaks. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const { line, character } = new LineIndex(text).positionAt(offset);
  return { line: line + 1, column: character + 1 };
}

/**
 * Offsets to 0-based line and character, by binary search over line starts: for many lookups in
 * one text (a workspace check, the CLI's problem list), and text that is not open in an editor.
 */
export class LineIndex {
  /** Offset of the first character of each line. */
  private readonly starts: number[] = [0];
  private readonly length: number;
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
    this.length = text.length;
  }
  positionAt(offset: number): { line: number; character: number } {
    const o = Math.max(0, Math.min(offset, this.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo]! };
  }
}
