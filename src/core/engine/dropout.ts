/**
 * Inverted dropout (course 2, week 1) of one layer's activations, in any layout: the mask is drawn
 * over A's entries in storage order, which is numpy's row-major `np.random.rand(*A.shape)` for a
 * dense layer's (n[l], m) and for a volume (m, n_H, n_W, n_C) alike.
 */
import type { Matrix } from '../matrix';

/** Uniform [0, 1) numbers for dropout masks, in numpy's `np.random.rand` order (row-major). */
export type UniformFill = (out: Float64Array) => void;

/**
 * D = np.random.rand(*A.shape) < keep_prob; out = A * D / keep_prob. Returns `out`, the matrix the
 * next layer reads.
 */
export function dropout(A: Matrix, D: Matrix, out: Matrix, keepProb: number, uniform: UniformFill): Matrix {
  const d = D.data;
  uniform(d);
  const a = A.data;
  const o = out.data;
  for (let i = 0; i < d.length; i++) {
    d[i] = d[i] < keepProb ? 1 : 0;
    // Two steps, two roundings, as the notebook's A1 = A1 * D1; A1 = A1 / keep_prob.
    o[i] = (a[i] * d[i]) / keepProb;
  }
  return out;
}

/** The backward of dropout, in place: dA = dA * D / keep_prob (the gradient reaching A before its mask). */
export function dropoutBackward(dA: Matrix, D: Matrix, keepProb: number): void {
  const da = dA.data;
  const d = D.data;
  for (let i = 0; i < da.length; i++) da[i] = (da[i] * d[i]) / keepProb;
}
