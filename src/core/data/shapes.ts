/**
 * The built-in image dataset "shapes": pictures of a circle, a square or a triangle (classes 0,
 * 1, 2 in that order), at the size and channel count of the network's input.shape, so a picture
 * network trains on a fresh install with no files. Seeded with numpy's RandomState, so a seed
 * always draws the same pictures.
 *
 * Each picture: a background colour (each channel uniform in [0, 0.3]), a shape colour (each
 * channel uniform in [0.6, 1]), a centre uniform in the middle 40% of the picture, a size uniform
 * in [0.15, 0.3] of its smaller side; then Gaussian noise of standard deviation `noise` on every
 * value, clipped to [0, 1]. Values are already in [0, 1], like the course's pictures / 255.
 */
import type { Matrix } from '../matrix';
import { RandomState } from '../rng';
import { encodeLabels } from './labels';
import type { Dataset } from './types';

export const SHAPE_CLASSES = ['circle', 'square', 'triangle'] as const;

/** Whether the pixel centre (x, y) lies inside shape `kind` of centre (cx, cy) and size r. */
function inside(kind: number, x: number, y: number, cx: number, cy: number, r: number): boolean {
  const dx = x - cx;
  const dy = y - cy;
  if (kind === 0) return dx * dx + dy * dy <= r * r;
  // A square of the circle's area, roughly: half side 0.85 r.
  if (kind === 1) return Math.abs(dx) <= 0.85 * r && Math.abs(dy) <= 0.85 * r;
  // A triangle pointing up: apex (0, -r), base from (-r, 0.8 r) to (r, 0.8 r).
  if (dy > 0.8 * r || dy < -r) return false;
  const halfWidth = (r * (dy + r)) / (1.8 * r);
  return Math.abs(dx) <= halfWidth;
}

/**
 * `m` pictures of shape [n_H, n_W, n_C]: X is (n_H·n_W·n_C, m), each column row-major over
 * (n_H, n_W, n_C); classes are balanced (example i has class i mod 3).
 */
export function shapesDataset(m: number, noise: number, seed: number, imageShape: [number, number, number]): Dataset {
  const [h, w, c] = imageShape;
  if (!Number.isInteger(m) || m < 3) throw new RangeError(`shapes needs at least 3 examples (one per class); got ${m}`);
  if (h < 4 || w < 4) throw new RangeError(`shapes draws pictures of at least 4×4 pixels; input.shape is ${h}×${w}`);
  if (c !== 1 && c !== 3) throw new RangeError(`shapes draws grey (n_C = 1) or RGB (n_C = 3) pictures; input.shape has n_C = ${c}`);
  const rs = new RandomState(seed);
  const n = h * w * c;
  const X: Matrix = { rows: n, cols: m, data: new Float64Array(n * m) };
  const labels = new Int32Array(m);
  const side = Math.min(h, w);
  const back = new Float64Array(c);
  const front = new Float64Array(c);
  for (let i = 0; i < m; i++) {
    const kind = i % 3;
    labels[i] = kind;
    for (let k = 0; k < c; k++) back[k] = rs.uniform(0, 0.3);
    for (let k = 0; k < c; k++) front[k] = rs.uniform(0.6, 1);
    const cx = rs.uniform(0.3, 0.7) * w;
    const cy = rs.uniform(0.3, 0.7) * h;
    const r = rs.uniform(0.15, 0.3) * side;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const lit = inside(kind, x + 0.5, y + 0.5, cx, cy, r);
        for (let k = 0; k < c; k++) {
          let v = lit ? front[k] : back[k];
          if (noise > 0) v = Math.min(1, Math.max(0, v + noise * rs.standardNormal()));
          X.data[((y * w + x) * c + k) * m + i] = v;
        }
      }
    }
  }
  return {
    train: { X, Y: encodeLabels(labels, 3), labels },
    classes: 3,
    classNames: [...SHAPE_CLASSES],
    imageShape: [h, w, c],
    source: `shapes (built-in, m = ${m}, ${h}×${w}×${c}, noise ${noise}, seed ${seed})`,
  };
}
