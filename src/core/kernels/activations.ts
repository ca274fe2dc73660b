/**
 * The activations g and their derivatives, each backward written right under its forward (as
 * micrograd does), so a student can check one against the other at a glance.
 *
 * All work in place on preallocated (n, m) matrices: `forward(Z, A)` writes A = g(Z);
 * `backward(dA, Z, A, dZ)` writes dZ = dA * g'(Z), using whichever of Z or A the course's
 * `*_backward` uses. dZ may be the same matrix as dA. Examples are columns, so softmax normalises
 * each column.
 */
import type { Matrix } from '../matrix';

/**
 * The activations the kernels compute. The format's `Activation` (src/core/format/types.ts) must
 * fit in it: the engine passes a layer's activation straight to the kernels, so a name added to
 * the format and not here fails to type-check there.
 */
export type ActivationName = 'sigmoid' | 'tanh' | 'relu' | 'leaky-relu' | 'softmax' | 'linear';

export interface ActivationFns {
  forward(Z: Matrix, A: Matrix, alpha: number): void;
  backward(dA: Matrix, Z: Matrix, A: Matrix, dZ: Matrix, alpha: number): void;
}

/** sigmoid(z) = 1 / (1 + exp(-z)), exactly as the course's `sigmoid`. */
export const sigmoid: ActivationFns = {
  forward(Z, A) {
    const z = Z.data;
    const a = A.data;
    for (let i = 0; i < z.length; i++) a[i] = 1 / (1 + Math.exp(-z[i]));
  },
  /** sigmoid_backward: s = sigmoid(Z); dZ = dA * s * (1 - s). A holds s already. */
  backward(dA, _Z, A, dZ) {
    const da = dA.data;
    const a = A.data;
    const dz = dZ.data;
    for (let i = 0; i < da.length; i++) {
      const s = a[i];
      dz[i] = da[i] * s * (1 - s);
    }
  },
};

/** tanh(z), the planar notebook's hidden activation. */
export const tanh: ActivationFns = {
  forward(Z, A) {
    const z = Z.data;
    const a = A.data;
    for (let i = 0; i < z.length; i++) a[i] = Math.tanh(z[i]);
  },
  /** The planar notebook's dZ1 = dA1 * (1 - np.power(A1, 2)). */
  backward(dA, _Z, A, dZ) {
    const da = dA.data;
    const a = A.data;
    const dz = dZ.data;
    for (let i = 0; i < da.length; i++) dz[i] = da[i] * (1 - a[i] * a[i]);
  },
};

/** relu(z) = np.maximum(0, z); a NaN stays NaN so divergence is seen, not hidden. */
export const relu: ActivationFns = {
  forward(Z, A) {
    const z = Z.data;
    const a = A.data;
    for (let i = 0; i < z.length; i++) {
      const v = z[i];
      a[i] = v > 0 ? v : v === v ? 0 : v;
    }
  },
  /** relu_backward: dZ = dA; dZ[Z <= 0] = 0 (z = 0 is on the flat side). */
  backward(dA, Z, _A, dZ) {
    const da = dA.data;
    const z = Z.data;
    const dz = dZ.data;
    for (let i = 0; i < da.length; i++) dz[i] = z[i] <= 0 ? 0 : da[i];
  },
};

/** leaky_relu(z) = z for z > 0, alpha * z otherwise (alpha 0.01 unless the layer says). */
export const leakyRelu: ActivationFns = {
  forward(Z, A, alpha) {
    const z = Z.data;
    const a = A.data;
    for (let i = 0; i < z.length; i++) {
      const v = z[i];
      a[i] = v > 0 ? v : alpha * v;
    }
  },
  /** g'(z) = 1 for z > 0, alpha for z <= 0, like relu's flat side. */
  backward(dA, Z, _A, dZ, alpha) {
    const da = dA.data;
    const z = Z.data;
    const dz = dZ.data;
    for (let i = 0; i < da.length; i++) dz[i] = z[i] <= 0 ? alpha * da[i] : da[i];
  },
};

/**
 * softmax over each column: t = exp(z - max(z)); a = t / sum(t). Subtracting the column's max
 * changes nothing mathematically and keeps exp from overflowing.
 */
export const softmax: ActivationFns = {
  forward(Z, A) {
    const n = Z.rows;
    const m = Z.cols;
    const z = Z.data;
    const a = A.data;
    for (let j = 0; j < m; j++) {
      let max = -Infinity;
      for (let i = 0; i < n; i++) if (z[i * m + j] > max) max = z[i * m + j];
      // A column holding NaN or an infinity gives NaN below, which the cost check then reports.
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const t = Math.exp(z[i * m + j] - max);
        a[i * m + j] = t;
        sum += t;
      }
      for (let i = 0; i < n; i++) a[i * m + j] /= sum;
    }
  },
  /**
   * The Jacobian-vector product of softmax, column by column: dz = a * (da - sum(da * a)). With
   * categorical cross-entropy the engine skips this and uses dZ = AL - Y directly (see costs.ts).
   */
  backward(dA, _Z, A, dZ) {
    const n = A.rows;
    const m = A.cols;
    const a = A.data;
    const da = dA.data;
    const dz = dZ.data;
    for (let j = 0; j < m; j++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += da[i * m + j] * a[i * m + j];
      for (let i = 0; i < n; i++) dz[i * m + j] = a[i * m + j] * (da[i * m + j] - dot);
    }
  },
};

/** linear (identity): g(z) = z, g'(z) = 1; the output of a regression network with mse. */
export const linear: ActivationFns = {
  forward(Z, A) {
    if (A.data !== Z.data) A.data.set(Z.data);
  },
  backward(dA, _Z, _A, dZ) {
    if (dZ.data !== dA.data) dZ.data.set(dA.data);
  },
};

export const ACTIVATION_FNS: Record<ActivationName, ActivationFns> = {
  sigmoid,
  tanh,
  relu,
  'leaky-relu': leakyRelu,
  softmax,
  linear,
};
