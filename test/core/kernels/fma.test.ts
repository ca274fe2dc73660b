// The relaxed-SIMD (fused multiply-add) WebAssembly kernels, which VS Code's Electron and Node 22
// pick by themselves. Node 20 has relaxed SIMD behind a flag, which enableRelaxedSimd() sets as the
// CLI and the editor's training worker do (for this test process only: node:test runs each file
// in its own process), so the kernels users get are tested where CI runs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWasmKernels } from '../../../src/core/kernels/wasm';
import { createParallelKernels, enableRelaxedSimd, type ParallelKernels } from '../../../src/node/parallel';
import type { Kernels } from '../../../src/core/kernels/types';
import { checkAll, fromRows, PRODUCT_SHAPES } from './sets';

// Before any WebAssembly is compiled, as the entries do.
const enabled = enableRelaxedSimd();

let single: Kernels | undefined;
let parallel: ParallelKernels | undefined;

before(async () => {
  single = createWasmKernels();
  parallel = await createParallelKernels();
});
after(async () => {
  await parallel?.close();
});

test('with relaxed SIMD enabled, the fused multiply-add kernels are the ones picked', (t) => {
  if (!single) return t.skip('WebAssembly kernels not built');
  assert.equal(enabled, true);
  assert.equal(single.name, 'wasm-fma');
  assert.equal(parallel?.name, 'wasm-fma-2threads');
});

for (const [m, k, n] of PRODUCT_SHAPES) {
  test(`fma, 1 and 2 threads: C(${m}x${n}) = A·B, Aᵀ·B, A·Bᵀ with k = ${k}`, (t) => {
    if (!single || !parallel) return t.skip('WebAssembly kernels not built');
    checkAll(single, m, k, n);
    checkAll(parallel, m, k, n);
  });
}

test('fma: agrees with numpy on the fixture products', (t) => {
  if (!single) return t.skip('WebAssembly kernels not built');
  const fx = JSON.parse(readFileSync(join(__dirname, '../../fixtures/kernels/kernels.json'), 'utf8')) as Record<string, number[][]>;
  const want = fromRows(fx.AB);
  const C = { rows: want.rows, cols: want.cols, data: new Float64Array(want.data.length) };
  single.matmul(fromRows(fx.A), fromRows(fx.B), C);
  for (let i = 0; i < want.data.length; i++) {
    assert.ok(Math.abs(C.data[i] - want.data[i]) <= 1e-12 * Math.max(1, Math.abs(want.data[i])), `A·B[${i}]: ${C.data[i]} vs numpy ${want.data[i]}`);
  }
});
