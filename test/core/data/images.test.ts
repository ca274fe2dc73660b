/**
 * Pictures: PNG and JPEG decoding, area resizing and grey conversion (values derived by hand),
 * and folders of pictures as training data, with every odd file reported by name. The pictures
 * are written here with the decoders' own encoders; the folders are in memory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encode as encodePng } from 'fast-png';
import { encode as encodeJpeg } from 'jpeg-js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../../../src/core/check';
import { decodePicture, pictureValues, type Picture } from '../../../src/core/data/images';
import { loadData, type ListFolder, type ReadBytes } from '../../../src/core/data/load';
import { span } from '../check-helpers';

/** A w×h RGB PNG whose pixel (x, y) is f(x, y). */
function png(w: number, h: number, f: (x: number, y: number) => [number, number, number]): Uint8Array {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(f(x, y), (y * w + x) * 3);
  return encodePng({ width: w, height: h, data, channels: 3, depth: 8 });
}

function decoded(bytes: Uint8Array): Picture {
  const r = decodePicture(bytes);
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.picture;
}

test('PNG: RGB, grey and 16-bit pictures decode to their pixels', () => {
  const p = decoded(png(2, 1, (x) => [x ? 10 : 200, 20, 30]));
  assert.deepEqual(Array.from(p.rgba), [200, 20, 30, 255, 10, 20, 30, 255]);
  const grey = decoded(encodePng({ width: 2, height: 1, data: new Uint8Array([7, 250]), channels: 1, depth: 8 }));
  assert.deepEqual(Array.from(grey.rgba), [7, 7, 7, 255, 250, 250, 250, 255]);
  const deep = decoded(encodePng({ width: 1, height: 1, data: new Uint16Array([257 * 100, 0, 65535]), channels: 3, depth: 16 }));
  assert.deepEqual(Array.from(deep.rgba), [100, 0, 255, 255]);
});

test("PIL's 1-bit, palette and progressive JPEG pictures (test/fixtures/data/gen_pictures.py)", () => {
  const fixture = (name: string): Picture => decoded(new Uint8Array(readFileSync(join(__dirname, '..', '..', 'fixtures', 'data', 'pictures', name))));
  const bw = fixture('bw.png');
  const grey = Array.from({ length: 10 }, (_, k) => bw.rgba[k * 4]);
  assert.deepEqual(grey, [0, 255, 0, 0, 0, 0, 0, 0, 0, 255]);
  assert.deepEqual(Array.from(fixture('palette.png').rgba), [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255]);
  const jpg = fixture('progressive.jpg');
  assert.deepEqual([jpg.width, jpg.height], [20, 20]);
  for (const [k, v] of [[0, 250], [1, 10], [2, 10]]) assert.ok(Math.abs(jpg.rgba[k] - v) <= 2, `channel ${k}: ${jpg.rgba[k]}`);
});

test('JPEG: a flat colour comes back within JPEG\'s rounding', () => {
  const w = 8;
  const data = new Uint8Array(w * w * 4);
  for (let i = 0; i < w * w; i++) data.set([200, 100, 50, 255], i * 4);
  const p = decoded(encodeJpeg({ width: w, height: w, data }, 100).data);
  assert.deepEqual([p.width, p.height], [8, 8]);
  for (const [k, v] of [[0, 200], [1, 100], [2, 50]]) assert.ok(Math.abs(p.rgba[k] - v) <= 2, `channel ${k}: ${p.rgba[k]}`);
});

test('not a picture, a cut PNG, a broken JPEG: messages, no exceptions', () => {
  assert.deepEqual(decodePicture(new TextEncoder().encode('hello')), { ok: false, message: 'not a PNG or JPEG picture' });
  const whole = png(4, 4, () => [1, 2, 3]);
  const cut = decodePicture(whole.subarray(0, 30));
  assert.equal(cut.ok, false);
  assert.match(cut.ok ? '' : cut.message, /^not a readable PNG picture: /);
  const jpg = decodePicture(new Uint8Array([0xff, 0xd8, 0xff, 0, 1, 2, 3]));
  assert.match(jpg.ok ? '' : jpg.message, /^not a readable JPEG picture: /);
});

test('resizing averages areas: 4×4 to 2×2, 3×3 to 2×2 with partial pixels, the same size exactly', () => {
  // Red = 10·y + x; green and blue 0.
  const p = (n: number): Picture => decoded(png(n, n, (x, y) => [10 * y + x, 0, 0]));
  // Output (0, 0) of 4×4 -> 2×2 is the mean of pixels (0,0), (0,1), (1,0), (1,1): (0 + 1 + 10 + 11) / 4.
  assert.deepEqual(Array.from(pictureValues(p(4), [2, 2, 3], 1)).filter((_, i) => i % 3 === 0), [5.5, 7.5, 25.5, 27.5]);
  // 3×3 -> 2×2: output (0, 0) covers [0, 1.5)²: weights 1, 0.5, 0.5, 0.25 on values 0, 1, 10, 11 -> 8.25 / 2.25 = 11/3.
  assert.ok(Math.abs(pictureValues(p(3), [2, 2, 3], 1)[0] - 11 / 3) < 1e-14);
  // The right size is kept exactly, and divideBy divides.
  assert.deepEqual(Array.from(pictureValues(p(2), [2, 2, 3], 255)), [0, 0, 0, 1 / 255, 0, 0, 10 / 255, 0, 0, 11 / 255, 0, 0]);
});

test('grey (n_C = 1) is the luma 0.299 R + 0.587 G + 0.114 B', () => {
  const v = pictureValues(decoded(png(1, 1, () => [100, 200, 50])), [1, 1, 1], 1);
  assert.ok(Math.abs(v[0] - (0.299 * 100 + 0.587 * 200 + 0.114 * 50)) < 1e-12);
});

/** An in-memory tree: folders are objects, files are bytes. */
type Tree = { [name: string]: Tree | Uint8Array };

function fs(root: Tree): { read: ReadBytes; list: ListFolder } {
  const at = (path: string): Tree | Uint8Array | undefined => {
    let node: Tree | Uint8Array | undefined = root;
    for (const part of path.split('/').filter((s) => s !== '' && s !== '.')) node = node instanceof Uint8Array ? undefined : node?.[part];
    return node;
  };
  return {
    read: async (p) => {
      const n = at(p);
      return n instanceof Uint8Array ? { ok: true, bytes: n } : { ok: false, message: 'cannot read: no such file' };
    },
    list: async (p) => {
      const n = at(p);
      if (!n || n instanceof Uint8Array) return { ok: false, message: 'cannot read: no such folder' };
      return { ok: true, entries: Object.keys(n).sort().map((name) => ({ name, folder: !(n[name] instanceof Uint8Array) })) };
    },
  };
}

const RED = png(4, 4, () => [255, 0, 0]);
const BLUE = png(2, 2, () => [0, 0, 255]);

function network(input: string, units: number, data: string): string {
  const out = units === 1 ? '{ "units": 1, "activation": "sigmoid" }' : `{ "units": ${units}, "activation": "softmax" }`;
  return `{\n  "input": ${input},\n  "layers": [\n    { "units": 4, "activation": "relu" },\n    ${out}\n  ],\n  "data": ${data}\n}\n`;
}

async function load(text: string, tree: Tree) {
  const checked = checkText(text);
  assert.ok(checked.spec, JSON.stringify(checked.problems.map((p) => p.message)));
  const { read, list } = fs(tree);
  return loadData(checked.spec, '', async () => ({ ok: false, message: 'no text' }), { tree: checked.tree, readBytes: read, listFolder: list });
}

test('a folder of class folders: classes by name, pictures resized to input.shape and divided by 255', async () => {
  const tree: Tree = { pics: { train: { red: { 'a.png': RED, 'b.PNG': RED }, blue: { 'x.png': BLUE, '.DS_Store': new Uint8Array(3) } }, dev: { blue: { 'y.png': BLUE } } } };
  const r = await load(network('{ "shape": [2, 2, 3] }', 1, '{ "images": "pics/train", "dev": "pics/dev" }'), tree);
  assert.deepEqual(r.problems, []);
  const d = r.dataset!;
  assert.deepEqual(d.classNames, ['blue', 'red']);
  assert.deepEqual(d.imageShape, [2, 2, 3]);
  // Class folders in name order: blue's x.png first (label 0), then red's a.png and b.PNG (label 1).
  assert.deepEqual(Array.from(d.train.labels!), [0, 1, 1]);
  assert.deepEqual(Array.from(d.train.Y.data), [0, 1, 1]);
  const column = (i: number): number[] => Array.from({ length: 12 }, (_, f) => d.train.X.data[f * 3 + i]);
  assert.deepEqual(column(0), [0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1]);
  assert.deepEqual(column(1), [1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0]);
  assert.deepEqual([d.dev!.X.cols, Array.from(d.dev!.labels!)], [1, [0]]);
});

test('grey input: n_C = 1 turns the pictures grey', async () => {
  const r = await load(network('{ "shape": [1, 1, 1] }', 1, '{ "images": "p", "divideBy": 1 }'), { p: { a: { '1.png': RED }, b: { '2.png': BLUE } } });
  assert.deepEqual(r.problems, []);
  assert.deepEqual(Array.from(r.dataset!.train.X.data).map((v) => Math.round(v * 1000) / 1000), [76.245, 29.07]);
});

test('odd files, empty and missing folders, a network without a picture shape: problems at the key, naming the file', async () => {
  const data = '{ "images": "p" }';
  const text = network('{ "shape": [2, 2, 3] }', 1, data);
  const problems = async (tree: Tree, t = text) => (await load(t, tree)).problems.map((p) => `${span(t, p.range)} ${p.message}`);
  assert.deepEqual(await problems({ p: { a: { 'x.png': new TextEncoder().encode('not really'), 'notes.txt': new Uint8Array(1) }, b: { 'y.jpg': RED } } }), [
    '7:23-7:26 p/a/notes.txt: not a PNG or JPEG picture (.png, .jpg, .jpeg)',
    '7:23-7:26 p/a/x.png: not a PNG or JPEG picture',
  ]);
  assert.deepEqual(await problems({ p: { 'loose.png': RED } }), [
    '7:23-7:26 p has no subfolders: put each class\'s pictures in a folder of its own, named after the class (e.g. p/cat, p/non-cat)',
  ]);
  assert.deepEqual(await problems({}), ['7:23-7:26 p: cannot read: no such folder']);
  assert.deepEqual(await problems({ p: { a: {}, b: {} } }), ['7:23-7:26 p has no pictures (.png, .jpg, .jpeg) in its class folders a, b']);
  const flat = network('12', 1, data);
  assert.deepEqual(await problems({ p: { a: { 'x.png': RED } } }, flat), [
    '7:23-7:26 pictures are resized to input.shape: give the input the pictures\' size, e.g. "input": { "shape": [64, 64, 3] } (n_H, n_W, n_C)',
  ]);
  const dev = network('{ "shape": [2, 2, 3] }', 1, '{ "images": "p", "dev": "d" }');
  assert.deepEqual(await problems({ p: { a: { 'x.png': RED }, b: { 'y.png': BLUE } }, d: { c: { 'z.png': RED } } }, dev), [
    '7:35-7:38 d has class folders that p does not have: c (the classes are a, b)',
  ]);
});
