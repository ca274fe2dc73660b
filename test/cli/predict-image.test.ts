// `dnn predict --image`: one picture prepared as the training pictures were (resized to
// input.shape, divided by the data's divideBy), its class named from the data's list_classes.
// The network is one sigmoid unit on the mean red of the picture, W = [[1, 0, 0]], b = [[-0.5]],
// so the probabilities are worked out by hand: sigmoid(±0.5) = 1 / (1 + e^∓0.5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { main } from '../../src/cli/index';
import { capture } from './helpers';
import { H5_DIR, h5Unavailable } from '../helpers/h5';

const skip = h5Unavailable();
const picturesFile = join(H5_DIR, 'pictures_train.h5');

function setup(input = '{ "shape": [1, 1, 3] }') {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-predict-image-'));
  const file = join(dir, 'red.dnn.json');
  writeFileSync(file, JSON.stringify({ input: JSON.parse(input), layers: [{ units: 1, activation: 'sigmoid' }], data: { train: picturesFile, divideBy: 255 } }));
  const params = join(dir, 'red.params.json');
  writeFileSync(params, JSON.stringify({ W1: [[1, 0, 0]], b1: [[-0.5]] }));
  const picture = (name: string, red: number): string => {
    const path = join(dir, name);
    writeFileSync(path, encodePng({ width: 3, height: 2, data: new Uint8Array(18).map((_, i) => (i % 3 === 0 ? red : 90)), channels: 3, depth: 8 }));
    return path;
  };
  return { dir, file, params, picture };
}

test('--image: the class by its list_classes name and its probability', { skip }, async () => {
  const { file, params, picture } = setup();
  const red = picture('red.png', 255);
  let io = capture();
  assert.equal(await main(['predict', file, '--params', params, '--image', red], io), 0, io.errText);
  // Red 255 / 255 = 1 after resizing 3×2 to 1×1: z = 1 - 0.5, P(cat) = sigmoid(0.5) = 0.6225.
  assert.equal(io.outText, `${red}: cat (class 1), probability 0.6225\n`);
  const dark = picture('dark.png', 0);
  io = capture();
  assert.equal(await main(['predict', file, '--params', params, '--image', dark], io), 0, io.errText);
  // z = -0.5: P(cat) = 0.3775, so non-cat with 1 - 0.3775.
  assert.equal(io.outText, `${dark}: non-cat (class 0), probability 0.6225\n`);
});

test('--image: not a picture, a missing file, a network without a picture shape, and usage', { skip }, async () => {
  const { dir, file, params } = setup();
  const text = join(dir, 'notes.png');
  writeFileSync(text, 'hello');
  let io = capture();
  assert.equal(await main(['predict', file, '--params', params, '--image', text], io), 1);
  assert.equal(io.errText, `${text}: error: not a PNG or JPEG picture\n`);
  io = capture();
  assert.equal(await main(['predict', file, '--params', params, '--image', join(dir, 'none.png')], io), 1);
  assert.equal(io.errText, `${join(dir, 'none.png')}: error: cannot read: no such file\n`);
  io = capture();
  assert.equal(await main(['predict', file, '--params', params, '--image', text, '--input', text], io), 2);
  assert.match(io.errText, /give --input CSV or --image PICTURE, not both/);
  const flat = setup('3');
  const png = flat.picture('p.png', 255);
  io = capture();
  assert.equal(await main(['predict', flat.file, '--params', flat.params, '--image', png], io), 1);
  assert.match(io.errText, /the network's input has no picture size; --image needs "input": \{ "shape": \[n_H, n_W, n_C\] \}/);
});
