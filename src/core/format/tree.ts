/**
 * A fast path for reading a well-formed file: one pass over the text that builds exactly the tree
 * jsonc-parser's `parseTree` builds (same node types, offsets, lengths, colon offsets, parents
 * and values), comments and trailing commas included, and measures the nesting depth on the way.
 *
 * It accepts only text that `parseTree` reads without a single error, and gives up (returns
 * undefined) at the first thing it is not sure of: a syntax error, a character jsonc-parser treats
 * specially, nesting deeper than `maxDepth`. The caller then runs jsonc-parser, whose
 * error-tolerant parse and messages are the reference. A file being edited is valid most of the
 * time, and for a large one this path is several times faster than the general one; the test
 * compares the two trees on every example, fixture and a fuzzed corpus.
 */
import type { Node as JsoncNode } from 'jsonc-parser';

/** jsonc-parser's node without its read-only marks, so the reader can fill in lengths as it goes. */
type Node = { -readonly [K in keyof JsoncNode]: JsoncNode[K] };

/** Thrown inside the reader to give up; never escapes `parseTreeFast`. */
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

/** A placeholder until a node's children are known; replaced before the node is returned. */
const PENDING: Node[] = [];

class Reader {
  pos = 0;
  depth = 0;
  /**
   * The children of every object and array still open, innermost last. Each node gets an array
   * of exactly its children when it closes: arrays grown by push reserve room for 16, which in a
   * 2,000-layer file was a third of the tree's memory.
   */
  private readonly open: Node[] = [];
  /** Short strings already read, by a hash of their text (see `interned`). */
  private readonly strings: (string | undefined)[] = new Array<string | undefined>(INTERN_SLOTS).fill(undefined);

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
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

  value(parent: Node | undefined): Node {
    const c = this.text.charCodeAt(this.pos);
    if (c === OPEN_BRACE) return this.object(parent);
    if (c === OPEN_BRACKET) return this.array(parent);
    if (c === QUOTE) return this.string(parent);
    if (c === MINUS || isDigit(c)) return this.number(parent);
    if (c === 0x74) return this.literal(parent, 'true', true);
    if (c === 0x66) return this.literal(parent, 'false', false);
    if (c === 0x6e) return this.literal(parent, 'null', null);
    throw GIVE_UP;
  }

  private enter(): void {
    if (++this.depth > this.maxDepth) throw GIVE_UP;
  }

  private object(parent: Node | undefined): Node {
    this.enter();
    const node: Node = { type: 'object', offset: this.pos, length: -1, parent, children: PENDING };
    const open = this.open;
    const start = open.length;
    const text = this.text;
    this.pos++;
    this.skip();
    while (text.charCodeAt(this.pos) !== CLOSE_BRACE) {
      if (text.charCodeAt(this.pos) !== QUOTE) throw GIVE_UP;
      // colonOffset is in the literal so the node keeps one hidden class (jsonc-parser sets it too).
      const property: Node = { type: 'property', offset: this.pos, length: -1, parent: node, children: PENDING, colonOffset: -1 };
      const key = this.string(property);
      this.skip();
      if (text.charCodeAt(this.pos) !== COLON) throw GIVE_UP;
      property.colonOffset = this.pos;
      this.pos++;
      this.skip();
      const value = this.value(property);
      property.children = [key, value];
      property.length = value.offset + value.length - property.offset;
      open.push(property);
      this.skip();
      if (text.charCodeAt(this.pos) === COMMA) {
        this.pos++;
        this.skip();
      } else if (text.charCodeAt(this.pos) !== CLOSE_BRACE) throw GIVE_UP;
    }
    this.pos++;
    node.length = this.pos - node.offset;
    node.children = open.slice(start);
    open.length = start;
    this.depth--;
    return node;
  }

  private array(parent: Node | undefined): Node {
    this.enter();
    const node: Node = { type: 'array', offset: this.pos, length: -1, parent, children: PENDING };
    const open = this.open;
    const start = open.length;
    const text = this.text;
    this.pos++;
    this.skip();
    while (text.charCodeAt(this.pos) !== CLOSE_BRACKET) {
      open.push(this.value(node));
      this.skip();
      if (text.charCodeAt(this.pos) === COMMA) {
        this.pos++;
        this.skip();
      } else if (text.charCodeAt(this.pos) !== CLOSE_BRACKET) throw GIVE_UP;
    }
    this.pos++;
    node.length = this.pos - node.offset;
    node.children = open.slice(start);
    open.length = start;
    this.depth--;
    return node;
  }

  /**
   * The text from `from` to `to` (a string without escapes), the same string object as the last
   * time that text was read: keys and values like "type", "conv", "relu" and "m" come back in
   * every layer, and a new copy of each was a tenth of what reading a large file allocated.
   */
  private interned(from: number, to: number, hash: number): string {
    if (to - from > MAX_INTERNED) return this.text.slice(from, to);
    const slot = hash & (INTERN_SLOTS - 1);
    const known = this.strings[slot];
    if (known !== undefined && known.length === to - from && this.text.startsWith(known, from)) return known;
    const s = this.text.slice(from, to);
    this.strings[slot] = s;
    return s;
  }

  /** A string token; its value unescaped as jsonc-parser's scanner does. */
  private string(parent: Node | undefined): Node {
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
    value = chunk === start + 1 ? this.interned(start + 1, pos, hash) : value + text.slice(chunk, pos);
    this.pos = pos + 1;
    return { type: 'string', value, offset: start, length: this.pos - start, parent };
  }

  /** JSON's number grammar exactly; anything else (01, 1., .5, 1e) is left to jsonc-parser. */
  private number(parent: Node | undefined): Node {
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
    const value = exact ? (negative ? -integer : integer) : Number(text.slice(start, pos));
    return { type: 'number', value, offset: start, length: pos - start, parent };
  }

  private literal(parent: Node | undefined, word: string, value: boolean | null): Node {
    const start = this.pos;
    if (!this.text.startsWith(word, start) || !isDelimiter(this.text.charCodeAt(start + word.length))) throw GIVE_UP;
    this.pos = start + word.length;
    return { type: value === null ? 'null' : 'boolean', value, offset: start, length: word.length, parent };
  }
}

/**
 * The tree `parseTree(text, errors, { allowTrailingComma: true })` would build, when it would
 * report no error and no bracket is nested deeper than `maxDepth`; otherwise undefined.
 */
export function parseTreeFast(text: string, maxDepth: number): JsoncNode | undefined {
  const reader = new Reader(text, maxDepth);
  try {
    reader.skip();
    const root = reader.value(undefined);
    reader.skip();
    if (reader.pos !== text.length) return undefined;
    delete root.parent;
    return root;
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}
