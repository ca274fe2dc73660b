/**
 * Image data on the page: a grid of sample pictures with the predicted and the true class (the
 * mislabelled ones first and framed, as the course's print_mislabeled_images lists them), and the
 * confusion matrix of the whole set. Drawn on canvases with the theme's colours; the pictures
 * themselves keep their own colours, scaled up without smoothing so a 32 × 32 picture stays sharp.
 */
import type { PictureSamples } from '../src/protocol';
import type { RGB } from './boundary';
import { confusionCell, pictureLabel } from './format';

export interface PictureColors {
  foreground: RGB;
  background: RGB;
  /** Frames the mislabelled pictures and marks their label. */
  wrong: RGB;
  /** Shades the confusion matrix's cells. */
  accent: RGB;
  font: string;
}

/** A picture's side on the page (CSS pixels), and room for its two label lines under it. */
const CELL = 88;
const LABEL_LINES = 2;
const LINE = 14;
const GAP = 10;

function css(c: RGB, alpha = 1): string {
  return `rgba(${Math.round(c[0])}, ${Math.round(c[1])}, ${Math.round(c[2])}, ${alpha})`;
}

/** Sizes `canvas` to `w` × `h` CSS pixels at the screen's resolution and returns its context. */
function sized(canvas: HTMLCanvasElement, w: number, h: number, dpr: number): CanvasRenderingContext2D | undefined {
  canvas.style.height = `${h}px`;
  canvas.width = Math.max(1, Math.round(w * dpr));
  canvas.height = Math.max(1, Math.round(h * dpr));
  const ctx = canvas.getContext('2d');
  if (!ctx) return undefined;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

/** One picture of `s` as an offscreen canvas at its own size. */
function pictureCanvas(s: PictureSamples, n: number): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = s.width;
  c.height = s.height;
  const ctx = c.getContext('2d')!;
  const img = ctx.createImageData(s.width, s.height);
  const size = s.width * s.height * s.channels;
  for (let p = 0; p < s.width * s.height; p++) {
    const at = n * size + p * s.channels;
    const r = s.pixels[at];
    img.data[4 * p] = r;
    img.data[4 * p + 1] = s.channels === 3 ? s.pixels[at + 1] : r;
    img.data[4 * p + 2] = s.channels === 3 ? s.pixels[at + 2] : r;
    img.data[4 * p + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return c;
}

/** Fits `text` into `width` pixels, cutting it with an ellipsis. */
function fit(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let t = text;
  while (t.length > 1 && ctx.measureText(`${t}…`).width > width) t = t.slice(0, -1);
  return `${t}…`;
}

/** The grid of pictures, as many a row as the canvas's width holds. Returns how many it drew. */
export function drawPictures(canvas: HTMLCanvasElement, s: PictureSamples, colors: PictureColors, dpr = window.devicePixelRatio || 1): number {
  const n = s.predicted.length;
  const width = Math.max(CELL + GAP, canvas.clientWidth);
  const perRow = Math.max(1, Math.floor((width + GAP) / (CELL + GAP)));
  const rows = Math.ceil(n / perRow);
  const cellH = CELL + LABEL_LINES * LINE + 4;
  const ctx = sized(canvas, width, Math.max(1, rows * (cellH + GAP)), dpr);
  if (!ctx) return 0;
  ctx.clearRect(0, 0, width, rows * (cellH + GAP));
  ctx.imageSmoothingEnabled = false;
  ctx.font = `11px ${colors.font}`;
  ctx.textBaseline = 'top';
  for (let i = 0; i < n; i++) {
    const x = (i % perRow) * (CELL + GAP);
    const y = Math.floor(i / perRow) * (cellH + GAP);
    // The picture's longer side fills the cell; the other keeps its proportion.
    const scale = CELL / Math.max(s.width, s.height);
    const pw = s.width * scale;
    const ph = s.height * scale;
    ctx.drawImage(pictureCanvas(s, i), x + (CELL - pw) / 2, y + (CELL - ph) / 2, pw, ph);
    const label = pictureLabel(s, i);
    ctx.lineWidth = label.wrong ? 3 : 1;
    ctx.strokeStyle = label.wrong ? css(colors.wrong) : css(colors.foreground, 0.35);
    ctx.strokeRect(x + ctx.lineWidth / 2, y + ctx.lineWidth / 2, CELL - ctx.lineWidth, CELL - ctx.lineWidth);
    ctx.fillStyle = label.wrong ? css(colors.wrong) : css(colors.foreground);
    ctx.fillText(fit(ctx, label.predicted, CELL), x, y + CELL + 3);
    ctx.fillStyle = css(colors.foreground, 0.75);
    ctx.fillText(fit(ctx, label.actual, CELL), x, y + CELL + 3 + LINE);
  }
  return n;
}

/**
 * The confusion matrix: a row per true class, a column per predicted class, each cell's count
 * written on a shade that grows with its share of the row. Returns the number of classes drawn.
 */
export function drawConfusion(canvas: HTMLCanvasElement, s: PictureSamples, colors: PictureColors, dpr = window.devicePixelRatio || 1): number {
  const k = s.classNames.length;
  const cell = k <= 6 ? 44 : k <= 12 ? 30 : 18;
  const fontPx = k <= 12 ? 11 : 9;
  const probe = canvas.getContext('2d');
  if (!probe) return 0;
  probe.font = `${fontPx}px ${colors.font}`;
  // Room for the class names on the left (at most 90 pixels) and the axis titles.
  const nameW = Math.min(90, Math.max(...s.classNames.map((c) => probe.measureText(c).width)) + 6);
  const left = nameW + LINE + 4;
  const top = LINE + 4 + LINE + 2;
  const width = left + k * cell + 4;
  const height = top + k * cell + 4;
  canvas.style.width = `${width}px`;
  const ctx = sized(canvas, width, height, dpr);
  if (!ctx) return 0;
  ctx.clearRect(0, 0, width, height);
  ctx.font = `${fontPx}px ${colors.font}`;
  ctx.fillStyle = css(colors.foreground);
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'center';
  ctx.fillText('predicted', left + (k * cell) / 2, LINE / 2 + 2);
  ctx.save();
  ctx.translate(LINE / 2 + 2, top + (k * cell) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText('true', 0, 0);
  ctx.restore();
  for (let p = 0; p < k; p++) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(left + p * cell, LINE + 4, cell, LINE + 2);
    ctx.clip();
    ctx.fillText(s.classNames[p], left + p * cell + cell / 2, LINE + 4 + LINE / 2 + 1);
    ctx.restore();
  }
  for (let t = 0; t < k; t++) {
    ctx.textAlign = 'right';
    ctx.fillStyle = css(colors.foreground);
    ctx.fillText(fit(ctx, s.classNames[t], nameW - 6), left - 6, top + t * cell + cell / 2);
    ctx.textAlign = 'center';
    for (let p = 0; p < k; p++) {
      const c = confusionCell(s, t, p);
      const x = left + p * cell;
      const y = top + t * cell;
      ctx.fillStyle = css(t === p ? colors.accent : colors.wrong, 0.08 + 0.8 * c.share);
      ctx.fillRect(x, y, cell, cell);
      ctx.strokeStyle = css(colors.foreground, 0.25);
      ctx.lineWidth = 1;
      ctx.strokeRect(x + 0.5, y + 0.5, cell - 1, cell - 1);
      // Dark text on a strong shade, the theme's text on a light one.
      ctx.fillStyle = c.share > 0.55 ? css(colors.background) : css(colors.foreground);
      if (cell >= 18) ctx.fillText(String(c.count), x + cell / 2, y + cell / 2);
    }
  }
  return k;
}
