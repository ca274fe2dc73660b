/**
 * The training panel's HTML, as a pure function so the headless-browser tests load exactly what
 * the panel does. The page builds its own DOM (webview/layout.ts); this only sets the CSP and loads
 * the bundle.
 *
 * CSP: nothing by default; scripts only with this load's nonce; styles and images only from the
 * webview's own resource origin (`cspSource`), images also as data: URLs (canvas exports). chart.js
 * v4 injects no <style> element and sets canvas sizes through the CSSOM, which CSP allows.
 */
import { DEBUG_META } from '../../protocol';

export interface PanelHtmlOptions {
  /** `webview.cspSource`: the origin that serves files from localResourceRoots. */
  cspSource: string;
  /** URIs (as strings) of dist/webview/main.js and main.css, from `webview.asWebviewUri`. */
  scriptUri: string;
  styleUri: string;
  /** A fresh random nonce per load (base64 or hex; at least 128 bits). */
  nonce: string;
  title?: string;
  /** Turns the page's debug channel on (tests only; see DEBUG_META in src/protocol.ts). */
  debug?: boolean;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function panelHtml(o: PanelHtmlOptions): string {
  const csp = [
    "default-src 'none'",
    `style-src ${o.cspSource}`,
    `img-src ${o.cspSource} data:`,
    `font-src ${o.cspSource}`,
    `script-src 'nonce-${o.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(o.styleUri)}">
<title>${escapeAttr(o.title ?? 'DNN training')}</title>
${o.debug ? `<meta name="${DEBUG_META}" content="on">\n` : ''}</head>
<body>
<div id="app"></div>
<script nonce="${escapeAttr(o.nonce)}" src="${escapeAttr(o.scriptUri)}"></script>
</body>
</html>
`;
}
