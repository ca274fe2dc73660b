/**
 * The correctly rounded log (behind randn) and sin/cos (behind the built-in datasets), against
 * decimal arithmetic far beyond a double (test/fixtures/gen_rng.py: Python's decimal module,
 * rounded once to a double).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logCorrectlyRounded } from '../../../src/core/rng/log';
import { cosCorrectlyRounded, sinCorrectlyRounded } from '../../../src/core/rng/trig';
import { fixture } from './helpers';

const { log, trig } = fixture<{
  log: { x: number; log: number; libc: number }[];
  trig: { x: number; sin: number; cos: number; libcSin: number; libcCos: number }[];
}>('rng', 'streams.json');

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

test('sin and cos are correctly rounded on every fixture angle, where Math.sin/cos often are not', () => {
  let mathWrong = 0;
  for (const c of trig) {
    assert.ok(Object.is(sinCorrectlyRounded(c.x), c.sin), `sin(${c.x}) = ${sinCorrectlyRounded(c.x)}, expected ${c.sin}`);
    assert.equal(cosCorrectlyRounded(c.x), c.cos, `cos(${c.x})`);
    if (Math.sin(c.x) !== c.sin || Math.cos(c.x) !== c.cos) mathWrong++;
  }
  // Why these functions exist: V8's fdlibm misses the nearest double for several of these angles.
  assert.ok(mathWrong > 0);
});

test('sin and cos differ from glibc\'s only where glibc is not correctly rounded', () => {
  const differ = trig.filter((c) => c.libcSin !== c.sin || c.libcCos !== c.cos);
  assert.ok(differ.length >= 1 && differ.length <= 10, `${differ.length} angles`);
  for (const c of trig.filter((t) => t.libcSin === t.sin && t.libcCos === t.cos)) {
    assert.equal(sinCorrectlyRounded(c.x), c.libcSin);
    assert.equal(cosCorrectlyRounded(c.x), c.libcCos);
  }
});

test('sin and cos: special values as Math.sin and Math.cos', () => {
  assert.ok(Object.is(sinCorrectlyRounded(-0), -0));
  assert.equal(cosCorrectlyRounded(0), 1);
  assert.ok(Number.isNaN(sinCorrectlyRounded(Infinity)));
  assert.ok(Number.isNaN(cosCorrectlyRounded(NaN)));
  assert.equal(sinCorrectlyRounded(1e10), Math.sin(1e10)); // beyond the reduction's range
});
