/**
 * Double-double arithmetic: a value is the unevaluated sum hi + lo of two doubles, about 106
 * bits. Enough to compute log, sin and cos to far better than a double and round once, which
 * gives the correctly rounded result (see log.ts, trig.ts). Dekker's and Knuth's error-free
 * transformations, written without fused multiply-add (JavaScript has none).
 */

/** A double-double: the unevaluated sum hi + lo with |lo| ≤ ulp(hi) / 2. */
export type DD = [number, number];

const SPLITTER = 134217729; // 2^27 + 1, Veltkamp's split of a double into two 26-bit halves

export function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

export function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}

/** a · b exactly as hi + lo (Dekker's product without fused multiply-add). */
export function twoProd(a: number, b: number): DD {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

export function add(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  const [t, f] = twoSum(a[1], b[1]);
  const [u, g] = quickTwoSum(s, e + t);
  return quickTwoSum(u, g + f);
}

export function mul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return quickTwoSum(p, e + (a[0] * b[1] + a[1] * b[0]));
}

export function div(a: DD, b: DD): DD {
  const q1 = a[0] / b[0];
  const r = add(a, mul(b, [-q1, 0]));
  const q2 = r[0] / b[0];
  const r2 = add(r, mul(b, [-q2, 0]));
  const q3 = r2[0] / b[0];
  return add(quickTwoSum(q1, q2), [q3, 0]);
}
