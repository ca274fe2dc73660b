#!/usr/bin/env node
// Renders media/icon.svg to media/icon.png, the 128×128 icon the Marketplace and the Extensions
// view show (they take PNG, not SVG). Chromium draws it (playwright-core, a dev dependency, with
// the system's chromium: CHROMIUM=/path to use another). Run after editing the SVG:
//   node scripts/render-icon.js
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const media = path.join(__dirname, '..', 'media');
const svg = fs.readFileSync(path.join(media, 'icon.svg'), 'utf8');

(async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    // A transparent background outside the rounded tile.
    await page.locator('svg').screenshot({ path: path.join(media, 'icon.png'), omitBackground: true });
  } finally {
    await browser.close();
  }
  console.log('wrote media/icon.png');
})().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
