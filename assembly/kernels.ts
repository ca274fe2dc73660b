// Float64 matrix products for DNN Designer's engine, in AssemblyScript compiled to WebAssembly
// with SIMD (f64x2). Built by `npm run build:wasm` (scripts in package.json) into
// src/core/kernels/generated/ (gitignored); src/core/kernels/wasm.ts loads it.
//
// Same scheme as src/core/kernels/packed.ts (read that first): op(A) is packed into 4-row panels
// and op(B) into 4-column panels, KC deep, transposing while packing; a 4x4 micro-kernel keeps
// the 16 sums in 8 f64x2 registers. Everything lives in linear memory laid out by the caller:
// the operands, the output C and two packing buffers. No allocation, no runtime, no static data,
// so the same module can be instantiated by several threads over one shared memory.

// @ts-ignore: decorator
@inline const KC: i32 = 256;
// @ts-ignore: decorator
@inline const MC: i32 = 64;
// @ts-ignore: decorator
@inline const NC: i32 = 512;

/** Bytes the packing buffers need at most: pack A (MC x KC) then pack B (NC x KC). */
export function packBytes(): i32 {
  return (MC * KC + NC * KC) << 3;
}

/**
 * C (m, n) = op(A) · op(B), overwriting C; only columns j0..j1 of C are computed (the caller
 * splits columns between threads). Pointers are byte addresses of row-major f64 arrays:
 * A is (m, k), or (k, m) when transA; B is (k, n), or (n, k) when transB; C is (m, n).
 * `pack` points at packBytes() bytes of scratch owned by this call.
 */
export function gemm(
  transA: i32, transB: i32, m: i32, n: i32, k: i32,
  a: usize, b: usize, c: usize, j0: i32, j1: i32, pack: usize,
): void {
  const pa = pack;
  const pb = pack + ((MC * KC) << 3);
  for (let i = 0; i < m; i++) {
    memory.fill(c + (((i * n + j0) as usize) << 3), 0, ((j1 - j0) as usize) << 3);
  }
  if (k == 0) return;
  for (let jc = j0; jc < j1; jc += NC) {
    const nc = min(NC, j1 - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      // B (k, n) not transposed: its full 4-column panels are read in place, rows n apart (the
      // training set X is 20 MB; copying it into panels every product costs ~10%); only the last,
      // partial panel is packed.
      const direct = !transB;
      if (direct) packBEdge(b, n, pc, kc, jc, nc, pb);
      else packB(transB, b, k, n, pc, kc, jc, nc, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(transA, a, m, k, ic, mc, pc, kc, pa);
        for (let jr = 0; jr < nc; jr += 4) {
          const nr = min(4, nc - jr);
          const inPlace = direct && nr == 4;
          const bp = inPlace ? b + (((pc * n + jc + jr) as usize) << 3) : pb + (((jr >> 2) * kc * 4) << 3);
          const bs: usize = inPlace ? (n as usize) << 3 : 32;
          for (let ir = 0; ir < mc; ir += 4) {
            const mr = min(4, mc - ir);
            const ap = pa + (((ir >> 2) * kc * 4) << 3);
            const cp = c + ((((ic + ir) * n + jc + jr) as usize) << 3);
            micro(kc, ap, bp, bs, cp, (n as usize) << 3, mr, nr);
          }
        }
      }
    }
  }
}

// @ts-ignore: decorator
@inline function f64at(base: usize, index: i32): f64 {
  return load<f64>(base + ((index as usize) << 3));
}

function packA(transA: i32, a: usize, m: i32, k: i32, ic: i32, mc: i32, pc: i32, kc: i32, pa: usize): void {
  for (let ir = 0; ir < mc; ir += 4) {
    const base = pa + (((ir >> 2) * kc * 4) << 3);
    const mr = min(4, mc - ir);
    if (!transA) {
      for (let r = 0; r < 4; r++) {
        let dst = base + ((r as usize) << 3);
        if (r < mr) {
          const src = a + ((((ic + ir + r) * k + pc) as usize) << 3);
          for (let p = 0; p < kc; p++) {
            store<f64>(dst, load<f64>(src + ((p as usize) << 3)));
            dst += 32;
          }
        } else {
          for (let p = 0; p < kc; p++) {
            store<f64>(dst, 0);
            dst += 32;
          }
        }
      }
    } else if (mr == 4) {
      for (let p = 0; p < kc; p++) {
        const src = a + ((((pc + p) * m + ic + ir) as usize) << 3);
        const dst = base + ((p as usize) << 5);
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const src = (pc + p) * m + ic + ir;
        const dst = base + ((p as usize) << 5);
        for (let r = 0; r < 4; r++) store<f64>(dst + ((r as usize) << 3), r < mr ? f64at(a, src + r) : 0);
      }
    }
  }
}

function packB(transB: i32, b: usize, k: i32, n: i32, pc: i32, kc: i32, jc: i32, nc: i32, pb: usize): void {
  for (let jr = 0; jr < nc; jr += 4) {
    const base = pb + (((jr >> 2) * kc * 4) << 3);
    const nr = min(4, nc - jr);
    if (!transB) {
      if (nr == 4) {
        let src = b + ((((pc) * n + jc + jr) as usize) << 3);
        const stride = (n as usize) << 3;
        let dst = base;
        for (let p = 0; p < kc; p++) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
          src += stride;
          dst += 32;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const src = (pc + p) * n + jc + jr;
          const dst = base + ((p as usize) << 5);
          for (let q = 0; q < 4; q++) store<f64>(dst + ((q as usize) << 3), q < nr ? f64at(b, src + q) : 0);
        }
      }
    } else {
      for (let q = 0; q < 4; q++) {
        let dst = base + ((q as usize) << 3);
        if (q < nr) {
          const src = b + ((((jc + jr + q) * k + pc) as usize) << 3);
          for (let p = 0; p < kc; p++) {
            store<f64>(dst, load<f64>(src + ((p as usize) << 3)));
            dst += 32;
          }
        } else {
          for (let p = 0; p < kc; p++) {
            store<f64>(dst, 0);
            dst += 32;
          }
        }
      }
    }
  }
}

/** Packs only the last, partial 4-column panel of B (k, n), zero-padded; full panels are read in place. */
function packBEdge(b: usize, n: i32, pc: i32, kc: i32, jc: i32, nc: i32, pb: usize): void {
  const jr = nc & ~3;
  if (jr == nc) return;
  const nr = nc - jr;
  const base = pb + (((jr >> 2) * kc * 4) << 3);
  for (let p = 0; p < kc; p++) {
    const src = (pc + p) * n + jc + jr;
    const dst = base + ((p as usize) << 5);
    for (let q = 0; q < 4; q++) store<f64>(dst + ((q as usize) << 3), q < nr ? f64at(b, src + q) : 0);
  }
}

/**
 * c + a·b. Built with relaxed SIMD (the "fma" variants, for runtimes that have it: VS Code's
 * Electron, Node 22), one fused multiply-add, about 25% faster products and rounding once instead
 * of twice; otherwise a multiply then an add.
 */
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(c, f64x2.mul(a, b));
}

/**
 * C[0..mr)[0..nr) += Apanel · Bpanel over kc products; the B panel's rows are `bs` bytes apart
 * (32 when packed); ldc is C's row stride in bytes.
 */
function micro(kc: i32, ap: usize, bp: usize, bs: usize, cp: usize, ldc: usize, mr: i32, nr: i32): void {
  let c0l = f64x2.splat(0), c0h = f64x2.splat(0);
  let c1l = f64x2.splat(0), c1h = f64x2.splat(0);
  let c2l = f64x2.splat(0), c2h = f64x2.splat(0);
  let c3l = f64x2.splat(0), c3h = f64x2.splat(0);
  for (let p = 0; p < kc; p++) {
    const bl = v128.load(bp);
    const bh = v128.load(bp, 16);
    const a0 = v128.load64_splat(ap);
    const a1 = v128.load64_splat(ap, 8);
    c0l = madd(a0, bl, c0l);
    c0h = madd(a0, bh, c0h);
    c1l = madd(a1, bl, c1l);
    c1h = madd(a1, bh, c1h);
    const a2 = v128.load64_splat(ap, 16);
    const a3 = v128.load64_splat(ap, 24);
    c2l = madd(a2, bl, c2l);
    c2h = madd(a2, bh, c2h);
    c3l = madd(a3, bl, c3l);
    c3h = madd(a3, bh, c3h);
    ap += 32;
    bp += bs;
  }
  if (mr == 4 && nr == 4) {
    let row = cp;
    v128.store(row, f64x2.add(v128.load(row), c0l));
    v128.store(row, f64x2.add(v128.load(row, 16), c0h), 16);
    row += ldc;
    v128.store(row, f64x2.add(v128.load(row), c1l));
    v128.store(row, f64x2.add(v128.load(row, 16), c1h), 16);
    row += ldc;
    v128.store(row, f64x2.add(v128.load(row), c2l));
    v128.store(row, f64x2.add(v128.load(row, 16), c2h), 16);
    row += ldc;
    v128.store(row, f64x2.add(v128.load(row), c3l));
    v128.store(row, f64x2.add(v128.load(row, 16), c3h), 16);
    return;
  }
  // Edge tile: add only the mr x nr entries that exist in C.
  for (let r = 0; r < mr; r++) {
    const lo = r == 0 ? c0l : r == 1 ? c1l : r == 2 ? c2l : c3l;
    const hi = r == 0 ? c0h : r == 1 ? c1h : r == 2 ? c2h : c3h;
    const row = cp + (r as usize) * ldc;
    for (let q = 0; q < nr; q++) {
      const v = q == 0 ? f64x2.extract_lane(lo, 0) : q == 1 ? f64x2.extract_lane(lo, 1) : q == 2 ? f64x2.extract_lane(hi, 0) : f64x2.extract_lane(hi, 1);
      const at = row + ((q as usize) << 3);
      store<f64>(at, load<f64>(at) + v);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Elementwise: tanh and sigmoid two at a time. V8's Math.tanh and Math.exp call out to C++
// (7-12 ns per element here), which is most of a small network's iteration; these take 1-2 ns.
//
// Method (fdlibm's, without its table): y = k·ln2 + r with |r| <= ln2/2, expm1(r) by its Taylor
// series to r^13 (truncation below 1e-17 relative) in Estrin's scheme, then
//   exp(y)   = 2^k·(1 + expm1(r)),
//   expm1(y) = 2^k·expm1(r) + (2^k - 1), which keeps full relative accuracy near 0,
//   tanh(x)  = -expm1(-2|x|) / (2 + expm1(-2|x|)) with the sign of x.
// 2^k is built in the exponent bits. Results agree with Math.exp/Math.tanh to a few ulp
// (test/core/kernels-elementwise.test.ts).

// @ts-ignore: decorator
@inline const LOG2E: f64 = 1.4426950408889634;
// ln2 split so that k·LN2_HI is exact for |k| < 2^20 (fdlibm's ln2_hi, ln2_lo).
// @ts-ignore: decorator
@inline const LN2_HI: f64 = 6.93147180369123816490e-1;
// @ts-ignore: decorator
@inline const LN2_LO: f64 = 1.90821492927058770002e-10;
// 1.5·2^52: adding it to an integer-valued double puts the integer in the low mantissa bits.
// @ts-ignore: decorator
@inline const MAGIC: f64 = 6755399441055744.0;

// @ts-ignore: decorator
@inline function fma2(a: v128, b: v128, c: v128): v128 {
  return f64x2.add(a, f64x2.mul(b, c));
}

/** expm1(r) for |r| <= ln2/2, Estrin's scheme on the Taylor series to r^13. */
// @ts-ignore: decorator
@inline function expm1Small(r: v128): v128 {
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const r8 = f64x2.mul(r4, r4);
  const p01 = fma2(f64x2.splat(1.0), r, f64x2.splat(1.0 / 2));
  const p23 = fma2(f64x2.splat(1.0 / 6), r, f64x2.splat(1.0 / 24));
  const p45 = fma2(f64x2.splat(1.0 / 120), r, f64x2.splat(1.0 / 720));
  const p67 = fma2(f64x2.splat(1.0 / 5040), r, f64x2.splat(1.0 / 40320));
  const p89 = fma2(f64x2.splat(1.0 / 362880), r, f64x2.splat(1.0 / 3628800));
  const p1011 = fma2(f64x2.splat(1.0 / 39916800), r, f64x2.splat(1.0 / 479001600));
  const lo = fma2(fma2(p01, r2, p23), r4, fma2(p45, r2, p67));
  const hi = fma2(fma2(p89, r2, p1011), r4, f64x2.splat(1.0 / 6227020800));
  return f64x2.mul(r, fma2(lo, r8, hi));
}

/** 2^k for integer-valued k in [-1022, 1023]. */
// @ts-ignore: decorator
@inline function pow2(k: v128): v128 {
  const bits = f64x2.add(k, f64x2.splat(MAGIC));
  return i64x2.shl(i64x2.sub(bits, i64x2.splat(0x4338000000000000 - 1023)), 52);
}

/** dst[i] = tanh(src[i]) for i < n; src and dst may be the same. */
export function tanhInto(src: usize, dst: usize, n: i32): void {
  const signBit = i64x2.splat(0x8000000000000000);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const off = (i as usize) << 3;
    store<v128>(dst + off, tanh2(v128.load(src + off), signBit));
  }
  if (i < n) {
    const off = (i as usize) << 3;
    const v = tanh2(f64x2.splat(load<f64>(src + off)), signBit);
    store<f64>(dst + off, f64x2.extract_lane(v, 0));
  }
}

// @ts-ignore: decorator
@inline function tanh2(x: v128, signBit: v128): v128 {
  // Beyond |x| = 20, tanh is 1 in double; clamping keeps 2^k in range and infinities finite.
  const y = f64x2.max(f64x2.mul(f64x2.splat(-2.0), f64x2.abs(x)), f64x2.splat(-40.0));
  const k = f64x2.nearest(f64x2.mul(y, f64x2.splat(LOG2E)));
  const r = f64x2.sub(f64x2.sub(y, f64x2.mul(k, f64x2.splat(LN2_HI))), f64x2.mul(k, f64x2.splat(LN2_LO)));
  const s = pow2(k);
  const em = f64x2.add(f64x2.mul(s, expm1Small(r)), f64x2.sub(s, f64x2.splat(1.0)));
  const t = f64x2.div(f64x2.neg(em), f64x2.add(f64x2.splat(2.0), em));
  // t >= 0 (or NaN); give it x's sign, which also keeps tanh(-0) = -0.
  return v128.or(v128.andnot(t, signBit), v128.and(x, signBit));
}

/** dst[i] = 1 / (1 + exp(-src[i])) for i < n, the course's sigmoid; src and dst may be the same. */
export function sigmoidInto(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const off = (i as usize) << 3;
    store<v128>(dst + off, sigmoid2(v128.load(src + off)));
  }
  if (i < n) {
    const off = (i as usize) << 3;
    const v = sigmoid2(f64x2.splat(load<f64>(src + off)));
    store<f64>(dst + off, f64x2.extract_lane(v, 0));
  }
}

// @ts-ignore: decorator
@inline function sigmoid2(z: v128): v128 {
  const x = f64x2.neg(z);
  // exp(x) with x clamped to [-708, ln(DBL_MAX)]; beyond that it is +inf as in numpy, so the
  // sigmoid is 0. 2^k is formed as 2^(k-1)·2 so that k = 1024 (x near 709.78) stays in range.
  const xc = f64x2.min(f64x2.max(x, f64x2.splat(-708.0)), f64x2.splat(709.782712893384));
  const k = f64x2.nearest(f64x2.mul(xc, f64x2.splat(LOG2E)));
  const r = f64x2.sub(f64x2.sub(xc, f64x2.mul(k, f64x2.splat(LN2_HI))), f64x2.mul(k, f64x2.splat(LN2_LO)));
  const half = f64x2.mul(pow2(f64x2.sub(k, f64x2.splat(1.0))), f64x2.add(f64x2.splat(1.0), expm1Small(r)));
  let e = f64x2.mul(half, f64x2.splat(2.0));
  e = v128.bitselect(f64x2.splat(Infinity), e, f64x2.gt(x, f64x2.splat(709.782712893384)));
  return f64x2.div(f64x2.splat(1.0), f64x2.add(f64x2.splat(1.0), e));
}
