#!/usr/bin/env node
// Copies the README's pictures from the editor tier's screenshots (test-output/, written by
// test/e2e/run-in-vscode.js from the real editor with the installed .vsix) to media/screenshots/,
// so the README shows the extension as it is. Run after `npm run test:editor`, look at each
// picture, then commit them:
//   node scripts/readme-screenshots.js
// The pictures are not packaged (.vscodeignore): the Marketplace shows the README's images from
// the repository.
'use strict';
const fs = require('fs');
const path = require('path');

const REPO = path.join(__dirname, '..');
const FROM = path.join(REPO, 'test-output');
const TO = path.join(REPO, 'media', 'screenshots');

// README picture <- the UI check's screenshot.
const PICTURES = {
  'diagnostics.png': 'editor-dark.png', // squiggles, inlay hints, CodeLens, the Problems panel
  'quickfix.png': 'editor-quickfix-dark.png', // the transposed W's quick fix
  'hover.png': 'editor-hover-dark.png', // a layer's shapes and formulas
  'training.png': 'training-panel-dark.png', // the training panel after a planar run
  'network.png': 'network-dark.png', // Show Network on a conv network
};

const missing = Object.values(PICTURES).filter((f) => !fs.existsSync(path.join(FROM, f)));
if (missing.length) {
  console.error(`not in test-output/: ${missing.join(', ')}; run npm run test:editor first`);
  process.exit(1);
}
fs.mkdirSync(TO, { recursive: true });
for (const [to, from] of Object.entries(PICTURES)) {
  fs.copyFileSync(path.join(FROM, from), path.join(TO, to));
  console.log(`media/screenshots/${to} <- test-output/${from}`);
}
