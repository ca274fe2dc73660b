/**
 * numpy's summation order, so that our costs and db match numpy's to the last bit whenever the
 * addends do: `np.sum` over a contiguous run uses pairwise summation (numpy's `pairwise_sum`:
 * eight running sums over blocks of at most 128 numbers, halves above that). A plain left-to-right
 * loop would differ from numpy in the last bits and, over thousands of iterations, in more.
 */

/** Sum of `n` numbers of `a` starting at `start`, in numpy's pairwise order (stride 1). */
export function pairwiseSum(a: Float64Array, start: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= 128) {
    let r0 = a[start], r1 = a[start + 1], r2 = a[start + 2], r3 = a[start + 3];
    let r4 = a[start + 4], r5 = a[start + 5], r6 = a[start + 6], r7 = a[start + 7];
    let i = 8;
    const blocks = n - (n % 8);
    for (; i < blocks; i += 8) {
      const p = start + i;
      r0 += a[p]; r1 += a[p + 1]; r2 += a[p + 2]; r3 += a[p + 3];
      r4 += a[p + 4]; r5 += a[p + 5]; r6 += a[p + 6]; r7 += a[p + 7];
    }
    let res = (r0 + r1 + (r2 + r3)) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}
