// Shared by the conv engine's tests: the numpy fixtures of test/fixtures/conv and a closeness check.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Tensor {
  shape: number[];
  data: number[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function convFixture(name: string): any {
  return JSON.parse(readFileSync(join(__dirname, '../../fixtures/conv', name), 'utf8'));
}

/** Every entry within rtol of numpy's (absolute 1e-12 near zero), naming the first that is not. */
export function assertTensor(actual: ArrayLike<number>, expected: Tensor, what: string, rtol = 1e-12): void {
  assert.equal(actual.length, expected.data.length, `${what}: length`);
  for (let k = 0; k < expected.data.length; k++) {
    const e = expected.data[k];
    if (!(Math.abs(actual[k] - e) <= Math.max(rtol * Math.abs(e), 1e-12))) {
      assert.fail(`${what}[${k}] of shape (${expected.shape.join(', ')}): got ${actual[k]}, numpy ${e}`);
    }
  }
}

