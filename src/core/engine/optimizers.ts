/**
 * Optimisers as small objects with explicit state and one `step`, after course 2 week 2. Each
 * works on the flat list of parameters in the course's order [W1, b1, W2, b2, ...] and the
 * matching gradients [dW1, db1, ...]; state (v, s) has the same shapes and starts at zeros, as
 * initialize_velocity and initialize_adam make it. Nothing allocates after construction.
 */
import type { Kernels } from '../kernels/types';
import type { OptimizerSpec, TrainingSpec } from '../format/types';
import type { Matrix } from '../matrix';

export interface Optimizer {
  readonly name: string;
  /** One update of every parameter with its gradient at learning rate alpha. */
  step(params: readonly Matrix[], grads: readonly Matrix[], learningRate: number): void;
  /**
   * Takes new hyperparameters from the next step on (the editor changes them mid-run). Keys the
   * optimiser does not read are ignored; its state (v, s, t) is kept as it is.
   */
  retune?(settings: OptimizerSettings): void;
}

/**
 * The optimiser's hyperparameters that may change during a run. Its kind may not: another
 * optimiser's state would mean nothing to it.
 */
export interface OptimizerSettings {
  beta?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** True when `v` may be `key`: β's in [0, 1), ε > 0, as the parser requires of the file. */
export function validOptimizerSetting(key: keyof OptimizerSettings, v: number): boolean {
  if (!Number.isFinite(v)) return false;
  return key === 'epsilon' ? v > 0 : v >= 0 && v < 1;
}

/** update_parameters_with_gd: W = W − α·dW (vectorised by the kernels when they can: same bits). */
export function gradientDescent(kernels: Kernels): Optimizer {
  return {
    name: 'gd',
    step(params, grads, alpha) {
      for (let p = 0; p < params.length; p++) kernels.descend(params[p], grads[p], alpha);
    },
  };
}

/** update_parameters_with_momentum: v = β·v + (1 − β)·dW; W = W − α·v. */
export function momentum(shapes: readonly Matrix[], beta: number): Optimizer & { v: Float64Array[] } {
  const v = shapes.map((m) => new Float64Array(m.data.length));
  return {
    name: 'momentum',
    v,
    retune(s) {
      if (s.beta !== undefined) beta = s.beta;
    },
    step(params, grads, alpha) {
      for (let p = 0; p < params.length; p++) {
        const w = params[p].data;
        const g = grads[p].data;
        const vp = v[p];
        for (let i = 0; i < w.length; i++) {
          vp[i] = beta * vp[i] + (1 - beta) * g[i];
          w[i] = w[i] - alpha * vp[i];
        }
      }
    },
  };
}

/**
 * RMSprop (lecture 2.2.7): s = β2·s + (1 − β2)·dW²; W = W − α·dW / (√s + ε). Its β is the spec's
 * beta2 (0.999 by default; the lecture names it β2 so that Adam can hold both), with epsilon, and
 * no bias correction, as the lecture writes it. The parser warns that `beta` does nothing here.
 */
export function rmsprop(shapes: readonly Matrix[], beta2: number, epsilon: number): Optimizer & { s: Float64Array[] } {
  const s = shapes.map((m) => new Float64Array(m.data.length));
  return {
    name: 'rmsprop',
    s,
    retune(n) {
      if (n.beta2 !== undefined) beta2 = n.beta2;
      if (n.epsilon !== undefined) epsilon = n.epsilon;
    },
    step(params, grads, alpha) {
      for (let p = 0; p < params.length; p++) {
        const w = params[p].data;
        const g = grads[p].data;
        const sp = s[p];
        for (let i = 0; i < w.length; i++) {
          sp[i] = beta2 * sp[i] + (1 - beta2) * (g[i] * g[i]);
          w[i] = w[i] - (alpha * g[i]) / (Math.sqrt(sp[i]) + epsilon);
        }
      }
    },
  };
}

/**
 * update_parameters_with_adam, with t counting updates from 1:
 *   v = β1·v + (1 − β1)·dW;        v̂ = v / (1 − β1^t)
 *   s = β2·s + (1 − β2)·dW²;       ŝ = s / (1 − β2^t)
 *   W = W − α·v̂ / (√ŝ + ε)
 * A β changed mid-run (`retune`) takes effect in both the moving average and its correction from
 * the next step: step t divides by 1 − β^t with the new β, as if the run had used it from the
 * start, although v and s were averaged with the old one until then. Past the first few dozen
 * steps both corrections are 1 to many digits, so only an early change makes a difference.
 */
export function adam(
  shapes: readonly Matrix[],
  beta1: number,
  beta2: number,
  epsilon: number,
): Optimizer & { v: Float64Array[]; s: Float64Array[]; readonly t: number } {
  const v = shapes.map((m) => new Float64Array(m.data.length));
  const s = shapes.map((m) => new Float64Array(m.data.length));
  let t = 0;
  return {
    name: 'adam',
    v,
    s,
    get t() {
      return t;
    },
    retune(n) {
      if (n.beta1 !== undefined) beta1 = n.beta1;
      if (n.beta2 !== undefined) beta2 = n.beta2;
      if (n.epsilon !== undefined) epsilon = n.epsilon;
    },
    step(params, grads, alpha) {
      t += 1;
      // np.power(beta1, t), computed once per step.
      const c1 = 1 - Math.pow(beta1, t);
      const c2 = 1 - Math.pow(beta2, t);
      for (let p = 0; p < params.length; p++) {
        const w = params[p].data;
        const g = grads[p].data;
        const vp = v[p];
        const sp = s[p];
        for (let i = 0; i < w.length; i++) {
          vp[i] = beta1 * vp[i] + (1 - beta1) * g[i];
          const vCorrected = vp[i] / c1;
          sp[i] = beta2 * sp[i] + (1 - beta2) * (g[i] * g[i]);
          const sCorrected = sp[i] / c2;
          w[i] = w[i] - (alpha * vCorrected) / (Math.sqrt(sCorrected) + epsilon);
        }
      }
    },
  };
}

export function createOptimizer(spec: OptimizerSpec, shapes: readonly Matrix[], kernels: Kernels): Optimizer {
  switch (spec.name) {
    case 'gd':
      return gradientDescent(kernels);
    case 'momentum':
      return momentum(shapes, spec.beta);
    case 'rmsprop':
      return rmsprop(shapes, spec.beta2, spec.epsilon);
    case 'adam':
      return adam(shapes, spec.beta1, spec.beta2, spec.epsilon);
  }
}

/** update_lr (course 2 week 2): α0 / (1 + decay_rate · epoch_num). */
export function updateLr(alpha0: number, epochNum: number, decayRate: number): number {
  return alpha0 / (1 + decayRate * epochNum);
}

/** schedule_lr_decay (course 2 week 2): α0 / (1 + decay_rate · ⌊epoch_num / time_interval⌋). */
export function scheduleLrDecay(alpha0: number, epochNum: number, decayRate: number, timeInterval: number): number {
  return alpha0 / (1 + decayRate * Math.floor(epochNum / timeInterval));
}

/**
 * The learning rate epoch e runs at. The notebook's model calls the decay function after each
 * epoch, with that epoch's number: epoch 0 runs at α0, and epoch e ≥ 1 at decay(α0, e − 1), so
 * epochs 0 and 1 both run at α0. Without mini-batches an epoch is an iteration.
 */
export function learningRateOfEpoch(t: Pick<TrainingSpec, 'learningRate' | 'decayRate' | 'decay' | 'timeInterval'>, e: number): number {
  if (t.decayRate === 0 || e === 0) return t.learningRate;
  return t.decay === 'scheduleLrDecay' ? scheduleLrDecay(t.learningRate, e - 1, t.decayRate, t.timeInterval) : updateLr(t.learningRate, e - 1, t.decayRate);
}
