/**
 * Built-in datasets against numpy: test/fixtures/gen_data.py runs the course's
 * load_planar_dataset and numpy transcriptions of scikit-learn's generators, cs231n's spiral
 * and our xor, and writes test/fixtures/data/builtin.json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinDataset, linspace } from '../../../src/core/data/builtin';
import type { BuiltinDataset } from '../../../src/core/format/types';
import { fixture, ulps } from '../rng/helpers';

interface Case {
  name: BuiltinDataset;
  params: { examples?: number; noise?: number; seed?: number; classes?: number };
  X: number[][];
  labels: number[];
}
const data = fixture<{
  cases: Case[];
  linspace: { start: number; stop: number; num: number; endpoint: boolean; values: number[] }[];
}>('data', 'builtin.json');

/**
 * numpy's sin, cos and log (glibc's) are correctly rounded but for about 1 input in 1,000, and
 * ours always are; so a value may differ by an ulp now and then. Compare to a few ulps of the
 * largest coordinate (points near 0 have tiny ulps), and insist that nearly all are bit-exact.
 */
function assertClose(actual: Float64Array, expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const scale = Math.max(...expected.map(Math.abs));
  let exact = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    assert.ok(err <= 4 * Number.EPSILON * scale, `${what}[${i}]: ${actual[i]} vs numpy ${expected[i]}`);
    if (ulps(actual[i], expected[i]) === 0) exact++;
  }
  assert.ok(exact >= expected.length * 0.99, `${what}: only ${exact} of ${expected.length} bit-exact`);
}

test('linspace reproduces np.linspace bit for bit (step, i * step + start, last = stop)', () => {
  for (const s of data.linspace) {
    assert.deepEqual(Array.from(linspace(s.start, s.stop, s.num, s.endpoint)), s.values, `linspace(${s.start}, ${s.stop}, ${s.num})`);
  }
});

for (const c of data.cases) {
  test(`${c.name} ${JSON.stringify(c.params)} equals numpy's`, () => {
    const d = builtinDataset(c.name, c.params);
    const m = c.labels.length;
    assert.equal(d.train.X.rows, 2);
    assert.equal(d.train.X.cols, m);
    assert.deepEqual(Array.from(d.train.labels ?? []), c.labels, 'labels (and so the shuffle) differ');
    assertClose(d.train.X.data.subarray(0, m), c.X[0], 'X[0]');
    assertClose(d.train.X.data.subarray(m), c.X[1], 'X[1]');
  });
}

test('planar with no options is the course\'s, bit for bit: X (2, 400), class 0 then class 1, Y a (1, 400) row', () => {
  const d = builtinDataset('planar');
  const course = data.cases.find((c) => c.name === 'planar')!;
  assert.deepEqual(Array.from(d.train.X.data), [...course.X[0], ...course.X[1]]);
  assert.equal(d.train.X.cols, 400);
  assert.equal(d.train.Y.rows, 1);
  assert.deepEqual(Array.from(d.train.Y.data), [...Array(200).fill(0), ...Array(200).fill(1)]);
  assert.equal(d.classes, 2);
});

test('spiral with 3 classes gives one-hot Y (3, m) whose columns sum to 1', () => {
  const d = builtinDataset('spiral', { examples: 10, classes: 3 });
  assert.equal(d.train.Y.rows, 3);
  for (let i = 0; i < 10; i++) {
    const col = [0, 1, 2].map((c) => d.train.Y.data[c * 10 + i]);
    assert.deepEqual(col, [0, 1, 2].map((c) => (c === d.train.labels![i] ? 1 : 0)));
  }
  // 10 = 4 + 3 + 3: the first class gets the extra example.
  assert.deepEqual(Array.from(d.train.labels!), [0, 0, 0, 0, 1, 1, 1, 2, 2, 2]);
});

test('the same seed gives the same data; another seed different data', () => {
  const a = builtinDataset('moons', { seed: 5 });
  const b = builtinDataset('moons', { seed: 5 });
  const c = builtinDataset('moons', { seed: 6 });
  assert.deepEqual(a.train.X.data, b.train.X.data);
  assert.notDeepEqual(a.train.X.data, c.train.X.data);
});

test('options the checker refuses are refused here too, with the value', () => {
  assert.throws(() => builtinDataset('planar', { examples: 0 }), /examples must be a positive integer; got 0/);
  assert.throws(() => builtinDataset('moons', { noise: -1 }), /noise must be a number >= 0; got -1/);
  assert.throws(() => builtinDataset('blobs', { classes: 1 }), /classes must be an integer >= 2; got 1/);
  assert.throws(() => builtinDataset('spiral', { classes: 5, examples: 3 }), /5 classes need at least 5 examples/);
});

test('the course\'s moons (m = 300, noise 0.2, seed 3) and circles (seeds 1 and 2) are bit-exact too', () => {
  for (const c of data.cases) {
    const course =
      (c.name === 'moons' && c.params.seed === 3) || (c.name === 'circles' && (c.params.seed === 1 || c.params.seed === 2));
    if (!course) continue;
    const d = builtinDataset(c.name, c.params);
    assert.deepEqual(Array.from(d.train.X.data), [...c.X[0], ...c.X[1]], `${c.name} ${JSON.stringify(c.params)}`);
  }
});
