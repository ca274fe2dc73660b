#!/usr/bin/env node
// Writes the walkthrough's pictures (media/walkthrough/*.svg): each a small editor-like card with
// the text a step shows. They are SVG so they follow the user's colour theme: the walkthrough
// page defines the --vscode-* variables for SVG media. Run after changing a step's text:
//   node scripts/walkthrough-media.js
'use strict';
const fs = require('fs');
const path = require('path');

const OUT = path.join(__dirname, '..', 'media', 'walkthrough');
const W = 640;
const LINE = 22;

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// A line is a list of [text, kind] runs; kinds pick a theme colour.
const COLOURS = {
  text: 'var(--vscode-editor-foreground, #cccccc)',
  key: 'var(--vscode-symbolIcon-propertyForeground, #9cdcfe)',
  hint: 'var(--vscode-editorInlayHint-foreground, #969696)',
  lens: 'var(--vscode-editorCodeLens-foreground, #999999)',
  error: 'var(--vscode-editorError-foreground, #f14c4c)',
  message: 'var(--vscode-editorError-foreground, #f14c4c)',
  ok: 'var(--vscode-testing-iconPassed, #73c991)',
  accent: 'var(--vscode-textLink-foreground, #3794ff)',
};

function card(title, lines, extra = '', extraHeight = extra ? 150 : 0) {
  const h = 48 + lines.length * LINE + 16 + extraHeight;
  const rows = lines
    .map((runs, i) => {
      const y = 56 + i * LINE;
      const spans = runs
        .map(([text, kind]) => {
          const deco = kind === 'error' ? ' text-decoration="underline"' : '';
          return `<tspan fill="${COLOURS[kind || 'text']}"${deco}>${esc(text)}</tspan>`;
        })
        .join('');
      return `  <text x="20" y="${y}" xml:space="preserve">${spans}</text>`;
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${h}" viewBox="0 0 ${W} ${h}" font-family="var(--vscode-editor-font-family, monospace)" font-size="13">
  <rect x="0.5" y="0.5" width="${W - 1}" height="${h - 1}" rx="6" fill="var(--vscode-editor-background, #1f1f1f)" stroke="var(--vscode-editorWidget-border, #454545)"/>
  <text x="20" y="28" font-family="var(--vscode-font-family, sans-serif)" font-size="13" fill="${COLOURS.lens}">${esc(title)}</text>
${rows}
${extra}
</svg>
`;
}

// A falling cost curve for the training step, drawn under the text.
function curve(top) {
  const pts = [];
  for (let i = 0; i <= 60; i++) {
    const x = 40 + i * 7.5;
    // The cost falls: a larger cost is higher up, at a smaller y.
    const y = top + 100 - 90 * (0.25 + 0.75 * Math.exp(-i / 8));
    pts.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  }
  return `  <line x1="40" y1="${top + 100}" x2="600" y2="${top + 100}" stroke="${COLOURS.hint}"/>
  <line x1="40" y1="${top}" x2="40" y2="${top + 100}" stroke="${COLOURS.hint}"/>
  <polyline fill="none" stroke="${COLOURS.accent}" stroke-width="2" points="${pts.join(' ')}"/>
  <text x="46" y="${top + 118}" fill="${COLOURS.hint}">iterations →</text>`;
}

// The network picture: layers as boxes, the tensors between them labelled with their shapes.
function boxes(top) {
  const layers = [
    ['input', 'n[0] = 2', ''],
    ['dense 4 · tanh', 'W[1] (4, 2) · b[1] (4, 1)', '12 params'],
    ['dense 1 · sigmoid', 'W[2] (1, 4) · b[2] (1, 1)', '5 params'],
  ];
  const edges = ['A[0] (2, m)', 'A[1] (4, m)', 'A[2] (1, m)'];
  const out = [];
  layers.forEach(([kind, detail, params], i) => {
    const y = top + i * 95;
    out.push(`  <rect x="40" y="${y}" width="300" height="50" rx="5" fill="none" stroke="${COLOURS.accent}" stroke-width="1.5"/>`);
    out.push(`  <text x="56" y="${y + 21}" fill="${COLOURS.text}">${esc(kind)}</text>`);
    out.push(`  <text x="56" y="${y + 39}" fill="${COLOURS.hint}">${esc(detail)}</text>`);
    if (params) out.push(`  <text x="356" y="${y + 30}" fill="${COLOURS.lens}">${esc(params)}</text>`);
    out.push(`  <line x1="190" y1="${y + 50}" x2="190" y2="${y + 95}" stroke="${COLOURS.hint}"/>`);
    out.push(`  <text x="200" y="${y + 77}" fill="${COLOURS.key}">${esc(edges[i])}</text>`);
  });
  return out.join('\n');
}

const planar = [
  [['{', 'text']],
  [['  "input": ', 'key'], ['2,', 'text']],
  [['  "layers": [', 'key']],
  [['    { "units": 4, "activation": "tanh" },', 'text'], ['  W (4, 2) · b (4, 1) → A (4, m)', 'hint']],
  [['    { "units": 1, "activation": "sigmoid" }', 'text'], ['  W (1, 4) · b (1, 1) → A (1, m)', 'hint']],
  [['  ],', 'text']],
  [['  "data": { "builtin": "planar" }', 'text']],
  [['}', 'text']],
];

const images = {
  'create.svg': card('planar.dnn.json: 2 → 4 tanh → 1 sigmoid, from a template', planar),
  'shapes.svg': card('DNN: Show Shapes', [
    [['Layer  Type   Activation  n[l]  W[l]    b[l]    Z[l], A[l]', 'key']],
    [['0      input              2                     A[0] = X (2, m)', 'text']],
    [['1      dense  tanh        4     (4, 2)  (4, 1)  (4, m)', 'text']],
    [['2      dense  sigmoid     1     (1, 4)  (1, 1)  (1, m)', 'text']],
    [['', 'text']],
    [['Total params: 17', 'hint']],
  ]),
  'quickfix.svg': card('A mistake and its quick fix (Ctrl+.)', [
    [['{ "units": 1, "activation": "sigmoid",', 'text']],
    [['  "shapes": { "W": ', 'text'], ['[4, 1]', 'error'], [' } }', 'text']],
    [['', 'text']],
    [['W[2] must be (n[2], n[1]) = (1, 4); found (4, 1): transposed?', 'message']],
    [['Quick fix: Change W[2] to (1, 4)', 'accent']],
  ]),
  // The course's week 3 printout, which the planar template reproduces.
  'train.svg': card('DNN: Train: the cost, live', [
    [['Cost after iteration 0: 0.693048', 'text']],
    [['Cost after iteration 1000: 0.288083', 'text']],
    [['Cost after iteration 9000: 0.218607', 'text']],
  ], curve(130)),
  // From `dnn predict` with the parameters the planar template's 10,000 iterations save.
  'predict.svg': card('DNN: Predict with the trained parameters', [
    [['inputs typed: 1, 2; -2, 1', 'key']],
    [['', 'text']],
    [['prediction  probability', 'key']],
    [['0           0.0002755', 'text']],
    [['1           0.9999832', 'text']],
  ]),
  'network.svg': card('DNN: Show Network', [], boxes(50), 300),
};

fs.mkdirSync(OUT, { recursive: true });
for (const [name, svg] of Object.entries(images)) fs.writeFileSync(path.join(OUT, name), svg);
console.log(`wrote ${Object.keys(images).length} pictures to ${path.relative(process.cwd(), OUT)}`);
