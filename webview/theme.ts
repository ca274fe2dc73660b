/**
 * Colours and font from VS Code's --vscode-* CSS variables, so light, dark and high-contrast
 * themes all work; the page reads them again when the theme changes (main.ts watches the body).
 */
import type { RGB } from './boundary';
import type { CurvePalette } from './curves';

export interface Theme extends CurvePalette {
  fg: string;
  muted: string;
  grid: string;
  font: string;
  /** Decision-boundary colours: one per class, dot outlines and text, the plot's background. */
  classes: RGB[];
  foreground: RGB;
  background: RGB;
}

const probe = document.createElement('canvas').getContext('2d');

/** A CSS colour as [r, g, b], whatever notation the theme uses (the canvas normalises it). */
function rgb(color: string, fallback: RGB): RGB {
  if (!probe || !color) return fallback;
  probe.fillStyle = '#000000';
  probe.fillStyle = color;
  const s = String(probe.fillStyle);
  if (s.startsWith('#') && s.length === 7) {
    return [parseInt(s.slice(1, 3), 16), parseInt(s.slice(3, 5), 16), parseInt(s.slice(5, 7), 16)];
  }
  const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/.exec(s);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : fallback;
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function withAlpha(c: string, alpha: number): string {
  const [r, g, b] = rgb(c, [128, 128, 128]);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** The theme in force now; fallbacks are Dark+'s values. */
export function readTheme(): Theme {
  const fg = cssVar('--vscode-foreground', '#cccccc');
  const hc = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  const blue = cssVar('--vscode-charts-blue', '#3794ff');
  const red = cssVar('--vscode-charts-red', '#f14c4c');
  const green = cssVar('--vscode-charts-green', '#89d185');
  const yellow = cssVar('--vscode-charts-yellow', '#cca700');
  const orange = cssVar('--vscode-charts-orange', '#d18616');
  const purple = cssVar('--vscode-charts-purple', '#b180d7');
  return {
    fg,
    muted: cssVar('--vscode-descriptionForeground', fg),
    // High contrast themes need grid lines a user can actually see.
    grid: hc ? withAlpha(fg, 0.35) : withAlpha(fg, 0.12),
    font: cssVar('--vscode-font-family', 'sans-serif'),
    cost: blue,
    devCost: orange,
    trainAcc: green,
    devAcc: purple,
    history: [purple, yellow, green, red].map((c) => withAlpha(c, hc ? 0.9 : 0.6)),
    classes: [red, blue, green, yellow, purple, orange].map((c) => rgb(c, [128, 128, 128])),
    foreground: rgb(fg, [204, 204, 204]),
    background: rgb(cssVar('--vscode-editor-background', '#1e1e1e'), [30, 30, 30]),
  };
}
