/**
 * The built-in image dataset "digits": UCI's 8 × 8 handwritten digits (E. Alpaydin and C. Kaynak,
 * UCI Machine Learning Repository, CC BY 4.0; the copy scikit-learn ships as load_digits), 1,797
 * grey pictures of the digits 0 to 9. Each pixel is an integer 0..16, divided by 16 so that X lies
 * in [0, 1] like the course's pictures / 255. The pictures keep scikit-learn's order; `dev` or
 * `devFraction` splits them as any data is split.
 */
import type { Matrix } from '../matrix';
import { COUNT, DIVIDE_BY, LABELS, PIXELS } from './digits-data';
import { encodeLabels } from './labels';
import type { Dataset } from './types';

export const DIGIT_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** n_H, n_W, n_C of every picture. */
export const DIGITS_SHAPE: [number, number, number] = [8, 8, 1];

/** How many pictures the set has. */
export const DIGITS_COUNT = COUNT;

const PIXELS_PER_PICTURE = 64;
const BYTES_PER_PICTURE = 40;

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The base64 text as bytes (decoded here: the core has neither Node's Buffer nor the DOM's atob). */
function decodeBase64(text: string): Uint8Array {
  const value = new Int8Array(128).fill(-1);
  for (let i = 0; i < BASE64.length; i++) value[BASE64.charCodeAt(i)] = i;
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let n = 0;
  for (let i = 0; i < clean.length; i++) {
    buffer = (buffer << 6) | value[clean.charCodeAt(i)];
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (buffer >> bits) & 0xff;
    }
  }
  return out;
}

let pixels: Uint8Array | undefined;

/** Every picture's 64 pixels (0..16), unpacked once from their 5 bits each. */
export function digitPixels(): Uint8Array {
  if (pixels) return pixels;
  const packed = decodeBase64(PIXELS);
  const out = new Uint8Array(COUNT * PIXELS_PER_PICTURE);
  for (let i = 0; i < COUNT; i++) {
    let bit = i * BYTES_PER_PICTURE * 8;
    for (let p = 0; p < PIXELS_PER_PICTURE; p++) {
      let v = 0;
      for (let k = 0; k < 5; k++, bit++) v = (v << 1) | ((packed[bit >> 3] >> (7 - (bit & 7))) & 1);
      out[i * PIXELS_PER_PICTURE + p] = v;
    }
  }
  pixels = out;
  return out;
}

/**
 * The first `m` pictures (all 1,797 by default): X is (64, m), each column a picture row-major
 * over (8, 8, 1), pixel / 16; Y one-hot (10, m).
 */
export function digitsDataset(m: number = COUNT): Dataset {
  if (!Number.isInteger(m) || m < 10 || m > COUNT) throw new RangeError(`digits has ${COUNT} pictures: examples must be an integer from 10 to ${COUNT}; got ${m}`);
  const all = digitPixels();
  const X: Matrix = { rows: PIXELS_PER_PICTURE, cols: m, data: new Float64Array(PIXELS_PER_PICTURE * m) };
  const labels = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    labels[i] = LABELS.charCodeAt(i) - 48;
    for (let p = 0; p < PIXELS_PER_PICTURE; p++) X.data[p * m + i] = all[i * PIXELS_PER_PICTURE + p] / DIVIDE_BY;
  }
  return {
    train: { X, Y: encodeLabels(labels, 10), labels },
    classes: 10,
    classNames: [...DIGIT_CLASSES],
    imageShape: [...DIGITS_SHAPE],
    source: `digits (built-in, UCI's handwritten digits, m = ${m}, 8×8×1)`,
  };
}
