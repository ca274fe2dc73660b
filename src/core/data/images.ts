/**
 * Pictures as network inputs: PNG (fast-png) and JPEG (jpeg-js) decoded from bytes, both pure
 * JavaScript so the same code runs in Node and in a browser; then resized to input.shape's
 * n_H × n_W and turned grey or RGB as n_C says. One picture becomes one column of X, row-major
 * over (n_H, n_W, n_C) like the course's `X.reshape(m, -1).T`.
 *
 * Resizing averages areas: each output pixel is the mean of the source pixels it covers (partly
 * covered ones weighted by the part), as OpenCV's INTER_AREA does. Pictures are nearly always
 * shrunk (a photo to 64×64), and bilinear sampling shrinking more than 2× reads only a few source
 * pixels per output pixel and aliases; the area mean reads every one. A picture of the right size
 * is kept exactly.
 */
import { convertIndexedToRgb, decode as decodePng, type DecodedPng } from 'fast-png';
import { decode as decodeJpeg } from 'jpeg-js';

/** A decoded picture: 8-bit RGBA, row-major. */
export interface Picture {
  width: number;
  height: number;
  rgba: Uint8Array;
}

export type PictureResult = { ok: true; picture: Picture } | { ok: false; message: string };

/** Pictures larger than this are refused before decoding (a 100-megapixel photo needs 400 MB). */
const MAX_PIXELS = 100_000_000;

export function isPng(b: Uint8Array): boolean {
  return b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
}

export function isJpeg(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

/** The file extensions of pictures, for choosing files in a folder. */
export const PICTURE_EXTENSIONS = ['.png', '.jpg', '.jpeg'] as const;

function errorText(e: unknown): string {
  const t = e instanceof Error ? e.message : String(e);
  return t.replace(/\.$/, '');
}

/** 8-bit samples of a PNG of any depth, `channels` per pixel (palettes expanded to RGB or RGBA). */
function pngSamples(png: DecodedPng): { samples: ArrayLike<number>; channels: number } {
  if (png.palette) {
    const rgb = convertIndexedToRgb(png);
    return { samples: rgb, channels: rgb.length / (png.width * png.height) };
  }
  const { width, height, channels, depth } = png;
  if (depth === 8) return { samples: png.data, channels };
  const n = width * height * channels;
  const out = new Uint8Array(n);
  if (depth === 16) {
    for (let i = 0; i < n; i++) out[i] = Math.round(png.data[i] / 257);
    return { samples: out, channels };
  }
  // 1, 2 or 4 bits per sample, packed, each row starting on a byte.
  const rowBytes = Math.ceil((width * channels * depth) / 8);
  const max = (1 << depth) - 1;
  const bytes = png.data as Uint8Array;
  for (let y = 0; y < height; y++) {
    for (let s = 0; s < width * channels; s++) {
      const bit = s * depth;
      const byte = bytes[y * rowBytes + (bit >> 3)];
      const v = (byte >> (8 - depth - (bit & 7))) & max;
      out[y * width * channels + s] = Math.round((v * 255) / max);
    }
  }
  return { samples: out, channels };
}

/** Decodes a PNG or JPEG (recognised by its first bytes, not its name) to 8-bit RGBA. */
export function decodePicture(bytes: Uint8Array): PictureResult {
  if (isPng(bytes)) {
    let png: DecodedPng;
    try {
      png = decodePng(bytes);
    } catch (e) {
      return { ok: false, message: `not a readable PNG picture: ${errorText(e)}` };
    }
    if (png.width * png.height > MAX_PIXELS) return { ok: false, message: `the picture is ${png.width}×${png.height}, more than the ${MAX_PIXELS / 1e6} megapixels allowed` };
    const { samples, channels } = pngSamples(png);
    const n = png.width * png.height;
    if (samples.length < n * channels) return { ok: false, message: 'not a readable PNG picture: its data ends early' };
    const rgba = new Uint8Array(n * 4);
    for (let i = 0; i < n; i++) {
      const s = i * channels;
      // Grey (1), grey + alpha (2), RGB (3), RGBA (4); alpha is dropped.
      const r = samples[s];
      const g = channels >= 3 ? samples[s + 1] : r;
      const b = channels >= 3 ? samples[s + 2] : r;
      rgba[i * 4] = r;
      rgba[i * 4 + 1] = g;
      rgba[i * 4 + 2] = b;
      rgba[i * 4 + 3] = 255;
    }
    return { ok: true, picture: { width: png.width, height: png.height, rgba } };
  }
  if (isJpeg(bytes)) {
    try {
      const jpg = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 1e6, maxMemoryUsageInMB: 1024 });
      if (jpg.width < 1 || jpg.height < 1) return { ok: false, message: 'not a readable JPEG picture: it has no pixels' };
      return { ok: true, picture: { width: jpg.width, height: jpg.height, rgba: jpg.data } };
    } catch (e) {
      return { ok: false, message: `not a readable JPEG picture: ${errorText(e)}` };
    }
  }
  return { ok: false, message: 'not a PNG or JPEG picture' };
}

/**
 * The picture as input values: resized to [n_H, n_W] by area averaging, grey (n_C = 1, ITU-R
 * BT.601 luma 0.299 R + 0.587 G + 0.114 B, as PIL's convert("L")) or RGB (n_C = 3), each value
 * divided by `divideBy`; row-major over (n_H, n_W, n_C).
 */
export function pictureValues(p: Picture, imageShape: readonly [number, number, number], divideBy: number): Float64Array {
  const [H, W, C] = imageShape;
  const out = new Float64Array(H * W * C);
  const sy = p.height / H;
  const sx = p.width / W;
  const acc = new Float64Array(3);
  for (let y = 0; y < H; y++) {
    const y0 = y * sy;
    const y1 = y0 + sy;
    for (let x = 0; x < W; x++) {
      const x0 = x * sx;
      const x1 = x0 + sx;
      acc.fill(0);
      let total = 0;
      for (let j = Math.floor(y0); j < Math.min(p.height, Math.ceil(y1)); j++) {
        const wy = Math.min(y1, j + 1) - Math.max(y0, j);
        for (let i = Math.floor(x0); i < Math.min(p.width, Math.ceil(x1)); i++) {
          const w = wy * (Math.min(x1, i + 1) - Math.max(x0, i));
          const k = (j * p.width + i) * 4;
          acc[0] += w * p.rgba[k];
          acc[1] += w * p.rgba[k + 1];
          acc[2] += w * p.rgba[k + 2];
          total += w;
        }
      }
      const r = acc[0] / total;
      const g = acc[1] / total;
      const b = acc[2] / total;
      const at = (y * W + x) * C;
      if (C === 1) out[at] = (0.299 * r + 0.587 * g + 0.114 * b) / divideBy;
      else {
        out[at] = r / divideBy;
        out[at + 1] = g / divideBy;
        out[at + 2] = b / divideBy;
      }
    }
  }
  return out;
}
