// Shared by the tests that compare the engine with a course notebook's printed output: the numbers
// are typed in as the notebook prints them, and compared at the precision they are printed with.
import assert from 'node:assert/strict';

/** The numbers of a printed value (a scalar or numpy's array text), with the decimals each shows. */
export function printed(text: string): { value: number; decimals: number }[] {
  return (text.match(/-?\d+\.\d*(?:e[-+]?\d+)?|-?\d+/g) ?? []).map((s) => {
    const fraction = /\.(\d*)/.exec(s)?.[1] ?? '';
    return { value: Number(s), decimals: fraction.length };
  });
}

/**
 * Each actual number equals the printed one to the printed precision: within half a unit of the
 * last printed digit (numpy prints arrays with 8 decimals), and at least 2e-15 relative for
 * Python 3's 17-digit prints of a scalar, whose last digits another order of summation may move.
 */
export function assertPrinted(actual: ArrayLike<number>, text: string, what: string): void {
  const expected = printed(text);
  assert.equal(actual.length, expected.length, `${what}: ${actual.length} numbers, the notebook prints ${expected.length}`);
  expected.forEach(({ value, decimals }, k) => {
    const tolerance = Math.max(0.5 * 10 ** -decimals * (1 + 1e-9), 2e-15 * Math.abs(value));
    if (!(Math.abs(actual[k] - value) <= tolerance)) {
      assert.fail(`${what}[${k}]: the engine gives ${actual[k]}, the notebook prints ${value} (to ±${tolerance})`);
    }
  });
}
