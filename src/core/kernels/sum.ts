/**
 * numpy's summation order, so that our costs and db match numpy's to the last bit whenever the
 * addends do: `np.sum` over a contiguous run uses pairwise summation (numpy's `pairwise_sum`:
 * eight running sums over blocks of at most 128 numbers, halves above that). A plain left-to-right
 * loop would differ from numpy in the last bits and, over thousands of iterations, in more.
 *
 * The halving is done with an explicit stack rather than recursion: V8 boxes a double returned
 * from a call it does not inline, so the recursive version allocated a few hundred bytes per
 * training iteration.
 */

const LEAF = 128;
/** Pending ranges (start, length) or a COMBINE marker (length -1); the tree is at most ~50 deep. */
const taskStart = new Float64Array(256);
const taskLength = new Float64Array(256);
/** Partial sums waiting to be added, left before right; values[0] is the result. */
const values = new Float64Array(256);

/** Sum of `n` numbers of `a` starting at `start`, in numpy's pairwise order (stride 1). */
export function pairwiseSum(a: Float64Array, start: number, n: number): number {
  return pairwise(a, start, n, false);
}

/** Sum of the squares of `n` numbers of `a` from `start`, as np.sum(np.square(x)) adds them. */
export function pairwiseSumOfSquares(a: Float64Array, start: number, n: number): number {
  return pairwise(a, start, n, true);
}

function pairwise(a: Float64Array, start: number, n: number, square: boolean): number {
  if (n <= LEAF) {
    leaf(a, start, n, square, 0);
    return values[0];
  }
  let tp = 0;
  let vp = 0;
  taskStart[tp] = start;
  taskLength[tp++] = n;
  while (tp > 0) {
    tp--;
    const s = taskStart[tp];
    const len = taskLength[tp];
    if (len < 0) {
      const right = values[--vp];
      const left = values[--vp];
      values[vp++] = left + right;
    } else if (len <= LEAF) {
      leaf(a, s, len, square, vp++);
    } else {
      let n2 = Math.floor(len / 2);
      n2 -= n2 % 8;
      // Pushed in reverse: the left half is summed first, then the right, then the two added.
      taskLength[tp++] = -1;
      taskStart[tp] = s + n2;
      taskLength[tp++] = len - n2;
      taskStart[tp] = s;
      taskLength[tp++] = n2;
    }
  }
  return values[0];
}

/**
 * numpy's pairwise_sum for n <= 128 (plain below 8, else eight running sums combined as a tree),
 * written to values[at] rather than returned, so no double is boxed.
 */
function leaf(a: Float64Array, start: number, n: number, square: boolean, at: number): void {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += square ? a[start + i] * a[start + i] : a[start + i];
    values[at] = res;
    return;
  }
  let r0, r1, r2, r3, r4, r5, r6, r7;
  if (square) {
    r0 = a[start] * a[start]; r1 = a[start + 1] * a[start + 1]; r2 = a[start + 2] * a[start + 2]; r3 = a[start + 3] * a[start + 3];
    r4 = a[start + 4] * a[start + 4]; r5 = a[start + 5] * a[start + 5]; r6 = a[start + 6] * a[start + 6]; r7 = a[start + 7] * a[start + 7];
  } else {
    r0 = a[start]; r1 = a[start + 1]; r2 = a[start + 2]; r3 = a[start + 3];
    r4 = a[start + 4]; r5 = a[start + 5]; r6 = a[start + 6]; r7 = a[start + 7];
  }
  let i = 8;
  const blocks = n - (n % 8);
  for (; i < blocks; i += 8) {
    const p = start + i;
    if (square) {
      r0 += a[p] * a[p]; r1 += a[p + 1] * a[p + 1]; r2 += a[p + 2] * a[p + 2]; r3 += a[p + 3] * a[p + 3];
      r4 += a[p + 4] * a[p + 4]; r5 += a[p + 5] * a[p + 5]; r6 += a[p + 6] * a[p + 6]; r7 += a[p + 7] * a[p + 7];
    } else {
      r0 += a[p]; r1 += a[p + 1]; r2 += a[p + 2]; r3 += a[p + 3];
      r4 += a[p + 4]; r5 += a[p + 5]; r6 += a[p + 6]; r7 += a[p + 7];
    }
  }
  let res = (r0 + r1 + (r2 + r3)) + (r4 + r5 + (r6 + r7));
  for (; i < n; i++) res += square ? a[start + i] * a[start + i] : a[start + i];
  values[at] = res;
}
