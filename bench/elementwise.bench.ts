/**
 * The elementwise kernels against Math.* measured in the same run (ns per element; ratios are
 * Math's time over the kernel's): WebAssembly tanh, sigmoid, log and the binary cross-entropy's
 * terms, first as bare loops over data already in linear memory (`g.exports.tanhInto(at, at2, n)`,
 * what the hardware allows), then through the Kernels interface the engine calls, with copied and
 * with pinned operands. n = 1600 entries: the planar network's Z[1] (4 x 400).
 *
 * Runs after a warm-up, so that V8 has replaced its baseline (Liftoff) code by optimised code.
 */
import type { Matrix } from '../src/core/matrix';
import { biasActivation, crossEntropyTerms } from '../src/core/kernels/elementwise';
import { createWasmKernels, WA, WasmGemm, bestWasm, MAX_PAGES } from '../src/core/kernels/wasm';

const N = 1600;
const QUICK = process.env.BENCH_QUICK === '1';

/** Median ns per element of `f` (one call covers `n` elements) over 7 runs of ~30 ms each. */
function nsPerElement(f: () => void, n: number): number {
  const warm = performance.now();
  while (performance.now() - warm < (QUICK ? 50 : 200)) f();
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) f();
    if (performance.now() - t0 > 5) break;
    reps *= 2;
  }
  reps *= QUICK ? 2 : 6;
  const times: number[] = [];
  for (let k = 0; k < 7; k++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) f();
    times.push(((performance.now() - t0) / reps / n) * 1e6);
  }
  times.sort((a, b) => a - b);
  return times[3];
}

function random(n: number, seed: number, f: (u: number) => number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return f((s + 0.5) / 2 ** 32);
  });
}

const row = (data: Float64Array): Matrix => ({ rows: 4, cols: data.length / 4, data });

export async function run(): Promise<void> {
  const best = typeof SharedArrayBuffer !== 'undefined' ? bestWasm(true) : undefined;
  const K = createWasmKernels();
  if (!best || !K) {
    console.log('WebAssembly kernels not built (npm run build): skipped');
    return;
  }
  const z = random(N, 1, (u) => 8 * u - 4);
  const p = random(N, 2, (u) => u);
  const y = random(N, 3, (u) => (u < 0.5 ? 0 : 1));
  const out = new Float64Array(N);

  // Bare loops over data in linear memory.
  const g = new WasmGemm(best.bytes, new WA.Memory({ initial: 1, maximum: MAX_PAGES, shared: true }));
  const at = 1 << 20;
  const mem = g.view(at + 4 * N * 8);
  const [zAt, pAt, yAt, oAt] = [0, 1, 2, 3].map((i) => at + i * N * 8);
  mem.set(z, zAt / 8);
  mem.set(p, pAt / 8);
  mem.set(y, yAt / 8);
  const ex = g.exports;

  const rows: [string, number, string, number][] = [];
  const add = (label: string, ns: number, refLabel: string, refNs: number): void => {
    rows.push([label, ns, refLabel, refNs]);
  };

  const mathTanh = nsPerElement(() => {
    for (let i = 0; i < N; i++) out[i] = Math.tanh(z[i]);
  }, N);
  const mathSigmoid = nsPerElement(() => {
    for (let i = 0; i < N; i++) out[i] = 1 / (1 + Math.exp(-z[i]));
  }, N);
  const mathLog = nsPerElement(() => {
    for (let i = 0; i < N; i++) out[i] = Math.log(p[i]);
  }, N);
  const jsTerms = nsPerElement(() => {
    for (let i = 0; i < N; i++) out[i] = y[i] * Math.log(p[i]) + (1 - y[i]) * Math.log(1 - p[i]);
  }, N);

  add('tanhInto (in memory)', nsPerElement(() => ex.tanhInto(zAt, oAt, N), N), 'Math.tanh', mathTanh);
  add('sigmoidInto (in memory)', nsPerElement(() => ex.sigmoidInto(zAt, oAt, N), N), '1/(1+Math.exp(-z))', mathSigmoid);
  add('logInto (in memory)', nsPerElement(() => ex.logInto(pAt, oAt, N), N), 'Math.log', mathLog);
  add('crossEntropyInto (in memory)', nsPerElement(() => ex.crossEntropyInto(pAt, yAt, oAt, N), N), 'y·log(a)+(1-y)·log(1-a)', jsTerms);

  // Through the Kernels interface, as the engine calls them.
  const b: Matrix = { rows: 4, cols: 1, data: new Float64Array(4) };
  const Z = row(z.slice());
  const A = row(new Float64Array(N));
  const ts = nsPerElement(() => biasActivation(Z, b, A, 'tanh', 0), N);
  add(`${K.name} biasActivation tanh, copied`, nsPerElement(() => K.biasActivation(Z, b, A, 'tanh', 0), N), 'TypeScript biasActivation', ts);
  const Zp = K.pin(row(z.slice()));
  const Ap = K.pin(row(new Float64Array(N)));
  add(`${K.name} biasActivation tanh, pinned`, nsPerElement(() => K.biasActivation(Zp, b, Ap, 'tanh', 0), N), 'TypeScript biasActivation', ts);
  const AL = row(p);
  const Y = row(y);
  const T = row(new Float64Array(N));
  const tsTerms = nsPerElement(() => crossEntropyTerms(AL, Y, T), N);
  add(`${K.name} crossEntropyTerms, copied`, nsPerElement(() => K.crossEntropyTerms(AL, Y, T), N), 'elementwise.ts crossEntropyTerms', tsTerms);
  const ALp = K.pin(AL);
  const Yp = K.pin(Y);
  const Tp = K.pin(T);
  add(`${K.name} crossEntropyTerms, pinned`, nsPerElement(() => K.crossEntropyTerms(ALp, Yp, Tp), N), 'elementwise.ts crossEntropyTerms', tsTerms);
  for (const P of [Tp, Yp, ALp, Ap, Zp]) K.release(P);

  console.log(`n = ${N} entries; ns per entry, medians of 7 runs`);
  console.log(`${'kernel'.padEnd(44)} ${'ns'.padStart(6)}   ${'reference'.padEnd(34)} ${'ns'.padStart(6)}  ratio`);
  for (const [label, ns, refLabel, refNs] of rows) {
    console.log(`${label.padEnd(44)} ${ns.toFixed(2).padStart(6)}   ${refLabel.padEnd(34)} ${refNs.toFixed(2).padStart(6)}  ${(refNs / ns).toFixed(1)}x`);
  }
}
