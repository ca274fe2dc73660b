// Opt-in: course 1 week 4's "Deep Neural Network - Application" on the course's own pictures.
// The course's HDF5 files are not in this repository (they are the course's), so these runs need
// DNN_COURSE_DATA to name a folder holding train_catvnoncat.h5 and test_catvnoncat.h5:
//
//   DNN_COURSE_DATA=path/to/datasets node --import tsx --test test/cli/course-data.test.ts
//
// Without it the two runs are skipped, saying so. Each run trains a .dnn.json of
// test/fixtures/course/ with `dnn train` and compares what it prints with the notebook's printed
// output, typed in below with the cell it comes from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/index';
import { capture } from './helpers';

const FIXTURES = join(__dirname, '../fixtures/course');
const FILES = ['train_catvnoncat.h5', 'test_catvnoncat.h5'];

/**
 * Where the course's files are, from the value of DNN_COURSE_DATA: `skip` (the reason, and how to
 * run the test) when it is unset or empty, `missing` when the folder lacks one of the files.
 */
export function courseDataFolder(value: string | undefined): { folder: string } | { skip: string } | { missing: string } {
  if (!value) {
    return {
      skip:
        "the course's cat pictures are not in this repository: set DNN_COURSE_DATA to the folder holding " +
        `${FILES.join(' and ')} (the assignment's datasets folder) to run it`,
    };
  }
  const folder = resolve(value);
  for (const file of FILES) {
    if (!existsSync(join(folder, file))) return { missing: `DNN_COURSE_DATA is ${value}, but ${join(folder, file)} does not exist` };
  }
  return { folder };
}

const where = courseDataFolder(process.env.DNN_COURSE_DATA);
const skip = 'skip' in where ? where.skip : false;

/** Trains test/fixtures/course/NAME.dnn.json beside a `datasets` link to the course's folder. */
async function trainOnCourseData(name: string) {
  if ('missing' in where) assert.fail(where.missing);
  assert.ok('folder' in where);
  const dir = mkdtempSync(join(tmpdir(), 'dnn-course-'));
  const file = join(dir, `${name}.dnn.json`);
  copyFileSync(join(FIXTURES, `${name}.dnn.json`), file);
  symlinkSync(where.folder, join(dir, 'datasets'));
  try {
    const io = capture();
    const status = await main(['train', file, '--save', join(dir, 'p.params.json'), '--costs', join(dir, 'costs.csv')], io);
    assert.equal(status, 0, io.errText);
    const costs = readFileSync(join(dir, 'costs.csv'), 'utf8').trim().split('\n').slice(1).map((row) => Number(row.split(',')[1]));
    const printed = io.outText.split('\n').filter((line) => line.startsWith('Cost after'));
    return { io, costs, printed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** "Cost after iteration i: c" lines, as [i, c]. */
function costLines(text: string): [number, number][] {
  return text
    .trim()
    .split('\n')
    .map((line) => /Cost after iteration (\d+): (\S+)/.exec(line)!)
    .map((match) => [Number(match[1]), Number(match[2])]);
}

/**
 * Copies of the notebook run on other machines print these 17-digit costs with different last
 * digits (their BLAS sums in another order: e.g. 0.17080762978096647 and 0.17080762978096023 at
 * iteration 1600), so a cost matches when it agrees to 1e-9, relatively.
 */
const FULL_DIGITS = 1e-9;

function assertCost(mine: number, published: number, what: string): void {
  assert.ok(Math.abs(mine - published) <= FULL_DIGITS * Math.abs(published), `${what}: dnn ${mine}, the notebook ${published}`);
}

test('without DNN_COURSE_DATA the course-data runs are skipped with a message that says how to run them', () => {
  const unset = courseDataFolder(undefined);
  assert.ok('skip' in unset);
  assert.match(unset.skip, /set DNN_COURSE_DATA to the folder holding train_catvnoncat\.h5 and test_catvnoncat\.h5/);
  assert.deepEqual(courseDataFolder(''), unset);
  // Set to a folder without the files: the runs fail, naming the file, rather than skip quietly.
  const empty = mkdtempSync(join(tmpdir(), 'dnn-course-empty-'));
  assert.deepEqual(courseDataFolder(empty), { missing: `DNN_COURSE_DATA is ${empty}, but ${join(empty, 'train_catvnoncat.h5')} does not exist` });
  rmSync(empty, { recursive: true });
});

test('the course-data networks check clean without their data, with the notebook\'s W1: (7, 12288) and (20, 12288)', async () => {
  for (const [name, W1] of [
    ['two-layer-cat', '(7, 12288)'],
    ['l-layer-cat', '(20, 12288)'],
  ]) {
    const io = capture();
    const status = await main(['check', '--no-data', join(FIXTURES, `${name}.dnn.json`)], io);
    assert.equal(status, 0, io.outText + io.errText);
    assert.doesNotMatch(io.outText + io.errText, /warning|error/);
    const layer1 = io.outText.split('\n').find((line) => /^ {2}1 +dense/.test(line));
    assert.ok(layer1?.includes(W1), `layer 1 of ${name}: ${layer1}`);
  }
});

test("two_layer_model on the course's files prints the notebook's cost lines, then 100% and 72%", { skip }, async () => {
  const r = await trainOnCourseData('two-layer-cat');
  // "Deep Neural Network - Application", the two_layer_model cell with num_iterations = 2500 and
  // print_cost=True, as the notebook printed it (its 2018 version; the 2021 revision prints the
  // same lines and adds the last iteration, below).
  const published = costLines(`
    Cost after iteration 0: 0.6930497356599888
    Cost after iteration 100: 0.6464320953428849
    Cost after iteration 200: 0.6325140647912677
    Cost after iteration 300: 0.6015024920354665
    Cost after iteration 400: 0.5601966311605747
    Cost after iteration 500: 0.5158304772764729
    Cost after iteration 600: 0.47549013139433255
    Cost after iteration 700: 0.43391631512257495
    Cost after iteration 800: 0.4007977536203886
    Cost after iteration 900: 0.3580705011323798
    Cost after iteration 1000: 0.3394281538366412
    Cost after iteration 1100: 0.3052753636196264
    Cost after iteration 1200: 0.2749137728213015
    Cost after iteration 1300: 0.24681768210614846
    Cost after iteration 1400: 0.19850735037466108
    Cost after iteration 1500: 0.17448318112556654
    Cost after iteration 1600: 0.17080762978096023
    Cost after iteration 1700: 0.11306524562164728
    Cost after iteration 1800: 0.09629426845937154
    Cost after iteration 1900: 0.08342617959726861
    Cost after iteration 2000: 0.07439078704319084
    Cost after iteration 2100: 0.06630748132267932
    Cost after iteration 2200: 0.05919329501038171
    Cost after iteration 2300: 0.053361403485605564
    Cost after iteration 2400: 0.04855478562877018`);
  const mine = costLines(r.printed.join('\n'));
  assert.deepEqual(mine.map(([i]) => i), published.map(([i]) => i), 'the iterations printed');
  published.forEach(([i, c], k) => assertCost(mine[k][1], c, `Cost after iteration ${i}`));
  // The 2021 revision also prints the last iteration: "Cost after iteration 2499: 0.04421498215868956".
  assertCost(r.costs[2499], 0.04421498215868956, 'cost 2499');
  // predict(train_x, ...) prints "Accuracy: 1.0" (2021: 0.9999999999999998, the same 209 of 209);
  // predict(test_x, ...) prints "Accuracy: 0.72".
  assert.match(r.io.outText, /^Train accuracy: 100%$/m);
  assert.match(r.io.outText, /^Dev accuracy: 72%$/m);
});

test("L_layer_model on the course's files prints the notebook's cost lines, then 98.56% and 80%", { skip }, async () => {
  const r = await trainOnCourseData('l-layer-cat');
  // "Deep Neural Network - Application", the L_layer_model cell with num_iterations = 2500 and
  // print_cost = True (2018 version: "%f"; its Expected Output table shows iterations 0, 100 and
  // 2400 of these).
  assert.deepEqual(r.printed, [
    'Cost after iteration 0: 0.771749',
    'Cost after iteration 100: 0.672053',
    'Cost after iteration 200: 0.648263',
    'Cost after iteration 300: 0.611507',
    'Cost after iteration 400: 0.567047',
    'Cost after iteration 500: 0.540138',
    'Cost after iteration 600: 0.527930',
    'Cost after iteration 700: 0.465477',
    'Cost after iteration 800: 0.369126',
    'Cost after iteration 900: 0.391747',
    'Cost after iteration 1000: 0.315187',
    'Cost after iteration 1100: 0.272700',
    'Cost after iteration 1200: 0.237419',
    'Cost after iteration 1300: 0.199601',
    'Cost after iteration 1400: 0.189263',
    'Cost after iteration 1500: 0.161189',
    'Cost after iteration 1600: 0.148214',
    'Cost after iteration 1700: 0.137775',
    'Cost after iteration 1800: 0.129740',
    'Cost after iteration 1900: 0.121225',
    'Cost after iteration 2000: 0.113821',
    'Cost after iteration 2100: 0.107839',
    'Cost after iteration 2200: 0.102855',
    'Cost after iteration 2300: 0.100897',
    'Cost after iteration 2400: 0.092878',
  ]);
  // The 2021 revision prints them as repr: "Cost after iteration 0: 0.7717493284237686", "... 100:
  // 0.6720534400822914", "... 200: 0.6482632048575212", "... 2400: 0.09287821526472398" and
  // "... 2499: 0.08843994344170202".
  assertCost(r.costs[0], 0.7717493284237686, 'cost 0');
  assertCost(r.costs[100], 0.6720534400822914, 'cost 100');
  assertCost(r.costs[200], 0.6482632048575212, 'cost 200');
  assertCost(r.costs[2400], 0.09287821526472398, 'cost 2400');
  assertCost(r.costs[2499], 0.08843994344170202, 'cost 2499');
  // predict prints "Accuracy: 0.985645933014" (206 of 209) on the training set and "Accuracy: 0.8"
  // (40 of 50) on the test set.
  assert.match(r.io.outText, /^Train accuracy: 98\.56%$/m);
  assert.match(r.io.outText, /^Dev accuracy: 80%$/m);
});
