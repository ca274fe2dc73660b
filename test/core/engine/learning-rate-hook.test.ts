/**
 * The learning rate can change mid-run (the editor's α box): from the iteration the hook names,
 * the engine steps with the new α, exactly as a run restarted there from the same parameters
 * would; before it, nothing changes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Dataset } from '../../../src/core/data/types';
import { train } from '../../../src/core/engine/train';
import { plainKernels } from '../../../src/core/kernels/plain';
import { fromRows, makeSpec } from './helpers';

const X = fromRows([
  [0.5, -1.2, 0.3, 2.0, -0.7, 1.1],
  [1.5, 0.2, -0.9, 0.4, -1.3, 0.8],
]);
const Y = fromRows([[1, 0, 0, 1, 0, 1]]);
const dataset: Dataset = { train: { X, Y }, source: 'hand' };
const spec = (iterations: number, learningRate: number) =>
  makeSpec({ layerDims: [2, 3, 1], activations: ['tanh', 'sigmoid'], loss: 'binary-cross-entropy', training: { iterations, learningRate, seed: 3 } });

test('α changed at iteration 40 of 100: the first 40 costs as before, the rest as a run restarted there with the new α', async () => {
  const changed = await train(spec(100, 1.2), dataset, { kernels: plainKernels, learningRate: (i) => (i === 40 ? 0.05 : undefined) });
  const before = await train(spec(40, 1.2), dataset, { kernels: plainKernels });
  const after = await train(spec(60, 0.05), dataset, { kernels: plainKernels, initialParameters: before.parameters });
  assert.deepEqual(Array.from(changed.costs.slice(0, 40)), Array.from(before.costs));
  assert.deepEqual(Array.from(changed.costs.slice(40)), Array.from(after.costs));
  // And the change is visible: with α kept at 1.2 the costs after 40 differ.
  const kept = await train(spec(100, 1.2), dataset, { kernels: plainKernels });
  assert.notEqual(kept.costs[41], changed.costs[41]);
});

test('a learning rate that is not a positive number is ignored: the run keeps its α', async () => {
  const bad = await train(spec(20, 0.5), dataset, { kernels: plainKernels, learningRate: (i) => (i === 5 ? -1 : i === 6 ? NaN : undefined) });
  const plain = await train(spec(20, 0.5), dataset, { kernels: plainKernels });
  assert.deepEqual(Array.from(bad.costs), Array.from(plain.costs));
});
