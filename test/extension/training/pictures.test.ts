/**
 * The image grid's and the confusion matrix's data, computed in the training worker
 * (src/extension/training/pictures.ts): which pictures, their labels, their pixels, the counts.
 * Every expected number is worked out by hand in the comments.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../src/core/check';
import type { Dataset } from '../../../src/core/data/types';
import { fromRows } from '../../../src/core/matrix';
import { plainKernels } from '../../../src/core/kernels';
import { confusionMatrix, pickPictures, picturesOf } from '../../../src/extension/training/pictures';
import { isPictureSamples, MAX_PICTURES, type WorkerToExtension } from '../../../src/protocol';
import { runTraining } from '../../../src/extension/training/runner';
import { chooseKernels } from '../../../src/node/kernels';

test('the mislabelled pictures come first, each group in the order of the set, up to the cap', () => {
  //            index:   0  1  2  3  4  5
  const predicted = [0, 1, 2, 2, 0, 1];
  const actual = [0, 2, 2, 1, 0, 1];
  assert.deepEqual(pickPictures(predicted, actual, 10), [1, 3, 0, 2, 4, 5]);
  assert.deepEqual(pickPictures(predicted, actual, 3), [1, 3, 0]);
  assert.deepEqual(pickPictures(predicted, actual, 1), [1]);
});

test('the confusion matrix counts each true class (row) by predicted class (column)', () => {
  const predicted = [0, 1, 2, 2, 0, 1];
  const actual = [0, 2, 2, 1, 0, 1];
  // true 0: predicted 0 twice; true 1: once 2, once 1; true 2: once 1, once 2.
  assert.deepEqual(confusionMatrix(predicted, actual, 3), [2, 0, 0, 0, 1, 1, 0, 1, 1]);
});

/** One sigmoid unit that looks at the first pixel only: predicts 1 exactly when x0 > 0.5. */
function firstPixelNetwork(shape: [number, number, number]) {
  const n0 = shape[0] * shape[1] * shape[2];
  const text = JSON.stringify({
    input: { shape },
    layers: [{ type: 'flatten' }, { units: 1, activation: 'sigmoid' }],
    loss: 'binary-cross-entropy',
    data: { builtin: 'planar' },
    training: { iterations: 1, learningRate: 0.1 },
  });
  const checked = checkText(text);
  assert.ok(checked.spec, JSON.stringify(checked.problems));
  const W = [Array.from({ length: n0 }, (_, i) => (i === 0 ? 1 : 0))];
  return { spec: checked.spec, parameters: new Map([['W2', fromRows(W)], ['b2', fromRows([[-0.5]])]]) };
}

test('dev pictures with the classes\' names, mislabelled first, pixels stretched to 0..255', () => {
  const { spec, parameters } = firstPixelNetwork([2, 2, 1]);
  // Four dev pictures of 2 × 2 grey pixels, one per column (rows: pixel (0,0), (0,1), (1,0), (1,1)).
  // x0 = 0.9, 0.1, 0.8, 0.2 -> predicted 1, 0, 1, 0; true labels 1, 1, 0, 0.
  const X = fromRows([
    [0.9, 0.1, 0.8, 0.2],
    [0.0, 0.5, 0.5, 0.5],
    [0.5, 0.5, 0.5, 0.5],
    [1.0, 0.5, 0.5, 0.5],
  ]);
  const dataset: Dataset = {
    train: { X: fromRows([[0], [0], [0], [0]]), Y: fromRows([[0]]) },
    dev: { X, Y: fromRows([[1, 1, 0, 0]]) },
    classes: 2,
    classNames: ['non-cat', 'cat'],
    imageShape: [2, 2, 1],
    source: 'four pictures (test)',
  };
  const s = picturesOf(spec, dataset, parameters, plainKernels, 9)!;
  assert.ok(isPictureSamples(s));
  assert.equal(s.set, 'dev');
  assert.equal(s.iteration, 9);
  assert.deepEqual([s.height, s.width, s.channels], [2, 2, 1]);
  assert.deepEqual(s.classNames, ['non-cat', 'cat']);
  // Examples 1 (a cat called non-cat) and 2 (a non-cat called cat) are wrong: they lead.
  assert.deepEqual(s.index, [1, 2, 0, 3]);
  assert.deepEqual(s.predicted, [0, 1, 1, 0]);
  assert.deepEqual(s.actual, [1, 0, 1, 0]);
  assert.equal(s.mislabelled, 2);
  assert.equal(s.total, 4);
  // Rows true non-cat, cat: non-cat -> [1 right, 1 called cat]; cat -> [1 called non-cat, 1 right].
  assert.deepEqual(s.confusion, [1, 1, 1, 1]);
  // Values span 0..1, so v -> round(255 v): example 1 is [0.1, 0.5, 0.5, 0.5] -> 26, 128, 128, 128.
  assert.deepEqual(s.pixels.slice(0, 4), [26, 128, 128, 128]);
  assert.deepEqual(s.pixels.slice(8, 12), [230, 0, 128, 255]);
});

test('the training pictures when there is no dev set; none for data that are not pictures', () => {
  const { spec, parameters } = firstPixelNetwork([2, 2, 1]);
  const X = fromRows([[0.9], [0], [0], [0]]);
  const base: Dataset = { train: { X, Y: fromRows([[1]]) }, classes: 2, imageShape: [2, 2, 1], source: 'one picture (test)' };
  const s = picturesOf(spec, base, parameters, plainKernels, 0)!;
  assert.equal(s.set, 'train');
  assert.deepEqual(s.classNames, ['0', '1']);
  assert.equal(s.mislabelled, 0);
  // One value range of zero width but one bright pixel: 0.9 -> 255, the zeros -> 0.
  assert.deepEqual(s.pixels, [255, 0, 0, 0]);
  const { imageShape: _, ...columns } = base;
  assert.equal(picturesOf(spec, columns, parameters, plainKernels, 0), undefined);
});

test('pictures larger than 32 pixels a side are averaged over blocks', () => {
  // 34 × 1 grey: blocks of 2 rows (ceil(34 / 32) = 2) -> 17 × 1. Pixel r has value r, so block y
  // averages 2y and 2y + 1 = 2y + 0.5; from 0.5 to 32.5, block y is round(255 · 2y / 32).
  const { spec, parameters } = firstPixelNetwork([34, 1, 1]);
  const X = fromRows(Array.from({ length: 34 }, (_, r) => [r]));
  const dataset: Dataset = { train: { X, Y: fromRows([[0]]) }, classes: 2, imageShape: [34, 1, 1], source: 'a ramp (test)' };
  const s = picturesOf(spec, dataset, parameters, plainKernels, 0)!;
  assert.deepEqual([s.height, s.width], [17, 1]);
  assert.deepEqual(s.pixels, Array.from({ length: 17 }, (_, y) => Math.round((255 * 2 * y) / 32)));
  assert.ok(isPictureSamples(s));
});

test('a run on the built-in shapes posts its dev pictures before it ends, agreeing with its dev accuracy', async () => {
  const text = JSON.stringify({
    input: { shape: [8, 8, 1] },
    layers: [
      { type: 'conv', filters: 4, size: 3, padding: 'same', activation: 'relu' },
      { type: 'pool', mode: 'max', size: 2 },
      { type: 'flatten' },
      { units: 3, activation: 'softmax' },
    ],
    loss: 'categorical-cross-entropy',
    data: { builtin: 'shapes', examples: 150, noise: 0.1, seed: 0, devFraction: 0.2 },
    training: { iterations: 3, learningRate: 0.01, seed: 1, init: 'he', optimizer: 'adam', batchSize: 32 },
  });
  const seen: WorkerToExtension[] = [];
  await runTraining(
    { type: 'train', file: '/w/shapes.dnn.json', text, overrides: {} },
    { kernels: chooseKernels().kernels, post: (m) => seen.push(JSON.parse(JSON.stringify(m))), signal: new AbortController().signal },
  );
  const types = seen.map((m) => m.type);
  assert.equal(types.at(-1), 'trainDone', JSON.stringify(seen.at(-1)));
  assert.equal(types.at(-2), 'pictures');
  const started = seen[0] as Extract<WorkerToExtension, { type: 'trainStarted' }>;
  // 120 training pictures in batches of 32: an iteration is an epoch.
  assert.equal(started.m, 120);
  assert.equal(started.epochs, true);
  const { samples } = seen.at(-2) as Extract<WorkerToExtension, { type: 'pictures' }>;
  const done = seen.at(-1) as Extract<WorkerToExtension, { type: 'trainDone' }>;
  assert.ok(isPictureSamples(samples));
  assert.equal(samples.set, 'dev');
  assert.equal(samples.iteration, 2);
  assert.equal(samples.total, 30);
  assert.equal(samples.predicted.length, MAX_PICTURES);
  assert.deepEqual(samples.classNames.length, 3);
  assert.equal(samples.confusion.reduce((a, b) => a + b, 0), 30);
  const diagonal = samples.confusion[0] + samples.confusion[4] + samples.confusion[8];
  assert.equal(diagonal, 30 - samples.mislabelled);
  assert.ok(Math.abs(diagonal / 30 - done.summary.devAccuracy!) < 1e-12, `${diagonal} / 30 vs dev accuracy ${done.summary.devAccuracy}`);
  // The mislabelled pictures lead the grid.
  const wrong = samples.predicted.map((p, i) => p !== samples.actual[i]);
  assert.deepEqual(wrong, wrong.map((_, i) => i < Math.min(samples.mislabelled, MAX_PICTURES)));
});
