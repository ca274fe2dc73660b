// Float64 matrix products for DNN Designer's engine, in AssemblyScript compiled to WebAssembly
// with SIMD (f64x2), and the elementwise kernels at the end of the file (bias + tanh/sigmoid, log,
// the cross-entropy's terms). Built by `npm run build:wasm` (scripts in package.json) into
// build/wasm/ (gitignored); src/core/kernels/wasm.ts loads it.
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
  gemmBlock(transA, transB, m, n, k, a, b, c, 0, m, j0, j1, pack);
}

/**
 * `gemm` over the block rows i0..i1, columns j0..j1 of C only. Every entry of C is summed in the
 * same order whatever the block (KC-deep slices of k in turn, each through the same micro-kernel),
 * so cutting C into blocks, by rows or by columns, gives the bits of one whole product. Threads
 * split a convolution's products by rows: their C has few columns (n_C[l]) and many rows
 * (m·n_H·n_W), or, for dW, rows that are the windows' entries of an op(A) too big to read twice.
 */
export function gemmBlock(
  transA: i32, transB: i32, m: i32, n: i32, k: i32,
  a: usize, b: usize, c: usize, i0: i32, i1: i32, j0: i32, j1: i32, pack: usize,
): void {
  const pa = pack;
  const pb = pack + ((MC * KC) << 3);
  for (let i = i0; i < i1; i++) {
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
      for (let ic = i0; ic < i1; ic += MC) {
        const mc = min(MC, i1 - ic);
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

/**
 * C (m, n) = op(A) · B for products too small to pack (the planar network's 4x2 · 2x400): each
 * C[i][j] summed over p = 0, 1, ..., k-1 in order, a multiply then an add, never fused, two
 * columns at a time: the same bits as src/core/kernels/packed.ts `smallMatmul`, about 3x faster.
 * op(A)[i][p] is a[i*k + p], or a[p*m + i] when transA.
 */
export function smallGemm(transA: i32, m: i32, n: i32, k: i32, a: usize, b: usize, c: usize): void {
  if (k == 0) {
    memory.fill(c, 0, ((m * n) as usize) << 3);
    return;
  }
  const si: usize = transA ? 8 : (k as usize) << 3;
  const sp: usize = transA ? (m as usize) << 3 : 8;
  const rowB: usize = (n as usize) << 3;
  for (let i = 0; i < m; i++) {
    const ai = a + (i as usize) * si;
    const ci = c + (((i * n) as usize) << 3);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      let bp = b + ((j as usize) << 3);
      let ap = ai;
      let s = f64x2.mul(v128.load64_splat(ap), v128.load(bp));
      for (let p = 1; p < k; p++) {
        ap += sp;
        bp += rowB;
        s = f64x2.add(s, f64x2.mul(v128.load64_splat(ap), v128.load(bp)));
      }
      v128.store(ci + ((j as usize) << 3), s);
    }
    if (j < n) {
      let bp = b + ((j as usize) << 3);
      let ap = ai;
      let s = load<f64>(ap) * load<f64>(bp);
      for (let p = 1; p < k; p++) {
        ap += sp;
        bp += rowB;
        s += load<f64>(ap) * load<f64>(bp);
      }
      store<f64>(ci + ((j as usize) << 3), s);
    }
  }
}

/**
 * C (m, n) = A · Bᵀ for products too small to pack, A (m, k) and B (n, k) (dW = dZ·A_prevᵀ of a
 * small network): B is first transposed into `bt` (k·n doubles of scratch), then each C[i][j] is
 * summed from 0 over p = 0, 1, ..., k-1 in order, a multiply then an add: the bits of
 * src/core/kernels/plain.ts matmulTransB. Two rows of C and two columns go together, so four
 * independent sums keep the adder busy.
 */
export function smallGemmTransB(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, bt: usize): void {
  const rowA: usize = (k as usize) << 3;
  const rowB: usize = (n as usize) << 3;
  for (let j = 0; j < n; j++) {
    const src = b + (j as usize) * rowA;
    let dst = bt + ((j as usize) << 3);
    for (let off: usize = 0; off < rowA; off += 8) {
      store<f64>(dst, load<f64>(src + off));
      dst += rowB;
    }
  }
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const a0 = a + (i as usize) * rowA;
    const a1 = a0 + rowA;
    const c0 = c + (i as usize) * rowB;
    const c1 = c0 + rowB;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      let s0 = f64x2.splat(0);
      let s1 = f64x2.splat(0);
      let bp = bt + ((j as usize) << 3);
      for (let off: usize = 0; off < rowA; off += 8) {
        const v = v128.load(bp);
        s0 = f64x2.add(s0, f64x2.mul(v128.load64_splat(a0 + off), v));
        s1 = f64x2.add(s1, f64x2.mul(v128.load64_splat(a1 + off), v));
        bp += rowB;
      }
      v128.store(c0 + ((j as usize) << 3), s0);
      v128.store(c1 + ((j as usize) << 3), s1);
    }
    if (j < n) {
      let s0: f64 = 0;
      let s1: f64 = 0;
      let bp = bt + ((j as usize) << 3);
      for (let off: usize = 0; off < rowA; off += 8) {
        const v = load<f64>(bp);
        s0 += load<f64>(a0 + off) * v;
        s1 += load<f64>(a1 + off) * v;
        bp += rowB;
      }
      store<f64>(c0 + ((j as usize) << 3), s0);
      store<f64>(c1 + ((j as usize) << 3), s1);
    }
  }
  if (i < m) {
    const a0 = a + (i as usize) * rowA;
    const c0 = c + (i as usize) * rowB;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      let s0 = f64x2.splat(0);
      let bp = bt + ((j as usize) << 3);
      for (let off: usize = 0; off < rowA; off += 8) {
        s0 = f64x2.add(s0, f64x2.mul(v128.load64_splat(a0 + off), v128.load(bp)));
        bp += rowB;
      }
      v128.store(c0 + ((j as usize) << 3), s0);
    }
    if (j < n) {
      let s0: f64 = 0;
      let bp = bt + ((j as usize) << 3);
      for (let off: usize = 0; off < rowA; off += 8) {
        s0 += load<f64>(a0 + off) * load<f64>(bp);
        bp += rowB;
      }
      store<f64>(c0 + ((j as usize) << 3), s0);
    }
  }
}

/**
 * numpy's pairwise_sum of n doubles from p (stride 1), as src/core/engine/sum.ts: below 8 a
 * plain loop from 0; up to 128 eight running sums (held two per f64x2, which adds them exactly as
 * eight scalars) combined as ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)), then the rest;
 * above 128 the two halves (the first a multiple of 8 long), added.
 */
export function pairwiseSum(p: usize, n: i32): f64 {
  if (n < 8) {
    let res: f64 = 0;
    for (let i = 0; i < n; i++) res += load<f64>(p + ((i as usize) << 3));
    return res;
  }
  if (n <= 128) {
    let r01 = v128.load(p);
    let r23 = v128.load(p, 16);
    let r45 = v128.load(p, 32);
    let r67 = v128.load(p, 48);
    const blocks = n - (n % 8);
    let i = 8;
    for (; i < blocks; i += 8) {
      const q = p + ((i as usize) << 3);
      r01 = f64x2.add(r01, v128.load(q));
      r23 = f64x2.add(r23, v128.load(q, 16));
      r45 = f64x2.add(r45, v128.load(q, 32));
      r67 = f64x2.add(r67, v128.load(q, 48));
    }
    let res =
      (f64x2.extract_lane(r01, 0) + f64x2.extract_lane(r01, 1) + (f64x2.extract_lane(r23, 0) + f64x2.extract_lane(r23, 1))) +
      (f64x2.extract_lane(r45, 0) + f64x2.extract_lane(r45, 1) + (f64x2.extract_lane(r67, 0) + f64x2.extract_lane(r67, 1)));
    for (; i < n; i++) res += load<f64>(p + ((i as usize) << 3));
    return res;
  }
  let n2 = n / 2;
  n2 -= n2 % 8;
  return pairwiseSum(p, n2) + pairwiseSum(p + ((n2 as usize) << 3), n - n2);
}

/**
 * dZ = dA * g'(Z) for tanh (dA * (1 - A*A)), sigmoid ((dA * A) * (1 - A)) and relu (0 where
 * Z <= 0, else dA; NaN stays NaN), two entries at a time: the same expressions, in the same
 * order, as src/core/kernels/elementwise.ts activationBackward, so the same bits. dz may be da.
 */
export function tanhBackwardInto(da: usize, a: usize, dz: usize, n: i32): void {
  const one = f64x2.splat(1);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const off = (i as usize) << 3;
    const t = v128.load(a + off);
    v128.store(dz + off, f64x2.mul(v128.load(da + off), f64x2.sub(one, f64x2.mul(t, t))));
  }
  if (i < n) {
    const off = (i as usize) << 3;
    const t = load<f64>(a + off);
    store<f64>(dz + off, load<f64>(da + off) * (1 - t * t));
  }
}

export function sigmoidBackwardInto(da: usize, a: usize, dz: usize, n: i32): void {
  const one = f64x2.splat(1);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const off = (i as usize) << 3;
    const s = v128.load(a + off);
    v128.store(dz + off, f64x2.mul(f64x2.mul(v128.load(da + off), s), f64x2.sub(one, s)));
  }
  if (i < n) {
    const off = (i as usize) << 3;
    const s = load<f64>(a + off);
    store<f64>(dz + off, load<f64>(da + off) * s * (1 - s));
  }
}

export function reluBackwardInto(da: usize, z: usize, dz: usize, n: i32): void {
  const zero = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const off = (i as usize) << 3;
    v128.store(dz + off, v128.bitselect(zero, v128.load(da + off), f64x2.le(v128.load(z + off), zero)));
  }
  if (i < n) {
    const off = (i as usize) << 3;
    store<f64>(dz + off, load<f64>(z + off) <= 0 ? 0 : load<f64>(da + off));
  }
}

/** a[i] = s * a[i] for i < n (dW = 1/m · dZ·A_prevᵀ), two at a time: the TypeScript loop's bits. */
export function scaleInto(a: usize, n: i32, s: f64): void {
  const v = f64x2.splat(s);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const off = (i as usize) << 3;
    v128.store(a + off, f64x2.mul(v, v128.load(a + off)));
  }
  if (i < n) store<f64>(a + ((i as usize) << 3), s * load<f64>(a + ((i as usize) << 3)));
}

/**
 * w[i] = w[i] - alpha * g[i] for i < n, gradient descent's update: a multiply then a subtract,
 * never fused, so the TypeScript loop's bits.
 */
export function descendInto(w: usize, g: usize, n: i32, alpha: f64): void {
  const v = f64x2.splat(alpha);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const off = (i as usize) << 3;
    v128.store(w + off, f64x2.sub(v128.load(w + off), f64x2.mul(v, v128.load(g + off))));
  }
  if (i < n) {
    const off = (i as usize) << 3;
    store<f64>(w + off, load<f64>(w + off) - alpha * load<f64>(g + off));
  }
}

// ---------------------------------------------------------------------------------------------
// Elementwise: tanh and sigmoid two lanes at a time, two vectors per loop trip. V8's Math.tanh and
// Math.exp call out to C++ (9-13 ns per element here), which is most of a small network's
// iteration; these take under 3 ns, about what the same code compiled by gcc -O2 -msse4.1 takes.
//
// Method (fdlibm's, without its table): y = k·ln2 + r with |r| <= ln2/2, expm1(r) = r·P(r) with P a
// degree-10 minimax polynomial in Estrin's scheme, then
//   exp(y)   = 2^k·(1 + r·P(r)),
//   expm1(y) = 2^k·r·P(r) + (2^k - 1), which keeps full relative accuracy near 0,
//   tanh(x)  = -expm1(-2|x|) / (2 + expm1(-2|x|)) with the sign of x.
// 2^k is built in the exponent bits. Measured against 200-bit references: tanh within 2.2 ulp
// (Math.tanh: 2.1), the sigmoid within 2.2 ulp like 1 / (1 + Math.exp(-z)); against Math's, within
// 4 ulp on 2M inputs, 2.9·EPS relative (test/core/kernels/elementwise.test.ts allows 4·EPS).
//
// Speed notes (V8 11-12, x64): wasm f64x2.min/max compile to ~8 instructions each (NaN and -0
// fix-ups), pmin/pmax to one minpd/maxpd; V8 keeps only a few of the ~25 splatted constants in
// registers and reloads the rest from the stack, so two independent vectors per trip share
// those reloads; Horner's scheme (fewer operations, a 60-cycle chain) is slower than Estrin's here.

// @ts-ignore: decorator
@inline const LOG2E: f64 = 1.4426950408889634;
// ln2 split so that k·LN2_HI is exact for |k| < 2^20 (fdlibm's ln2_hi, ln2_lo).
// @ts-ignore: decorator
@inline const LN2_HI: f64 = 6.93147180369123816490e-1;
// @ts-ignore: decorator
@inline const LN2_LO: f64 = 1.90821492927058770002e-10;
// 1.5·2^52: MAGIC + B + t for an integer B and |t| < 2^50 rounds t to an integer n (ties to even
// of the sum) and leaves B + n in the low mantissa bits, ready to be shifted into an exponent.
// @ts-ignore: decorator
@inline const MAGIC: f64 = 6755399441055744.0;

// P(r) = expm1(r) / r on |r| <= ln2/2: degree 10, minimax in relative error with its first two
// coefficients held at 1 and 1/2 (Remez exchange in 200-bit arithmetic): 2.4e-17 = 2^-55.2 with
// these double coefficients. Taylor's series needs degree 12 for the same.
// @ts-ignore: decorator
@inline const P2: f64 = 0.16666666666666602;
// @ts-ignore: decorator
@inline const P3: f64 = 0.041666666666620035;
// @ts-ignore: decorator
@inline const P4: f64 = 0.00833333333338835;
// @ts-ignore: decorator
@inline const P5: f64 = 0.0013888888920480897;
// @ts-ignore: decorator
@inline const P6: f64 = 0.00019841269709401158;
// @ts-ignore: decorator
@inline const P7: f64 = 2.4801516389542185e-05;
// @ts-ignore: decorator
@inline const P8: f64 = 2.7557425051046633e-06;
// @ts-ignore: decorator
@inline const P9: f64 = 2.7622208206119686e-07;
// @ts-ignore: decorator
@inline const P10: f64 = 2.504589677454253e-08;

// @ts-ignore: decorator
@inline function splat(c: f64): v128 {
  return f64x2.splat(c);
}

/** a + b·c, rounded twice (never fused, so every runtime gives the same bits). */
// @ts-ignore: decorator
@inline function addMul(a: v128, b: v128, c: v128): v128 {
  return f64x2.add(a, f64x2.mul(b, c));
}

/** c·P(r) for |r| <= ln2/2, c = 1 or 2 (doubling every coefficient is exact), Estrin's scheme. */
// @ts-ignore: decorator
@inline function expm1Ratio(r: v128, c: f64): v128 {
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const r8 = f64x2.mul(r4, r4);
  const p01 = addMul(splat(c), r, splat(c * 0.5));
  const p23 = addMul(splat(c * P2), r, splat(c * P3));
  const p45 = addMul(splat(c * P4), r, splat(c * P5));
  const p67 = addMul(splat(c * P6), r, splat(c * P7));
  const p89 = addMul(splat(c * P8), r, splat(c * P9));
  const lo = addMul(addMul(p01, r2, p23), r4, addMul(p45, r2, p67));
  const hi = addMul(p89, r2, splat(c * P10));
  return addMul(lo, r8, hi);
}

/** dst[i] = tanh(src[i]) for i < n; src and dst may be the same. */
export function tanhInto(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = (i as usize) << 3;
    const a = tanh2(v128.load(src + off));
    const b = tanh2(v128.load(src + off, 16));
    v128.store(dst + off, a);
    v128.store(dst + off, b, 16);
  }
  for (; i < n; i++) {
    const off = (i as usize) << 3;
    store<f64>(dst + off, f64x2.extract_lane(tanh2(f64x2.splat(load<f64>(src + off))), 0));
  }
}

// @ts-ignore: decorator
@inline function tanh2(x: v128): v128 {
  const ax = f64x2.abs(x);
  const sign = v128.xor(x, ax);
  // tanh(20) is 1 in double; the clamp keeps 2^k in range. pmin(ax, 20) = 20 < ax ? 20 : ax
  // keeps a NaN.
  const a = f64x2.pmin(ax, splat(20.0));
  // y = -2a = k·ln2 + r, k in [-58, 0]; kd's low bits hold k + 1023, the exponent of s = 2^k.
  const kd = addMul(splat(MAGIC + 1023), a, splat(-2 * LOG2E));
  const y = f64x2.mul(a, splat(-2.0));
  const k = f64x2.sub(kd, splat(MAGIC + 1023));
  const r = f64x2.sub(f64x2.sub(y, f64x2.mul(k, splat(LN2_HI))), f64x2.mul(k, splat(LN2_LO)));
  const s = i64x2.shl(kd, 52);
  // With e = expm1(y) = s·r·P(r) + (s - 1) in (-1, 0]: tanh(a) = -e / (2 + e)
  //   = ((1 - s) - s·r·P(r)) / ((1 + s) + s·r·P(r)), which rounds 3 times, not 4. s·r is exact;
  // 1 - s and 1 + s are too for k >= -52 (below, they round to 1 and so does t).
  const sp = f64x2.mul(f64x2.mul(s, r), expm1Ratio(r, 1.0));
  const t = f64x2.div(f64x2.sub(f64x2.sub(splat(1.0), s), sp), f64x2.add(f64x2.add(splat(1.0), s), sp));
  // t >= +0 (or NaN): x's sign bit goes on, which also keeps tanh(-0) = -0.
  return v128.xor(t, sign);
}

/** dst[i] = 1 / (1 + exp(-src[i])) for i < n, the course's sigmoid; src and dst may be the same. */
export function sigmoidInto(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = (i as usize) << 3;
    const a = sigmoid2(v128.load(src + off));
    const b = sigmoid2(v128.load(src + off, 16));
    v128.store(dst + off, a);
    v128.store(dst + off, b, 16);
  }
  for (; i < n; i++) {
    const off = (i as usize) << 3;
    store<f64>(dst + off, f64x2.extract_lane(sigmoid2(f64x2.splat(load<f64>(src + off))), 0));
  }
}

// @ts-ignore: decorator
@inline function sigmoid2(z: v128): v128 {
  // exp(x), x = -z clamped to [-40, 710] (pmax/pmin keep a NaN): below -40, 1 + exp(x) is 1;
  // above ln(DBL_MAX) = 709.78 the product below overflows to +Infinity as exp does, and the
  // sigmoid is 0.
  const x = f64x2.pmin(f64x2.pmax(f64x2.neg(z), splat(-40.0)), splat(710.0));
  // 2^(k-1) (k - 1 + 1023 in kd's low bits) times 2·exp(r), so that k = 1024 stays in range.
  const kd = addMul(splat(MAGIC + 1022), x, splat(LOG2E));
  const k = f64x2.sub(kd, splat(MAGIC + 1022));
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(k, splat(LN2_HI))), f64x2.mul(k, splat(LN2_LO)));
  const e = f64x2.mul(i64x2.shl(kd, 52), addMul(splat(2.0), r, expm1Ratio(r, 2.0)));
  return f64x2.div(splat(1.0), f64x2.add(splat(1.0), e));
}

/**
 * Z += b (b broadcast along each row), then A = tanh(Z) or sigmoid(Z): the fused bias + activation
 * in one pass. Z and A are (rows, cols) row-major, b is (rows, 1); A may be Z.
 */
// @ts-ignore: decorator
@inline function biasActivationInto(z: usize, b: usize, a: usize, rows: i32, cols: i32, tanh: bool): void {
  for (let row = 0; row < rows; row++) {
    const bias = v128.load64_splat(b + ((row as usize) << 3));
    const zr = z + (((row * cols) as usize) << 3);
    const ar = a + (((row * cols) as usize) << 3);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const off = (j as usize) << 3;
      const v0 = f64x2.add(v128.load(zr + off), bias);
      const v1 = f64x2.add(v128.load(zr + off, 16), bias);
      v128.store(zr + off, v0);
      v128.store(zr + off, v1, 16);
      const a0 = tanh ? tanh2(v0) : sigmoid2(v0);
      const a1 = tanh ? tanh2(v1) : sigmoid2(v1);
      v128.store(ar + off, a0);
      v128.store(ar + off, a1, 16);
    }
    for (; j < cols; j++) {
      const off = (j as usize) << 3;
      const v = f64x2.add(f64x2.splat(load<f64>(zr + off)), bias);
      store<f64>(zr + off, f64x2.extract_lane(v, 0));
      store<f64>(ar + off, f64x2.extract_lane(tanh ? tanh2(v) : sigmoid2(v), 0));
    }
  }
}

/** Z += b, then A = tanh(Z) (see biasActivationInto). */
export function biasTanhInto(z: usize, b: usize, a: usize, rows: i32, cols: i32): void {
  biasActivationInto(z, b, a, rows, cols, true);
}

/** Z += b, then A = 1 / (1 + exp(-Z)) (see biasActivationInto). */
export function biasSigmoidInto(z: usize, b: usize, a: usize, rows: i32, cols: i32): void {
  biasActivationInto(z, b, a, rows, cols, false);
}

// ---------------------------------------------------------------------------------------------
// Natural log and the binary cross-entropy's terms, two lanes at a time: the cost J calls log
// twice per output entry (Math.log: ~6 ns each here; logInto: 2.8).
//
// Method: fdlibm's __ieee754_log, which is what V8's Math.log runs. x = 2^k·(1 + f) with 1 + f in
// [sqrt(2)/2, sqrt(2)) (fdlibm's threshold exactly), s = f / (2 + f), R(s²) from Lg1..Lg7 in
// fdlibm's order, log(x) = k·ln2_hi - ((s·(f - R) - k·ln2_lo) - f). fdlibm has two more forms,
// for |f| < 2^-20 and for 1 + f near the ends of the interval; this general one is as accurate
// there (0.81 ulp at worst against 200-bit references where fdlibm's hfsq form gets 0.75) and
// taking all three as selects costs 50% more. So results are within 1 ulp of Math.log and equal
// to it for 99.7% of inputs (test/core/kernels/log.test.ts counts them).
// Inputs outside [2^-1022, +Infinity) (subnormal, zero, negative, NaN, infinite) take a slower
// loop that handles every lane's class with selects, as fdlibm does: subnormals are scaled by
// 2^54 first, +-0 gives -Infinity, negatives and NaN give NaN, +Infinity gives +Infinity.

// @ts-ignore: decorator
@inline const LG1: f64 = reinterpret<f64>(0x3FE5555555555593);
// @ts-ignore: decorator
@inline const LG2: f64 = reinterpret<f64>(0x3FD999999997FA04);
// @ts-ignore: decorator
@inline const LG3: f64 = reinterpret<f64>(0x3FD2492494229359);
// @ts-ignore: decorator
@inline const LG4: f64 = reinterpret<f64>(0x3FCC71C51D8E78AF);
// @ts-ignore: decorator
@inline const LG5: f64 = reinterpret<f64>(0x3FC7466496CB03DE);
// @ts-ignore: decorator
@inline const LG6: f64 = reinterpret<f64>(0x3FC39A09D078C69F);
// @ts-ignore: decorator
@inline const LG7: f64 = reinterpret<f64>(0x3FC2F112DF3E5244);
// @ts-ignore: decorator
@inline const MIN_NORMAL: f64 = 2.2250738585072014e-308;
// @ts-ignore: decorator
@inline const TWO54: f64 = 18014398509481984.0;
// x's bits minus these leave k in the top 12 bits (signed) and, subtracted back from x's bits,
// 1 + f: the mantissa goes to [0x3fe6a09c..., 0x3ff6a09c...), fdlibm's (hx + 0x95f64) & 0x100000.
// @ts-ignore: decorator
@inline const LOG_OFF: i64 = 0x3FE6A09C00000000;

/** log(x) for lanes in [2^-1022, +Infinity); with `adjust`, k + kAdjust (-54 for subnormals scaled by 2^54). */
// @ts-ignore: decorator
@inline function logNormal(x: v128, adjust: bool, kAdjust: v128): v128 {
  const tmp = i64x2.sub(x, i64x2.splat(LOG_OFF));
  // k: the high 32-bit words shifted right 20 (signed), moved to lanes 0 and 1, converted.
  let dk = f64x2.convert_low_i32x4_s(i32x4.shuffle(i32x4.shr_s(tmp, 20), i32x4.splat(0), 1, 3, 1, 3));
  if (adjust) dk = f64x2.add(dk, kAdjust);
  const f = f64x2.sub(i64x2.sub(x, v128.and(tmp, i64x2.splat(0xFFF0000000000000))), splat(1.0));
  const s = f64x2.div(f, f64x2.add(splat(2.0), f));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  const t1 = f64x2.mul(w, addMul(splat(LG2), w, addMul(splat(LG4), w, splat(LG6))));
  const t2 = f64x2.mul(z, addMul(splat(LG1), w, addMul(splat(LG3), w, addMul(splat(LG5), w, splat(LG7)))));
  const R = f64x2.add(t2, t1);
  const inner = f64x2.sub(f64x2.mul(s, f64x2.sub(f, R)), f64x2.mul(dk, splat(LN2_LO)));
  return f64x2.sub(f64x2.mul(dk, splat(LN2_HI)), f64x2.sub(inner, f));
}

/** All-ones lanes where logNormal applies: x in [2^-1022, +Infinity) (not NaN). */
// @ts-ignore: decorator
@inline function logOk(x: v128): v128 {
  return v128.and(f64x2.ge(x, splat(MIN_NORMAL)), f64x2.lt(x, splat(Infinity)));
}

/** log of two lanes of any class. */
// @ts-ignore: decorator
@inline function logAny(x: v128): v128 {
  const sub = f64x2.lt(x, splat(MIN_NORMAL));
  const y = logNormal(v128.bitselect(f64x2.mul(x, splat(TWO54)), x, sub), true, v128.and(sub, splat(-54.0)));
  // y is right for normal and subnormal positive lanes; the rest: +-0 -> -Infinity, < 0 -> NaN,
  // NaN -> NaN, +Infinity -> +Infinity (fdlibm's x + x).
  const finite = v128.or(logOk(x), v128.and(sub, f64x2.gt(x, splat(0))));
  const negative = v128.bitselect(splat(NaN), f64x2.add(x, x), f64x2.lt(x, splat(0)));
  return v128.bitselect(y, v128.bitselect(splat(-Infinity), negative, f64x2.eq(x, splat(0))), finite);
}

/** True when logNormal applies to every src[i], i < n, and with `complement` to every 1 - src[i]. */
function allLogOk(src: usize, n: i32, complement: bool): bool {
  let ok = i64x2.splat(-1);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const x = v128.load(src + ((i as usize) << 3));
    ok = v128.and(ok, logOk(x));
    if (complement) ok = v128.and(ok, logOk(f64x2.sub(splat(1.0), x)));
  }
  if (i < n) {
    const x = f64x2.splat(load<f64>(src + ((i as usize) << 3)));
    ok = v128.and(ok, logOk(x));
    if (complement) ok = v128.and(ok, logOk(f64x2.sub(splat(1.0), x)));
  }
  return i64x2.all_true(ok);
}

/**
 * dst[i] = log(src[i]) for i < n, within 1 ulp of Math.log (see above); src and dst may be the
 * same. One pass checks the inputs' class, so that the main loop has no branch and no selects.
 */
export function logInto(src: usize, dst: usize, n: i32): void {
  let i = 0;
  if (allLogOk(src, n, false)) {
    for (; i + 4 <= n; i += 4) {
      const off = (i as usize) << 3;
      const a = logNormal(v128.load(src + off), false, splat(0));
      const b = logNormal(v128.load(src + off, 16), false, splat(0));
      v128.store(dst + off, a);
      v128.store(dst + off, b, 16);
    }
    for (; i + 2 <= n; i += 2) {
      const off = (i as usize) << 3;
      v128.store(dst + off, logNormal(v128.load(src + off), false, splat(0)));
    }
  } else {
    for (; i + 2 <= n; i += 2) {
      const off = (i as usize) << 3;
      v128.store(dst + off, logAny(v128.load(src + off)));
    }
  }
  if (i < n) {
    const off = (i as usize) << 3;
    store<f64>(dst + off, f64x2.extract_lane(logAny(f64x2.splat(load<f64>(src + off))), 0));
  }
}

/** y·log(a) + (1 - y)·log(1 - a), products and sum in that order (0·-Infinity is NaN). */
// @ts-ignore: decorator
@inline function crossEntropy2(a: v128, y: v128, any: bool): v128 {
  const b = f64x2.sub(splat(1.0), a);
  const la = any ? logAny(a) : logNormal(a, false, splat(0));
  const lb = any ? logAny(b) : logNormal(b, false, splat(0));
  return f64x2.add(f64x2.mul(y, la), f64x2.mul(f64x2.sub(splat(1.0), y), lb));
}

/**
 * dst[i] = y[i]·log(a[i]) + (1 - y[i])·log(1 - a[i]) for i < n: the terms of the binary
 * cross-entropy J = -1/m·Σ(Y·log(AL) + (1 - Y)·log(1 - AL)), with the log above. dst may be a or y.
 */
export function crossEntropyInto(a: usize, y: usize, dst: usize, n: i32): void {
  let i = 0;
  if (allLogOk(a, n, true)) {
    for (; i + 4 <= n; i += 4) {
      const off = (i as usize) << 3;
      const c0 = crossEntropy2(v128.load(a + off), v128.load(y + off), false);
      const c1 = crossEntropy2(v128.load(a + off, 16), v128.load(y + off, 16), false);
      v128.store(dst + off, c0);
      v128.store(dst + off, c1, 16);
    }
    for (; i + 2 <= n; i += 2) {
      const off = (i as usize) << 3;
      v128.store(dst + off, crossEntropy2(v128.load(a + off), v128.load(y + off), false));
    }
  } else {
    for (; i + 2 <= n; i += 2) {
      const off = (i as usize) << 3;
      v128.store(dst + off, crossEntropy2(v128.load(a + off), v128.load(y + off), true));
    }
  }
  if (i < n) {
    const off = (i as usize) << 3;
    const v = crossEntropy2(f64x2.splat(load<f64>(a + off)), f64x2.splat(load<f64>(y + off)), true);
    store<f64>(dst + off, f64x2.extract_lane(v, 0));
  }
}

// ---------------------------------------------------------------------------------------------
// im2col: src/core/engine/conv.ts `im2col` (read its comment), for the examples i0..i1 only, so
// two threads can each gather half of a batch's windows. Pure data movement: the same bits.

/**
 * cols[(i, oy, ox), :] = the window of example i at (oy, ox), zeros where it covers the padding,
 * for i0 <= i < i1. Entry f of example i is at a[i·exampleStride + f·featureStride] (doubles).
 */
export function im2colExamples(
  a: usize, cols: usize, hPrev: i32, wPrev: i32, cPrev: i32, fH: i32, fW: i32, sH: i32, sW: i32,
  top: i32, left: i32, h: i32, w: i32, exampleStride: i32, featureStride: i32, i0: i32, i1: i32,
): void {
  const rowLength = fW * cPrev;
  let k: usize = cols + ((((i0 * h * w) as usize) * ((fH * rowLength) as usize)) << 3);
  const fs: usize = (featureStride as usize) << 3;
  for (let i = i0; i < i1; i++) {
    const image = a + (((i * exampleStride) as usize) << 3);
    for (let oy = 0; oy < h; oy++) {
      for (let ox = 0; ox < w; ox++) {
        const x0 = ox * sW - left;
        const skip = x0 < 0 ? -x0 * cPrev : 0;
        const cut = x0 + fW > wPrev ? (x0 + fW - wPrev) * cPrev : 0;
        for (let fy = 0; fy < fH; fy++) {
          const y = oy * sH - top + fy;
          if (y < 0 || y >= hPrev) {
            memory.fill(k, 0, (rowLength as usize) << 3);
            k += (rowLength as usize) << 3;
            continue;
          }
          if (skip > 0) {
            memory.fill(k, 0, (skip as usize) << 3);
            k += (skip as usize) << 3;
          }
          const count = rowLength - skip - cut;
          const from = image + (((((y * wPrev + x0) * cPrev + skip) * featureStride) as usize) << 3);
          if (featureStride == 1) {
            memory.copy(k, from, (count as usize) << 3);
            k += (count as usize) << 3;
          } else {
            let f = from;
            for (let j = 0; j < count; j++) {
              store<f64>(k, load<f64>(f));
              k += 8;
              f += fs;
            }
          }
          if (cut > 0) {
            memory.fill(k, 0, (cut as usize) << 3);
            k += (cut as usize) << 3;
          }
        }
      }
    }
  }
}
