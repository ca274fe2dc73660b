/**
 * The parse tree of a `.dnn.json` text, kept as columns of typed arrays rather than an object per
 * node, and a fast path that reads a well-formed file straight into it.
 *
 * Why columns: a 2,000-layer file has some 70,000 nodes. As objects they were half of what a check
 * allocated, and since they stay alive until the check ends, every young-generation collection
 * in between copied them all (a check took twice as long as with a larger young generation).
 * In typed arrays they are a few flat buffers outside the collected heap.
 *
 * A node is an index (1-based: 0 is never a node, so `if (node)` reads "if present"). The
 * parser reads nodes through `Tree`'s methods. Everything else (the editor, locate.ts, the
 * shapes checker's fixes) gets jsonc-parser's `Node` interface from `node(n)` and `root()`: each
 * such object is made the first time it is asked for, children included, and then kept, so
 * `a.parent.children[0] === a` holds as in jsonc-parser's own tree.
 *
 * The fast path (`readTree`) accepts only text that jsonc-parser's `parseTree` reads without a
 * single error, and gives up (returns undefined) at the first thing it is not sure of: a syntax
 * error, a character jsonc-parser treats specially, nesting deeper than `maxDepth`. The caller
 * then runs jsonc-parser, whose error-tolerant parse and messages are the reference, and wraps
 * its tree with `Tree.of`. The test compares the two on every example, fixture and a fuzzed
 * corpus.
 */
import type { Node, NodeType } from 'jsonc-parser';
import type { JsonPath, TextRange } from '../problems';

export const OBJECT = 1;
export const ARRAY = 2;
export const PROPERTY = 3;
export const STRING = 4;
export const NUMBER = 5;
export const BOOLEAN = 6;
export const NULL = 7;

/** jsonc-parser's name of each kind, by its number. */
const TYPES: readonly NodeType[] = ['null', 'object', 'array', 'property', 'string', 'number', 'boolean', 'null'];
const KIND_OF: Readonly<Record<NodeType, number>> = { object: OBJECT, array: ARRAY, property: PROPERTY, string: STRING, number: NUMBER, boolean: BOOLEAN, null: NULL };

const NO_CHILDREN = new Int32Array(0);

/**
 * The tree's columns. Node n has `kind[n]`, `offset[n]`, `length[n]` and `parent[n]` (0 for the
 * root); its children are `kids[first[n]]` to `kids[first[n] + count[n] - 1]`, in text order;
 * `aux[n]` is a property's colon offset (-1 when it has none), an index into `strings` or
 * `numbers` for a string or a number, and 1 or 0 for true or false.
 */
export class Tree {
  /** The number of nodes plus one (index 0 is no node). */
  size = 1;
  kind: Uint8Array;
  offset: Int32Array;
  length: Int32Array;
  parent: Int32Array;
  first: Int32Array;
  count: Int32Array;
  aux: Int32Array;
  kids: Int32Array;
  kidsSize = 0;
  strings: string[] = [];
  numbers: Float64Array;
  numbersSize = 0;
  /**
   * The `Node` made for each index, once asked for (see `node`): an array as long as the tree,
   * made when the first node is.
   */
  private nodes: (Node | undefined)[] | undefined;

  private rootNode: Node | undefined;

  private made(): (Node | undefined)[] {
    return (this.nodes ??= new Array<Node | undefined>(this.size).fill(undefined));
  }

  constructor(capacity: number) {
    const n = Math.max(16, capacity);
    this.kind = new Uint8Array(n);
    this.offset = new Int32Array(n);
    this.length = new Int32Array(n);
    this.parent = new Int32Array(n);
    this.first = new Int32Array(n);
    this.count = new Int32Array(n);
    this.aux = new Int32Array(n);
    this.kids = new Int32Array(n);
    this.numbers = new Float64Array(n >> 2);
  }

  /** A new node of `kind` at `offset`, its length and children to be filled in. */
  add(kind: number, offset: number, parent: number): number {
    if (this.size === this.kind.length) this.grow();
    const n = this.size++;
    this.kind[n] = kind;
    this.offset[n] = offset;
    this.parent[n] = parent;
    return n;
  }

  private grow(): void {
    const n = this.kind.length * 2;
    const bigger = <T extends Uint8Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (length: number) => T)(n);
      b.set(a);
      return b;
    };
    this.kind = bigger(this.kind);
    this.offset = bigger(this.offset);
    this.length = bigger(this.length);
    this.parent = bigger(this.parent);
    this.first = bigger(this.first);
    this.count = bigger(this.count);
    this.aux = bigger(this.aux);
    this.kids = bigger(this.kids);
  }

  /** Sets the children of `n` to `list[from]` to `list[to - 1]`. */
  setChildren(n: number, list: Int32Array, from: number, to: number): void {
    let k = this.kidsSize;
    this.first[n] = k;
    this.count[n] = to - from;
    // A loop, not set(subarray): a view object per node was a quarter of what reading allocated.
    const kids = this.kids;
    for (let i = from; i < to; i++) kids[k++] = list[i];
    this.kidsSize = k;
  }

  /** Sets a property's children: its key and value (both added already, so `kids` has room). */
  setPair(n: number, key: number, value: number): void {
    const k = this.kidsSize;
    this.first[n] = k;
    this.count[n] = 2;
    this.kids[k] = key;
    this.kids[k + 1] = value;
    this.kidsSize = k + 2;
  }

  addNumber(n: number, value: number): void {
    if (this.numbersSize === this.numbers.length) {
      const b = new Float64Array(this.numbers.length * 2 + 16);
      b.set(this.numbers);
      this.numbers = b;
    }
    this.aux[n] = this.numbersSize;
    this.numbers[this.numbersSize++] = value;
  }

  /** Adds a string value and returns its index (several string nodes may share one). */
  addString(value: string): number {
    this.strings.push(value);
    return this.strings.length - 1;
  }

  /** jsonc-parser's name of the node's kind. */
  type(n: number): NodeType {
    return TYPES[this.kind[n]]!;
  }

  /** A string's, number's, boolean's or null's value; undefined for an object, array or property. */
  value(n: number): string | number | boolean | null | undefined {
    switch (this.kind[n]) {
      case STRING:
        return this.strings[this.aux[n]];
      case NUMBER:
        return this.numbers[this.aux[n]];
      case BOOLEAN:
        return this.aux[n] === 1;
      case NULL:
        return null;
      default:
        return undefined;
    }
  }

  /** The string's value, or undefined when `n` is not a string. */
  string(n: number): string | undefined {
    return this.kind[n] === STRING ? this.strings[this.aux[n]] : undefined;
  }

  /** The number's value, or undefined when `n` is not a number. */
  number(n: number): number | undefined {
    return this.kind[n] === NUMBER ? this.numbers[this.aux[n]] : undefined;
  }

  childCount(n: number): number {
    return this.count[n];
  }

  /** The k-th child of `n` (0-based), or 0 when there is none. */
  child(n: number, k: number): number {
    return k >= 0 && k < this.count[n] ? this.kids[this.first[n] + k] : 0;
  }

  /** The children of `n` (a view: read it before the tree grows). */
  children(n: number): Int32Array {
    const c = this.count[n];
    return c === 0 ? NO_CHILDREN : this.kids.subarray(this.first[n], this.first[n] + c);
  }

  /** A property's key string (undefined for a key jsonc-parser could not read as a string). */
  keyOf(property: number): string | undefined {
    return this.count[property] > 0 ? this.string(this.kids[this.first[property]]) : undefined;
  }

  /** A property's key node, or 0. */
  keyNode(property: number): number {
    return this.count[property] > 0 ? this.kids[this.first[property]] : 0;
  }

  /** A property's value node, or 0 when the broken text has none. */
  valueNode(property: number): number {
    return this.count[property] > 1 ? this.kids[this.first[property] + 1] : 0;
  }

  /** The text range of the node. */
  range(n: number): TextRange {
    return { offset: this.offset[n], length: this.length[n] };
  }

  /**
   * The node at the first `depth` segments of `path` below node `from` (a property's value, or an
   * array element), or 0 when there is none. With duplicate keys in an object the last one wins.
   * locate.ts's `nodeAt` for a tree read by this module, without making any `Node`.
   */
  find(path: JsonPath, from = 1, depth = path.length): number {
    let n = this.size > from ? from : 0;
    for (let d = 0; d < depth && n; d++) {
      const segment = path[d]!;
      const kind = this.kind[n];
      if (typeof segment === 'number') {
        n = kind === ARRAY ? this.child(n, segment) : 0;
        continue;
      }
      if (kind !== OBJECT) return 0;
      let found = 0;
      for (let i = this.count[n] - 1; i >= 0 && !found; i--) {
        const p = this.kids[this.first[n] + i];
        if (this.keyOf(p) === segment) found = this.valueNode(p);
      }
      n = found;
    }
    return n;
  }

  /** The root's `Node`; undefined for a tree with no nodes. */
  root(): Node | undefined {
    return this.size > 1 ? this.node(1) : undefined;
  }

  /**
   * The node as jsonc-parser's `Node`, the same object every time. Made top down: a node's
   * parent first, then the parent's children all at once (each child's `children` wait until
   * someone asks for them).
   */
  node(n: number): Node {
    // The root is kept apart: every check makes it, and most never go further.
    if (n === 1) return (this.rootNode ??= this.nodes?.[1] ?? new TreeNode(this, 1, undefined));
    const nodes = this.made();
    const known = nodes[n];
    if (known) return known;
    const parent = this.node(this.parent[n]);
    void parent.children;
    return nodes[n]!;
  }

  /** The children of `n` as `Node`s, made and remembered (called by `TreeNode`). */
  childNodes(n: number, parent: Node): Node[] {
    const nodes = this.made();
    const c = this.count[n];
    const out: Node[] = new Array<Node>(c);
    for (let k = 0; k < c; k++) {
      const i = this.kids[this.first[n] + k];
      out[k] = nodes[i] ??= new TreeNode(this, i, parent);
    }
    return out;
  }

  /**
   * The tree of jsonc-parser's `Node`s, columns and all: for text the fast path gave up on. The
   * nodes are jsonc-parser's own objects (`node(n)` returns them), so a broken text's tree is
   * exactly what jsonc-parser made of it.
   */
  static of(root: Node): Tree {
    const tree = new Tree(64);
    const nodes: (Node | undefined)[] = [undefined];
    const visit = (node: Node, parent: number): number => {
      const n = tree.add(KIND_OF[node.type], node.offset, parent);
      nodes[n] = node;
      tree.length[n] = node.length;
      if (node.type === 'string') tree.aux[n] = tree.addString(String(node.value));
      else if (node.type === 'number') tree.addNumber(n, Number(node.value));
      else if (node.type === 'boolean') tree.aux[n] = node.value === true ? 1 : 0;
      else if (node.type === 'property') tree.aux[n] = node.colonOffset ?? -1;
      const children = node.children;
      if (children && children.length > 0) {
        const ids = new Int32Array(children.length);
        for (let k = 0; k < children.length; k++) ids[k] = visit(children[k]!, n);
        tree.setChildren(n, ids, 0, ids.length);
      }
      return n;
    };
    visit(root, 0);
    tree.nodes = nodes;
    return tree;
  }
}

/**
 * jsonc-parser's `Node`, read from the tree's columns when it is made; its children are made when
 * first asked for.
 */
export class TreeNode implements Node {
  readonly type: NodeType;
  readonly offset: number;
  readonly length: number;
  readonly value: unknown;
  readonly colonOffset: number | undefined;
  private made: Node[] | undefined;
  constructor(
    /** The tree and the node's index in it, for locate.ts's lookups that need no `Node`. */
    readonly tree: Tree,
    readonly n: number,
    readonly parent: Node | undefined,
  ) {
    this.type = tree.type(n);
    this.offset = tree.offset[n];
    this.length = tree.length[n];
    this.value = tree.value(n);
    this.colonOffset = tree.kind[n] === PROPERTY && tree.aux[n] >= 0 ? tree.aux[n] : undefined;
  }
  get children(): Node[] | undefined {
    const kind = this.tree.kind[this.n];
    if (kind !== OBJECT && kind !== ARRAY && kind !== PROPERTY) return undefined;
    return (this.made ??= this.tree.childNodes(this.n, this));
  }
}

/** Thrown inside the reader to give up; never escapes `readTree`. */
const GIVE_UP = Symbol('give up');

const QUOTE = 0x22;
const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const STAR = 0x2a;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const DOT = 0x2e;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** What may follow a number or a literal without jsonc-parser reading them as one token. */
function isDelimiter(c: number): boolean {
  return (
    c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET ||
    c === SLASH || Number.isNaN(c)
  );
}

/** Strings up to this length are shared (see `Reader.interned`); longer ones are rarely repeated. */
const MAX_INTERNED = 32;
/** Slots of the table of shared strings, a power of two; a slot holds the last string that hashed to it. */
const INTERN_SLOTS = 256;

class Reader {
  pos = 0;
  depth = 0;
  /** The children of every object and array still open, innermost last. */
  private open = new Int32Array(256);
  private openSize = 0;
  /** Short strings already read, by a hash of their text, and their index in the tree's `strings` (see `interned`). */
  private readonly strings: (string | undefined)[] = new Array<string | undefined>(INTERN_SLOTS).fill(undefined);
  private readonly stringIndex = new Int32Array(INTERN_SLOTS);

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
    readonly tree: Tree,
  ) {}

  /** Skips spaces, tabs, line breaks and comments; gives up on an unterminated block comment. */
  skip(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
        this.pos++;
      } else if (c === SLASH) {
        const next = text.charCodeAt(this.pos + 1);
        if (next === SLASH) {
          this.pos += 2;
          for (;;) {
            const d = text.charCodeAt(this.pos);
            if (Number.isNaN(d) || d === 0x0a || d === 0x0d) break;
            this.pos++;
          }
        } else if (next === STAR) {
          const end = text.indexOf('*/', this.pos + 2);
          if (end < 0) throw GIVE_UP;
          this.pos = end + 2;
        } else throw GIVE_UP;
      } else return;
    }
  }

  value(parent: number): number {
    const c = this.text.charCodeAt(this.pos);
    if (c === OPEN_BRACE) return this.object(parent);
    if (c === OPEN_BRACKET) return this.array(parent);
    if (c === QUOTE) return this.string(parent);
    if (c === MINUS || isDigit(c)) return this.number(parent);
    if (c === 0x74) return this.literal(parent, 'true', BOOLEAN, 1);
    if (c === 0x66) return this.literal(parent, 'false', BOOLEAN, 0);
    if (c === 0x6e) return this.literal(parent, 'null', NULL, 0);
    throw GIVE_UP;
  }

  private enter(): void {
    if (++this.depth > this.maxDepth) throw GIVE_UP;
  }

  private push(n: number): void {
    if (this.openSize === this.open.length) {
      const b = new Int32Array(this.open.length * 2);
      b.set(this.open);
      this.open = b;
    }
    this.open[this.openSize++] = n;
  }

  /** Ends an object or array opened at `start` of the stack: its children are what was pushed since. */
  private close(node: number, start: number): void {
    const tree = this.tree;
    this.pos++;
    tree.length[node] = this.pos - tree.offset[node];
    tree.setChildren(node, this.open, start, this.openSize);
    this.openSize = start;
    this.depth--;
  }

  private object(parent: number): number {
    this.enter();
    const tree = this.tree;
    const node = tree.add(OBJECT, this.pos, parent);
    const start = this.openSize;
    const text = this.text;
    this.pos++;
    this.skip();
    while (text.charCodeAt(this.pos) !== CLOSE_BRACE) {
      if (text.charCodeAt(this.pos) !== QUOTE) throw GIVE_UP;
      const property = tree.add(PROPERTY, this.pos, node);
      const key = this.string(property);
      this.skip();
      if (text.charCodeAt(this.pos) !== COLON) throw GIVE_UP;
      tree.aux[property] = this.pos;
      this.pos++;
      this.skip();
      const value = this.value(property);
      tree.setPair(property, key, value);
      tree.length[property] = tree.offset[value] + tree.length[value] - tree.offset[property];
      this.push(property);
      this.skip();
      if (text.charCodeAt(this.pos) === COMMA) {
        this.pos++;
        this.skip();
      } else if (text.charCodeAt(this.pos) !== CLOSE_BRACE) throw GIVE_UP;
    }
    this.close(node, start);
    return node;
  }

  private array(parent: number): number {
    this.enter();
    const node = this.tree.add(ARRAY, this.pos, parent);
    const start = this.openSize;
    const text = this.text;
    this.pos++;
    this.skip();
    while (text.charCodeAt(this.pos) !== CLOSE_BRACKET) {
      this.push(this.value(node));
      this.skip();
      if (text.charCodeAt(this.pos) === COMMA) {
        this.pos++;
        this.skip();
      } else if (text.charCodeAt(this.pos) !== CLOSE_BRACKET) throw GIVE_UP;
    }
    this.close(node, start);
    return node;
  }

  /**
   * The index in the tree's `strings` of the text from `from` to `to` (a string without escapes),
   * the same as the last time that text was read: keys and values like "type", "conv", "relu"
   * and "m" come back in every layer, and a copy of each was a tenth of what reading a large
   * file allocated.
   */
  private interned(from: number, to: number, hash: number): number {
    const tree = this.tree;
    if (to - from > MAX_INTERNED) return tree.addString(this.text.slice(from, to));
    const slot = hash & (INTERN_SLOTS - 1);
    const known = this.strings[slot];
    if (known !== undefined && known.length === to - from && this.text.startsWith(known, from)) return this.stringIndex[slot];
    const s = this.text.slice(from, to);
    this.strings[slot] = s;
    return (this.stringIndex[slot] = tree.addString(s));
  }

  /** A string token; its value unescaped as jsonc-parser's scanner does. */
  private string(parent: number): number {
    const text = this.text;
    const start = this.pos;
    let pos = start + 1;
    let chunk = pos;
    let value = '';
    let hash = 0;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === QUOTE) break;
      if (Number.isNaN(c) || c < 0x20) throw GIVE_UP;
      hash = (hash * 31 + c) | 0;
      if (c === BACKSLASH) {
        value += text.slice(chunk, pos);
        const e = text.charCodeAt(pos + 1);
        pos += 2;
        switch (e) {
          case QUOTE:
            value += '"';
            break;
          case BACKSLASH:
            value += '\\';
            break;
          case SLASH:
            value += '/';
            break;
          case 0x62:
            value += '\b';
            break;
          case 0x66:
            value += '\f';
            break;
          case 0x6e:
            value += '\n';
            break;
          case 0x72:
            value += '\r';
            break;
          case 0x74:
            value += '\t';
            break;
          case 0x75: {
            const hex = text.slice(pos, pos + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw GIVE_UP;
            value += String.fromCharCode(parseInt(hex, 16));
            pos += 4;
            break;
          }
          default:
            throw GIVE_UP;
        }
        chunk = pos;
      } else pos++;
    }
    const index = chunk === start + 1 ? this.interned(start + 1, pos, hash) : this.tree.addString(value + text.slice(chunk, pos));
    this.pos = pos + 1;
    const tree = this.tree;
    const n = tree.add(STRING, start, parent);
    tree.length[n] = this.pos - start;
    tree.aux[n] = index;
    return n;
  }

  /** JSON's number grammar exactly; anything else (01, 1., .5, 1e) is left to jsonc-parser. */
  private number(parent: number): number {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    const negative = text.charCodeAt(pos) === MINUS;
    if (negative) pos++;
    // An integer's value is summed while its digits are read: slicing each number out of the
    // text to convert it was most of what reading a number cost.
    let integer = 0;
    if (text.charCodeAt(pos) === 0x30) pos++;
    else if (isDigit(text.charCodeAt(pos))) {
      for (let c = text.charCodeAt(pos); isDigit(c); c = text.charCodeAt(++pos)) integer = integer * 10 + (c - 0x30);
    } else throw GIVE_UP;
    const digitsEnd = pos;
    if (text.charCodeAt(pos) === DOT) {
      pos++;
      if (!isDigit(text.charCodeAt(pos))) throw GIVE_UP;
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    const e = text.charCodeAt(pos);
    if (e === 0x65 || e === 0x45) {
      pos++;
      const sign = text.charCodeAt(pos);
      if (sign === 0x2b || sign === MINUS) pos++;
      if (!isDigit(text.charCodeAt(pos))) throw GIVE_UP;
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    if (!isDelimiter(text.charCodeAt(pos))) throw GIVE_UP;
    this.pos = pos;
    // Up to 15 digits the sum is exact (below 2^53); anything longer or with a fraction or an
    // exponent is converted from its text, which rounds as JSON.parse does.
    const exact = pos === digitsEnd && digitsEnd - start - (negative ? 1 : 0) <= 15;
    const tree = this.tree;
    const n = tree.add(NUMBER, start, parent);
    tree.length[n] = pos - start;
    tree.addNumber(n, exact ? (negative ? -integer : integer) : Number(text.slice(start, pos)));
    return n;
  }

  private literal(parent: number, word: string, kind: number, aux: number): number {
    const start = this.pos;
    if (!this.text.startsWith(word, start) || !isDelimiter(this.text.charCodeAt(start + word.length))) throw GIVE_UP;
    this.pos = start + word.length;
    const tree = this.tree;
    const n = tree.add(kind, start, parent);
    tree.length[n] = word.length;
    tree.aux[n] = aux;
    return n;
  }
}

/**
 * The tree `parseTree(text, errors, { allowTrailingComma: true })` would build, when it would
 * report no error and no bracket is nested deeper than `maxDepth`; otherwise undefined.
 */
export function readTree(text: string, maxDepth: number): Tree | undefined {
  // About one node per four characters in a typical file; the columns double when that is short.
  const reader = new Reader(text, maxDepth, new Tree(Math.min(text.length >> 2, 1 << 18) + 16));
  try {
    reader.skip();
    reader.value(0);
    reader.skip();
    if (reader.pos !== text.length) return undefined;
    return reader.tree;
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}
