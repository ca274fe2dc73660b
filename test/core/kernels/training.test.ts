// End to end: the engine's train() on a network big enough that its first-layer products go
// through the packed, WebAssembly and two-thread kernels (20 x 1000 x 100 = 2M multiply-adds),
// against the course's L_layer_model run by numpy (test/fixtures/kernels/make_training_fixture.py).
// The kernels sum in another order than numpy's BLAS, so the costs agree to rounding, not bits.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../../../src/core/check';
import type { Matrix } from '../../../src/core/matrix';
import { train } from '../../../src/core/engine/train';
import { packedKernels, plainKernels } from '../../../src/core/kernels';
import { chooseKernels } from '../../../src/node/kernels';
import type { Kernels } from '../../../src/core/kernels/types';
import { createParallelKernels, type ParallelKernels } from '../../../src/node/parallel';

interface Fixture {
  dims: number[];
  m: number;
  iterations: number;
  learningRate: number;
  costs: number[];
}

const fx = JSON.parse(readFileSync(join(__dirname, '../../fixtures/kernels/training.json'), 'utf8')) as Fixture;

function matrix(rows: number, cols: number, f: (i: number, j: number) => number): Matrix {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = f(i, j);
  return { rows, cols, data };
}

/** The generator script's formulas, term for term. */
function inputs(): { X: Matrix; Y: Matrix; init: Map<string, Matrix> } {
  const X = matrix(fx.dims[0], fx.m, (i, j) => 0.5 + 0.5 * Math.sin(0.37 * i + 1.3 * j + (0.01 * i * j) / 7));
  const Y = matrix(1, fx.m, (_, j) => (Math.sin(1.7 * j) > 0 ? 1 : 0));
  const init = new Map<string, Matrix>();
  for (let l = 1; l < fx.dims.length; l++) {
    init.set(`W${l}`, matrix(fx.dims[l], fx.dims[l - 1], (r, c) => Math.cos(0.7 * r + 0.3 * c + l) / Math.sqrt(fx.dims[l - 1])));
    init.set(`b${l}`, matrix(fx.dims[l], 1, () => 0));
  }
  return { X, Y, init };
}

const spec = checkText(
  JSON.stringify({
    input: fx.dims[0],
    layers: fx.dims.slice(1).map((units, i) => ({ units, activation: i === fx.dims.length - 2 ? 'sigmoid' : 'relu' })),
    loss: 'binary-cross-entropy',
    training: { iterations: fx.iterations, learningRate: fx.learningRate },
  }),
).spec!;

let parallel: ParallelKernels | undefined;
before(async () => {
  parallel = await createParallelKernels();
});
after(async () => {
  await parallel?.close();
});

async function check(kernels: Kernels): Promise<void> {
  const { X, Y, init } = inputs();
  const x0 = X.data.slice();
  const r = await train(spec, { train: { X, Y }, source: 'formulas' }, { initialParameters: init, kernels });
  assert.equal(r.status, 'done');
  assert.equal(r.costs.length, fx.iterations);
  for (let i = 0; i < fx.iterations; i++) {
    const rel = Math.abs(r.costs[i] - fx.costs[i]) / fx.costs[i];
    assert.ok(rel <= 1e-12, `${kernels.name}: cost ${i} is ${r.costs[i]}, numpy ${fx.costs[i]} (relative ${rel.toExponential(2)})`);
  }
  // Training pins a copy of X in the kernels' memory; the caller's X must not change.
  assert.deepEqual(X.data, x0);
}

test('the one-thread kernels an entry point chooses (WebAssembly when built) train to numpy\'s costs and leave X untouched', async () => {
  await check(chooseKernels().kernels);
});

test('the two-thread kernels train to numpy\'s costs', async (t) => {
  if (!parallel) return t.skip('WebAssembly kernels not built');
  await check(parallel);
});

test('the packed TypeScript and plain kernels train to numpy\'s costs', async () => {
  await check(packedKernels);
  await check(plainKernels);
});

test('when the kernels\' memory is full (pin refuses), training still reaches numpy\'s costs and frees what it pinned', async (t) => {
  if (!parallel) return t.skip('WebAssembly kernels not built');
  const K = parallel;
  // The memory is capped (2 GiB); here it "fills up" after X and Y: every later pin throws, as
  // WebAssembly.Memory.grow does at the cap.
  let pins = 0;
  const released: Matrix[] = [];
  const full: Kernels = {
    ...K,
    pin: (M) => {
      if (++pins > 2) throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
      return K.pin(M);
    },
    release: (M) => {
      released.push(M);
      K.release(M);
    },
  };
  await check(full);
  assert.equal(released.length, 2, 'the two matrices that were pinned are released, and only those');
});
