/**
 * Mini-batches do not copy the dataset per epoch: every batch is gathered into buffers made once
 * per run, so what training holds does not grow with the number of epochs. Counted through the
 * kernels' `pin`, where the engine gets every matrix it works on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../src/core/check';
import { shapesDataset } from '../../../src/core/data/shapes';
import { train } from '../../../src/core/engine/train';
import { plainKernels } from '../../../src/core/kernels/plain';
import type { Kernels } from '../../../src/core/kernels/types';
import type { Matrix } from '../../../src/core/matrix';

/** Trains a small network on 200 training pictures for `epochs`; returns the matrices and values it pinned. */
async function pinned(epochs: number, layers: unknown[]): Promise<{ values: number; pins: number }> {
  const text = JSON.stringify({
    input: { shape: [8, 8, 1] },
    layers,
    loss: 'categorical-cross-entropy',
    data: { builtin: 'shapes' },
    training: { iterations: epochs, learningRate: 0.01, seed: 1, init: 'he', optimizer: 'adam', batchSize: 32 },
  });
  const { spec, problems } = checkText(text);
  assert.ok(spec, JSON.stringify(problems));
  const dataset = shapesDataset(200, 0.1, 0, [8, 8, 1]);
  let values = 0;
  let pins = 0;
  const counting: Kernels = {
    ...plainKernels,
    pin(M: Matrix) {
      values += M.rows * M.cols;
      pins++;
      return plainKernels.pin(M);
    },
  };
  const result = await train(spec, dataset, { kernels: counting, progressEvery: 1000 });
  assert.equal(result.costs.length, epochs);
  return { values, pins };
}

for (const [kind, layers] of [
  ['conv', [{ type: 'conv', filters: 4, size: 3, padding: 'same', activation: 'relu' }, { type: 'pool', mode: 'max', size: 2 }, { type: 'flatten' }, { units: 3, activation: 'softmax' }]],
  ['dense', [{ type: 'flatten' }, { units: 8, activation: 'relu' }, { units: 3, activation: 'softmax' }]],
] as const) {
  test(`${kind}: one epoch or five, mini-batches of 32 pictures hold the same memory`, async () => {
    const one = await pinned(1, [...layers]);
    const five = await pinned(5, [...layers]);
    // Four more epochs, 28 more mini-batches: not one more matrix, not one more value.
    assert.deepEqual(five, one);
  });
}
