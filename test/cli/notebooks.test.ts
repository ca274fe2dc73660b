// The course 2 notebooks' runs, each written as a .dnn.json (test/fixtures/notebooks/), trained with
// `dnn train`: every printed line and every cost against numpy redoing the notebook's procedure
// (test/fixtures/gen_notebooks.py, on scikit-learn's make_circles / make_moons), and the figures the
// notebooks publish, typed in with the notebook and the cell they come from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/index';
import { learningRateOfEpoch } from '../../src/core/engine/optimizers';
import { TRAINING_DEFAULTS } from '../../src/core/format/types';
import { capture } from './helpers';

const dir = join(__dirname, '../fixtures/notebooks');

interface NumpyRun {
  /** Sampled costs by iteration; an infinite one is the string "inf". */
  costs: Record<string, number | string>;
  rates?: Record<string, number>;
  printed: Record<string, string>;
  trainAccuracy: number;
}
const initialization = JSON.parse(readFileSync(join(dir, 'initialization.json'), 'utf8')) as Record<string, NumpyRun>;
const optimization = JSON.parse(readFileSync(join(dir, 'optimization.json'), 'utf8')) as Record<string, NumpyRun>;

/** Trains test/fixtures/notebooks/NAME.dnn.json; returns what it printed and every cost it wrote. */
async function trainNotebook(name: string, ...extra: string[]) {
  const out = mkdtempSync(join(tmpdir(), 'dnn-notebook-'));
  const io = capture();
  const status = await main(['train', join(dir, `${name}.dnn.json`), '--save', join(out, 'p.params.json'), '--costs', join(out, 'costs.csv'), ...extra], io);
  const costs = readFileSync(join(out, 'costs.csv'), 'utf8').trim().split('\n').slice(1).map((r) => Number(r.split(',')[1].replace('inf', 'Infinity')));
  const printed = io.outText.split('\n').filter((l) => l.startsWith('Cost after'));
  return { status, io, costs, printed };
}

/** Every sampled numpy cost, to a relative `tolerance`. */
function assertCosts(costs: number[], numpy: NumpyRun, tolerance: number, from = 0): void {
  for (const [i, c] of Object.entries(numpy.costs)) {
    if (Number(i) < from) continue;
    const mine = costs[Number(i)];
    if (c === 'inf') assert.equal(mine, Infinity, `cost ${i}`);
    else assert.ok(Math.abs(mine - (c as number)) <= tolerance * Math.abs(c as number), `cost ${i}: ${mine} vs numpy ${c}`);
  }
}

test('Initialization, zeros: the cost stays ln 2 and the accuracy 50%, printed at full precision', async () => {
  const r = await trainNotebook('initialization-zeros');
  assert.equal(r.status, 0);
  assert.equal(r.costs.length, 15000);
  // Published (Initialization notebook, model with initialization = "zeros"): "Cost after
  // iteration 0: 0.6931471805599453", the same every 1000 iterations; "On the train set: Accuracy: 0.5".
  assert.equal(r.printed[0], 'Cost after iteration 0: 0.6931471805599453');
  assert.equal(r.printed.length, 15);
  assert.match(r.io.outText, /Train accuracy: 50%/);
  assertCosts(r.costs, initialization.zeros, 1e-15);
  assert.equal(initialization.zeros.trainAccuracy, 0.5);
});

test('Initialization, large random (randn × 10): the cost is inf at iteration 0, with one warning, then trains to about 0.38 and 83%', async () => {
  const r = await trainNotebook('initialization-large-random');
  assert.equal(r.status, 0, r.io.errText);
  // Published (Initialization notebook, initialization = "random"): "Cost after iteration 0: inf",
  // then the cost falls; "On the train set: Accuracy: 0.83".
  assert.equal(r.printed[0], 'Cost after iteration 0: inf');
  assert.equal(r.costs[0], Infinity);
  // inf for a while, as numpy's (some outputs stay exactly 0 or 1), then finite to the end.
  assert.ok(r.costs.slice(1000).every(Number.isFinite));
  const warnings = r.io.errText.split('\n').filter((l) => l.includes('warning'));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /initialization-large-random\.dnn\.json: warning: the cost is inf at iteration 0: some output AL is exactly 0 or 1 against the other label, so the cost takes log\(0\)\. Training goes on/);
  assert.match(r.io.outText, /Train accuracy: 83%/);
  assert.equal(initialization.random10.trainAccuracy, 0.83);
  // Outputs of exactly 0 and 1 make this run sensitive to the last bit of every product (numpy's
  // own builds disagree in the third digit after a thousand iterations): the first iterations
  // agree closely, the end to the figure the notebook gives.
  assertCosts(r.costs.slice(0, 10), { ...initialization.random10, costs: Object.fromEntries(Object.entries(initialization.random10.costs).filter(([i]) => Number(i) < 10)) }, 1e-9);
  assert.ok(Math.abs(r.costs[14999] - 0.38) < 0.01, `final cost ${r.costs[14999]}`);
});

test('Initialization, He: costs and the printout agree with numpy, and with the notebook', async () => {
  const r = await trainNotebook('initialization-he');
  assert.equal(r.status, 0);
  // Published (Initialization notebook, initialization = "he"): "Cost after iteration 0:
  // 0.8830537463419761", "Cost after iteration 1000: 0.6879825919728063"; "On the train set:
  // Accuracy: 0.9933333333333333".
  assert.equal(r.printed[0], 'Cost after iteration 0: 0.8830537463419761');
  assert.equal(r.printed[1], 'Cost after iteration 1000: 0.6879825919728063');
  assert.match(r.io.outText, /Train accuracy: 99\.33%/);
  assert.equal(initialization.he.trainAccuracy, 0.9933333333333333);
  assertCosts(r.costs, initialization.he, 1e-12);
});

for (const [name, key, published] of [
  // Published (Optimization notebook, "Mini-Batch Gradient Descent", "Mini-Batch Gradient Descent
  // with Momentum" and "Mini-Batch with Adam" cells): "Accuracy: 0.7966666666666666" twice, then "Accuracy: 0.94".
  ['optimization-gd', 'gd', 0.7966666666666666],
  ['optimization-momentum', 'momentum', 0.7966666666666666],
  ['optimization-adam', 'adam', 0.94],
  // Published (Optimization notebook, learning-rate decay with update_lr on gd, then with
  // schedule_lr_decay): "Accuracy: 0.6533333333333333", "Accuracy: 0.9433333333333334", "Accuracy: 0.94".
  ['optimization-gd-update-lr', 'gd-updateLr', 0.6533333333333333],
  ['optimization-gd-schedule-lr-decay', 'gd-scheduleLrDecay', 0.9433333333333334],
  ['optimization-adam-schedule-lr-decay', 'adam-scheduleLrDecay', 0.94],
] as const) {
  test(`Optimization, ${key}: weights after seed 3, shuffles from seed 10, "Cost after epoch i" as the notebook prints it`, async () => {
    const r = await trainNotebook(name);
    assert.equal(r.status, 0, r.io.errText);
    const numpy = optimization[key];
    assert.deepEqual(r.printed, Object.entries(numpy.printed).map(([i, c]) => `Cost after epoch ${i}: ${c}`));
    assertCosts(r.costs, numpy, 1e-12);
    assert.equal(numpy.trainAccuracy, published);
    assert.match(r.io.outText, new RegExp(`Train accuracy: ${String(Math.round(published * 10000) / 100).replace('.', '\\.')}%`));
  });
}

test('--precision prints the cost with that many decimals, or in full; a bad value is a usage error', async () => {
  const r = await trainNotebook('initialization-he', '--precision', '3', '--iterations', '1');
  assert.deepEqual(r.printed, ['Cost after iteration 0: 0.883']);
  const bad = capture();
  assert.equal(await main(['train', join(dir, 'initialization-he.dnn.json'), '--precision', 'many'], bad), 2);
  assert.match(bad.errText, /--precision must be a number of decimals from 0 to 17 or 'full'; found 'many'/);
});

test('Gradient Checking, gradient_check_n: the notebook\'s network passes with numpy\'s difference, reported per layer', async () => {
  const io = capture();
  assert.equal(await main(['gradcheck', join(dir, 'gradient-checking.dnn.json'), '--json'], io), 0, io.errText);
  const r = JSON.parse(io.outText) as { difference: number; passed: boolean; cost: number; excluded: number; layers: { layer: number; difference: number }[] };
  const numpy = JSON.parse(readFileSync(join(dir, 'gradient-checking.json'), 'utf8')) as { difference: number; cost: number };
  assert.equal(r.passed, true);
  assert.equal(r.excluded, 0);
  assert.ok(Math.abs(r.cost - numpy.cost) < 1e-14, `cost ${r.cost} vs ${numpy.cost}`);
  // The difference is mostly the two-sided estimate's own error: it agrees to the digits that noise leaves.
  assert.ok(Math.abs(r.difference - numpy.difference) < 1e-6 * numpy.difference, `${r.difference} vs numpy ${numpy.difference}`);
  // Published (Gradient Checking notebook, gradient_check_n once backward_propagation_n is fixed):
  // "Your backward propagation works perfectly fine! difference = 1.1890913024229996e-07".
  assert.ok(Math.abs(r.difference - 1.1890913024229996e-7) < 1e-6 * 1.19e-7);
  assert.deepEqual(r.layers.map((l) => l.layer), [1, 2, 3]);
  const text = capture();
  assert.equal(await main(['gradcheck', join(dir, 'gradient-checking.dnn.json')], text), 0);
  assert.match(text.outText, /difference = 1\.189e-7 {2}PASSED \(threshold 2e-7\)\n {2}per layer:\n {4}layer 1: difference = \d\.\d{3}e-\d+ over 25 entries\n/);
});

const regularization = JSON.parse(readFileSync(join(dir, 'regularization.json'), 'utf8')) as Record<string, NumpyRun>;

/** The numpy run's costs before iteration `below` only. */
function before(run: NumpyRun, below: number): NumpyRun {
  return { ...run, costs: Object.fromEntries(Object.entries(run.costs).filter(([i]) => Number(i) < below)) };
}

test('Regularization\'s L2 procedure (λ 0.7) on generated data: every cost as numpy, printed in full', async () => {
  const r = await trainNotebook('regularization-l2');
  assert.equal(r.status, 0, r.io.errText);
  assert.equal(r.printed[0], `Cost after iteration 0: ${regularization.l2.printed['0']}`);
  assert.equal(r.printed.length, 3);
  assertCosts(r.costs, regularization.l2, 1e-12);
  assert.match(r.io.outText, new RegExp(`Train accuracy: ${Math.round(regularization.l2.trainAccuracy * 10000) / 100}%`));
});

test('Regularization\'s dropout procedure (keep_prob 0.86, masks fresh at each pass) on generated data: costs as numpy', async () => {
  const r = await trainNotebook('regularization-dropout');
  assert.equal(r.status, 0, r.io.errText);
  assert.equal(r.printed[0], `Cost after iteration 0: ${regularization.dropout.printed['0']}`);
  // The same masks from the same generator: the costs agree to the last bits for 10,000
  // iterations; past them relu and the masks amplify last-bit differences (1e-7 after 30,000).
  assertCosts(r.costs, before(regularization.dropout, 10000), 1e-13);
  assertCosts(r.costs, regularization.dropout, 1e-5);
  assert.match(r.io.outText, new RegExp(`Train accuracy: ${Math.round(regularization.dropout.trainAccuracy * 10000) / 100}%`));
});

test('learning-rate decay: the rate of each epoch is the notebook\'s, update_lr and schedule_lr_decay applied after the epoch', () => {
  for (const [key, decay, alpha0] of [['gd-updateLr', 'updateLr', 0.1], ['gd-scheduleLrDecay', 'scheduleLrDecay', 0.1], ['adam-scheduleLrDecay', 'scheduleLrDecay', 0.01]] as const) {
    const t = { ...TRAINING_DEFAULTS, learningRate: alpha0, decayRate: 1, decay, timeInterval: 1000 };
    for (const [e, rate] of Object.entries(optimization[key].rates!)) assert.equal(learningRateOfEpoch(t, Number(e)), rate, `${key}, epoch ${e}`);
    // Epochs 0 and 1 both run at α0, as the notebook's loop updates the rate after each epoch.
    assert.equal(learningRateOfEpoch(t, 1), alpha0);
  }
});
