/**
 * The decision boundary of a 2-D input: the network's output on a grid drawn as a heatmap, the
 * training examples on top as dots coloured by their label (the course's planar plot).
 */
import type { BoundaryGrid, ScatterData } from '../src/protocol';

export type RGB = [number, number, number];

export interface BoundaryColors {
  /** One colour per class; class 0 and class 1 for binary labels. */
  classes: RGB[];
  /** Dot outlines and axis text. */
  foreground: RGB;
  background: RGB;
  /** CSS font family for the axis labels (a canvas font cannot use var()). */
  font: string;
}

/** Margin around the plot, in CSS pixels, for the axis labels. */
const PAD = { left: 40, right: 8, top: 8, bottom: 26 };

function mix(a: RGB, b: RGB, t: number): RGB {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

function css(c: RGB, alpha = 1): string {
  return `rgba(${Math.round(c[0])}, ${Math.round(c[1])}, ${Math.round(c[2])}, ${alpha})`;
}

/** The plot's data range: the grid's when there is one, else the points' with a 10% margin. */
function extent(points: ScatterData | undefined, grid: BoundaryGrid | undefined): [number, number, number, number] {
  if (grid) return [grid.xMin, grid.xMax, grid.yMin, grid.yMax];
  if (!points || points.x.length === 0) return [-1, 1, -1, 1];
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < points.x.length; i++) {
    x0 = Math.min(x0, points.x[i]); x1 = Math.max(x1, points.x[i]);
    y0 = Math.min(y0, points.y[i]); y1 = Math.max(y1, points.y[i]);
  }
  const mx = (x1 - x0) * 0.1 || 1;
  const my = (y1 - y0) * 0.1 || 1;
  return [x0 - mx, x1 + mx, y0 - my, y1 + my];
}

/** Where the plot sits in the canvas, in CSS pixels, and how data coordinates map onto it. */
interface Frame {
  pw: number;
  ph: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  px(x: number): number;
  py(y: number): number;
}

/**
 * Draws into `canvas` at its CSS size times devicePixelRatio. The heatmap is painted at the grid's
 * resolution into an offscreen canvas and scaled up with smoothing, which makes a 60 x 60 grid look
 * continuous at any panel size for the cost of 3,600 pixels.
 */
export function drawBoundary(
  canvas: HTMLCanvasElement,
  points: ScatterData | undefined,
  grid: BoundaryGrid | undefined,
  colors: BoundaryColors,
  /** Device pixels per CSS pixel: the screen's, or more for an export at slide resolution. */
  dpr = window.devicePixelRatio || 1,
): void {
  const w = Math.max(1, canvas.clientWidth);
  const h = Math.max(1, canvas.clientHeight);
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);

  const [x0, x1, y0, y1] = extent(points, grid);
  const pw = w - PAD.left - PAD.right;
  const ph = h - PAD.top - PAD.bottom;
  if (pw < 10 || ph < 10) return;
  const frame: Frame = {
    pw, ph, x0, x1, y0, y1,
    px: (x) => PAD.left + ((x - x0) / (x1 - x0)) * pw,
    py: (y) => PAD.top + (1 - (y - y0) / (y1 - y0)) * ph,
  };
  if (grid && grid.nx > 0 && grid.ny > 0 && grid.values.length >= grid.nx * grid.ny && drawHeatmap(ctx, grid, colors, frame)) {
    if (grid.kind === 'probability') drawContour(ctx, grid, colors, frame);
  }
  if (points) drawDots(ctx, points, colors, frame);
  drawAxes(ctx, colors, frame);
}

/** The grid's colour per cell, scaled up smoothly over the plot; false when no canvas is to be had. */
function drawHeatmap(ctx: CanvasRenderingContext2D, grid: BoundaryGrid, colors: BoundaryColors, f: Frame): boolean {
  const [c0, c1] = [colors.classes[0], colors.classes[1] ?? colors.classes[0]];
  const off = document.createElement('canvas');
  off.width = grid.nx;
  off.height = grid.ny;
  const octx = off.getContext('2d');
  if (!octx) return false;
  const img = octx.createImageData(grid.nx, grid.ny);
  for (let j = 0; j < grid.ny; j++) {
    // Grid row 0 is the bottom of the plot; image row 0 is the top.
    const row = grid.ny - 1 - j;
    for (let i = 0; i < grid.nx; i++) {
      const v = grid.values[j * grid.nx + i];
      let c: RGB;
      if (grid.kind === 'probability') {
        // Pale tints, darker where the network is sure, so the dots stay readable on top.
        const p = Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0.5;
        const tint = mix(c0, c1, p);
        const sure = Math.abs(p - 0.5) * 2;
        c = mix(colors.background, tint, 0.15 + 0.3 * sure);
      } else {
        const k = Math.max(0, Math.min(colors.classes.length - 1, Math.round(v)));
        c = mix(colors.background, colors.classes[k], 0.35);
      }
      const o = (row * grid.nx + i) * 4;
      img.data[o] = c[0];
      img.data[o + 1] = c[1];
      img.data[o + 2] = c[2];
      img.data[o + 3] = 255;
    }
  }
  octx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(off, PAD.left, PAD.top, f.pw, f.ph);
  return true;
}

/**
 * The 0.5 contour, where the prediction flips: marching squares over the cell centres, each
 * crossing placed by linear interpolation, stroked twice (a halo in the background colour, then
 * the foreground) so it stands out on every tint in light, dark and high-contrast themes.
 */
function drawContour(ctx: CanvasRenderingContext2D, grid: BoundaryGrid, colors: BoundaryColors, f: Frame): void {
  const cw = f.pw / grid.nx;
  const ch = f.ph / grid.ny;
  const X = (i: number) => PAD.left + (i + 0.5) * cw;
  const Y = (j: number) => PAD.top + f.ph - (j + 0.5) * ch;
  const v = (i: number, j: number) => {
    const x = grid.values[j * grid.nx + i];
    return Number.isFinite(x) ? x - 0.5 : -0.5;
  };
  const segments: number[] = [];
  for (let j = 0; j + 1 < grid.ny; j++) {
    for (let i = 0; i + 1 < grid.nx; i++) {
      const a = v(i, j), b = v(i + 1, j), c = v(i + 1, j + 1), d = v(i, j + 1);
      const pts: number[] = [];
      // Edges bottom (a-b), right (b-c), top (d-c), left (a-d): where the sign changes.
      if (a >= 0 !== b >= 0) pts.push(X(i + a / (a - b)), Y(j));
      if (b >= 0 !== c >= 0) pts.push(X(i + 1), Y(j + b / (b - c)));
      if (d >= 0 !== c >= 0) pts.push(X(i + d / (d - c)), Y(j + 1));
      if (a >= 0 !== d >= 0) pts.push(X(i), Y(j + a / (a - d)));
      for (let k = 0; k + 3 < pts.length; k += 4) segments.push(pts[k], pts[k + 1], pts[k + 2], pts[k + 3]);
    }
  }
  const stroke = (style: string, width: number) => {
    ctx.strokeStyle = style;
    ctx.lineWidth = width;
    ctx.lineCap = 'round';
    ctx.beginPath();
    for (let k = 0; k < segments.length; k += 4) {
      ctx.moveTo(segments[k], segments[k + 1]);
      ctx.lineTo(segments[k + 2], segments[k + 3]);
    }
    ctx.stroke();
  };
  stroke(css(colors.background, 0.7), 4);
  stroke(css(colors.foreground, 0.95), 1.75);
}

/**
 * The network's output at a point of the plane, from the grid (bilinear between cell centres,
 * the nearest centre at the edges): what a click on the plot shows. Undefined off the grid.
 */
export function valueAt(grid: BoundaryGrid, x: number, y: number): number | undefined {
  if (!(x >= grid.xMin && x <= grid.xMax && y >= grid.yMin && y <= grid.yMax)) return undefined;
  const fx = Math.min(grid.nx - 1, Math.max(0, ((x - grid.xMin) / (grid.xMax - grid.xMin)) * grid.nx - 0.5));
  const fy = Math.min(grid.ny - 1, Math.max(0, ((y - grid.yMin) / (grid.yMax - grid.yMin)) * grid.ny - 0.5));
  const i = Math.min(grid.nx - 2, Math.floor(fx));
  const j = Math.min(grid.ny - 2, Math.floor(fy));
  if (i < 0 || j < 0) return grid.values[0];
  const at = (a: number, b: number) => grid.values[b * grid.nx + a];
  if (grid.kind === 'class') return at(Math.round(fx), Math.round(fy));
  const tx = fx - i;
  const ty = fy - j;
  return (at(i, j) * (1 - tx) + at(i + 1, j) * tx) * (1 - ty) + (at(i, j + 1) * (1 - tx) + at(i + 1, j + 1) * tx) * ty;
}

/** The data coordinates under a point of the canvas (CSS pixels), for a click on the plot. */
export function dataAt(canvas: { clientWidth: number; clientHeight: number }, points: ScatterData | undefined, grid: BoundaryGrid | undefined, cx: number, cy: number): { x: number; y: number } | undefined {
  const [x0, x1, y0, y1] = extent(points, grid);
  const pw = canvas.clientWidth - PAD.left - PAD.right;
  const ph = canvas.clientHeight - PAD.top - PAD.bottom;
  const tx = (cx - PAD.left) / pw;
  const ty = 1 - (cy - PAD.top) / ph;
  if (!(tx >= 0 && tx <= 1 && ty >= 0 && ty <= 1)) return undefined;
  return { x: x0 + tx * (x1 - x0), y: y0 + ty * (y1 - y0) };
}

/** The training examples as filled dots, the dev examples as hollow diamonds, coloured by label. */
function drawDots(ctx: CanvasRenderingContext2D, points: ScatterData, colors: BoundaryColors, f: Frame): void {
  const r = points.x.length > 2000 ? 1.5 : 3;
  ctx.lineWidth = 0.75;
  ctx.strokeStyle = css(colors.foreground, 0.8);
  const color = (label: number) => colors.classes[Math.max(0, Math.min(colors.classes.length - 1, label | 0))];
  for (let i = 0; i < points.x.length; i++) {
    ctx.fillStyle = css(color(points.label[i]));
    ctx.beginPath();
    ctx.arc(f.px(points.x[i]), f.py(points.y[i]), r, 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
  }
  const dev = points.dev;
  if (!dev) return;
  const d = r + 2;
  ctx.lineWidth = 2;
  for (let i = 0; i < dev.x.length; i++) {
    const x = f.px(dev.x[i]);
    const y = f.py(dev.y[i]);
    ctx.beginPath();
    ctx.moveTo(x, y - d);
    ctx.lineTo(x + d, y);
    ctx.lineTo(x, y + d);
    ctx.lineTo(x - d, y);
    ctx.closePath();
    ctx.strokeStyle = css(colors.background, 0.9);
    ctx.lineWidth = 3.5;
    ctx.stroke();
    ctx.strokeStyle = css(color(dev.label[i]));
    ctx.lineWidth = 2;
    ctx.stroke();
  }
}

/** Frame and the extreme values on each axis: enough to read the scale, no clutter. */
function drawAxes(ctx: CanvasRenderingContext2D, colors: BoundaryColors, f: Frame): void {
  const { pw, ph } = f;
  ctx.strokeStyle = css(colors.foreground, 0.4);
  ctx.lineWidth = 1;
  ctx.strokeRect(PAD.left + 0.5, PAD.top + 0.5, pw - 1, ph - 1);
  ctx.fillStyle = css(colors.foreground, 0.95);
  ctx.font = `12px ${colors.font}`;
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  ctx.fillText(fmt(f.x0), PAD.left, PAD.top + ph + 4);
  ctx.textAlign = 'right';
  ctx.fillText(fmt(f.x1), PAD.left + pw, PAD.top + ph + 4);
  ctx.textAlign = 'center';
  ctx.fillText('x₁', PAD.left + pw / 2, PAD.top + ph + 4);
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  ctx.fillText(fmt(f.y1), PAD.left - 4, PAD.top + 6);
  ctx.fillText(fmt(f.y0), PAD.left - 4, PAD.top + ph - 6);
  ctx.fillText('x₂', PAD.left - 4, PAD.top + ph / 2);
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1);
}

/** One entry of the boundary's legend: a class colour, train dots, dev diamonds, the contour. */
export interface LegendItem {
  mark: 'dot' | 'plain' | 'diamond' | 'line';
  color: RGB;
  text: string;
}

/** What the legend under the boundary says, the same on the page and in the exported PNG. */
export function legendItems(points: ScatterData | undefined, grid: BoundaryGrid | undefined, classes: readonly RGB[], foreground: RGB): LegendItem[] {
  if (!points) return [];
  const items: LegendItem[] = Array.from({ length: points.classes }, (_, k) => ({ mark: 'dot' as const, color: classes[k % classes.length], text: `class ${k}` }));
  items.push({ mark: 'plain', color: foreground, text: 'train' });
  if (points.dev) items.push({ mark: 'diamond', color: foreground, text: 'dev' });
  if (grid?.kind === 'probability') items.push({ mark: 'line', color: foreground, text: 'p = 0.5' });
  return items;
}

/**
 * Draws the legend on one line from (x, y) at `scale` (the PNG's), marks as the page's CSS draws
 * them. Returns the width it took.
 */
export function drawLegend(ctx: CanvasRenderingContext2D, items: readonly LegendItem[], x: number, y: number, scale: number, font: string, textColor: RGB): number {
  const s = (v: number) => v * scale;
  const rgb = (c: RGB) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
  ctx.save();
  ctx.font = `${Math.round(s(13))}px ${font}`;
  ctx.textBaseline = 'middle';
  let at = x;
  for (const item of items) {
    ctx.fillStyle = rgb(item.color);
    ctx.strokeStyle = rgb(item.color);
    ctx.lineWidth = s(1.5);
    ctx.beginPath();
    if (item.mark === 'dot') {
      ctx.arc(at + s(5), y, s(5), 0, 2 * Math.PI);
      ctx.fill();
    } else if (item.mark === 'plain') {
      ctx.arc(at + s(5), y, s(4), 0, 2 * Math.PI);
      ctx.stroke();
    } else if (item.mark === 'diamond') {
      ctx.lineWidth = s(2);
      ctx.moveTo(at + s(5), y - s(5));
      ctx.lineTo(at + s(10), y);
      ctx.lineTo(at + s(5), y + s(5));
      ctx.lineTo(at, y);
      ctx.closePath();
      ctx.stroke();
    } else {
      ctx.fillRect(at, y - s(1), s(14), s(2));
    }
    const markW = item.mark === 'line' ? s(14) : s(10);
    ctx.fillStyle = rgb(textColor);
    ctx.fillText(item.text, at + markW + s(5), y);
    at += markW + s(5) + ctx.measureText(item.text).width + s(14);
  }
  ctx.restore();
  return at - x;
}
