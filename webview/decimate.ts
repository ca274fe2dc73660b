/**
 * Min/max decimation for streamed curves: a 100,000-iteration run keeps every sample in memory but
 * draws at most `maxPoints` of them, so each redraw costs the same however long the run gets.
 *
 * Why min/max rather than LTTB: a cost curve's story is often a single spike (a learning rate that
 * is too large, a bad mini-batch). Splitting the samples into maxPoints / 2 equal index buckets and
 * keeping, in x order, the lowest and the highest sample of each bucket keeps every spike and every
 * dip visible, and every drawn point is a real sample (tooltips show exact values). The first and
 * the last sample are always kept so the curve starts and ends where the run does.
 */

export interface XY {
  x: number;
  y: number | null;
}

/**
 * Indices of the samples to draw: all of them when there are at most `maxPoints`, else the first,
 * the last, and the lowest and highest finite sample of each of (maxPoints - 2) / 2 equal index
 * buckets, in index order. A sample that is NaN or infinite is a gap: never a bucket's min or max,
 * and a bucket with nothing else keeps one gap so the line breaks there too.
 */
export function minMaxIndices(ys: ArrayLike<number>, maxPoints: number): number[] {
  const n = ys.length;
  const out: number[] = [];
  if (n <= maxPoints || maxPoints < 4) {
    for (let i = 0; i < n; i++) out.push(i);
    return out;
  }
  const buckets = Math.floor((maxPoints - 2) / 2);
  const inner = n - 2;
  out.push(0);
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * inner) / buckets);
    const end = 1 + Math.floor(((b + 1) * inner) / buckets);
    let lo = -1;
    let hi = -1;
    for (let i = start; i < end; i++) {
      const y = ys[i];
      if (!Number.isFinite(y)) continue;
      if (lo < 0 || y < ys[lo]) lo = i;
      if (hi < 0 || y > ys[hi]) hi = i;
    }
    if (lo < 0) {
      if (end > start) out.push(start);
      continue;
    }
    out.push(Math.min(lo, hi));
    if (hi !== lo) out.push(Math.max(lo, hi));
  }
  out.push(n - 1);
  return out;
}

/** The points to draw for samples sorted by x (see minMaxIndices); gaps come out as y = null. */
export function minMaxDecimate(xs: ArrayLike<number>, ys: ArrayLike<number>, maxPoints: number): XY[] {
  if (xs.length !== ys.length) throw new Error(`${xs.length} x values for ${ys.length} y values`);
  return minMaxIndices(ys, maxPoints).map((i) => ({
    x: xs[i],
    y: Number.isFinite(ys[i]) ? ys[i] : null,
  }));
}

/** A growable column of doubles (amortised O(1) push), for the samples of one curve. */
export class Column {
  private buf: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buf = new Float64Array(capacity);
  }

  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }

  /** A view of the filled part (no copy; valid until the next push). */
  view(): Float64Array {
    return this.buf.subarray(0, this.length);
  }

  last(): number | undefined {
    return this.length > 0 ? this.buf[this.length - 1] : undefined;
  }
}
