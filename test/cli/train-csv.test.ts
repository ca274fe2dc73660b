// `dnn train` and `dnn predict` on CSV data: dev split, standardisation stored in the parameters
// and applied by predict, positioned errors in the CSV file and in the .dnn.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/index';
import { capture } from './helpers';

const root = join(__dirname, '../..');
const numpy = JSON.parse(readFileSync(join(root, 'test/fixtures/engine/planar-week3.json'), 'utf8')) as { X: number[][]; Y: number[][] };


function planarCsv(shift = 0): string {
  let csv = 'x1,x2,y\n';
  // Shifted and scaled features: standardisation has something to undo.
  for (let j = 0; j < numpy.X[0].length; j++) csv += `${100 + 10 * numpy.X[0][j] + shift},${-50 + 10 * numpy.X[1][j]},${numpy.Y[0][j]}\n`;
  return csv;
}

function setup(data: string, csv = planarCsv()) {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-csv-'));
  writeFileSync(join(dir, 'train.csv'), csv);
  const file = join(dir, 'flower.dnn.json');
  writeFileSync(
    file,
    `{
  "input": 2,
  "layers": [
    { "units": 4, "activation": "tanh" },
    { "units": 1, "activation": "sigmoid" }
  ],
  "loss": "binary-cross-entropy",
  "data": ${data},
  "training": { "iterations": 3000, "learningRate": 1.2, "seed": 2, "printEvery": 1000 }
}
`,
  );
  return { dir, file };
}

test('train on a CSV with a dev split and standardisation; predict applies the stored standardisation', async () => {
  const { dir, file } = setup('{ "train": "train.csv", "label": "y", "devFraction": 0.25, "standardize": true }');
  const io = capture();
  assert.equal(await main(['train', file], io), 0, io.errText);
  assert.match(io.outText, /^Cost after iteration 0: 0\.69\d{4}$/m);
  const train = Number(/Train accuracy: ([\d.]+)%/.exec(io.outText)?.[1]);
  const dev = Number(/Dev accuracy: ([\d.]+)%/.exec(io.outText)?.[1]);
  assert.ok(train > 80 && dev > 75, io.outText);
  const params = JSON.parse(readFileSync(join(dir, 'flower.params.json'), 'utf8'));
  assert.equal(params.meta.standardization.mean.length, 2);
  assert.ok(Math.abs(params.meta.standardization.mean[0] - 100) < 5);

  const p = capture();
  writeFileSync(join(dir, 'all.csv'), planarCsv());
  assert.equal(await main(['predict', file, '--params', join(dir, 'flower.params.json'), '--input', join(dir, 'all.csv'), '--output', join(dir, 'out.csv')], p), 0, p.errText);
  const acc = Number(/Accuracy: ([\d.]+)%/.exec(p.outText)?.[1]);
  assert.ok(acc > 80, `standardised inputs predict as well as in training: ${p.outText}`);
});

test('a bad cell is reported at its line and column in the CSV file, exit 1', async () => {
  const csv = planarCsv().replace(/\n([^\n]*),1\n/, '\n$1,one\n');
  const badLine = csv.split('\n').findIndex((l) => l.endsWith(',one')) + 1;
  const { file } = setup('{ "train": "train.csv" }', csv);
  const io = capture();
  assert.equal(await main(['train', file], io), 1);
  assert.match(io.errText, new RegExp(`train\\.csv:${badLine}:\\d+: error: `));
  assert.equal(io.outText, '');
});

test('a missing CSV file is reported at "train" in the .dnn.json', async () => {
  const { file } = setup('{ "train": "nope.csv" }');
  const io = capture();
  assert.equal(await main(['train', file], io), 1);
  assert.match(io.errText, /flower\.dnn\.json:8:\d+: error: nope\.csv: cannot read: no such file \[data-error\]/);
});

test('data that does not fit the network is reported in the .dnn.json (data-mismatch)', async () => {
  const { file } = setup('{ "train": "train.csv" }', 'a,b,c,y\n1,2,3,0\n4,5,6,1\n');
  const io = capture();
  assert.equal(await main(['train', file], io), 1);
  assert.match(io.errText, /flower\.dnn\.json:\d+:\d+: error: .*3.*\[data-mismatch\]/);
});
