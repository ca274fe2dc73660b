/**
 * The cost and accuracy charts (chart.js): created once, given the curves of curves.ts on each
 * redraw with chart.update('none') (no animation: samples stream in up to ten times a second),
 * restyled when the theme changes, and exported with the boundary plot as one PNG.
 */
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
  type ChartDataset,
  type ChartOptions,
} from 'chart.js';
import type { Curve, Curves } from './curves';
import type { XY } from './decimate';
import { drawLegend, type LegendItem } from './boundary';
import { exact } from './format';
import type { Theme } from './theme';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend);

export interface Charts {
  cost: Chart<'line', XY[]>;
  accuracy: Chart<'line', XY[]>;
}

function baseOptions(yTitle: string): ChartOptions<'line'> {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    parsing: false,
    normalized: true,
    spanGaps: false,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    elements: { point: { radius: 0, hoverRadius: 3 }, line: { borderWidth: 1.5, tension: 0 } },
    scales: {
      x: { type: 'linear', min: 0, title: { display: true, text: 'iteration' }, ticks: { maxTicksLimit: 8 } },
      y: {
        type: 'linear',
        title: { display: true, text: yTitle },
        ticks: { maxTicksLimit: 7 },
        // The same width on both charts, so their x axes line up.
        afterFit: (scale) => {
          scale.width = 64;
        },
      },
    },
    plugins: {
      legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 2 } },
      tooltip: {
        callbacks: {
          title: (items) => (items.length ? `iteration ${items[0].parsed.x}` : ''),
          label: (item) => `${item.dataset.label}: ${item.parsed.y === null ? '—' : exact(item.parsed.y)}`,
        },
      },
    },
  };
}

export function createCharts(costCanvas: HTMLCanvasElement, accuracyCanvas: HTMLCanvasElement): Charts {
  return {
    cost: new Chart(costCanvas, { type: 'line', data: { datasets: [] }, options: baseOptions('cost') }),
    accuracy: new Chart(accuracyCanvas, { type: 'line', data: { datasets: [] }, options: baseOptions('accuracy (%)') }),
  };
}

/** Grid, ticks, titles and legend in the theme's colours and font. */
export function themeCharts(charts: Charts, theme: Theme): void {
  Chart.defaults.color = theme.muted;
  Chart.defaults.font.family = theme.font;
  Chart.defaults.borderColor = theme.grid;
  for (const chart of [charts.cost, charts.accuracy]) {
    const scales = chart.options.scales ?? {};
    for (const s of Object.values(scales)) {
      if (!s) continue;
      s.grid = { ...(s.grid ?? {}), color: theme.grid };
      s.ticks = { ...(s.ticks ?? {}), color: theme.muted };
      const t = (s as { title?: { color?: string } }).title;
      if (t) t.color = theme.muted;
    }
    const legend = chart.options.plugins?.legend;
    if (legend?.labels) legend.labels.color = theme.fg;
  }
}

function dataset(c: Curve): ChartDataset<'line', XY[]> {
  return {
    label: c.label,
    data: c.data,
    borderColor: c.color,
    backgroundColor: c.color,
    borderWidth: c.width,
    borderDash: c.dash,
    pointRadius: 0,
    // A learning-rate change: a triangle on the cost curve where the new α took effect.
    ...(c.marker ? { showLine: false, pointRadius: 6, pointHoverRadius: 7, pointStyle: 'triangle' as const, borderWidth: 2, backgroundColor: 'transparent' } : {}),
  };
}

/** Replaces the datasets (cheap: at most MAX_POINTS per curve) and redraws both charts. */
export function drawCurves(charts: Charts, curves: Curves, logScale: boolean): void {
  const { cost, accuracy } = charts;
  cost.data.datasets = curves.cost.map(dataset);
  accuracy.data.datasets = curves.accuracy.map(dataset);
  cost.options.scales!.x!.max = curves.xMax;
  accuracy.options.scales!.x!.max = curves.xMax;
  for (const c of [cost, accuracy]) (c.options.scales!.x as { title: { text: string } }).title.text = curves.xTitle;
  cost.options.scales!.y!.type = logScale ? 'logarithmic' : 'linear';
  const ay = accuracy.options.scales!.y!;
  ay.min = 0;
  ay.max = 100;
  cost.update('none');
  accuracy.update('none');
  (accuracy.canvas.parentElement as HTMLElement).hidden = curves.accuracy.length === 0;
}

/** What the exported picture says above the charts: the file, and the run's settings and outcome. */
export interface PngCaption {
  title: string;
  lines: string[];
}

/** Width of the exported PNG, in pixels: a full-HD slide. */
export const PNG_WIDTH = 1920;

/**
 * The visible charts on the theme's background as one PNG at slide resolution (PNG_WIDTH wide),
 * with a caption: the charts are redrawn at a higher pixel ratio for it (`redrawBoundary` does
 * the same for the boundary plot), then put back. A transparent PNG is unreadable elsewhere.
 */
/** The exported PNG as a data URL, and where its boundary legend is (pixels), if it has one. */
export interface ExportedPng {
  dataUrl: string;
  legend?: { x: number; y: number; width: number; height: number };
}

export function chartsPng(charts: Charts, boundary: HTMLCanvasElement | undefined, theme: Theme, caption: PngCaption, legend: readonly LegendItem[], redrawBoundary: (dpr: number) => void): ExportedPng {
  const visible = (c: HTMLCanvasElement) => c.clientWidth > 0 && c.clientHeight > 0 && !(c.parentElement as HTMLElement).hidden && !(c.closest('[hidden]'));
  const stacked = [charts.cost, charts.accuracy].filter((c) => visible(c.canvas));
  const withBoundary = boundary !== undefined && visible(boundary);
  const cssW = Math.max(...stacked.map((c) => c.canvas.clientWidth)) + (withBoundary ? boundary.clientWidth + 16 : 0);
  const scale = Math.max(1, PNG_WIDTH / Math.max(1, cssW));
  try {
    for (const c of stacked) {
      c.options.devicePixelRatio = scale;
      c.resize();
    }
    if (withBoundary) redrawBoundary(scale);
    const chartsW = Math.max(...stacked.map((c) => c.canvas.width));
    const chartsH = stacked.reduce((h, c) => h + c.canvas.height, 0);
    const captionH = Math.round((28 + 20 * caption.lines.length) * scale);
    // The boundary's legend goes under it, on one line, as the page shows it under the plot.
    const legendH = withBoundary && legend.length > 0 ? Math.round(28 * scale) : 0;
    const out = document.createElement('canvas');
    out.width = Math.max(PNG_WIDTH, chartsW + (withBoundary ? Math.round(16 * scale) + boundary.width : 0));
    out.height = captionH + Math.max(chartsH, withBoundary ? boundary.height + legendH : 0) + Math.round(8 * scale);
    const ctx = out.getContext('2d')!;
    const [r, g, b] = theme.background;
    ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
    ctx.fillRect(0, 0, out.width, out.height);
    const [fr, fg, fb] = theme.foreground;
    ctx.fillStyle = `rgb(${fr}, ${fg}, ${fb})`;
    ctx.textBaseline = 'top';
    ctx.font = `600 ${Math.round(20 * scale)}px ${theme.font}`;
    ctx.fillText(caption.title, Math.round(12 * scale), Math.round(8 * scale));
    ctx.font = `${Math.round(13 * scale)}px ${theme.font}`;
    caption.lines.forEach((l, k) => ctx.fillText(l, Math.round(12 * scale), Math.round((34 + 20 * k) * scale)));
    let y = captionH;
    for (const c of stacked) {
      ctx.drawImage(c.canvas, 0, y);
      y += c.canvas.height;
    }
    let legendBox: ExportedPng['legend'];
    if (withBoundary) {
      const x = chartsW + Math.round(16 * scale);
      ctx.drawImage(boundary, x, captionH);
      if (legendH > 0) {
        const y = captionH + boundary.height;
        const width = drawLegend(ctx, legend, x + Math.round(8 * scale), y + legendH / 2, scale, theme.font, theme.foreground);
        legendBox = { x, y, width: Math.round(width + 8 * scale), height: legendH };
      }
    }
    return { dataUrl: out.toDataURL('image/png'), ...(legendBox ? { legend: legendBox } : {}) };
  } finally {
    for (const c of stacked) {
      c.options.devicePixelRatio = undefined;
      c.resize();
    }
    if (withBoundary) redrawBoundary(window.devicePixelRatio || 1);
  }
}
