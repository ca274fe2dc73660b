/**
 * Holding out a dev set and standardising features.
 *
 * The dev split is numpy's way of doing it, so a notebook can mirror it:
 *   p = np.random.RandomState(seed).permutation(m)
 *   m_dev = floor(fraction * m + 0.5)        (at least 1 when fraction > 0, at most m - 1)
 *   train = X[:, p[:m - m_dev]];  dev = X[:, p[m - m_dev:]]
 * Standardisation is fitted on the training set only (mean and population standard deviation,
 * ddof = 0, of each feature), then applied to the training set, the dev set and any later
 * prediction input with the same numbers, so nothing about dev leaks into training.
 */
import type { Matrix } from '../matrix';
import { RandomState } from '../rng';
import type { DataSplit, Standardization } from './types';

/** Columns `idx` of M, in that order: M[:, idx]. */
export function selectColumns(M: Matrix, idx: ArrayLike<number>): Matrix {
  const out: Matrix = { rows: M.rows, cols: idx.length, data: new Float64Array(M.rows * idx.length) };
  for (let r = 0; r < M.rows; r++) {
    const src = r * M.cols;
    const dst = r * idx.length;
    for (let k = 0; k < idx.length; k++) out.data[dst + k] = M.data[src + idx[k]];
  }
  return out;
}

function selectSplit(s: DataSplit, idx: Int32Array): DataSplit {
  const out: DataSplit = { X: selectColumns(s.X, idx), Y: selectColumns(s.Y, idx) };
  if (s.labels) out.labels = Int32Array.from(idx, (i) => s.labels![i]);
  return out;
}

/** How many examples a fraction holds out of m: rounded, at least 1, leaving at least 1. */
export function devCount(m: number, fraction: number): number {
  if (!(fraction > 0) || m < 2) return 0;
  return Math.min(m - 1, Math.max(1, Math.floor(fraction * m + 0.5)));
}

/**
 * Splits examples into train and dev by a seeded permutation (see the module comment).
 * With fraction 0, or fewer than 2 examples, dev is empty (0 columns).
 */
export function splitDev(all: DataSplit, fraction: number, seed: number): { train: DataSplit; dev: DataSplit } {
  const m = all.X.cols;
  const p = new RandomState(seed).permutation(m);
  const mDev = devCount(m, fraction);
  return { train: selectSplit(all, p.subarray(0, m - mDev)), dev: selectSplit(all, p.subarray(m - mDev)) };
}

/**
 * Mean and standard deviation (population, ddof = 0) of each feature (row of X (n, m)). A
 * feature that never changes gets std 1, so standardising it gives 0s instead of NaN.
 */
export function fitStandardization(X: Matrix): Standardization {
  const mean: number[] = [];
  const std: number[] = [];
  for (let r = 0; r < X.rows; r++) {
    const row = X.data.subarray(r * X.cols, (r + 1) * X.cols);
    let sum = 0;
    for (let i = 0; i < row.length; i++) sum += row[i];
    const mu = row.length > 0 ? sum / row.length : 0;
    // Two passes: the sum of squared deviations does not cancel catastrophically.
    let ss = 0;
    for (let i = 0; i < row.length; i++) ss += (row[i] - mu) * (row[i] - mu);
    const sd = row.length > 0 ? Math.sqrt(ss / row.length) : 0;
    mean.push(mu);
    std.push(sd > 0 ? sd : 1);
  }
  return { mean, std };
}

/** (X - mean) / std, feature by feature: a new matrix. Throws if the feature counts differ. */
export function standardize(X: Matrix, s: Standardization): Matrix {
  if (s.mean.length !== X.rows || s.std.length !== X.rows) {
    throw new RangeError(`standardisation is for ${s.mean.length} features; the data has ${X.rows}`);
  }
  const out: Matrix = { rows: X.rows, cols: X.cols, data: new Float64Array(X.data.length) };
  for (let r = 0; r < X.rows; r++) {
    const mu = s.mean[r];
    const sd = s.std[r];
    for (let i = r * X.cols; i < (r + 1) * X.cols; i++) out.data[i] = (X.data[i] - mu) / sd;
  }
  return out;
}
