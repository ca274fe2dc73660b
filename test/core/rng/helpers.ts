/** Helpers shared by the rng, data and kernel tests: numpy fixtures and distances in ulps. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function fixture<T>(...parts: string[]): T {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', ...parts), 'utf8')) as T;
}

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** The position of a double on the number line of doubles (monotone, +0 and -0 both 0). */
function ordinal(x: number): bigint {
  f64[0] = x;
  const bits = i64[0];
  return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
}

/** How many doubles lie between a and b (0 when equal); Infinity when either is NaN. */
export function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Infinity;
  const d = ordinal(a) - ordinal(b);
  return Number(d < 0n ? -d : d);
}

/** The largest ulp distance between two equally long lists; throws on a length mismatch. */
export function maxUlps(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) {
    throw new Error(`length ${actual.length}, expected ${expected.length}`);
  }
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, ulps(actual[i], expected[i]));
  return worst;
}
