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
import type { Matrix } from '../matrix';

/** Activations with a fused bias + activation kernel. */
export type FusedActivation = 'sigmoid' | 'tanh' | 'relu' | 'linear';

export interface Kernels {
  /** Short name shown by benchmarks and the CLI's `--verbose` ("plain", "packed", "wasm-simd", ...). */
  readonly name: string;
  /** C (m, n) = A (m, k) · B (k, n). Overwrites C. */
  matmul(A: Matrix, B: Matrix, C: Matrix): void;
  /** C (m, n) = Aᵀ · B with A (k, m) and B (k, n): dA_prev = W[l]ᵀ · dZ[l]. Overwrites C. */
  matmulTransA(A: Matrix, B: Matrix, C: Matrix): void;
  /** C (m, n) = A · Bᵀ with A (m, k) and B (n, k): dW[l] = dZ[l] · A[l-1]ᵀ. Overwrites C. */
  matmulTransB(A: Matrix, B: Matrix, C: Matrix): void;
  /**
   * Fused `Z += b` (b is (n, 1), broadcast over the m columns) then `A = g(Z)`, in one pass.
   * Z and A are (n, m); A may be Z itself for 'linear'.
   */
  biasActivation(Z: Matrix, b: Matrix, A: Matrix, activation: FusedActivation): void;
  /**
   * dZ = dA * g'(Z), the backward of an activation, in one pass: sigmoid and tanh use the forward
   * output A (g' = A(1 - A) and 1 - A²), relu uses Z (z <= 0 is the flat side, as in the course).
   * dZ may be dA itself.
   */
  activationBackward(dA: Matrix, Z: Matrix, A: Matrix, dZ: Matrix, activation: FusedActivation): void;
  /**
   * Optional: out = Y·log(AL) + (1 − Y)·log(1 − AL) entrywise, the terms of the binary
   * cross-entropy (the course's compute_cost sums them): exactly that expression, products then
   * their sum, so 0·log(0) stays NaN as in numpy. AL, Y and out have one shape; out may be AL or Y.
   * The WebAssembly sets compute log with fdlibm's method (V8's Math.log) vectorised: within 1 ulp
   * of Math.log, and equal to it for 99.7% of inputs. Kernels without it: use elementwise.ts
   * `crossEntropyTerms`, the same expression with Math.log.
   */
  crossEntropyTerms?(AL: Matrix, Y: Matrix, out: Matrix): void;
  /**
   * Optional: the sum of `n` entries of `a` from `start` in numpy's pairwise order, the bits of
   * src/core/kernels/sum.ts pairwiseSum (np.sum, and db = 1/m · Σ dZ): vectorised where `a` lives
   * in the kernels' memory (pinned), that same function otherwise.
   */
  pairwiseSum?(a: Float64Array, start: number, n: number): number;
  /** Optional: M = s·M entrywise (dW's 1/m), the bits of the plain loop. */
  scale?(M: Matrix, s: number): void;
  /** Optional: W = W − alpha·dW entrywise (gradient descent's update), the bits of the plain loop. */
  descend?(W: Matrix, dW: Matrix, alpha: number): void;
  /**
   * Optional: a copy of M stored where these kernels read it without copying it again (for
   * WebAssembly, inside linear memory). Use it for an operand that is read many times, such as the
   * training set X (12288 x 209 doubles = 20 MB for the course's cat images, copied twice per
   * iteration otherwise). Writes to the copy are seen by later products. Kernels that offer `pin`
   * offer `release` too: call it when training ends, or the memory stays taken.
   */
  pin?(M: Matrix): Matrix;
  /** Frees the storage of a matrix returned by `pin`. */
  release?(M: Matrix): void;
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
