/** The progress notification's words (src/extension/training/speed.ts), worked out by hand. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { examplesPerSecond, progressMessage } from '../../../src/extension/training/speed';

test('the notification counts epochs with mini-batches and says how many examples a second go through', () => {
  // 3 epochs of 2,400 examples in 1.5 s: 4,800 examples/s.
  assert.equal(progressMessage(3, 15, 0.91234567, true, 2400, 1500), 'epoch 3 / 15, cost 0.912346, 4,800 examples/s');
  // Full batch: 100 iterations of 209 examples in 0.5 s = 41,800 examples/s.
  assert.equal(progressMessage(100, 2500, 0.5, false, 209, 500), 'iteration 100 / 2500, cost 0.500000, 41,800 examples/s');
  // No time yet, or a cost that is not finite.
  assert.equal(progressMessage(1, 10, null, false, 209, 0), 'iteration 1 / 10, cost NaN');
});

test('examples per second keep 3 significant digits above 1,000, so the number does not flicker', () => {
  assert.equal(examplesPerSecond(123_456.7), '123,000 examples/s');
  assert.equal(examplesPerSecond(999.6), '1,000 examples/s');
  assert.equal(examplesPerSecond(12.4), '12 examples/s');
});
