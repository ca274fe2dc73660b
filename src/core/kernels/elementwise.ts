/**
 * The plain set's elementwise kernels in TypeScript. sigmoid, tanh, relu and linear are fused with
 * the bias: one pass over (n, m) instead of two or three numpy-style passes, which matters for
 * small networks where these loops, not products, hold the time. Each formula is written exactly
 * as the course writes it (activations.ts), so fused or not the numbers are the same bits.
 */
import { ACTIVATION_FNS, type ActivationName } from './activations';
import type { Matrix } from '../matrix';
import { checkSame } from './types';

/**
 * Z += b (broadcast over columns), then A = g(Z). Z, A: (n, m); b: (n, 1). leaky-relu (slope
 * `alpha`) and softmax (over each column, so after every row has its bias) take two passes.
 */
export function biasActivation(Z: Matrix, b: Matrix, A: Matrix, activation: ActivationName, alpha: number): void {
  checkSame('biasActivation', Z, A);
  checkBias(Z, b);
  const n = Z.rows;
  const m = Z.cols;
  const z = Z.data;
  const a = A.data;
  const bd = b.data;
  for (let i = 0; i < n; i++) {
    const bi = bd[i];
    const end = (i + 1) * m;
    switch (activation) {
      case 'sigmoid':
        // sigmoid(z) = 1 / (1 + exp(-z)), as the course's `sigmoid`.
        for (let k = i * m; k < end; k++) {
          const v = z[k] + bi;
          z[k] = v;
          a[k] = 1 / (1 + Math.exp(-v));
        }
        break;
      case 'tanh':
        for (let k = i * m; k < end; k++) {
          const v = z[k] + bi;
          z[k] = v;
          a[k] = Math.tanh(v);
        }
        break;
      case 'relu':
        // np.maximum(0, Z): a NaN stays NaN, so a diverging run is seen, not hidden.
        for (let k = i * m; k < end; k++) {
          const v = z[k] + bi;
          z[k] = v;
          a[k] = v > 0 ? v : v === v ? 0 : v;
        }
        break;
      case 'linear':
        for (let k = i * m; k < end; k++) {
          const v = z[k] + bi;
          z[k] = v;
          a[k] = v;
        }
        break;
      case 'leaky-relu':
      case 'softmax':
        for (let k = i * m; k < end; k++) z[k] += bi;
        break;
    }
  }
  if (activation === 'leaky-relu' || activation === 'softmax') ACTIVATION_FNS[activation].forward(Z, A, alpha);
}

/**
 * dZ = dA * g'(Z): sigmoid and tanh from their output A, relu and leaky-relu from Z (z <= 0 is
 * flat), softmax by its Jacobian-vector product. These are the course's derivatives
 * (activations.ts), one pass each already; the WebAssembly sets vectorise three of them
 * (wasm.ts), tested to give the same bits.
 */
export function activationBackward(dA: Matrix, Z: Matrix, A: Matrix, dZ: Matrix, activation: ActivationName, alpha: number): void {
  checkSame('activationBackward', dA, dZ);
  checkSame('activationBackward', dA, Z);
  checkSame('activationBackward', dA, A);
  ACTIVATION_FNS[activation].backward(dA, Z, A, dZ, alpha);
}

/**
 * out = Y·log(AL) + (1 − Y)·log(1 − AL) entrywise with Math.log, as the course's compute_cost writes
 * it (0·log(0) is NaN, as in numpy): the plain set's Kernels.crossEntropyTerms.
 */
export function crossEntropyTerms(AL: Matrix, Y: Matrix, out: Matrix): void {
  checkSame('crossEntropyTerms', AL, Y);
  checkSame('crossEntropyTerms', AL, out);
  const a = AL.data;
  const y = Y.data;
  const t = out.data;
  for (let i = 0; i < a.length; i++) t[i] = y[i] * Math.log(a[i]) + (1 - y[i]) * Math.log(1 - a[i]);
}

/** Throws biasActivation's message unless b is (Z.rows, 1). */
export function checkBias(Z: Matrix, b: Matrix): void {
  if (b.rows !== Z.rows || b.cols !== 1) {
    throw new Error(`biasActivation: b must be (${Z.rows}, 1); found (${b.rows}, ${b.cols})`);
  }
}

/** M = s·M entrywise: the plain set's Kernels.scale. */
export function scale(M: Matrix, s: number): void {
  const a = M.data;
  for (let i = 0; i < a.length; i++) a[i] = s * a[i];
}

/** W = W − alpha·dW entrywise (a multiply then a subtract): the plain set's Kernels.descend. */
export function descend(W: Matrix, dW: Matrix, alpha: number): void {
  checkSame('descend', W, dW);
  const w = W.data;
  const g = dW.data;
  for (let i = 0; i < w.length; i++) w[i] = w[i] - alpha * g[i];
}
