/**
 * Image data on the training page, in headless chromium: the grid of dev pictures with predicted
 * and true classes (the mislabelled ones framed and first), the confusion matrix, and epochs and
 * examples per second in the stats, in light, dark and high-contrast themes. Screenshots go to
 * test-output/webview-<theme>-pictures.png, to be looked at.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import type { PictureSamples } from '../../src/protocol';
import { haveChromium, launch, openPage, OUT, CHROMIUM } from './harness';

const skip = haveChromium() || process.env.CI ? false : `no chromium at ${CHROMIUM} (apt-get install chromium)`;

const SIDE = 16;

/** A 16 × 16 grey picture of class 0 (a circle), 1 (a square) or 2 (a triangle), white on black. */
function drawing(cls: number, shift: number): number[] {
  const out: number[] = [];
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const dx = x - 7.5 - shift;
      const dy = y - 7.5;
      const inside = cls === 0 ? dx * dx + dy * dy < 30 : cls === 1 ? Math.abs(dx) < 5 && Math.abs(dy) < 5 : dy > -6 && dy < 5 && Math.abs(dx) < (dy + 6) / 2;
      out.push(inside ? 255 : 20);
    }
  }
  return out;
}

/** 12 dev pictures of three shapes; pictures 0 and 1 are mislabelled (a triangle called a square, a circle called a triangle). */
function samples(): PictureSamples {
  const actual = [2, 0, 0, 1, 2, 0, 1, 2, 0, 1, 2, 1];
  const predicted = [1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 1];
  return {
    set: 'dev',
    iteration: 14,
    height: SIDE,
    width: SIDE,
    channels: 1,
    classNames: ['circle', 'square', 'triangle'],
    pixels: actual.flatMap((c, i) => drawing(c, (i % 3) - 1)),
    predicted,
    actual,
    index: actual.map((_, i) => i * 5),
    confusion: [190, 3, 7, 2, 195, 3, 4, 6, 190],
    total: 600,
    mislabelled: 25,
  };
}

const settings = { learningRate: 0.003, iterations: 15, optimizer: 'adam' as const };

describe('image data on the training page', { skip }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    test(`${theme}: the grid shows each picture with its predicted and true class, the mislabelled framed first, and the confusion matrix`, async () => {
      const h = await openPage(browser, { theme, width: 1000, height: 1000 });
      await h.waitForPosted((m) => m.type === 'ready');
      await h.send({ type: 'init', file: 'file:///ws/shapes-conv.dnn.json', title: 'shapes (convolutional)', settings, twoD: false, running: false });
      await h.send({ type: 'runStarted', runId: 4, settings, hasDev: true, twoD: false, m: 2400, epochs: true });
      const points = Array.from({ length: 15 }, (_, i) => ({ iteration: i, cost: 1.1 * Math.exp(-i / 5), trainAccuracy: 0.4 + i / 30, devAccuracy: 0.38 + i / 31, elapsedMs: (i + 1) * 200 }));
      await h.send({ type: 'progress', runId: 4, iterations: 15, points });
      // Before the run ends there are no pictures, so no empty pane either.
      await h.waitForRendered((r) => r.runId === 4 && r.received === 15);
      assert.equal(await h.page.locator('#pictures-pane').isVisible(), false);

      await h.send({ type: 'pictures', runId: 4, samples: samples() });
      await h.send({ type: 'runEnded', runId: 4, summary: { status: 'done', iterationsRun: 15, finalCost: 0.06, trainAccuracy: 0.97, devAccuracy: 575 / 600, elapsedMs: 3000 } });
      const r = await h.waitForRendered((r) => r.runId === 4 && r.pictures === 12);
      assert.equal(r.confusionClasses, 3);
      assert.equal(await h.page.locator('#pictures-pane').isVisible(), true);
      assert.equal(await h.page.locator('#pictures-title').innerText(), 'Dev pictures: 25 of 600 mislabelled (framed, shown first); 12 shown, after 15 iterations');
      assert.equal(await h.page.locator('#confusion-note').innerText(), 'Rows: true class; columns: predicted. 575 of 600 on the diagonal.');

      // 15 epochs of 2,400 pictures in 3 s: 5 epochs and 12,000 examples a second.
      const stats = await h.page.locator('.stats').innerText();
      assert.match(stats, /epoch 15 \/ 15/);
      assert.match(stats, /5 epochs\/s · 12,000 examples\/s/);
      assert.equal(await h.page.evaluate('window.__dnn.costChart.options.scales.x.title.text'), 'epoch');

      // What the canvas shows, whatever the grid's tile size (it follows the pane's width): along a
      // row through the first row of pictures, the two mislabelled ones (first) each have a red
      // frame, so the row crosses red four times (each frame's left and right edge) and no more;
      // the pictures' own white is there too.
      const seen = (await h.page.evaluate(`(() => {
        const c = document.getElementById('pictures');
        const ctx = c.getContext('2d');
        const dpr = c.width / c.clientWidth;
        const row = ctx.getImageData(0, Math.round(40 * dpr), c.width, 1).data;
        const probe = document.createElement('canvas').getContext('2d');
        probe.fillStyle = getComputedStyle(document.body).getPropertyValue('--vscode-charts-red').trim();
        const hex = (i) => '#' + [row[i], row[i + 1], row[i + 2]].map((v) => v.toString(16).padStart(2, '0')).join('');
        let runs = 0, white = 0, inRed = false;
        for (let i = 0; i < row.length; i += 4) {
          const red = hex(i) === probe.fillStyle;
          if (red && !inRed) runs++;
          inRed = red;
          if (row[i] === 255 && row[i + 1] === 255 && row[i + 2] === 255) white++;
        }
        return { runs, white };
      })()`)) as { runs: number; white: number };
      assert.equal(seen.runs, 4, 'the two mislabelled pictures, first in the grid, are framed in red');
      assert.ok(seen.white > 0, "the pictures' own white is drawn");

      // The page restores the pictures after a reload (setState keeps the current run's).
      const saved = (await h.state()) as { runs: { pictures?: PictureSamples }[] };
      assert.equal(saved.runs.at(-1)?.pictures?.predicted.length, 12);

      await h.page.waitForTimeout(150);
      await h.page.locator('#pictures-pane').scrollIntoViewIfNeeded();
      await h.page.screenshot({ path: path.join(OUT, `webview-${theme}-pictures.png`), fullPage: true });
      assert.deepEqual(h.errors, []);
      await h.page.context().close();
    });
  }
});
