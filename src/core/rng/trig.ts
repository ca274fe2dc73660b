/**
 * Correctly rounded sine and cosine, for datasets that must equal numpy's (planar, moons,
 * circles, spiral): numpy calls the C library's sin and cos, which on glibc are correctly
 * rounded in practice, while V8's Math.sin and Math.cos (fdlibm) return the other neighbour of
 * the true value for a few inputs in a hundred.
 *
 * Method: k = nearest integer to x / (π/2); r = x - k·π/2 in double-double with π/2 split into
 * 33 + 33 + 53 bits (so k·p1 and k·p2 are exact for |k| < 2^20); then the Taylor series of sin
 * or cos at r (|r| ≤ π/4, 15 terms reach 2^-100) in double-double, and one rounding. Beyond
 * |x| < 2^20 · π/2 this falls back to Math.sin / Math.cos; no dataset gets near.
 */
import { add, div, mul, twoProd, twoSum, type DD } from './dd';

/** π/2 = P1 + P2 + P3: P1 and P2 have 33 significant bits, P3 the next 53 (from 110 digits of π). */
const P1 = 1.5707963267341256;
const P2 = 6.077100506303966e-11;
const P3 = 2.0222662487959506e-21;
const LIMIT = 2 ** 20 * P1;

/** (-1)^i / (2i + 1)! and (-1)^i / (2i)!, i = 0..15, as double-doubles. */
const SIN: DD[] = [];
const COS: DD[] = [];
{
  let fact: DD = [1, 0];
  for (let n = 0; n <= 31; n++) {
    if (n > 0) fact = mul(fact, [n, 0]);
    const term = div([(n >> 1) % 2 === 0 ? 1 : -1, 0], fact);
    (n % 2 === 0 ? COS : SIN).push(term);
  }
}

function series(coeffs: DD[], r2: DD): DD {
  let s = coeffs[coeffs.length - 1];
  for (let i = coeffs.length - 2; i >= 0; i--) s = add(mul(s, r2), coeffs[i]);
  return s;
}

/** x - k·π/2 in double-double, and k mod 4. */
function reduce(x: number): { r: DD; q: number } {
  const k = Math.round(x / P1);
  // x - k·P1 is exact: k·P1 has at most 53 bits and lies within a factor 2 of x (Sterbenz).
  const a = x - k * P1;
  let r = twoSum(a, -k * P2);
  const [ph, pl] = twoProd(k, P3);
  r = add(r, [-ph, -pl]);
  return { r, q: ((k % 4) + 4) % 4 };
}

function sinOf(r: DD): number {
  const s = mul(r, series(SIN, mul(r, r)));
  return s[0] + s[1];
}

function cosOf(r: DD): number {
  const c = series(COS, mul(r, r));
  return c[0] + c[1];
}

/** sin(x), correctly rounded for |x| < 2^20·π/2 (Math.sin beyond, and for NaN and ±Infinity). */
export function sinCorrectlyRounded(x: number): number {
  if (!(Math.abs(x) < LIMIT)) return Math.sin(x);
  if (x === 0) return x; // keeps the sign of -0, as sin does
  const { r, q } = reduce(x);
  switch (q) {
    case 0:
      return sinOf(r);
    case 1:
      return cosOf(r);
    case 2:
      return -sinOf(r);
    default:
      return -cosOf(r);
  }
}

/** cos(x), correctly rounded for |x| < 2^20·π/2 (Math.cos beyond, and for NaN and ±Infinity). */
export function cosCorrectlyRounded(x: number): number {
  if (!(Math.abs(x) < LIMIT)) return Math.cos(x);
  const { r, q } = reduce(x);
  switch (q) {
    case 0:
      return cosOf(r);
    case 1:
      return -sinOf(r);
    case 2:
      return -cosOf(r);
    default:
      return sinOf(r);
  }
}
