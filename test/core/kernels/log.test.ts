// The WebAssembly natural log (assembly/kernels.ts `logInto`) and the binary cross-entropy's terms
// built on it (Kernels.crossEntropyTerms), against Math.log: within 1 ulp everywhere, the same
// value for every special input class, and the numpy semantics of 0·log(0).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Matrix } from '../../../src/core/matrix';
import type { Kernels } from '../../../src/core/kernels/types';
import { bestWasm, createWasmKernels, MAX_PAGES, WA, WasmGemm } from '../../../src/core/kernels/wasm';
import { createParallelKernels, type ParallelKernels } from '../../../src/node/parallel';
import { ulps } from '../rng/helpers';

const EPS = 2.220446049250313e-16;
const DBL_MAX = 1.7976931348623157e308;
const MIN_NORMAL = 2.2250738585072014e-308;

/** xorshift64*: uniform 64-bit patterns, deterministic. */
function bitsSource(seed: bigint): () => bigint {
  let s = seed;
  return () => {
    s ^= s >> 12n;
    s ^= (s << 25n) & 0xffffffffffffffffn;
    s ^= s >> 27n;
    return (s * 0x2545f4914f6cdd1dn) & 0xffffffffffffffffn;
  };
}

/** Positive doubles with exponent fields uniform over 0..2046: every binade, subnormals included. */
function everyExponent(n: number, seed: bigint): Float64Array {
  const next = bitsSource(seed);
  const view = new DataView(new ArrayBuffer(8));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = next();
    const exponent = (r >> 52n) % 2047n;
    view.setBigUint64(0, (exponent << 52n) | (r & 0xfffffffffffffn));
    out[i] = view.getFloat64(0);
  }
  return out;
}

function uniform(n: number, seed: bigint, f: (u: number) => number): Float64Array {
  const next = bitsSource(seed);
  return Float64Array.from({ length: n }, () => f(Number(next() >> 11n) / 2 ** 53));
}

interface Gemm {
  name: string;
  g: WasmGemm;
}

/** One WasmGemm over a plain memory and one over a shared memory (the one pinning needs). */
function gemms(): Gemm[] {
  const out: Gemm[] = [];
  const plain = bestWasm(false);
  if (plain) out.push({ name: 'plain memory', g: new WasmGemm(plain.bytes, new WA.Memory({ initial: 1 })) });
  const shared = typeof SharedArrayBuffer !== 'undefined' ? bestWasm(true) : undefined;
  if (shared) {
    out.push({ name: 'shared memory', g: new WasmGemm(shared.bytes, new WA.Memory({ initial: 1, maximum: MAX_PAGES, shared: true })) });
  }
  return out;
}

const GEMMS = gemms();
if (GEMMS.length === 0) console.log('# note: WebAssembly kernels not built (run `npm run build`): log tests skipped');

function wasmLog(g: WasmGemm, xs: Float64Array): Float64Array {
  const out = new Float64Array(xs.length);
  g.unary('logInto', xs, out);
  return out;
}

/** Every result within 1 ulp of Math.log; returns how many are not bit-equal to it. */
function assertWithinOneUlp(xs: Float64Array, got: Float64Array): number {
  let differ = 0;
  for (let i = 0; i < xs.length; i++) {
    const want = Math.log(xs[i]);
    if (Object.is(got[i], want)) continue;
    differ++;
    assert.ok(ulps(got[i], want) <= 1, `log(${xs[i]}) = ${got[i]}, Math.log gives ${want}`);
  }
  return differ;
}

for (const { name, g } of GEMMS) {
  for (const [label, xs] of [
    ['200,000 inputs over every binade, subnormals included', everyExponent(200_000, 0x9e3779b97f4a7c15n)],
    ['200,000 inputs in (0, 1), where the cost takes log(AL) and log(1 - AL)', uniform(200_000, 7n, (u) => u || 0.5)],
    ['200,000 inputs within 2^-40..2^-1 of 1 (a saturated sigmoid)', uniform(200_000, 11n, (u) => 1 + (u - 0.5) * 2 ** -(1 + 40 * u))],
  ] as [string, Float64Array][]) {
    test(`log (${name}): ${label}: within 1 ulp of Math.log`, (t) => {
      const differ = assertWithinOneUlp(xs, wasmLog(g, xs));
      t.diagnostic(`${differ} of ${xs.length} differ from Math.log (by 1 ulp)`);
      // fdlibm's own method: a few per thousand round to the other neighbour (its |f| < 2^-20 and
      // hfsq forms are not reproduced, see assembly/kernels.ts).
      assert.ok(differ <= xs.length * 0.005, `${differ} of ${xs.length} differ from Math.log`);
    });
  }

  test(`log (${name}): every special class, alone and beside ordinary numbers`, () => {
    const exact: [number, number][] = [
      [0, -Infinity],
      [-0, -Infinity],
      [-1, NaN],
      [-5e-324, NaN],
      [-DBL_MAX, NaN],
      [-Infinity, NaN],
      [NaN, NaN],
      [Infinity, Infinity],
      [1, 0],
      [2, Math.LN2],
      [0.5, -Math.LN2],
    ];
    const close = [5e-324, 1e-310, 2.225073858507201e-308, MIN_NORMAL, DBL_MAX, Math.E, 10];
    for (const [x, want] of exact) {
      // Each special in every lane position, with ordinary neighbours, and as an odd tail.
      for (const xs of [[x], [x, 3.5], [3.5, x], [3.5, 0.25, x], [x, 0.1, 7, 9, 1e300]]) {
        const got = wasmLog(g, Float64Array.from(xs));
        xs.forEach((v, i) => {
          const w = Object.is(v, x) ? want : Math.log(v);
          assert.ok(Object.is(got[i], w) || (v !== x && ulps(got[i], w) <= 1), `log(${v}) = ${got[i]}, expected ${w} (in [${xs}])`);
        });
      }
    }
    // log(1) is +0, not -0.
    assert.ok(Object.is(wasmLog(g, Float64Array.from([1, 1]))[0], 0));
    for (const x of close) {
      for (const xs of [[x], [x, 3.5], [-1, x, 0]]) {
        const got = wasmLog(g, Float64Array.from(xs));
        xs.forEach((v, i) => {
          const w = Math.log(v);
          assert.ok(Object.is(got[i], w) || ulps(got[i], w) <= 1, `log(${v}) = ${got[i]}, Math.log gives ${w}`);
        });
      }
    }
  });

  test(`log (${name}): in place, and on pinned arrays without copies, gives the same bits`, () => {
    const xs = uniform(1001, 5n, (u) => u * 40);
    const want = wasmLog(g, xs);
    const inPlace = xs.slice();
    g.unary('logInto', inPlace, inPlace);
    assert.deepEqual(inPlace, want);
    if (!g.canPin) return;
    const P = g.pin({ rows: 1, cols: xs.length, data: xs });
    const Q = g.pin({ rows: 1, cols: xs.length, data: new Float64Array(xs.length) });
    g.unary('logInto', P.data, Q.data);
    assert.deepEqual(Q.data, want);
    g.unary('logInto', P.data, P.data);
    assert.deepEqual(P.data, want);
    g.release(Q);
    g.release(P);
  });
}

// ---------------------------------------------------------------------------------------------
// crossEntropyTerms on the kernel sets that have it.

let parallel: ParallelKernels | undefined;
before(async () => {
  parallel = await createParallelKernels();
});
after(async () => {
  await parallel?.close();
});

function setsWithCrossEntropy(): Kernels[] {
  const sets = [createWasmKernels(), parallel].filter((k): k is Kernels => k !== undefined);
  return sets.filter((k) => k.crossEntropyTerms);
}

const row = (data: Float64Array | number[]): Matrix => ({ rows: 1, cols: data.length, data: Float64Array.from(data) });

/** The course's expression with Math.log. */
function reference(a: number, y: number): number {
  return y * Math.log(a) + (1 - y) * Math.log(1 - a);
}

test('crossEntropyTerms: the WebAssembly sets have it, the one-thread and the two-thread one', (t) => {
  const wasm = createWasmKernels();
  if (!wasm) return t.skip('not built');
  assert.equal(typeof wasm.crossEntropyTerms, 'function');
  if (parallel) assert.equal(typeof parallel.crossEntropyTerms, 'function');
});

test('crossEntropyTerms: Y·log(AL) + (1 - Y)·log(1 - AL) on outputs of every kind, labels 0/1 and soft', () => {
  for (const K of setsWithCrossEntropy()) {
    const n = 20_001;
    const next = bitsSource(3n);
    const u = (): number => Number(next() >> 11n) / 2 ** 53;
    const a = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      // Uniform, saturated near 1 and near 0 (trained networks), and tiny.
      const kind = i % 4;
      a[i] = kind === 0 ? u() || 0.5 : kind === 1 ? 1 - u() * 1e-7 : kind === 2 ? u() * 1e-6 : u() * 1e-200;
      y[i] = i % 5 === 4 ? u() : i % 2;
    }
    const AL = row(a);
    const Y = row(y);
    const out = row(new Float64Array(n));
    K.crossEntropyTerms(AL, Y, out);
    let differ = 0;
    for (let i = 0; i < n; i++) {
      const want = reference(a[i], y[i]);
      if (Object.is(out.data[i], want)) continue;
      differ++;
      // Each log within 1 ulp of Math.log: each product within ~1 ulp, then one sum.
      const scale = Math.abs(y[i] * Math.log(a[i])) + Math.abs((1 - y[i]) * Math.log(1 - a[i]));
      assert.ok(Math.abs(out.data[i] - want) <= 3 * EPS * scale, `${K.name}: term ${i} (a = ${a[i]}, y = ${y[i]}) = ${out.data[i]}, expected ${want}`);
    }
    assert.ok(differ <= n * 0.01, `${K.name}: ${differ} of ${n} differ from Math.log's`);
    // Labels 0 and 1 with ordinary outputs: the cost the course prints.
    const m = 400;
    const A2 = row(uniform(m, 17n, (v) => 0.02 + 0.96 * v));
    const Y2 = row(Float64Array.from({ length: m }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0));
    const T2 = row(new Float64Array(m));
    K.crossEntropyTerms(A2, Y2, T2);
    const J = (-1 / m) * T2.data.reduce((s, v) => s + v, 0);
    const Jref = (-1 / m) * A2.data.reduce((s, v, i) => s + reference(v, Y2.data[i]), 0);
    assert.ok(Math.abs(J - Jref) <= 1e-15 * Jref, `${K.name}: J = ${J}, with Math.log ${Jref}`);
  }
});

test("crossEntropyTerms: numpy's values at the edges: 0·log(0) is NaN, a wrong certain answer is -Infinity", () => {
  for (const K of setsWithCrossEntropy()) {
    const cases: [number, number, number][] = [
      [0, 0, NaN], // 0·log(0) + 1·log(1)
      [1, 1, NaN], // 1·log(1) + 0·log(0)
      [0, 1, -Infinity],
      [1, 0, -Infinity],
      [0.5, 1, -Math.LN2],
      [0.5, 0, -Math.LN2],
      [NaN, 1, NaN],
      [2, 1, NaN], // log(1 - 2)
      [-1, 0, NaN],
      [5e-324, 1, Math.log(5e-324)],
      [5e-324, 0, 0], // 0·log(5e-324) = -0, plus 1·log(1) = +0
    ];
    // Alone, and among ordinary entries (both lanes of a pair, and the odd tail).
    for (const [a, y, want] of cases) {
      for (const [as, ys] of [
        [[a], [y]],
        [[a, 0.3], [y, 1]],
        [[0.3, 0.6, a], [0, 1, y]],
        [[0.3, a, 0.6, 0.7, 0.8], [1, y, 0, 1, 0]],
      ]) {
        const out = row(new Float64Array(as.length));
        K.crossEntropyTerms(row(as), row(ys), out);
        as.forEach((v, i) => {
          const w = Object.is(v, a) && ys[i] === y ? want : reference(v, ys[i]);
          const got = out.data[i];
          assert.ok(Object.is(got, w) || (Number.isFinite(w) && Math.abs(got - w) <= 3 * EPS * Math.abs(w)), `${K.name}: (a = ${v}, y = ${ys[i]}) gives ${got}, expected ${w}`);
        });
      }
    }
  }
});

test('crossEntropyTerms: out may be AL or Y, operands may be pinned; the same bits every way', () => {
  for (const K of setsWithCrossEntropy()) {
    const n = 999;
    const AL = row(uniform(n, 23n, (v) => v || 0.5));
    const Y = row(Float64Array.from({ length: n }, (_, i) => i % 2));
    const want = row(new Float64Array(n));
    K.crossEntropyTerms(AL, Y, want);
    const a1 = row(AL.data);
    K.crossEntropyTerms(a1, Y, a1);
    assert.deepEqual(a1.data, want.data);
    const y1 = row(Y.data);
    K.crossEntropyTerms(AL, y1, y1);
    assert.deepEqual(y1.data, want.data);
    if (K.pin && K.release) {
      const Ap = K.pin(AL);
      const Yp = K.pin(Y);
      const Op = K.pin(row(new Float64Array(n)));
      K.crossEntropyTerms(Ap, Yp, Op);
      assert.deepEqual(Op.data, want.data);
      // Mixed: pinned AL, copied Y and out.
      const o2 = row(new Float64Array(n));
      K.crossEntropyTerms(Ap, Y, o2);
      assert.deepEqual(o2.data, want.data);
      for (const P of [Op, Yp, Ap]) K.release(P);
    }
  }
});

test('crossEntropyTerms: shapes that differ are named; an empty batch is fine', () => {
  for (const K of setsWithCrossEntropy()) {
    const A = { rows: 1, cols: 4, data: new Float64Array(4).fill(0.5) };
    assert.throws(() => K.crossEntropyTerms(A, { rows: 4, cols: 1, data: new Float64Array(4) }, A), /crossEntropyTerms: shapes differ: \(1, 4\) and \(4, 1\)/);
    assert.throws(() => K.crossEntropyTerms(A, A, { rows: 1, cols: 3, data: new Float64Array(3) }), /crossEntropyTerms: shapes differ/);
    const E = { rows: 1, cols: 0, data: new Float64Array(0) };
    K.crossEntropyTerms(E, E, E);
  }
});
