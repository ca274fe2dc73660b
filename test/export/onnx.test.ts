/**
 * The ONNX export, run by onnxruntime-node: the exported model gives the engine's predictions on
 * the same inputs (1e-5 relative in float32, 1e-12 in float64), for dense networks with every
 * activation, batch norm, and conv, pool, flatten and residual networks; and the model reads as
 * Netron reads it (opset, named input and output, a symbolic batch dimension).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { checkText } from '../../src/core/check';
import type { Spec } from '../../src/core/format/types';
import { plainKernels } from '../../src/core/kernels';
import type { Matrix } from '../../src/core/matrix';
import { networkOf, parameterDims, parameterKeys, parameterShape, stateKeys } from '../../src/core/engine/network';
import { predict } from '../../src/core/engine/predict';
import type { Parameters } from '../../src/core/engine/types';
import { RandomState } from '../../src/core/rng';
import { standardize } from '../../src/core/data/split';
import { exportOnnx, ONNX_OPSET } from '../../src/export/onnx';

function specOf(network: object): Spec {
  const result = checkText(JSON.stringify(network));
  const errors = result.problems.filter((p) => p.severity === 'error');
  assert.deepEqual(errors, []);
  assert.ok(result.spec);
  return result.spec;
}

/**
 * Parameters of every key with values of order 1 (so every unit is far from trivial), running
 * variances positive; drawn from a seeded generator so each run tests the same numbers.
 */
function randomParameters(spec: Spec, seed: number): Parameters {
  const net = networkOf(spec);
  const rng = new RandomState(seed);
  const parameters: Parameters = new Map();
  for (const key of [...parameterKeys(net), ...stateKeys(net)]) {
    const [rows, cols] = parameterShape(net, key) ?? [0, 0];
    const data = rng.randnArray(rows * cols);
    // W / sqrt(fan-in): a dense W is (n[l], n[l-1]), a conv W the matrix (f_H·f_W·n_C[l-1], n_C[l]).
    const fanIn = !key.startsWith('W') ? 1 : parameterDims(net, key)?.length === 4 ? rows : cols;
    for (let i = 0; i < data.length; i++) {
      data[i] = key.startsWith('runningVar') ? 0.5 + Math.abs(data[i]) : data[i] / Math.sqrt(fanIn);
    }
    parameters.set(key, { rows, cols, data });
  }
  return parameters;
}

function randomInput(n0: number, m: number, seed: number): Matrix {
  return { rows: n0, cols: m, data: new RandomState(seed).randnArray(n0 * m) };
}

/** X (n[0], m) in the model's layout: itself, or (m, n_H, n_W, n_C) for a volume input. */
function inputTensor(spec: Spec, X: Matrix, dtype: 'float32' | 'float64', volume: boolean): ort.Tensor {
  const dims = volume ? [X.cols, ...spec.inputShape] : [X.rows, X.cols];
  const values = new Float64Array(X.data.length);
  if (volume) {
    for (let r = 0; r < X.rows; r++) for (let j = 0; j < X.cols; j++) values[j * X.rows + r] = X.data[r * X.cols + j];
  } else values.set(X.data);
  return dtype === 'float32' ? new ort.Tensor('float32', Float32Array.from(values), dims) : new ort.Tensor('float64', values, dims);
}

async function runOnnx(bytes: Uint8Array, X: ort.Tensor): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    assert.deepEqual(session.inputNames, ['X']);
    assert.deepEqual(session.outputNames, ['AL']);
    return (await session.run({ X })).AL;
  } finally {
    await session.release();
  }
}

/** Every entry of AL within `tolerance` relative to the engine's, with the first one that is not named. */
function assertClose(actual: ort.Tensor, expected: Matrix, tolerance: number): void {
  assert.deepEqual(actual.dims, [expected.rows, expected.cols]);
  const data = actual.data as Float32Array | Float64Array;
  for (let i = 0; i < expected.data.length; i++) {
    const e = expected.data[i];
    const error = Math.abs(data[i] - e);
    assert.ok(error <= tolerance * Math.abs(e), `AL[${Math.floor(i / expected.cols)}, ${i % expected.cols}]: onnxruntime ${data[i]}, engine ${e} (relative error ${error / Math.abs(e)})`);
  }
}

/** Exports `network` with random parameters and compares onnxruntime's AL with the engine's. */
async function assertSamePredictions(network: object, seed: number, m = 7): Promise<void> {
  const spec = specOf(network);
  const parameters = randomParameters(spec, seed);
  const X = randomInput(spec.inputUnits, m, seed + 1);
  const expected = predict(spec, parameters, X, plainKernels).probabilities;
  const volume = networkOf(spec).graph?.volumeInput ?? false;
  for (const [dtype, tolerance] of [['float32', 1e-5], ['float64', 1e-12]] as const) {
    const AL = await runOnnx(exportOnnx(spec, parameters, { dtype }), inputTensor(spec, X, dtype, volume));
    assert.equal(AL.type, dtype);
    assertClose(AL, expected, tolerance);
  }
}

const dense = (activation: string, out: object = { units: 1, activation: 'sigmoid' }) => ({
  input: 5,
  layers: [{ units: 4, activation }, { units: 3, activation }, out],
});

describe('exportOnnx: dense networks', () => {
  for (const activation of ['sigmoid', 'tanh', 'relu', 'leaky-relu', 'linear']) {
    it(`gives the engine's AL with ${activation} hidden layers`, async () => {
      await assertSamePredictions(dense(activation), 1);
    });
  }

  it('gives the engine\'s AL with a softmax output, normalised over each example\'s column', async () => {
    await assertSamePredictions(dense('relu', { units: 4, activation: 'softmax' }), 2);
  });

  it('gives the engine\'s AL with a linear output (mse) and a leaky-relu of slope 0.2', async () => {
    await assertSamePredictions({ input: 3, layers: [{ units: 6, activation: 'leaky-relu', alpha: 0.2 }, { units: 2, activation: 'linear' }] }, 3);
  });

  it('gives the engine\'s AL with batch norm, normalising with the running averages', async () => {
    await assertSamePredictions(
      { input: 4, layers: [{ units: 5, activation: 'relu', batchNorm: true }, { units: 3, activation: 'tanh', batchNorm: true }, { units: 3, activation: 'softmax' }] },
      4,
    );
  });
});

describe('exportOnnx: standardised inputs', () => {
  it('standardises raw X with the training set\'s means and deviations, as dnn predict does', async () => {
    const spec = specOf(dense('tanh'));
    const parameters = randomParameters(spec, 9);
    const raw = randomInput(5, 6, 10);
    for (let i = 0; i < raw.data.length; i++) raw.data[i] = 40 + 15 * raw.data[i];
    const standardization = { mean: [41, 38.5, 40, 39, 42.25], std: [14, 16, 15.5, 15, 13] };
    const expected = predict(spec, parameters, standardize(raw, standardization), plainKernels).probabilities;
    for (const [dtype, tolerance] of [['float32', 1e-5], ['float64', 1e-12]] as const) {
      assertClose(await runOnnx(exportOnnx(spec, parameters, { dtype, standardization }), inputTensor(spec, raw, dtype, false)), expected, tolerance);
    }
  });

  it('refuses a standardisation of another length, at the input', () => {
    const spec = specOf(dense('tanh'));
    assert.throws(() => exportOnnx(spec, undefined, { dtype: 'float32', standardization: { mean: [0, 0], std: [1, 1] } }), /must hold 5 means/);
  });
});

describe('exportOnnx: conv networks', () => {
  it('gives the engine\'s AL for conv, max pool, flatten and dense, channels last in and the course\'s flatten order', async () => {
    await assertSamePredictions(
      {
        input: { shape: [6, 5, 2] },
        layers: [
          { type: 'conv', filters: 3, size: 3, stride: 1, padding: 'same', activation: 'relu' },
          { type: 'pool', mode: 'max', size: 2, stride: 2 },
          { type: 'flatten' },
          { units: 4, activation: 'softmax' },
        ],
      },
      5,
    );
  });

  it('gives the engine\'s AL with strides, explicit padding, average pooling over padded windows and leaky-relu', async () => {
    await assertSamePredictions(
      {
        input: { shape: [7, 7, 3] },
        layers: [
          { type: 'conv', filters: 4, size: [3, 2], stride: 2, padding: 1, activation: 'leaky-relu' },
          { type: 'pool', mode: 'average', size: 3, stride: 1, padding: 'same' },
          { type: 'conv', filters: 2, size: 2, padding: 'valid', activation: 'tanh' },
          { type: 'flatten' },
          { units: 1, activation: 'sigmoid' },
        ],
      },
      6,
    );
  });

  it('gives the engine\'s AL for residual blocks, with and without a 1×1 shortcut', async () => {
    await assertSamePredictions(
      {
        input: { shape: [6, 6, 2] },
        layers: [
          { type: 'conv', filters: 2, size: 3, padding: 'same', activation: 'relu' },
          {
            type: 'residual',
            layers: [
              { type: 'conv', filters: 2, size: 3, padding: 'same', activation: 'relu' },
              { type: 'conv', filters: 2, size: 3, padding: 'same', activation: 'relu' },
            ],
          },
          {
            type: 'residual',
            layers: [
              { type: 'conv', filters: 4, size: 3, stride: 2, padding: 'same', activation: 'relu' },
              { type: 'conv', filters: 4, size: 3, padding: 'same', activation: 'sigmoid' },
            ],
            shortcut: { type: 'conv', filters: 4, size: 1, stride: 2, activation: 'linear' },
          },
          { type: 'pool', mode: 'average', size: 3, stride: 3 },
          { type: 'flatten' },
          { units: 3, activation: 'softmax' },
        ],
      },
      7,
    );
  });

  it('gives the engine\'s AL with batch norm per channel (running averages), in a block before its sum and on its shortcut; dropout is the identity', async () => {
    await assertSamePredictions(
      {
        input: { shape: [6, 6, 2] },
        layers: [
          { type: 'conv', filters: 3, size: 3, padding: 'same', activation: 'relu', batchNorm: true },
          { type: 'pool', mode: 'max', size: 2 },
          {
            type: 'residual',
            layers: [
              { type: 'conv', filters: 2, size: 1, activation: 'relu', batchNorm: true },
              { type: 'conv', filters: 4, size: 3, stride: 2, padding: 'same', activation: 'tanh', batchNorm: true },
            ],
            shortcut: { type: 'conv', filters: 4, size: 1, stride: 2, batchNorm: true },
          },
          { type: 'flatten' },
          { units: 5, activation: 'relu', batchNorm: true },
          { units: 3, activation: 'softmax' },
        ],
        training: { keepProb: 0.5 },
      },
      11,
    );
  });

  it('gives the engine\'s AL for a dense residual block', async () => {
    await assertSamePredictions(
      { input: 4, layers: [{ units: 4, activation: 'relu' }, { type: 'residual', layers: [{ units: 3, activation: 'relu' }, { units: 4, activation: 'tanh' }] }, { units: 1, activation: 'sigmoid' }] },
      8,
    );
  });
});

describe('exportOnnx: the model as Netron reads it', () => {
  const spec = specOf({
    name: 'pictures',
    input: { shape: [4, 4, 1] },
    layers: [{ type: 'conv', filters: 2, size: 3, padding: 'same', activation: 'relu' }, { type: 'flatten' }, { units: 2, activation: 'softmax' }],
  });
  const model = onnx.ModelProto.decode(exportOnnx(spec, undefined, { dtype: 'float32' }));

  it('imports the default domain\'s opset and names the IR version', () => {
    assert.deepEqual(model.opsetImport.map((o) => [o.domain ?? '', Number(o.version)]), [['', ONNX_OPSET]]);
    assert.ok(Number(model.irVersion) >= 8);
    assert.equal(model.producerName, 'DNN Designer');
  });

  it('names the input X (m, n_H, n_W, n_C) and the output AL (n[L], m), with m symbolic', () => {
    const dims = (v: onnx.IValueInfoProto) => v.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue));
    assert.deepEqual(model.graph?.input?.map((v) => [v.name, dims(v)]), [['X', ['m', 4, 4, 1]]]);
    assert.deepEqual(model.graph?.output?.map((v) => [v.name, dims(v)]), [['AL', [2, 'm']]]);
    assert.match(model.docString ?? '', /X is \(m, 4, 4, 1\).*channels last/);
    assert.match(model.docString ?? '', /AL is \(2, m\)/);
  });

  it('holds the conv weights as ONNX\'s (n_C[l], n_C[l-1], f_H, f_W) and names them as the parameters file does', () => {
    const W1 = model.graph?.initializer?.find((t) => t.name === 'W1');
    assert.deepEqual(W1?.dims?.map(Number), [2, 1, 3, 3]);
    assert.deepEqual(model.graph?.initializer?.map((t) => t.name).filter((n) => /^[Wb]/.test(n ?? '')), ['W1', 'b1', 'W3', 'b3']);
  });
});

describe('exportOnnx: what it refuses', () => {
  it('refuses parameters that do not fit, naming the key and both shapes', () => {
    const spec = specOf(dense('relu'));
    const parameters = randomParameters(spec, 1);
    parameters.set('W2', { rows: 4, cols: 3, data: new Float64Array(12) });
    assert.throws(() => exportOnnx(spec, parameters, { dtype: 'float32' }), /W2 must be \(3, 4\).*found \(4, 3\)/);
  });

  it('asks for the parameters when init reads a file', () => {
    const spec = specOf({ ...dense('relu'), training: { init: { file: 'start.params.json' } } });
    assert.throws(() => exportOnnx(spec, undefined, { dtype: 'float32' }), (e: Error & { path?: unknown }) => {
      assert.match(e.message, /start\.params\.json/);
      assert.deepEqual(e.path, ['training', 'init']);
      return true;
    });
  });
});

describe('exportOnnx: drawing the initial weights of a large network', () => {
  // W1 is (500, 300) and W2 (200, 500): 150,000 + 100,000 + 200 = 250,200 weights, drawn in
  // chunks of 65,536, so W1 alone takes three reports.
  const spec = specOf({
    input: 300,
    layers: [{ units: 500, activation: 'relu' }, { units: 200, activation: 'relu' }, { units: 1, activation: 'sigmoid' }],
    training: { seed: 3 },
  });

  it('tells how far it is, each whole percent once, up to exactly all of it, and draws the same weights', () => {
    const fractions: number[] = [];
    const told = exportOnnx(spec, undefined, { dtype: 'float64', onDraw: (f) => fractions.push(f) });
    assert.deepEqual(Buffer.from(told), Buffer.from(exportOnnx(spec, undefined, { dtype: 'float64' })), 'the same model, reports or not');
    // After each chunk: 65,536 / 250,200 = 26%, 131,072 → 52%, 150,000 (W1 done) → 59%, then
    // 215,536 → 86%, 250,000 (W2 done) → 99%, 250,200 → 100%.
    assert.deepEqual(fractions, [0.26, 0.52, 0.59, 0.86, 0.99, 1]);
  });

  it('counts a residual block\'s shortcut among the weights it draws', () => {
    const conv = specOf({
      input: { shape: [8, 8, 2] },
      layers: [
        { type: 'residual', shortcut: { type: 'conv', filters: 4, size: 1, stride: 2 }, layers: [
          { type: 'conv', filters: 4, size: 3, stride: 2, padding: 'same', activation: 'relu' },
          { type: 'conv', filters: 4, size: 3, padding: 'same', activation: 'relu' },
        ] },
        { type: 'flatten' },
        { units: 1, activation: 'sigmoid' },
      ],
    });
    // 3·3·2·4 + 3·3·4·4 + 1·1·2·4 + 64·1 = 72 + 144 + 8 + 64 = 288 weights: the last report is all of them.
    const fractions: number[] = [];
    exportOnnx(conv, undefined, { dtype: 'float32', onDraw: (f) => fractions.push(f) });
    assert.equal(fractions.at(-1), 1);
    assert.ok(fractions.every((f) => f <= 1), fractions.join(', '));
  });
});
