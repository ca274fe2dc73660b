/**
 * The kernel interface: the few operations that hold nearly all of training's time, behind one
 * plain object so the engine can swap implementations (plain loops, packed TypeScript,
 * WebAssembly SIMD, two threads) without changing a line of its math.
 *
 * Operands are row-major float64 `Matrix` values (src/core/matrix.ts). Every kernel writes
 * into a preallocated output whose shape it checks; none allocates per call.
 *
 * Exactness: the fast kernels add the k products of each dot product in a different order than
 * the plain i-k-j loop (in blocks of `KC`, four rows and columns at a time), so results differ from
 * the plain loop in the last bits: about 1e-15 relative per product, which leaves training costs
 * agreeing with numpy (whose BLAS also sums in its own order) to about 1e-12 relative, not
 * bit-for-bit.
 */
import type { ActivationName } from './activations';
import type { Matrix } from '../matrix';

/**
 * Every method is required: the textbook loops (plain.ts) are the default for each, and a faster
 * set fills what it does not speed up from them with `withDefaults` (plain.ts), so the engine
 * calls one method per step and never asks which set it has.
 */
export interface Kernels {
  /** Short name shown by benchmarks and the CLI's `--verbose` ("plain", "packed-ts", "wasm-simd", ...). */
  readonly name: string;
  /** C (m, n) = A (m, k) · B (k, n). Overwrites C. */
  matmul(A: Matrix, B: Matrix, C: Matrix): void;
  /** C (m, n) = Aᵀ · B with A (k, m) and B (k, n): dA_prev = W[l]ᵀ · dZ[l]. Overwrites C. */
  matmulTransA(A: Matrix, B: Matrix, C: Matrix): void;
  /** C (m, n) = A · Bᵀ with A (m, k) and B (n, k): dW[l] = dZ[l] · A[l-1]ᵀ. Overwrites C. */
  matmulTransB(A: Matrix, B: Matrix, C: Matrix): void;
  /**
   * `Z += b` (b is (n, 1), broadcast over the m columns) then `A = g(Z)`, for every activation of
   * the format (`alpha` is leaky-relu's slope; softmax normalises each column). Z and A are (n, m).
   * The plain set is the course's formula in one pass; the WebAssembly sets vectorise tanh and
   * sigmoid (within a few ulp of Math.tanh/Math.exp) and leave the rest to the plain set.
   */
  biasActivation(Z: Matrix, b: Matrix, A: Matrix, activation: ActivationName, alpha: number): void;
  /**
   * dZ = dA * g'(Z), the backward of any activation, with the course's `*_backward` formulas
   * (activations.ts): sigmoid and tanh use the forward output A (g' = A(1 - A) and 1 - A²), relu
   * and leaky-relu use Z (z <= 0 is the flat side), softmax its Jacobian-vector product. dZ may be
   * dA itself. Every set gives the plain set's bits.
   */
  activationBackward(dA: Matrix, Z: Matrix, A: Matrix, dZ: Matrix, activation: ActivationName, alpha: number): void;
  /**
   * out = Y·log(AL) + (1 − Y)·log(1 − AL) entrywise, the terms of the binary cross-entropy (the
   * course's compute_cost sums them): exactly that expression, products then their sum, so
   * 0·log(0) stays NaN as in numpy. AL, Y and out have one shape; out may be AL or Y.
   * The WebAssembly sets compute log with fdlibm's method (V8's Math.log) vectorised: within 1 ulp
   * of Math.log, and equal to it for 99.7% of inputs; the plain set uses Math.log.
   */
  crossEntropyTerms(AL: Matrix, Y: Matrix, out: Matrix): void;
  /**
   * The sum of `n` entries of `a` from `start` in numpy's pairwise order, the bits of sum.ts
   * `pairwiseSum` (np.sum, and db = 1/m · Σ dZ) in every set: the WebAssembly sets vectorise it
   * where `a` lives in their memory (pinned).
   */
  pairwiseSum(a: Float64Array, start: number, n: number): number;
  /** M = s·M entrywise (dW's 1/m), the bits of the plain loop in every set. */
  scale(M: Matrix, s: number): void;
  /** W = W − alpha·dW entrywise (gradient descent's update), the bits of the plain loop in every set. */
  descend(W: Matrix, dW: Matrix, alpha: number): void;
  /**
   * M itself, or a copy of M stored where these kernels read it without copying it again (for
   * WebAssembly, inside linear memory). Use it for an operand that is read many times, such as the
   * training set X (12288 x 209 doubles = 20 MB for the course's cat images, copied twice per
   * iteration otherwise). Writes to the copy are seen by later products. Call `release` on what
   * it returned when training ends, or the memory stays taken. It throws when the kernels' memory
   * is full; the caller may then keep using M.
   */
  pin(M: Matrix): Matrix;
  /** Frees the storage of a matrix returned by `pin` (nothing for the sets that do not copy). */
  release(M: Matrix): void;
  /**
   * src/core/engine/conv.ts `im2col` with its bits, where this set does it faster (WebAssembly, on
   * both threads for the two-thread set), when Aprev and cols both live in its memory (pinned, as
   * training's are). Returns false, doing nothing, otherwise; absent from the TypeScript sets.
   */
  im2col?(Aprev: Float64Array, g: WindowGeometry, m: number, cols: Float64Array, columns: boolean): boolean;
}

/** What im2col reads of a conv or pool layer's geometry (the engine's `Geometry` adds the rest). */
export interface WindowGeometry {
  /** n_H[l-1], n_W[l-1], n_C[l-1]. */
  hPrev: number;
  wPrev: number;
  cPrev: number;
  fH: number;
  fW: number;
  sH: number;
  sW: number;
  /** Padding before each dimension. */
  top: number;
  left: number;
  /** n_H[l], n_W[l]. */
  h: number;
  w: number;
}

/** Throws a message naming the product and both shapes when the operands do not fit. */
export function checkProduct(op: string, A: Matrix, B: Matrix, C: Matrix, m: number, n: number, kA: number, kB: number): void {
  if (kA !== kB || C.rows !== m || C.cols !== n) {
    throw new Error(
      `${op}: shapes do not fit: A is (${A.rows}, ${A.cols}), B is (${B.rows}, ${B.cols}), C is (${C.rows}, ${C.cols})`,
    );
  }
}

export function checkSame(op: string, a: Matrix, b: Matrix): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new Error(`${op}: shapes differ: (${a.rows}, ${a.cols}) and (${b.rows}, ${b.cols})`);
  }
}
