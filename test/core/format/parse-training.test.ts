/**
 * The training keys that follow the course's procedures: the mini-batch seed, the two decay
 * functions, the printed precision, and warnings for keys that the rest of the file makes useless
 * (positions written by hand: line 7 is the first line inside "training").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../src/core/check';
import { TRAINING_DEFAULTS } from '../../../src/core/format/types';
import { expectProblem, net } from '../check-helpers';

const LAYER = '{ "units": 1, "activation": "sigmoid" }';
const training = (body: string) => net(LAYER, `,\n"training": {\n${body}\n}`);

test('shuffleSeed, decay, timeInterval and printPrecision are read; the defaults are update_lr, 1000 and 6', () => {
  const t = checkText(training('"batchSize": 64, "shuffleSeed": 10, "decayRate": 1, "decay": "scheduleLrDecay", "timeInterval": 500, "printPrecision": "full"')).spec!.training;
  assert.equal(t.shuffleSeed, 10);
  assert.equal(t.decay, 'scheduleLrDecay');
  assert.equal(t.timeInterval, 500);
  assert.equal(t.printPrecision, 'full');
  assert.equal(TRAINING_DEFAULTS.decay, 'updateLr');
  assert.equal(TRAINING_DEFAULTS.timeInterval, 1000);
  assert.equal(TRAINING_DEFAULTS.printPrecision, 6);
  assert.equal(checkText(training('"printPrecision": 12')).spec!.training.printPrecision, 12);
});

test('unknown-value: a decay that is not one of the course\'s two, and a precision that is neither decimals nor "full"', () => {
  expectProblem(training('"decayRate": 1, "decay": "exponential"'), 'unknown-value', 'error', "unknown decay schedule 'exponential' (known: updateLr, scheduleLrDecay)", '7:26-7:39');
  expectProblem(training('"printPrecision": "all"'), 'unknown-value', 'error', 'training.printPrecision must be an integer from 0 to 17 (decimals) or "full"; found "all"', '7:19-7:24');
});

test('no-effect: beta with rmsprop says RMSprop reads beta2, and beta1 with gd does nothing', () => {
  expectProblem(
    training('"optimizer": { "name": "rmsprop", "beta": 0.5 }'),
    'no-effect', 'warning', "training.optimizer.beta has no effect with rmsprop; RMSprop's β is beta2", '7:35-7:41',
  );
  expectProblem(training('"optimizer": { "name": "gd", "beta1": 0.5 }'), 'no-effect', 'warning', 'training.optimizer.beta1 has no effect with gd', '7:30-7:37');
  // The keys each optimiser reads give no warning.
  for (const body of ['"optimizer": { "name": "rmsprop", "beta2": 0.9, "epsilon": 1e-7 }', '"optimizer": { "name": "momentum", "beta": 0.8 }', '"optimizer": { "name": "adam", "beta1": 0.8, "beta2": 0.99 }']) {
    assert.deepEqual(checkText(training(body)).problems, [], body);
  }
});

test('no-effect: decay without a decay rate, timeInterval with update_lr, shuffleSeed without mini-batches', () => {
  expectProblem(training('"decay": "scheduleLrDecay"'), 'no-effect', 'warning', 'training.decay has no effect: decayRate is 0 (no decay)', '7:1-7:8');
  expectProblem(training('"decayRate": 1, "timeInterval": 10'), 'no-effect', 'warning', 'training.timeInterval has no effect: only "decay": "scheduleLrDecay" reads it', '7:17-7:31');
  expectProblem(training('"shuffleSeed": 10'), 'no-effect', 'warning', 'training.shuffleSeed has no effect: there are no mini-batches to shuffle (batchSize is null)', '7:1-7:14');
});
