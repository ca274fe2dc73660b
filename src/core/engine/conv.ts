/**
 * The course's convolution and pooling layers (Convolutional Neural Networks, week 1):
 * zeroPad, convSingleStep, convForward, poolForward, convBackward, createMaskFromWindow,
 * distributeValue and poolBackward, over batches of volumes (m, n_H, n_W, n_C) stored row-major
 * in a Float64Array, exactly numpy's layout of the course's arrays.
 *
 * The course loops over every window; here a convolution is lowered to one matrix product so the
 * kernels' fast GEMM (WebAssembly, two threads) does the work (im2col):
 *   - each output position (i, h, w) becomes one row of `cols`, holding the window
 *     a_prev_pad[i, h·s_H : h·s_H + f_H, w·s_W : w·s_W + f_W, :] in row-major order;
 *   - W (f_H, f_W, n_C[l-1], n_C[l]) row-major is the matrix (f_H·f_W·n_C[l-1], n_C[l]);
 *   - Z = cols · W, which is (m·n_H·n_W, n_C[l]) row-major: the volume (m, n_H, n_W, n_C[l]).
 * Backward: dW = colsᵀ · dZ, db = Σ dZ over the rows, and dcols = dZ · Wᵀ, whose rows are added
 * back into the windows they came from (col2im), which is the course's
 * da_prev_pad[window] += W[:, :, :, c] · dZ[i, h, w, c].
 *
 * Padding is given per side (top, bottom, left, right): "same" pads one more row or column after
 * when its total is odd, as TensorFlow does. Pooling windows cover only the real entries (the
 * padding takes no part in a max or an average), as TensorFlow pools with "same".
 */
import type { Kernels, WindowGeometry } from '../kernels/types';
import type { Padding } from '../format/types';
import type { Matrix } from '../matrix';

/**
 * The sizes of one conv or pool layer, for any batch size m: what im2col reads (n_H[l-1], n_W[l-1],
 * n_C[l-1], f, s, the padding before, n_H[l], n_W[l]), plus the padding after and n_C[l].
 */
export interface Geometry extends WindowGeometry {
  bottom: number;
  right: number;
  c: number;
}

/** (before, after) along one dimension: p on both sides, or TensorFlow's "same" (output ⌈n/s⌉). */
export function padsOf(n: number, f: number, s: number, padding: Padding): [number, number] {
  if (padding === 'valid') return [0, 0];
  if (padding === 'same') {
    const out = Math.ceil(n / s);
    const total = Math.max((out - 1) * s + f - n, 0);
    const before = Math.floor(total / 2);
    return [before, total - before];
  }
  return [padding, padding];
}

/**
 * A conv layer's geometry (`filters` = n_C[l]), or a pool layer's (filters undefined: n_C[l] =
 * n_C[l-1]); n_H[l] = ⌊(n_H[l-1] + p_before + p_after − f)/s⌋ + 1.
 */
export function geometryOf(
  prev: { h: number; w: number; c: number },
  size: [number, number],
  stride: [number, number],
  padding: Padding,
  filters?: number,
): Geometry {
  const [fH, fW] = size;
  const [sH, sW] = stride;
  const [top, bottom] = padsOf(prev.h, fH, sH, padding);
  const [left, right] = padsOf(prev.w, fW, sW, padding);
  return {
    hPrev: prev.h,
    wPrev: prev.w,
    cPrev: prev.c,
    fH,
    fW,
    sH,
    sW,
    top,
    bottom,
    left,
    right,
    h: Math.floor((prev.h + top + bottom - fH) / sH) + 1,
    w: Math.floor((prev.w + left + right - fW) / sW) + 1,
    c: filters ?? prev.c,
  };
}

/** f_H·f_W·n_C[l-1]: the length of one window, the rows of W as a matrix, the fan-in. */
export function windowLength(g: Geometry): number {
  return g.fH * g.fW * g.cPrev;
}

/** zero_pad: X (m, n_H, n_W, n_C) with zeros added around each image; pads = (top, bottom, left, right). */
export function zeroPad(X: Float64Array, shape: [number, number, number, number], pads: [number, number, number, number]): Float64Array {
  const [m, h, w, c] = shape;
  const [top, bottom, left, right] = pads;
  const H = h + top + bottom;
  const W = w + left + right;
  const out = new Float64Array(m * H * W * c);
  for (let i = 0; i < m; i++) {
    for (let y = 0; y < h; y++) {
      const from = ((i * h + y) * w) * c;
      const to = ((i * H + y + top) * W + left) * c;
      out.set(X.subarray(from, from + w * c), to);
    }
  }
  return out;
}

/** conv_single_step: Σ a_slice_prev · W + b over one window, for one filter. */
export function convSingleStep(aSlicePrev: Float64Array, W: Float64Array, b: number): number {
  let Z = 0;
  for (let k = 0; k < aSlicePrev.length; k++) Z += aSlicePrev[k] * W[k];
  return Z + b;
}

/**
 * cols[(i, h, w), :] = the window of example i at output position (h, w), zeros where it covers
 * the padding. cols is (m·n_H·n_W, f_H·f_W·n_C[l-1]). With `columns`, Aprev is the course's X,
 * (n_H·n_W·n_C, m) with one example per column, read in place (no transposed copy of the batch).
 */
export function im2col(Aprev: Float64Array, g: Geometry, m: number, cols: Float64Array, columns = false): void {
  const { hPrev, wPrev, cPrev, fH, fW, sH, sW, top, left, h, w } = g;
  const rowLength = fW * cPrev;
  // Where entry f of example i is: i·n + f for a batch of volumes, f·m + i for columns.
  const exampleStride = columns ? 1 : hPrev * wPrev * cPrev;
  const featureStride = columns ? m : 1;
  let k = 0;
  for (let i = 0; i < m; i++) {
    const image = i * exampleStride;
    for (let oy = 0; oy < h; oy++) {
      for (let ox = 0; ox < w; ox++) {
        const x0 = ox * sW - left;
        // Columns [skip, rowLength - cut) of each window row lie inside the image; the rest is padding.
        const skip = x0 < 0 ? -x0 * cPrev : 0;
        const cut = x0 + fW > wPrev ? (x0 + fW - wPrev) * cPrev : 0;
        for (let fy = 0; fy < fH; fy++) {
          const y = oy * sH - top + fy;
          const end = k + rowLength;
          if (y < 0 || y >= hPrev) {
            for (; k < end; k++) cols[k] = 0;
            continue;
          }
          for (let j = 0; j < skip; j++) cols[k++] = 0;
          // Plain loops, not subarray + set: a view per window row would allocate millions per pass.
          const stop = k + rowLength - skip - cut;
          let from = image + ((y * wPrev + x0) * cPrev + skip) * featureStride;
          if (featureStride === 1) while (k < stop) cols[k++] = Aprev[from++];
          else {
            for (; k < stop; from += featureStride) cols[k++] = Aprev[from];
          }
          for (; k < end; k++) cols[k] = 0;
        }
      }
    }
  }
}

/**
 * The inverse gathering: dAprev = Σ over windows of their rows of dcols, the course's
 * da_prev_pad[window] += ..., with the padding's share dropped. Overwrites dAprev.
 */
export function col2im(dcols: Float64Array, g: Geometry, m: number, dAprev: Float64Array): void {
  const { hPrev, wPrev, cPrev, fH, fW, sH, sW, top, left, h, w } = g;
  const rowLength = fW * cPrev;
  dAprev.fill(0, 0, m * hPrev * wPrev * cPrev);
  let k = 0;
  for (let i = 0; i < m; i++) {
    const image = i * hPrev * wPrev * cPrev;
    for (let oy = 0; oy < h; oy++) {
      for (let ox = 0; ox < w; ox++) {
        const x0 = ox * sW - left;
        const skip = x0 < 0 ? -x0 * cPrev : 0;
        const cut = x0 + fW > wPrev ? (x0 + fW - wPrev) * cPrev : 0;
        for (let fy = 0; fy < fH; fy++, k += rowLength) {
          const y = oy * sH - top + fy;
          if (y < 0 || y >= hPrev) continue;
          for (let to = image + (y * wPrev + x0) * cPrev + skip, from = k + skip, stop = k + rowLength - cut; from < stop; ) dAprev[to++] += dcols[from++];
        }
      }
    }
  }
}

/** What convForward keeps for convBackward: the windows it multiplied. */
export interface ConvCache {
  g: Geometry;
  m: number;
  /** (m·n_H·n_W, f_H·f_W·n_C[l-1]). */
  cols: Matrix;
  /** W as the matrix (f_H·f_W·n_C[l-1], n_C[l]). */
  W: Matrix;
  /** Aprev is X itself, (n_H·n_W·n_C, m) columns (the network's first layer). */
  columns?: boolean;
}

/**
 * conv_forward: Z[i, h, w, c] = Σ window · W[:, :, :, c] + b[c], as one product cols · W. Z is
 * the matrix (m·n_H·n_W, n_C[l]), i.e. the volume (m, n_H, n_W, n_C[l]); b holds n_C[l] values.
 */
export function convForward(Aprev: Float64Array, W: Matrix, b: Matrix, cache: ConvCache, Z: Matrix, kernels: Kernels): void {
  const { g, m, cols } = cache;
  // The kernels gather the windows themselves where they can (WebAssembly, both threads).
  if (!kernels.im2col?.(Aprev, g, m, cols.data, cache.columns ?? false)) im2col(Aprev, g, m, cols.data, cache.columns);
  cache.W = W;
  kernels.matmul(cols, W, Z);
  const z = Z.data;
  const bias = b.data;
  const c = g.c;
  for (let p = 0, k = 0; p < Z.rows; p++) for (let ch = 0; ch < c; ch++, k++) z[k] += bias[ch];
}

/**
 * conv_backward: dW = Σ window · dZ[i, h, w, c] (= colsᵀ · dZ), db = Σ dZ over (i, h, w), and
 * dA_prev (skipped when dAprev is undefined, for the first layer). `scale` multiplies dW and db:
 * 1 gives the course's sums; the engine passes 1/m, since its cost is a mean over the examples.
 * dcols is scratch of cols' shape.
 */
export function convBackward(
  dZ: Matrix,
  cache: ConvCache,
  dW: Matrix,
  db: Matrix,
  dcols: Matrix,
  dAprev: Float64Array | undefined,
  kernels: Kernels,
  scale = 1,
): void {
  const { g, m, cols, W } = cache;
  kernels.matmulTransA(cols, dZ, dW);
  if (scale !== 1) kernels.scale(dW, scale);
  const c = g.c;
  const dz = dZ.data;
  const sums = db.data;
  sums.fill(0, 0, c);
  for (let p = 0, k = 0; p < dZ.rows; p++) for (let ch = 0; ch < c; ch++, k++) sums[ch] += dz[k];
  if (scale !== 1) for (let ch = 0; ch < c; ch++) sums[ch] = scale * sums[ch];
  if (!dAprev) return;
  kernels.matmulTransB(dZ, W, dcols);
  col2im(dcols.data, g, m, dAprev);
}


/** pool_forward: the max or the mean of each window, channel by channel. A is (m, n_H, n_W, n_C). */
export function poolForward(Aprev: Float64Array, g: Geometry, m: number, mode: 'max' | 'average', A: Float64Array): void {
  const { hPrev, wPrev, c, h, w } = g;
  let k = 0;
  for (let i = 0; i < m; i++) {
    const image = i * hPrev * wPrev * c;
    for (let oy = 0; oy < h; oy++) {
      // The real rows [y0, y1) and columns [x0, x1) the window covers.
      const y0 = Math.max(oy * g.sH - g.top, 0);
      const y1 = Math.min(oy * g.sH - g.top + g.fH, hPrev);
      for (let ox = 0; ox < w; ox++) {
        const x0 = Math.max(ox * g.sW - g.left, 0);
        const x1 = Math.min(ox * g.sW - g.left + g.fW, wPrev);
        for (let ch = 0; ch < c; ch++, k++) {
          let acc = mode === 'max' ? -Infinity : 0;
          for (let y = y0; y < y1; y++) {
            for (let x = x0; x < x1; x++) {
              const v = Aprev[image + (y * wPrev + x) * c + ch];
              if (mode === 'max') {
                // A NaN wins, as np.max lets it, so divergence shows.
                if (v > acc || v !== v) acc = v;
              } else acc += v;
            }
          }
          A[k] = mode === 'max' ? acc : acc / ((y1 - y0) * (x1 - x0));
        }
      }
    }
  }
}

/**
 * Each max-pool window's maximum and where it is: out[2k] is its position in Aprev (-1 when two or
 * more entries tie for it), out[2k + 1] its value. The gradient check compares these at θ + ε and
 * θ − ε: a maximum that moved to another entry, or a tie whose value the parameter moves (the
 * course's mask then passes the gradient to every tied entry, which is not max's derivative),
 * means the two-sided difference spans a kink.
 */
export function poolArgmax(Aprev: Float64Array, g: Geometry, m: number, out: Float64Array): void {
  const { hPrev, wPrev, c, h, w } = g;
  let k = 0;
  for (let i = 0; i < m; i++) {
    const image = i * hPrev * wPrev * c;
    for (let oy = 0; oy < h; oy++) {
      const y0 = Math.max(oy * g.sH - g.top, 0);
      const y1 = Math.min(oy * g.sH - g.top + g.fH, hPrev);
      for (let ox = 0; ox < w; ox++) {
        const x0 = Math.max(ox * g.sW - g.left, 0);
        const x1 = Math.min(ox * g.sW - g.left + g.fW, wPrev);
        for (let ch = 0; ch < c; ch++, k += 2) {
          let best = -Infinity;
          let at = -1;
          let tied = false;
          for (let y = y0; y < y1; y++) {
            for (let x = x0; x < x1; x++) {
              const index = image + (y * wPrev + x) * c + ch;
              const v = Aprev[index];
              if (v > best) {
                best = v;
                at = index;
                tied = false;
              } else if (v === best) tied = true;
            }
          }
          out[k] = tied ? -1 : at;
          out[k + 1] = best;
        }
      }
    }
  }
}

/** create_mask_from_window: 1 where x is the window's maximum, 0 elsewhere (every tie gets a 1). */
export function createMaskFromWindow(x: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of x) if (v > max) max = v;
  return x.map((v) => (v === max ? 1 : 0));
}

/** distribute_value: dz spread evenly over an (n_H, n_W) window. */
export function distributeValue(dz: number, shape: [number, number]): Float64Array {
  const [nH, nW] = shape;
  return new Float64Array(nH * nW).fill(dz / (nH * nW));
}

/**
 * pool_backward: max pooling gives each window's dA to the entries equal to its maximum (the
 * course's mask: a tie passes it to every tied entry); average pooling spreads it evenly over the
 * window. Overwrites dAprev (m, n_H[l-1], n_W[l-1], n_C). `A`, the forward pass's output, saves
 * finding each window's maximum again.
 */
export function poolBackward(
  dA: Float64Array,
  Aprev: Float64Array,
  g: Geometry,
  m: number,
  mode: 'max' | 'average',
  dAprev: Float64Array,
  A?: Float64Array,
): void {
  const { hPrev, wPrev, c, h, w } = g;
  dAprev.fill(0, 0, m * hPrev * wPrev * c);
  let k = 0;
  for (let i = 0; i < m; i++) {
    const image = i * hPrev * wPrev * c;
    for (let oy = 0; oy < h; oy++) {
      // The real rows [y0, y1) and columns [x0, x1) the window covers.
      const y0 = Math.max(oy * g.sH - g.top, 0);
      const y1 = Math.min(oy * g.sH - g.top + g.fH, hPrev);
      for (let ox = 0; ox < w; ox++) {
        const x0 = Math.max(ox * g.sW - g.left, 0);
        const x1 = Math.min(ox * g.sW - g.left + g.fW, wPrev);
        for (let ch = 0; ch < c; ch++, k++) {
          const d = dA[k];
          if (mode === 'average') {
            const share = d / ((y1 - y0) * (x1 - x0));
            for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) dAprev[image + (y * wPrev + x) * c + ch] += share;
            continue;
          }
          // The forward pass's output is each window's maximum; without it, find it again.
          let max = A ? A[k] : -Infinity;
          if (!A) for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) max = Math.max(max, Aprev[image + (y * wPrev + x) * c + ch]);
          for (let y = y0; y < y1; y++) {
            for (let x = x0; x < x1; x++) {
              const at = image + (y * wPrev + x) * c + ch;
              if (Aprev[at] === max) dAprev[at] += d;
            }
          }
        }
      }
    }
  }
}
