/**
 * `dnn check` on convolutional networks, as a user runs it: the table in the course's
 * conventions (28×28×6), the `--json` fields other tools read, the examples, and `dnn train`
 * refusing what the engine cannot train yet.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/index';

const examples = join(__dirname, '..', '..', 'examples');

async function dnn(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => { out += s; }, err: (s) => { err += s; }, isTTY: false });
  return { code, out, err };
}

test('LeNet-5: the table shows volumes as n_H×n_W×n_C, W as f×f×n_C[l-1]×n_C[l], parameters and multiply-adds', async () => {
  const f = join(examples, 'lenet5.dnn.json');
  const r = await dnn('check', f);
  assert.equal(r.code, 0);
  // Multiply-adds per example: 28·28·8 · 5·5·3 = 470,400; 10·10·16 · 5·5·8 = 320,000;
  // 120·400 = 48,000; 84·120 = 10,080; 10·84 = 840; total 849,320.
  assert.equal(
    r.out.split('\n').slice(0, 12).join('\n'),
    `${f}: LeNet-5 (course 4 version)
  l  type     activation  n[l]  W[l]        b[l]      Z[l], A[l]  parameters  multiply-adds
  0  input                3072                        32×32×3     A[0] = X
  1  conv     relu        6272  5×5×3×8     1×1×1×8   28×28×8     608         470,400
  2  pool                 1568                        14×14×8     0           0
  3  conv     relu        1600  5×5×8×16    1×1×1×16  10×10×16    3,216       320,000
  4  pool                 400                         5×5×16      0           0
  5  flatten              400                         (400, m)    0           0
  6  dense    relu        120   (120, 400)  (120, 1)  (120, m)    48,120      48,000
  7  dense    relu        84    (84, 120)   (84, 1)   (84, m)     10,164      10,080
  8  dense    softmax     10    (10, 84)    (10, 1)   (10, m)     850         840
  total parameters: 62,958; loss: categorical-cross-entropy; activations: 21,212 values per example`,
  );
  assert.match(r.out, /multiply-adds per example: 849,320;/);
});

test('--json: each layer\'s type, W, b, Z, A ("m" for the batch), params and multiplyAdds; the totals', async () => {
  const r = await dnn('check', '--json', join(examples, 'hand-gestures.dnn.json'));
  assert.equal(r.code, 0);
  const s = JSON.parse(r.out).files[0].shapes;
  const conv = s.layers[0];
  // 64×64×3, 8 filters 4×4 "same": 64×64×8; (4·4·3 + 1)·8 = 392; 64·64·8·4·4·3 = 1,572,864.
  assert.deepEqual(
    { type: conv.type, W: conv.W, b: conv.b, Z: conv.Z, A: conv.A, params: conv.params, multiplyAdds: conv.multiplyAdds },
    { type: 'conv', W: [4, 4, 3, 8], b: [1, 1, 1, 8], Z: ['m', 64, 64, 8], A: ['m', 64, 64, 8], params: 392, multiplyAdds: 1572864 },
  );
  // Pool and flatten have no W or b.
  const pool = s.layers[1];
  assert.equal(pool.type, 'pool');
  assert.ok(!('W' in pool) && !('b' in pool));
  assert.deepEqual(pool.A, ['m', 8, 8, 8]);
  assert.ok(!('W' in s.layers[4]));
  assert.deepEqual(s.layers[4].A, [64, 'm']);
  // 392 + (2·2·8 + 1)·16 = 528 + 6·64 + 6 = 390: 1,310. 1,572,864 + 8·8·16·2·2·8 = 32,768 + 384.
  assert.equal(s.totalParams, 1310);
  assert.equal(s.totalMultiplyAdds, 1572864 + 32768 + 384);
  assert.equal(typeof s.memory.bytes, 'number');
});

test('every example checks without errors; VGG-16 has the published 138,357,544 parameters', async () => {
  for (const name of ['lenet5', 'vgg16', 'hand-gestures', 'resnet-small']) {
    const r = await dnn('check', '--json', join(examples, `${name}.dnn.json`));
    assert.equal(r.code, 0, name);
    const report = JSON.parse(r.out).files[0];
    assert.deepEqual(report.problems.filter((p: { severity: string }) => p.severity === 'error'), [], name);
  }
  const vgg = JSON.parse((await dnn('check', '--json', join(examples, 'vgg16.dnn.json'))).out).files[0];
  assert.equal(vgg.shapes.totalParams, 138357544);
  assert.deepEqual(vgg.problems.map((p: { code: string; severity: string }) => [p.code, p.severity]), [['too-large', 'warning']]);
});

test('dnn train on a conv network gets past the shapes to the data: LeNet-5 has none', async () => {
  const f = join(examples, 'lenet5.dnn.json');
  const r = await dnn('train', f);
  assert.equal(r.code, 1);
  assert.match(r.out + r.err, /lenet5\.dnn\.json:\d+:\d+: error: there is no "data" to train on/);
});

test('dnn train refuses a network too large to train with the checker\'s message; dnn check only warns', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-conv-'));
  const f = join(dir, 'big.dnn.json');
  writeFileSync(f, '{ "input": 1000000, "layers": [ { "units": 1000, "activation": "relu" }, { "units": 1, "activation": "sigmoid" } ], "data": { "builtin": "planar" } }');
  // 10^6·1000 + 1000 + 1001 = 1,000,002,001 parameters and as many gradients (14.9 GiB), and for
  // m = 400 planar examples X (10^6), Z, A, dZ, dA (4·1000 + 4·1) and the loss's scratch (1):
  // 1,004,005 · 400 = 401,602,000 values. 2,401,606,002 values · 8 bytes = 17.9 GiB.
  // --no-data: planar's 2 features do not fit n[0] = 10^6, which check would report as well.
  const checked = await dnn('check', '--no-data', f);
  assert.equal(checked.code, 0);
  assert.match(checked.out, /warning: training would need 17\.9 GiB .* \[too-large\]/);
  const r = await dnn('train', f);
  assert.equal(r.code, 1);
  assert.match(r.out + r.err, /error: training would need 17\.9 GiB/);
});
