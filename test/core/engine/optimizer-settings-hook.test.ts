/**
 * The optimiser's β, β1, β2 and ε can change mid-run (the editor's optimiser box): from the
 * iteration the hook names, the engine steps with the new value and keeps the optimiser's state.
 * Compared with numpy runs that switch at the same step (test/fixtures/engine/gen_tune.py).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Dataset } from '../../../src/core/data/types';
import type { OptimizerSettings } from '../../../src/core/engine/optimizers';
import { train } from '../../../src/core/engine/train';
import { plainKernels } from '../../../src/core/kernels/plain';
import { TRAINING_DEFAULTS } from '../../../src/core/format/types';
import { assertClose, fixture, fromRows, makeSpec } from './helpers';

interface Case {
  learningRate: number;
  start: OptimizerSettings;
  changes: Record<string, OptimizerSettings>;
  costs: number[];
  parameters: Record<string, number[][]>;
  unchanged: { costs: number[]; parameters: Record<string, number[][]> };
}
const f = fixture<{ X: number[][]; Y: number[][]; init: Record<string, number[][]>; iterations: number; momentum: Case; adam: Case }>('tune.json');
const dataset: Dataset = { train: { X: fromRows(f.X), Y: fromRows(f.Y) }, source: 'hand' };

async function run(name: 'momentum' | 'adam', c: Case, hook: ((i: number) => OptimizerSettings | undefined) | undefined) {
  const spec = makeSpec({
    layerDims: [2, 3, 1],
    activations: ['tanh', 'sigmoid'],
    loss: 'binary-cross-entropy',
    training: { iterations: f.iterations, learningRate: c.learningRate, optimizer: { ...TRAINING_DEFAULTS.optimizer, name, ...c.start } },
  });
  const initialParameters = new Map(Object.entries(f.init).map(([k, v]) => [k, fromRows(v)]));
  return train(spec, dataset, { kernels: plainKernels, initialParameters, ...(hook ? { optimizerSettings: hook } : {}) });
}

for (const name of ['momentum', 'adam'] as const) {
  test(`${name}: settings changed mid-run give numpy's parameters for the same switch`, async () => {
    const c = f[name];
    const result = await run(name, c, (i) => c.changes[String(i)]);
    for (const [k, v] of Object.entries(c.parameters)) assertClose(result.parameters.get(k)!, v, 1e-12, `${name} ${k}`);
    // The change is visible: the run that keeps its settings ends elsewhere, as numpy's does.
    const kept = await run(name, c, undefined);
    for (const [k, v] of Object.entries(c.unchanged.parameters)) assertClose(kept.parameters.get(k)!, v, 1e-12, `${name} unchanged ${k}`);
    assert.ok(Math.abs(result.costs.at(-1)! - kept.costs.at(-1)!) > 1e-9, 'the switch changes the final cost');
    // Before the first switch the two runs are the same.
    const first = Math.min(...Object.keys(c.changes).map(Number));
    assert.deepEqual(Array.from(result.costs.slice(0, first + 1)), Array.from(kept.costs.slice(0, first + 1)));
  });
}

test('a setting out of its range is ignored (β = 1, ε = 0): the run keeps its own', async () => {
  const c = f.momentum;
  const bad = await run('momentum', c, (i) => (i === 5 ? { beta: 1 } : i === 6 ? { beta: NaN, epsilon: 0 } : undefined));
  const plain = await run('momentum', c, undefined);
  assert.deepEqual(Array.from(bad.costs), Array.from(plain.costs));
});
