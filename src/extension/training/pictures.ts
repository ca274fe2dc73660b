/**
 * Sample pictures of image data with the network's predictions, and the confusion matrix, computed
 * in the training worker for the page: the course's print_mislabeled_images, plus the counts. What
 * leaves the worker is small whatever the data: at most MAX_PICTURES pictures, averaged down to at
 * most MAX_PICTURE_SIDE pixels a side, as bytes.
 */
import type { Dataset, DataSplit } from '../../core/data/types';
import { predict } from '../../core/engine/predict';
import type { Parameters } from '../../core/engine/types';
import type { Spec } from '../../core/format/types';
import type { Kernels } from '../../core/kernels';
import type { Matrix } from '../../core/matrix';
import { MAX_CONFUSION_CLASSES, MAX_PICTURE_SIDE, MAX_PICTURES, type PictureSamples } from '../../protocol';

/** Class index of example j: the row of a one-hot column, or 0/1 of a single label row. */
function labelOf(Y: Matrix, j: number): number {
  if (Y.rows === 1) return Y.data[j] > 0.5 ? 1 : 0;
  let best = 0;
  for (let i = 1; i < Y.rows; i++) if (Y.data[i * Y.cols + j] > Y.data[best * Y.cols + j]) best = i;
  return best;
}

/**
 * The pictures the page shows: the mislabelled ones first, then the others, each group in the
 * order of the set, at most `max` in all.
 */
export function pickPictures(predicted: ArrayLike<number>, actual: ArrayLike<number>, max: number): number[] {
  const wrong: number[] = [];
  const right: number[] = [];
  for (let j = 0; j < predicted.length; j++) {
    if (predicted[j] !== actual[j]) {
      if (wrong.length < max) wrong.push(j);
    } else if (right.length < max) right.push(j);
  }
  return [...wrong, ...right].slice(0, max);
}

/** confusion[t * k + p]: how many examples of true class t the network put in class p. */
export function confusionMatrix(predicted: ArrayLike<number>, actual: ArrayLike<number>, k: number): number[] {
  const counts = new Array<number>(k * k).fill(0);
  for (let j = 0; j < predicted.length; j++) counts[actual[j] * k + predicted[j]]++;
  return counts;
}

/**
 * Column j of X, a picture (n_H, n_W, n_C) flattened row-major, averaged over blocks of
 * `factor` × `factor` pixels (the last blocks may be smaller) into `out` at `at`: grey pictures
 * keep one channel, RGB three, and other channel counts show their first channel.
 */
function downsample(X: Matrix, j: number, shape: readonly [number, number, number], factor: number, channels: number, out: Float64Array, at: number): void {
  const [nH, nW, nC] = shape;
  const h = Math.ceil(nH / factor);
  const w = Math.ceil(nW / factor);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        let count = 0;
        for (let dy = y * factor; dy < Math.min(nH, (y + 1) * factor); dy++) {
          for (let dx = x * factor; dx < Math.min(nW, (x + 1) * factor); dx++) {
            sum += X.data[((dy * nW + dx) * nC + c) * X.cols + j];
            count++;
          }
        }
        out[at + (y * w + x) * channels + c] = sum / count;
      }
    }
  }
}

/**
 * Sample pictures and the confusion matrix of the dev set (else the training set) under
 * `parameters`; undefined when the data are not pictures with classes, or have more classes
 * than a confusion matrix the page draws. Pixel values are stretched from the smallest to the
 * largest value among the pictures sent to 0..255, so data divided by 255 or standardised both
 * show as pictures.
 */
export function picturesOf(spec: Spec, dataset: Dataset, parameters: Parameters, kernels: Kernels, iteration: number): PictureSamples | undefined {
  const shape = dataset.imageShape;
  if (!shape || dataset.classes === undefined) return undefined;
  const useDev = dataset.dev !== undefined && dataset.dev.X.cols > 0;
  const split: DataSplit = useDev ? dataset.dev! : dataset.train;
  const { X, Y } = split;
  const k = Math.max(2, dataset.classes);
  if (X.cols === 0 || k > MAX_CONFUSION_CLASSES) return undefined;
  const predicted = predict(spec, parameters, X, kernels).labels;
  if (!predicted) return undefined;
  const actual = split.labels ?? Int32Array.from({ length: X.cols }, (_, j) => labelOf(Y, j));
  const confusion = confusionMatrix(predicted, actual, k);
  const chosen = pickPictures(predicted, actual, MAX_PICTURES);

  const [nH, nW, nC] = shape;
  const factor = Math.max(1, Math.ceil(Math.max(nH, nW) / MAX_PICTURE_SIDE));
  const height = Math.ceil(nH / factor);
  const width = Math.ceil(nW / factor);
  const channels = nC === 3 ? 3 : 1;
  const size = height * width * channels;
  const values = new Float64Array(chosen.length * size);
  chosen.forEach((j, n) => downsample(X, j, shape, factor, channels, values, n * size));
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  const pixels = Array.from(values, (v) => (span > 0 && Number.isFinite(span) ? Math.round(((v - lo) / span) * 255) : 128));
  const classNames = dataset.classNames && dataset.classNames.length === k ? dataset.classNames : Array.from({ length: k }, (_, i) => String(i));
  let mislabelled = 0;
  for (let j = 0; j < X.cols; j++) if (predicted[j] !== actual[j]) mislabelled++;
  return {
    set: useDev ? 'dev' : 'train',
    iteration,
    height,
    width,
    channels,
    classNames,
    pixels,
    predicted: chosen.map((j) => predicted[j]),
    actual: chosen.map((j) => actual[j]),
    index: chosen,
    confusion,
    total: X.cols,
    mislabelled,
  };
}
