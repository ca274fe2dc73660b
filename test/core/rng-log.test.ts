/**
 * The correctly rounded logarithm behind randn, against 60-digit decimal logarithms
 * (test/fixtures/gen_rng.py: Python's decimal module, rounded once to a double).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logCorrectlyRounded } from '../../src/core/rng/log';
import { fixture } from './rng-helpers';

const { log } = fixture<{ log: { x: number; log: number; libc: number }[] }>('rng', 'streams.json');

test('logCorrectlyRounded equals the correctly rounded logarithm on every fixture input', () => {
  for (const c of log) assert.equal(logCorrectlyRounded(c.x), c.log, `log(${c.x})`);
});

test('it differs from the C library only where the C library is not correctly rounded', () => {
  // The fixture records glibc's log too: those few inputs are where randn can still differ by an ulp.
  const differ = log.filter((c) => c.libc !== c.log).map((c) => c.x);
  assert.ok(differ.length >= 1 && differ.length <= 5, `${differ.length} inputs`);
  for (const x of differ) assert.notEqual(logCorrectlyRounded(x), log.find((c) => c.x === x)!.libc);
});

test('special values behave as Math.log', () => {
  assert.equal(logCorrectlyRounded(0), -Infinity);
  assert.ok(Number.isNaN(logCorrectlyRounded(-1)));
  assert.ok(Number.isNaN(logCorrectlyRounded(NaN)));
  assert.equal(logCorrectlyRounded(Infinity), Infinity);
  assert.equal(logCorrectlyRounded(1), 0);
});
