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
 * log m = 2·atanh(s) = 2s·(1 + s²/3 + s⁴/5 + ...), |s| ≤ 0.172 so s² ≤ 0.0295. The first
 * terms (to s¹⁰/11) are summed in double-double, the rest (each below 2^-55 of the sum) in
 * plain doubles; the total error stays below 2^-80 relative, so the one final rounding is
 * wrong only if the true value is within 2^-27 ulp of a midpoint. log x = k·ln2 + log m.
 *
 * Written with scalars rather than ./dd.ts's pairs: randn calls this for every second draw,
 * and the pairs' allocations made it ten times slower.
 */
import { div, type DD } from './dd';

const SPLITTER = 134217729; // 2^27 + 1

/** 1 / (2i + 1) as double-doubles for i = 0..5 (summed exactly), doubles for i = 6..15. */
const C: DD[] = Array.from({ length: 6 }, (_, i) => div([1, 0], [2 * i + 1, 0]));
const TAIL = Array.from({ length: 10 }, (_, i) => 1 / (2 * (i + 6) + 1));

/** ln 2 = LN2_HI + LN2_LO to about 2^-107 (LN2_LO = ln 2 - Math.LN2, from 40 decimal digits of ln 2). */
const LN2_HI = Math.LN2;
const LN2_LO = 2.3190468138462996e-17;

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

  // d = 2 + f exactly as dh + dl (|f| < 2, so the fast two-sum applies).
  const dh = 2 + f;
  const dl = f - (dh - 2);
  // s = f / d: a quotient and its correction from the exact residual f - sh·d.
  const sh0 = f / dh;
  let t = SPLITTER * sh0;
  const sa = t - (t - sh0);
  const sb = sh0 - sa;
  t = SPLITTER * dh;
  const da = t - (t - dh);
  const db = dh - da;
  const p = sh0 * dh;
  const pe = sa * da - p + sa * db + sb * da + sb * db; // sh0·dh = p + pe exactly
  const sl0 = (f - p - pe - sh0 * dl) / dh; // f - p is exact: p is within a factor 2 of f
  const sh = sh0 + sl0;
  const sl = sl0 - (sh - sh0);

  // s2 = s·s as a double-double.
  t = SPLITTER * sh;
  const ha = t - (t - sh);
  const hb = sh - ha;
  const q = sh * sh;
  const qe = ha * ha - q + 2 * ha * hb + hb * hb + 2 * sh * sl;
  const s2h = q + qe;
  const s2l = qe - (s2h - q);

  // The tail in doubles, then Horner in double-double: sum = C0 + s2·(C1 + s2·(... + s2·tail)).
  let tail = TAIL[TAIL.length - 1];
  for (let i = TAIL.length - 2; i >= 0; i--) tail = tail * s2h + TAIL[i];
  let ah = C[5][0] + tail * s2h;
  let al = C[5][1] + (C[5][0] - ah + tail * s2h);
  for (let i = 4; i >= 0; i--) {
    // (ah, al) ← (ah, al)·(s2h, s2l) + C[i]
    t = SPLITTER * ah;
    const xa = t - (t - ah);
    const xb = ah - xa;
    t = SPLITTER * s2h;
    const ya = t - (t - s2h);
    const yb = s2h - ya;
    const mp = ah * s2h;
    const me = xa * ya - mp + xa * yb + xb * ya + xb * yb + (ah * s2l + al * s2h);
    const mh = mp + me;
    const ml = me - (mh - mp);
    // + C[i] (two-sum of the high parts, then the low parts)
    const sum = C[i][0] + mh;
    const bb = sum - C[i][0];
    const err = C[i][0] - (sum - bb) + (mh - bb) + C[i][1] + ml;
    ah = sum + err;
    al = err - (ah - sum);
  }

  // log m = 2·s·sum
  t = SPLITTER * sh;
  const ua = t - (t - sh);
  const ub = sh - ua;
  t = SPLITTER * ah;
  const va = t - (t - ah);
  const vb = ah - va;
  const lp = sh * ah;
  const le = ua * va - lp + ua * vb + ub * va + ub * vb + (sh * al + sl * ah);
  const lmh = 2 * (lp + le);
  const lml = 2 * (le - (lp + le - lp));

  // + k·ln 2: k·LN2_HI exactly (k has at most 11 bits), then the low parts.
  t = SPLITTER * LN2_HI;
  const na = t - (t - LN2_HI);
  const nb = LN2_HI - na;
  const kp = k * LN2_HI;
  const ke = k * na - kp + k * nb; // exact: k·na and k·nb fit in 53 bits
  const sum = kp + lmh;
  const bb = sum - kp;
  const err = kp - (sum - bb) + (lmh - bb) + ke + k * LN2_LO + lml;
  return sum + err;
}
