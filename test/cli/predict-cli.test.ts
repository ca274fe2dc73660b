// `dnn predict` with parameters trained by numpy running the week 3 notebook: the same
// probabilities, accuracy and confusion matrix as numpy computed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/index';
import { capture } from './helpers';

const root = join(__dirname, '../..');
const planarFile = join(root, 'examples/planar.dnn.json');
const numpy = JSON.parse(readFileSync(join(root, 'test/fixtures/engine/planar-week3.json'), 'utf8')) as {
  X: number[][];
  Y: number[][];
  final: Record<string, number[][]>;
  accuracy: number;
  confusion: number[][];
  firstProbabilities: number[];
};


function setup(withLabels: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-predict-'));
  const params = join(dir, 'planar.params.json');
  writeFileSync(params, JSON.stringify(numpy.final));
  const input = join(dir, 'points.csv');
  let csv = withLabels ? 'x1,x2,y\n' : 'x1,x2\n';
  for (let j = 0; j < numpy.X[0].length; j++) csv += `${numpy.X[0][j]},${numpy.X[1][j]}${withLabels ? `,${numpy.Y[0][j]}` : ''}\n`;
  writeFileSync(input, csv);
  return { dir, params, input };
}

test('predict with numpy-trained parameters: probabilities, accuracy and confusion matrix as numpy', async () => {
  const { dir, params, input } = setup(true);
  const output = join(dir, 'pred.csv');
  const io = capture();
  assert.equal(await main(['predict', planarFile, '--params', params, '--input', input, '--output', output], io), 0, io.errText);
  assert.match(io.outText, new RegExp(`Accuracy: ${numpy.accuracy}% \\(363 of 400\\)`));
  const [tn, fp] = numpy.confusion[0];
  const [fn, tp] = numpy.confusion[1];
  assert.match(io.outText, new RegExp(`\\n  0 +${tn} +${fp}\\n  1 +${fn} +${tp}\\n`));
  const rows = readFileSync(output, 'utf8').trimEnd().split('\n');
  assert.equal(rows[0], 'prediction,probability');
  assert.equal(rows.length, 401);
  numpy.firstProbabilities.forEach((p, j) => {
    const [label, prob] = rows[j + 1].split(',');
    assert.equal(label, p > 0.5 ? '1' : '0');
    assert.ok(Math.abs(Number(prob) - p) <= 1e-12 * p, `example ${j}: ${prob} vs numpy ${p}`);
  });
});

test('predict without labels writes the predictions to stdout and no accuracy', async () => {
  const { params, input } = setup(false);
  const io = capture();
  assert.equal(await main(['predict', planarFile, '--params', params, '--input', input], io), 0, io.errText);
  assert.ok(io.outText.startsWith('prediction,probability\n0,'));
  assert.equal(io.errText, '');
});

test('predict errors: missing options exit 2; a wrong key, a bad cell or too few features exit 1 with the place', async () => {
  const { dir, params, input } = setup(true);
  let io = capture();
  assert.equal(await main(['predict', planarFile, '--input', input], io), 2);
  assert.match(io.errText, /--params P is required/);

  const bad = join(dir, 'bad.params.json');
  writeFileSync(bad, JSON.stringify({ ...numpy.final, W2: [[1], [2], [3], [4]] }));
  io = capture();
  assert.equal(await main(['predict', planarFile, '--params', bad, '--input', input], io), 1);
  assert.match(io.errText, /bad\.params\.json: error: W2 must be \(1, 4\) = \(n\[2\], n\[1\]\); found \(4, 1\): transposed\?/);

  const broken = join(dir, 'broken.csv');
  writeFileSync(broken, 'x1,x2,y\n1,2,0\n3,oops,1\n');
  io = capture();
  assert.equal(await main(['predict', planarFile, '--params', params, '--input', broken], io), 1);
  assert.match(io.errText, /broken\.csv:3:3: /);

  const narrow = join(dir, 'narrow.csv');
  writeFileSync(narrow, 'x1\n1\n2\n');
  io = capture();
  assert.equal(await main(['predict', planarFile, '--params', params, '--input', narrow], io), 1);
  assert.match(io.errText, /planar\.dnn\.json:\d+:\d+: error: the input has 1 feature per example but the network's input is n\[0\] = 2/);
});

test('an --output in a folder that does not exist is a clear error, exit 1', async () => {
  const { dir, params, input } = setup(true);
  const io = capture();
  assert.equal(await main(['predict', planarFile, '--params', params, '--input', input, '--output', join(dir, 'no', 'out.csv')], io), 1);
  assert.match(io.errText, /^dnn predict: cannot write .*out\.csv: the folder does not exist\n$/);
});

test('parameters whose meta records another network are refused, naming the difference (same shapes, other activation)', async () => {
  const { dir, params, input } = setup(true);
  // What `dnn train` records for the planar network: [2, 4, 1], tanh then sigmoid, binary cross-entropy.
  writeFileSync(params, JSON.stringify({ ...numpy.final, meta: { architecture: [2, 4, 1], activations: ['tanh', 'sigmoid'], loss: 'binary-cross-entropy' } }));
  const io = capture();
  assert.equal(await main(['predict', planarFile, '--params', params, '--input', input], io), 0, io.errText);
  // The file now says relu for layer 1: the weights' shapes still fit, the network does not.
  const edited = join(dir, 'planar.dnn.json');
  writeFileSync(edited, readFileSync(planarFile, 'utf8').replace('"tanh"', '"relu"'));
  const bad = capture();
  assert.equal(await main(['predict', edited, '--params', params, '--input', input], bad), 1);
  assert.match(bad.errText, /planar\.params\.json: error: .*planar\.params\.json belongs to another network: layer 1's activation is relu in the file, but the parameters were trained with tanh; train again/);
  assert.equal(bad.outText, '');
  // And the loss.
  writeFileSync(params, JSON.stringify({ ...numpy.final, meta: { architecture: [2, 4, 1], activations: ['tanh', 'sigmoid'], loss: 'mse' } }));
  const loss = capture();
  assert.equal(await main(['predict', planarFile, '--params', params, '--input', input], loss), 1);
  assert.match(loss.errText, /the loss is binary-cross-entropy in the file, but the parameters were trained with mse/);
});

test('predict --json: numpy\'s probabilities, the predictions, accuracy and confusion matrix in one document', async () => {
  const { params, input } = setup(true);
  const io = capture();
  assert.equal(await main(['predict', planarFile, '--params', params, '--input', input, '--json'], io), 0, io.errText);
  const doc = JSON.parse(io.outText) as { examples: number; predictions: number[]; probabilities: number[][]; accuracy: number; confusion: number[][] };
  assert.equal(doc.examples, 400);
  assert.equal(doc.predictions.length, 400);
  numpy.firstProbabilities.forEach((p, j) => assert.ok(Math.abs(doc.probabilities[j][0] - p) < 1e-12, `example ${j}`));
  assert.equal(doc.accuracy * 100, numpy.accuracy);
  assert.deepEqual(doc.confusion, numpy.confusion);
});

test('predict --json with a bad input prints a JSON error object naming the cell', async () => {
  const { dir, params } = setup(false);
  const input = join(dir, 'bad.csv');
  writeFileSync(input, 'x1,x2\n1,oops\n');
  const io = capture();
  assert.equal(await main(['predict', planarFile, '--params', params, '--input', input, '--json'], io), 1);
  const doc = JSON.parse(io.outText) as { status: string; problems: { code: string; line: number; column: number; message: string }[] };
  assert.equal(doc.status, 'failed');
  assert.deepEqual(doc.problems.map((p) => [p.code, p.line, p.column]), [['data-error', 2, 3]]);
});
