/**
 * A correctly rounded natural logarithm, so numpy's Gaussians come out bit for bit.
 *
 * numpy's legacy randn calls the C library's `log`; glibc's (since 2.28) is accurate to
 * 0.52 ulp, which in practice is the correctly rounded value. JavaScript's `Math.log` (fdlibm
 * in V8) is within 1 ulp but returns the other neighbour for about 1 input in 40, and that ulp
 * moves a Gaussian by up to 3 ulps. Computing the logarithm in double-double arithmetic (about
 * 106 bits) and rounding once gives the correctly rounded double, hence glibc's.
 *
 * Method: x = 2^k · m with m in [√2/2, √2); f = m - 1 (exact); s = f / (2 + f);
 * log m = 2·atanh(s) = 2s·(1 + s²/3 + s⁴/5 + ...), |s| ≤ 0.172 so 15 terms reach 2^-110;
 * log x = k·ln2 + log m. About 10 times slower than Math.log: used where a numpy stream must
 * be reproduced, not in training loops.
 */

import { add, div, mul, twoProd, twoSum, type DD } from './dd';

/** 1 / (2i + 1) for the atanh series, as double-doubles. */
const COEFFS: DD[] = Array.from({ length: 16 }, (_, i) => div([1, 0], [2 * i + 1, 0]));

/** ln 2 = LN2_HI + LN2_LO to about 2^-107 (LN2_LO = ln 2 - Math.LN2, from 40 decimal digits of ln 2). */
const LN2: DD = [Math.LN2, 2.3190468138462996e-17];

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Little- or big-endian: which word of a double holds the sign and exponent.
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * The natural logarithm of x, correctly rounded (round to nearest even). Special values as
 * Math.log: log(0) = -Infinity, log(negative or NaN) = NaN, log(Infinity) = Infinity.
 */
export function logCorrectlyRounded(x: number): number {
  if (!(x > 0) || x === Infinity) return Math.log(x);
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    // Subnormal: scale into the normal range first.
    x *= 18014398509481984; // 2^54
    k = -54;
  }
  f64[0] = x;
  k += ((u32[HI] >>> 20) & 0x7ff) - 1023;
  // m in [1, 2): keep the mantissa, set the exponent to 0.
  u32[HI] = (u32[HI] & 0x000fffff) | 0x3ff00000;
  let m = f64[0];
  if (m > Math.SQRT2) {
    m /= 2; // exact
    k += 1;
  }
  const f = m - 1; // exact (Sterbenz): m and 1 are within a factor 2
  const s = div([f, 0], twoSum(2, f));
  const s2 = mul(s, s);
  let sum: DD = COEFFS[COEFFS.length - 1];
  for (let i = COEFFS.length - 2; i >= 0; i--) sum = add(mul(sum, s2), COEFFS[i]);
  const logm = mul(mul(s, sum), [2, 0]);
  const kln2 = add(twoProd(k, LN2[0]), [k * LN2[1], 0]);
  const r = add(kln2, logm);
  return r[0] + r[1];
}
