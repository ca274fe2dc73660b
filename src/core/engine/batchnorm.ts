/**
 * Batch normalisation (course 2, week 3) between a layer's Z and its activation, in the two layouts
 * the engine keeps Z in:
 *   - a dense layer's Z is (n[l], m): each unit (a row) is normalised over the m examples;
 *   - a conv layer's Z is the volume (m, n_H, n_W, n_C), kept as the matrix (m·n_H·n_W, n_C): each
 *     channel (a column) is normalised over the m·n_H·n_W positions of the batch.
 * Either way:
 *   mu = mean(Z), var = mean((Z - mu)²)                       per unit or channel (biased variance)
 *   Znorm = (Z - mu) / sqrt(var + eps);  Ztilde = gamma * Znorm + beta;  A = g(Ztilde)
 * In prediction, mu and var are the running averages kept during training
 * (running = 0.9 * running + 0.1 * batch value).
 *
 * Gradients are in the engine's per-example scale (model.ts): dZtilde and dZ without the 1/m that
 * the parameters' gradients take, so dgamma = 1/m Σ dZtilde·Znorm and dbeta = 1/m Σ dZtilde.
 */
import type { Matrix } from '../matrix';
import { pairwiseSum } from '../kernels/sum';

/** Batch norm's epsilon in sqrt(var + eps). */
export const BN_EPSILON = 1e-8;
/** Weight of the old value in the running averages. */
export const BN_MOMENTUM = 0.9;

/** Which statistics normalise: this batch's (training, gradient check) or the running averages (prediction). */
export type BatchStatistics = 'batch' | 'running';

export interface BatchNormCache {
  /** (n[l], 1) for a dense layer; (1, n_C[l]) for a conv layer, which the parameters file writes (1, 1, 1, n_C[l]). */
  gamma: Matrix;
  beta: Matrix;
  runningMean: Matrix;
  runningVar: Matrix;
  /** Like Z. */
  Znorm: Matrix;
  /** Like Z: what the activation reads (a residual block's last layer adds its skip to it first). */
  Ztilde: Matrix;
  /** dZtilde, like Z. */
  dZtilde: Matrix;
  /** sqrt(var + eps) per unit or channel. */
  std: Float64Array;
}

/** Normalises each row (unit) of Z over the examples, then scales and shifts it; returns Ztilde. */
export function batchNormForward(Z: Matrix, bn: BatchNormCache, statistics: BatchStatistics, updateRunning: boolean): Matrix {
  const m = Z.cols;
  const z = Z.data;
  const zn = bn.Znorm.data;
  const zt = bn.Ztilde.data;
  for (let i = 0; i < Z.rows; i++) {
    const row = i * m;
    let mu: number;
    let variance: number;
    if (statistics === 'batch') {
      mu = pairwiseSum(z, row, m) / m;
      // The squared deviations go through Znorm's row first, so numpy's pairwise order applies.
      for (let j = 0; j < m; j++) zn[row + j] = (z[row + j] - mu) * (z[row + j] - mu);
      variance = pairwiseSum(zn, row, m) / m;
      if (updateRunning) {
        bn.runningMean.data[i] = BN_MOMENTUM * bn.runningMean.data[i] + (1 - BN_MOMENTUM) * mu;
        bn.runningVar.data[i] = BN_MOMENTUM * bn.runningVar.data[i] + (1 - BN_MOMENTUM) * variance;
      }
    } else {
      mu = bn.runningMean.data[i];
      variance = bn.runningVar.data[i];
    }
    const std = Math.sqrt(variance + BN_EPSILON);
    bn.std[i] = std;
    const gamma = bn.gamma.data[i];
    const beta = bn.beta.data[i];
    for (let j = row; j < row + m; j++) {
      zn[j] = (z[j] - mu) / std;
      zt[j] = gamma * zn[j] + beta;
    }
  }
  return bn.Ztilde;
}

/**
 * The backward of batchNormForward (batch statistics): with dgamma = 1/m Σ dZtilde·Znorm and
 * dbeta = 1/m Σ dZtilde over each row,
 *   dZ = gamma / sqrt(var + eps) · (dZtilde − dbeta − Znorm · dgamma)
 */
export function batchNormBackward(bn: BatchNormCache, dgammaM: Matrix, dbetaM: Matrix, dZ: Matrix): void {
  const m = dZ.cols;
  const dzt = bn.dZtilde.data;
  const zn = bn.Znorm.data;
  const dz = dZ.data;
  const dgamma = dgammaM.data;
  const dbeta = dbetaM.data;
  for (let i = 0; i < dZ.rows; i++) {
    const row = i * m;
    // dZ's row is free until the end of this loop: use it for the products dZtilde * Znorm.
    for (let j = row; j < row + m; j++) dz[j] = dzt[j] * zn[j];
    dgamma[i] = (1 / m) * pairwiseSum(dz, row, m);
    dbeta[i] = (1 / m) * pairwiseSum(dzt, row, m);
    const scale = bn.gamma.data[i] / bn.std[i];
    for (let j = row; j < row + m; j++) dz[j] = scale * (dzt[j] - dbeta[i] - zn[j] * dgamma[i]);
  }
}

/**
 * Per-channel batch norm of a conv layer's Z, (m·n_H·n_W, n_C): each column is normalised over
 * all its rows (numpy's Z.mean(axis=(0, 1, 2)) on the volume). `mean` is scratch of n_C values.
 */
export function channelBatchNormForward(Z: Matrix, bn: BatchNormCache, mean: Float64Array, statistics: BatchStatistics, updateRunning: boolean): Matrix {
  const { rows: N, cols: C } = Z;
  const z = Z.data;
  const zn = bn.Znorm.data;
  const zt = bn.Ztilde.data;
  const std = bn.std;
  if (statistics === 'batch') {
    // Sums row after row, as numpy reduces the leading axes of a C-ordered array.
    mean.fill(0);
    for (let r = 0; r < N; r++) for (let c = 0, k = r * C; c < C; c++, k++) mean[c] += z[k];
    for (let c = 0; c < C; c++) mean[c] = mean[c] / N;
    std.fill(0);
    for (let r = 0; r < N; r++) {
      for (let c = 0, k = r * C; c < C; c++, k++) {
        const d = z[k] - mean[c];
        std[c] += d * d;
      }
    }
    for (let c = 0; c < C; c++) {
      const variance = std[c] / N;
      if (updateRunning) {
        bn.runningMean.data[c] = BN_MOMENTUM * bn.runningMean.data[c] + (1 - BN_MOMENTUM) * mean[c];
        bn.runningVar.data[c] = BN_MOMENTUM * bn.runningVar.data[c] + (1 - BN_MOMENTUM) * variance;
      }
      std[c] = Math.sqrt(variance + BN_EPSILON);
    }
  } else {
    for (let c = 0; c < C; c++) {
      mean[c] = bn.runningMean.data[c];
      std[c] = Math.sqrt(bn.runningVar.data[c] + BN_EPSILON);
    }
  }
  const gamma = bn.gamma.data;
  const beta = bn.beta.data;
  for (let r = 0; r < N; r++) {
    for (let c = 0, k = r * C; c < C; c++, k++) {
      zn[k] = (z[k] - mean[c]) / std[c];
      zt[k] = gamma[c] * zn[k] + beta[c];
    }
  }
  return bn.Ztilde;
}

/**
 * The backward of channelBatchNormForward (batch statistics) for a batch of m examples, whose
 * N = m·n_H·n_W rows each channel was normalised over:
 *   dgamma = 1/m Σ dZtilde·Znorm,  dbeta = 1/m Σ dZtilde                   (sums over the N rows)
 *   dZ = gamma / sqrt(var + eps) · (dZtilde − mean(dZtilde) − Znorm · mean(dZtilde·Znorm))
 * `sums` is scratch of 2·n_C values.
 */
export function channelBatchNormBackward(bn: BatchNormCache, dgammaM: Matrix, dbetaM: Matrix, dZ: Matrix, m: number, sums: Float64Array): void {
  const { rows: N, cols: C } = dZ;
  const dzt = bn.dZtilde.data;
  const zn = bn.Znorm.data;
  const dz = dZ.data;
  const s1 = sums.subarray(0, C);
  const s2 = sums.subarray(C, 2 * C);
  s1.fill(0);
  s2.fill(0);
  for (let r = 0; r < N; r++) {
    for (let c = 0, k = r * C; c < C; c++, k++) {
      s1[c] += dzt[k];
      s2[c] += dzt[k] * zn[k];
    }
  }
  for (let c = 0; c < C; c++) {
    dgammaM.data[c] = s2[c] / m;
    dbetaM.data[c] = s1[c] / m;
    s1[c] = s1[c] / N;
    s2[c] = s2[c] / N;
  }
  const gamma = bn.gamma.data;
  for (let r = 0; r < N; r++) {
    for (let c = 0, k = r * C; c < C; c++, k++) dz[k] = (gamma[c] / bn.std[c]) * (dzt[k] - s1[c] - zn[k] * s2[c]);
  }
}
