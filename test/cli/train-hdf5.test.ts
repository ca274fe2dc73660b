// `dnn train` on an HDF5 file laid out like the course's: the week 4 application's L_layer_model,
// retyped in numpy (test/fixtures/data/gen_h5.py) and run on the same small file, prints the
// same costs, so the pictures reach the first layer exactly as train_x_orig.reshape(m, -1).T / 255.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/index';
import { capture } from './helpers';
import { h5File, h5Unavailable } from '../helpers/h5';

const root = join(__dirname, '../..');
const numpy = (JSON.parse(readFileSync(join(root, 'test/fixtures/data/h5.json'), 'utf8')) as { training: { layers: number[]; learningRate: number; costs: number[] } }).training;

test("the course's L-layer model on an HDF5 file: numpy's costs", { skip: h5Unavailable() }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-train-h5-'));
  const file = join(dir, 'pictures.dnn.json');
  writeFileSync(
    file,
    JSON.stringify({
      input: { shape: [8, 8, 3] },
      layers: [{ units: numpy.layers[1], activation: 'relu' }, { units: 1, activation: 'sigmoid' }],
      data: { train: h5File('pictures_train.h5'), divideBy: 255 },
      training: { iterations: numpy.costs.length, learningRate: numpy.learningRate, seed: 1, init: 'xavier' },
    }),
  );
  const costs = join(dir, 'costs.csv');
  const io = capture();
  assert.equal(await main(['train', file, '--costs', costs, '--save', join(dir, 'p.json')], io), 0, io.errText);
  const rows = readFileSync(costs, 'utf8').trim().split('\n').slice(1).map((r) => Number(r.split(',')[1]));
  assert.equal(rows.length, numpy.costs.length);
  rows.forEach((c, i) => assert.ok(Math.abs(c - numpy.costs[i]) <= 1e-12 * numpy.costs[i], `iteration ${i}: ${c} vs numpy ${numpy.costs[i]}`));
});
