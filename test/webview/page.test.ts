/**
 * The training page in headless chromium: the messages the extension sends, and what a user sees.
 * Screenshots go to test-output/ (light, dark, high contrast) to be looked at.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { haveChromium, launch, openPage, OUT, CHROMIUM, type Harness } from './harness';

// Skipped on a developer's machine without chromium; never in CI, where a skip would hide the tier.
const skip = haveChromium() || process.env.CI ? false : `no chromium at ${CHROMIUM} (apt-get install chromium)`;

/** The planar "flower" of the course (two classes, petals), drawn without any RNG. */
function flower(m = 400) {
  const x: number[] = [];
  const y: number[] = [];
  const label: number[] = [];
  const half = m / 2;
  for (let j = 0; j < 2; j++) {
    for (let i = 0; i < half; i++) {
      const t = j * 3.12 + (i / half) * 3.12 + Math.sin(i * 7.3) * 0.2;
      const r = 4 * Math.sin(4 * t) + Math.cos(i * 3.1) * 0.2;
      x.push(r * Math.sin(t));
      y.push(r * Math.cos(t));
      label.push(j);
    }
  }
  return { x, y, label, classes: 2 };
}

/** A grid whose 0.5 contour is the circle of radius 2: class 1 inside. */
function circleGrid(n = 40) {
  const values: number[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const gx = -5 + ((i + 0.5) * 10) / n;
      const gy = -5 + ((j + 0.5) * 10) / n;
      values.push(1 / (1 + Math.exp(Math.hypot(gx, gy) * 3 - 6)));
    }
  }
  return { xMin: -5, xMax: 5, yMin: -5, yMax: 5, nx: n, ny: n, values, kind: 'probability' as const };
}

const cost = (i: number) => 0.5 * Math.exp(-i / 800) + 0.2 + 0.01 * Math.sin(i / 37);
const acc = (i: number) => 0.5 + 0.4 * (1 - Math.exp(-i / 600));

const settings = { learningRate: 1.2, iterations: 5000, optimizer: 'gd' as const };

/** Streams `iterations` samples in batches as the extension does. */
async function stream(h: Harness, runId: number, iterations: number, batch: number, f = cost, dev = false) {
  for (let start = 0; start < iterations; start += batch) {
    const points = [];
    for (let i = start; i < Math.min(iterations, start + batch); i++) {
      points.push({
        iteration: i,
        cost: f(i),
        trainAccuracy: acc(i),
        ...(dev ? { devCost: f(i) * 1.1, devAccuracy: acc(i) * 0.95 } : {}),
        elapsedMs: i * 0.2,
      });
    }
    await h.send({ type: 'progress', runId, iterations, points });
  }
}

type ChartInfo = { datasets: { label: string; data: { x: number; y: number | null }[] }[]; xMax: number; yType: string };

async function chart(h: Harness, which: 'costChart' | 'accChart'): Promise<ChartInfo> {
  // Page-side code is passed as strings: the tests' tsconfig has no DOM types (nor should it).
  return h.page.evaluate(`(() => {
    const c = window.__dnn[${JSON.stringify(which)}];
    return {
      datasets: c.data.datasets.map((d) => ({ label: d.label, data: d.data })),
      xMax: c.scales.x.max,
      yType: c.scales.y.type,
    };
  })()`) as Promise<ChartInfo>;
}

async function enabled(h: Harness, id: string) {
  await h.waitFor(`!document.getElementById(${JSON.stringify(id)}).disabled`);
}

async function rendered(h: Harness, runId: number, received: number) {
  return h.waitForRendered((r) => r.runId === runId && r.received === received);
}

describe('training page', { skip }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('says ready first, then draws a streamed run with its stats, boundary and summary', async () => {
    const h = await openPage(browser, { theme: 'dark' });
    const first = await h.waitForPosted(() => true);
    assert.equal(first.type, 'ready');

    await h.send({ type: 'init', file: 'file:///ws/planar.dnn.json', title: 'planar', settings, twoD: true, running: false });
    await h.send({ type: 'runStarted', runId: 1, settings, hasDev: true, twoD: true });
    await h.send({ type: 'dataset', runId: 1, points: flower() });
    await stream(h, 1, 5000, 250, cost, true);
    await h.send({ type: 'boundary', runId: 1, iteration: 4999, grid: circleGrid() });
    const r = await h.waitForRendered((r) => r.received === 5000 && r.boundaries === 1);
    // 5,000 samples, drawn as at most 2,000 points.
    assert.ok((r.points as number) <= 2000 && (r.points as number) > 1500, `drew ${r.points} points`);

    const c = await chart(h, 'costChart');
    assert.deepEqual(c.datasets.map((d) => d.label), ['cost (run 1: α=1.2, 5,000 it, gd)', 'dev cost']);
    const costData = c.datasets[0].data;
    assert.deepEqual(costData[0], { x: 0, y: cost(0) });
    assert.deepEqual(costData[costData.length - 1], { x: 4999, y: cost(4999) });
    // The axis ends at the iteration count, a round tick.
    assert.equal(c.xMax, 5000);
    assert.equal(c.yType, 'linear');
    const a = await chart(h, 'accChart');
    assert.deepEqual(a.datasets.map((d) => d.label), ['train accuracy', 'dev accuracy']);
    // Accuracies arrive as fractions and are drawn as percents.
    assert.ok(Math.abs((a.datasets[0].data[0].y as number) - 50) < 1e-9);

    const stats = await h.page.locator('.stats').innerText();
    assert.match(stats, /iteration 5,000 \/ 5,000/);
    assert.match(stats, /it\/s/);
    assert.match(stats, /train 9\d\.\d%/);
    assert.equal(await h.page.locator('.boundary-pane').isVisible(), true);

    // The log-scale toggle changes the axis type.
    await h.page.locator('#log').check();
    await h.waitFor(`window.__dnn.costChart.scales.y.type === 'logarithmic'`);

    await h.page.locator('#log').uncheck();
    await h.send({ type: 'runEnded', runId: 1, summary: { status: 'done', iterationsRun: 5000, finalCost: cost(4999), trainAccuracy: 0.9, devAccuracy: 0.85, elapsedMs: 999.8, paramsPath: '/ws/planar.params.json' } });
    await h.page.waitForSelector('.message:has-text("Done")');
    const msg = await h.page.locator('.message').innerText();
    assert.match(msg, /Done: 5,000 iterations in 1000 ms|Done: 5,000 iterations in 999 ms|Done: 5,000 iterations/);
    assert.match(msg, /train accuracy 90\.0%, dev accuracy 85\.0%; parameters saved to planar\.params\.json/);
    await h.page.waitForTimeout(150);
    await h.page.screenshot({ path: path.join(OUT, 'webview-dark.png') });
    assert.deepEqual(h.errors, []);
    await h.page.context().close();
  });

  test('a 100,000-iteration run keeps at most 2,000 points per curve and keeps its spikes', async () => {
    const h = await openPage(browser, { theme: 'light' });
    await h.waitForPosted((m) => m.type === 'ready');
    const big = { ...settings, iterations: 100_000 };
    await h.send({ type: 'init', file: 'file:///ws/x.dnn.json', title: 'x', settings: big, twoD: false, running: false });
    await h.send({ type: 'runStarted', runId: 7, settings: big, hasDev: false, twoD: false });
    // One spike at 61,234 (a bad step) that decimation must not hide.
    const spiky = (i: number) => (i === 61_234 ? 5 : cost(i));
    const t0 = Date.now();
    await stream(h, 7, 100_000, 1000, spiky);
    const r = await rendered(h, 7, 100_000);
    const ms = Date.now() - t0;
    assert.ok((r.points as number) <= 2000, `drew ${r.points} points`);
    const c = await chart(h, 'costChart');
    assert.ok(c.datasets[0].data.some((p) => p.x === 61_234 && p.y === 5), 'the spike is drawn');
    assert.equal(c.xMax, 100_000);
    // The page stays responsive: a click is handled promptly right after the stream.
    const t1 = Date.now();
    await h.page.locator('#log').click();
    assert.ok(Date.now() - t1 < 1000, `click took ${Date.now() - t1} ms`);
    console.log(`# 100,000 samples in 100 messages streamed and drawn in ${ms} ms`);
    await h.page.locator('#log').click();
    await h.page.waitForTimeout(150);
    assert.equal(await h.page.locator('.boundary-pane').isVisible(), false, 'no boundary for non-2-D inputs');
    await h.page.screenshot({ path: path.join(OUT, 'webview-light-100k.png') });
    assert.deepEqual(h.errors, []);
    await h.page.context().close();
  });

  test('controls post validated commands and follow the run state', async () => {
    const h = await openPage(browser, { theme: 'light' });
    await h.waitForPosted((m) => m.type === 'ready');
    // Before init there is no file: nothing to start.
    assert.equal(await h.page.locator('#start').isDisabled(), true);
    await h.send({ type: 'init', file: 'file:///ws/planar.dnn.json', title: 'planar', settings, twoD: true, running: false });
    await enabled(h, 'start');
    assert.equal(await h.page.locator('#lr').getAttribute('placeholder'), '1.2 (file)');
    assert.equal(await h.page.locator('#pause').isDisabled(), true);
    assert.equal(await h.page.locator('#stop').isDisabled(), true);
    assert.equal(await h.page.locator('#apply').isDisabled(), true, 'nothing to apply yet');

    // A bad learning rate is refused on the page with a message, and not sent.
    await h.page.locator('#lr').fill('-3');
    await h.page.locator('#start').click();
    await h.page.waitForSelector('.message.error');
    assert.equal(await h.page.locator('#lr').getAttribute('class'), 'invalid');
    assert.equal((await h.posted()).filter((m) => m.type === 'start').length, 0);

    await h.page.locator('#lr').fill('0.5');
    await h.page.locator('#iterations').fill('2,000');
    await h.page.locator('#optimizer').selectOption('adam');
    await h.page.locator('#start').click();
    const start = await h.waitForPosted((m) => m.type === 'start');
    assert.deepEqual(start.overrides, { learningRate: 0.5, iterations: 2000, optimizer: 'adam' });
    await h.page.locator('#apply').click();
    const apply = await h.waitForPosted((m) => m.type === 'applyToFile');
    assert.deepEqual(apply.overrides, { learningRate: 0.5, iterations: 2000, optimizer: 'adam' });

    const s2 = { learningRate: 0.5, iterations: 2000, optimizer: 'adam' as const };
    await h.send({ type: 'runStarted', runId: 2, settings: s2, hasDev: false, twoD: true });
    await enabled(h, 'pause');
    assert.equal(await h.page.locator('#start').innerText(), 'Restart');
    assert.equal(await h.page.locator('#reset').isDisabled(), true, 'no reset during a run');
    await h.page.locator('#pause').click();
    await h.waitForPosted((m) => m.type === 'pause');
    await h.send({ type: 'runState', runId: 2, paused: true });
    await enabled(h, 'resume');
    assert.equal(await h.page.locator('#pause').isDisabled(), true);
    await h.page.locator('#resume').click();
    await h.waitForPosted((m) => m.type === 'resume');
    await h.send({ type: 'runState', runId: 2, paused: false });
    await h.page.locator('#stop').click();
    await h.waitForPosted((m) => m.type === 'stop');
    await stream(h, 2, 300, 100);
    await h.send({ type: 'runEnded', runId: 2, summary: { status: 'aborted', iterationsRun: 300, finalCost: cost(299), elapsedMs: 60 } });
    await h.page.waitForSelector('.message:has-text("Stopped after 300 iterations")');
    assert.equal(await h.page.locator('#stop').isDisabled(), true);

    // Exports go through the extension: a PNG data URL, and the costs as CSV.
    await h.page.locator('#png').click();
    const png = await h.waitForPosted((m) => m.type === 'exportPng');
    assert.match(png.dataUrl as string, /^data:image\/png;base64,iVBORw0KGgo/);
    await h.page.locator('#csv').click();
    const csv = await h.waitForPosted((m) => m.type === 'exportCsv');
    const lines = (csv.csv as string).trim().split('\n');
    assert.equal(lines[0], 'iteration,cost,dev_cost,train_accuracy,dev_accuracy');
    assert.equal(lines.length, 301);
    assert.match(lines[1], new RegExp(`^0,${cost(0)},`));

    // Reset forgets the history.
    await h.page.locator('#reset').click();
    await h.page.waitForSelector('.empty:visible');
    assert.equal((await chart(h, 'costChart')).datasets.length, 0);
    assert.deepEqual(h.errors, []);
    await h.page.context().close();
  });

  test('a diverged run says so as an error and leaves a gap, not a NaN line', async () => {
    const h = await openPage(browser, { theme: 'dark' });
    await h.waitForPosted((m) => m.type === 'ready');
    await h.send({ type: 'init', file: 'file:///ws/a.dnn.json', title: 'a', settings, twoD: false, running: false });
    await h.send({ type: 'runStarted', runId: 3, settings, hasDev: false, twoD: false });
    await stream(h, 3, 20, 20, (i) => (i < 15 ? Math.exp(i) : NaN));
    await h.send({ type: 'runEnded', runId: 3, summary: { status: 'diverged', message: 'the cost became NaN at iteration 15; try a smaller learning rate', iterationsRun: 16, finalCost: null, elapsedMs: 3 } });
    await h.page.waitForSelector('.message.error');
    assert.match(await h.page.locator('.message').innerText(), /Diverged: the cost became NaN at iteration 15/);
    const c = await chart(h, 'costChart');
    assert.equal(c.datasets[0].data[15].y, null);
    assert.deepEqual(h.errors, []);
    await h.page.context().close();
  });

  test('history overlays earlier runs with their settings, and the state survives a reload', async () => {
    const h = await openPage(browser, { theme: 'dark' });
    await h.waitForPosted((m) => m.type === 'ready');
    await h.send({ type: 'init', file: 'file:///ws/planar.dnn.json', title: 'planar', settings, twoD: true, running: false });
    const runs = [
      { learningRate: 1.2, iterations: 3000, optimizer: 'gd' as const },
      { learningRate: 0.5, iterations: 3000, optimizer: 'gd' as const },
      { learningRate: 0.01, iterations: 3000, optimizer: 'adam' as const },
    ];
    for (let k = 0; k < runs.length; k++) {
      await h.send({ type: 'runStarted', runId: k + 1, settings: runs[k], hasDev: false, twoD: true });
      if (k === 0) await h.send({ type: 'dataset', runId: 1, points: flower() });
      await stream(h, k + 1, 3000, 500, (i) => cost(i * (k + 1)));
      await h.send({ type: 'boundary', runId: k + 1, iteration: 2999, grid: circleGrid(50) });
      await h.send({ type: 'runEnded', runId: k + 1, summary: { status: 'done', iterationsRun: 3000, finalCost: cost(2999 * (k + 1)), trainAccuracy: 0.9, elapsedMs: 500 } });
    }
    await rendered(h, 3, 3000);
    const c = await chart(h, 'costChart');
    assert.deepEqual(c.datasets.map((d) => d.label), [
      'run 1: α=1.2, 3,000 it, gd',
      'run 2: α=0.5, 3,000 it, gd',
      'cost (run 3: α=0.01, 3,000 it, adam)',
    ]);
    await h.page.waitForTimeout(150);
    await h.page.screenshot({ path: path.join(OUT, 'webview-dark-history.png') });

    // A new page with the saved state (what VS Code does when the panel is shown again).
    const state = await h.state();
    await h.page.context().close();
    const h2 = await openPage(browser, { theme: 'high-contrast', state });
    await h2.waitForPosted((m) => m.type === 'ready');
    const again = await chart(h2, 'costChart');
    assert.deepEqual(again.datasets.map((d) => d.label), c.datasets.map((d) => d.label));
    assert.deepEqual(again.datasets[2].data.at(-1), { x: 2999, y: cost(2999 * 3) });
    assert.equal(await h2.page.locator('h1').innerText(), 'planar');
    assert.equal(await h2.page.locator('.boundary-pane').isVisible(), true);
    await h2.page.waitForTimeout(150);
    await h2.page.screenshot({ path: path.join(OUT, 'webview-high-contrast.png') });
    // The next session's run (a new id) joins the history as run 4.
    await h2.send({ type: 'runStarted', runId: 1_700_000_000_000, settings: runs[0], hasDev: false, twoD: true });
    await stream(h2, 1_700_000_000_000, 100, 100);
    await rendered(h2, 1_700_000_000_000, 100);
    const next = await chart(h2, 'costChart');
    assert.equal(next.datasets.at(-1)!.label, 'cost (run 4: α=1.2, 3,000 it, gd)');
    assert.equal(next.datasets.length, 4);
    assert.deepEqual([...h.errors, ...h2.errors], []);
    await h2.page.context().close();
  });

  test('a run announced again (the page reloaded mid-run) keeps its samples', async () => {
    const h = await openPage(browser, { theme: 'dark' });
    await h.waitForPosted((m) => m.type === 'ready');
    await h.send({ type: 'init', file: 'file:///ws/a.dnn.json', title: 'a', settings, twoD: false, running: true });
    await h.send({ type: 'runStarted', runId: 4, settings, hasDev: false, twoD: false });
    await stream(h, 4, 500, 100);
    await h.send({ type: 'runStarted', runId: 4, settings, hasDev: false, twoD: false });
    await stream(h, 4, 1000, 100);
    const r = await rendered(h, 4, 1000);
    assert.equal(r.points, 1000);
    assert.deepEqual((await chart(h, 'costChart')).datasets[0].data[0], { x: 0, y: cost(0) });
    assert.deepEqual(h.errors, []);
    await h.page.context().close();
  });

  test('three classes: the heatmap shows the predicted class of each region', async () => {
    const h = await openPage(browser, { theme: 'dark', width: 900 });
    await h.waitForPosted((m) => m.type === 'ready');
    const s3 = { learningRate: 1, iterations: 100, optimizer: 'adam' as const };
    await h.send({ type: 'init', file: 'file:///ws/spiral.dnn.json', title: 'spiral', settings: s3, twoD: true, running: false });
    await h.send({ type: 'runStarted', runId: 9, settings: s3, hasDev: false, twoD: true });
    // Three blobs at angles 90, 210 and 330 degrees; the grid predicts the class of the nearest one.
    const centres = [90, 210, 330].map((d) => [3 * Math.cos((d * Math.PI) / 180), 3 * Math.sin((d * Math.PI) / 180)]);
    const pts = { x: [] as number[], y: [] as number[], label: [] as number[], classes: 3 };
    centres.forEach(([cx, cy], k) => {
      for (let i = 0; i < 30; i++) {
        pts.x.push(cx + Math.cos(i * 2.4) * 0.8 * ((i % 5) / 5));
        pts.y.push(cy + Math.sin(i * 2.4) * 0.8 * ((i % 5) / 5));
        pts.label.push(k);
      }
    });
    await h.send({ type: 'dataset', runId: 9, points: pts });
    const n = 40;
    const values: number[] = [];
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const gx = -5 + ((i + 0.5) * 10) / n;
        const gy = -5 + ((j + 0.5) * 10) / n;
        const d = centres.map(([cx, cy]) => Math.hypot(gx - cx, gy - cy));
        values.push(d.indexOf(Math.min(...d)));
      }
    }
    await h.send({ type: 'boundary', runId: 9, iteration: 99, grid: { xMin: -5, xMax: 5, yMin: -5, yMax: 5, nx: n, ny: n, values, kind: 'class' } });
    await stream(h, 9, 100, 100);
    await h.waitForRendered((r) => r.runId === 9 && r.boundaries === 1);
    await h.page.waitForTimeout(150);
    // The top middle of the plot belongs to class 0 (the blob at 90 degrees): 35% of charts-red
    // (#f14c4c) over the editor background (#1e1e1e).
    const px = (await h.page.evaluate(`(() => {
      const c = document.getElementById('boundary');
      const x = 34 + (c.clientWidth - 42) / 2, y = 8 + 6;
      const d = c.getContext('2d').getImageData(x * devicePixelRatio, y * devicePixelRatio, 1, 1).data;
      return [d[0], d[1], d[2]];
    })()`)) as number[];
    const want = [0xf1, 0x4c, 0x4c].map((c) => 0x1e + (c - 0x1e) * 0.35);
    assert.ok(px.every((v, k) => Math.abs(v - want[k]) <= 3), `pixel ${px}, expected about ${want}`);
    await h.page.screenshot({ path: path.join(OUT, 'webview-dark-three-classes.png') });
    assert.deepEqual(h.errors, []);
    await h.page.context().close();
  });

  test('switching the theme redraws with the new colours', async () => {
    const h = await openPage(browser, { theme: 'dark' });
    await h.waitForPosted((m) => m.type === 'ready');
    await h.send({ type: 'init', file: 'file:///ws/planar.dnn.json', title: 'planar', settings, twoD: true, running: false });
    await h.send({ type: 'runStarted', runId: 1, settings, hasDev: false, twoD: true });
    await h.send({ type: 'dataset', runId: 1, points: flower() });
    await stream(h, 1, 5000, 1000);
    await h.send({ type: 'boundary', runId: 1, iteration: 4999, grid: circleGrid() });
    await rendered(h, 1, 5000);
    const colour = () => h.page.evaluate('window.__dnn.costChart.data.datasets[0].borderColor');
    assert.equal(await colour(), '#3794ff');
    // What VS Code does on a theme switch: new variables on <html>, a new class on <body>.
    await h.page.evaluate(`(() => {
      document.documentElement.style.setProperty('--vscode-charts-blue', '#1a85ff');
      document.documentElement.style.setProperty('--vscode-editor-background', '#ffffff');
      document.documentElement.style.setProperty('--vscode-foreground', '#616161');
      document.body.className = 'vscode-light';
    })()`);
    await h.waitFor(`window.__dnn.costChart.data.datasets[0].borderColor === '#1a85ff'`);
    // The heatmap follows: far outside the circle (just inside the plot's top-left corner, past its
    // frame) the network is sure of class 0, so the pixel is
    // 45% charts-red (#f14c4c, unchanged) over the new white background: (249, 174, 174).
    await h.page.waitForTimeout(250);
    const px = (await h.page.evaluate(`(() => {
      const c = document.getElementById('boundary');
      const d = c.getContext('2d').getImageData(48 * devicePixelRatio, 14 * devicePixelRatio, 1, 1).data;
      return [d[0], d[1], d[2]];
    })()`)) as number[];
    const want = [0xf1, 0x4c, 0x4c].map((c) => 255 + (c - 255) * 0.45);
    assert.ok(px.every((v, k) => Math.abs(v - want[k]) <= 3), `corner pixel ${px}, expected about ${want}`);
    await h.page.screenshot({ path: path.join(OUT, 'webview-light-switched.png') });
    assert.deepEqual(h.errors, []);
    await h.page.context().close();
  });

  test('a message with an accuracy in percent is dropped; the samples around it are drawn', async () => {
    const h = await openPage(browser);
    await h.waitForPosted((m) => m.type === 'ready');
    await h.send({ type: 'init', file: 'file:///ws/a.dnn.json', title: 'a', settings, twoD: false, running: false });
    await h.send({ type: 'runStarted', runId: 1, settings, hasDev: false, twoD: false });
    await h.send({ type: 'progress', runId: 1, iterations: 300, points: [{ iteration: 0, cost: 0.7, trainAccuracy: 0.5, elapsedMs: 0 }] });
    await h.send({ type: 'progress', runId: 1, iterations: 300, points: [{ iteration: 1, cost: 0.6, trainAccuracy: 90, elapsedMs: 1 }] });
    await h.send({ type: 'progress', runId: 1, iterations: 300, points: [{ iteration: 2, cost: 0.5, trainAccuracy: 0.75, elapsedMs: 2 }] });
    await h.waitFor(`window.__dnn.accChart.data.datasets[0]?.data.at(-1)?.x === 2`);
    const a = await chart(h, 'accChart');
    assert.deepEqual(a.datasets[0].data, [
      { x: 0, y: 50 },
      { x: 2, y: 75 },
    ]);
    const r = await h.waitForRendered((r) => r.runId === 1 && r.received >= 2);
    assert.equal(r.received, 2);
    assert.deepEqual(h.errors, []);
    await h.page.context().close();
  });

  test('a production page (debug channel off) posts only its own messages and exposes no test hooks', async () => {
    const h = await openPage(browser, { debug: false });
    await h.waitForPosted((m) => m.type === 'ready');
    await h.send({ type: 'init', file: 'file:///ws/a.dnn.json', title: 'a', settings, twoD: false, running: false });
    await h.send({ type: 'runStarted', runId: 1, settings, hasDev: false, twoD: false });
    await stream(h, 1, 200, 100);
    // The report would be posted in the same frame that writes the stats.
    await h.waitFor(`document.querySelector('.stats').innerText.includes('iteration 200 / 200')`);
    assert.deepEqual((await h.posted()).map((m) => m.type), ['ready']);
    assert.equal(await h.page.evaluate('typeof window.__dnn'), 'undefined');
    assert.deepEqual(h.errors, []);
    await h.page.context().close();
  });

  test('optimiser settings now: the running optimiser\'s own settings, checked as typed, each change a named marker, in the legend and the table', async () => {
    const h = await openPage(browser, {});
    await h.waitForPosted((m) => m.type === 'ready');
    const adam = { learningRate: 0.01, iterations: 3000, optimizer: 'adam' as const };
    await h.send({ type: 'init', file: 'file:///ws/adam.dnn.json', title: 'adam', settings: adam, twoD: false, running: false });
    // Gradient descent has nothing to tune: no box.
    await h.send({ type: 'runStarted', runId: 1, settings, hasDev: false, twoD: false });
    await stream(h, 1, 200, 100);
    assert.equal(await h.page.locator('#tune-optimizer').isVisible(), false);
    await h.send({ type: 'runEnded', runId: 1, summary: { status: 'done', iterationsRun: 200, finalCost: 0.3, elapsedMs: 100 } });
    await h.send({ type: 'runStarted', runId: 2, settings: adam, hasDev: false, twoD: false });
    await stream(h, 2, 1000, 250);
    await h.page.waitForSelector('#tune-optimizer:visible');
    assert.deepEqual(await h.page.locator('#opt-setting option').allInnerTexts(), ['β1', 'β2', 'ε']);
    // The box says why the optimiser itself is not in it.
    assert.match((await h.page.locator('#tune-optimizer').getAttribute('title'))!, /cannot change during a run/);
    // β1 = 1 is out of range: marked, and Use now stays off.
    await h.page.locator('#opt-value').fill('1');
    await h.waitFor(`document.getElementById('opt-value').classList.contains('invalid')`);
    assert.equal(await h.page.locator('#tune-opt').isDisabled(), true);
    await h.page.locator('#opt-value').fill('0.6');
    await enabled(h, 'tune-opt');
    await h.page.locator('#tune-opt').click();
    assert.deepEqual(await h.waitForPosted((m) => m.type === 'tune' && m.beta1 !== undefined), { type: 'tune', beta1: 0.6 });
    await h.send({ type: 'tuned', runId: 2, iteration: 1000, beta1: 0.6 });
    await stream(h, 2, 2000, 250);
    // Enter in the box does what Use now does.
    await h.page.locator('#opt-setting').selectOption('epsilon');
    await h.page.locator('#opt-value').fill('1e-3');
    await h.page.locator('#opt-value').press('Enter');
    assert.deepEqual(await h.waitForPosted((m) => m.type === 'tune' && m.epsilon !== undefined), { type: 'tune', epsilon: 0.001 });
    await h.send({ type: 'tuned', runId: 2, iteration: 2000, epsilon: 0.001 });
    await stream(h, 2, 3000, 250);
    const c = await chart(h, 'costChart');
    assert.deepEqual(
      c.datasets.map((d) => d.label),
      ['run 1: α=1.2, 5,000 it, gd', 'cost (run 2: α=0.01, 3,000 it, adam, β1→0.6, ε→0.001)', 'β1=0.6 from iteration 1,000', 'ε=0.001 from iteration 2,000'],
    );
    const rows = await h.page.locator('table.runs tr').allInnerTexts();
    assert.match(rows[2], /^2\t0\.01\t3,000\tadam, β1→0\.6, ε→0\.001\t/);
    // A run that ended has nothing to tune.
    await h.send({ type: 'runEnded', runId: 2, summary: { status: 'done', iterationsRun: 3000, finalCost: 0.1, elapsedMs: 900 } });
    await h.waitFor(`document.getElementById('tune-optimizer').hidden`);
    await h.page.screenshot({ path: path.join(OUT, 'webview-light-optimizer-tuned.png') });
    assert.deepEqual(h.errors, []);
    await h.page.context().close();
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    test(`live control (${theme}): paused in header and chart, Step, α now with its marker, speed, Stop → Save, the runs table`, async () => {
      const h = await openPage(browser, { theme });
      await h.waitForPosted((m) => m.type === 'ready');
      await h.send({ type: 'init', file: 'file:///ws/planar.dnn.json', title: 'planar', settings, twoD: true, running: false });
      // An earlier, much longer run: the axis must still follow the current one.
      await h.send({ type: 'runStarted', runId: 1, settings: { ...settings, iterations: 2_000_000 }, hasDev: false, twoD: true });
      await stream(h, 1, 400, 200);
      await h.send({ type: 'runEnded', runId: 1, summary: { status: 'done', iterationsRun: 2_000_000, finalCost: 0.2, trainAccuracy: 0.9, elapsedMs: 90_000 } });
      await h.send({ type: 'runStarted', runId: 2, settings, hasDev: true, twoD: true });
      await h.send({ type: 'dataset', runId: 2, points: flower() });
      await stream(h, 2, 1500, 250, cost, true);
      await h.send({ type: 'boundary', runId: 2, iteration: 1499, grid: circleGrid() });

      // Speed: posted at once, for this run and the next.
      await h.page.locator('#speed').selectOption('200');
      assert.deepEqual(await h.waitForPosted((m) => m.type === 'tune' && m.pace !== undefined), { type: 'tune', pace: 200 });

      // α now: typed, then "Use now"; the extension answers with the iteration it took effect at.
      await h.page.locator('#lr').fill('0.3');
      await enabled(h, 'tune-now');
      await h.page.locator('#tune-now').click();
      assert.deepEqual(await h.waitForPosted((m) => m.type === 'tune' && m.learningRate !== undefined), { type: 'tune', learningRate: 0.3 });
      await h.send({ type: 'tuned', runId: 2, iteration: 1500, learningRate: 0.3 });
      await stream(h, 2, 2500, 250, cost, true);

      // Paused: the header, the chart's badge; Step asks for one more sample.
      await h.page.locator('#pause').click();
      await h.send({ type: 'runState', runId: 2, paused: true });
      await h.page.waitForSelector('.paused-badge:visible');
      assert.equal(await h.page.locator('h1.title').innerText(), 'planar — Paused');
      await enabled(h, 'step');
      await h.page.locator('#step').click();
      await h.waitForPosted((m) => m.type === 'step');

      const c = await chart(h, 'costChart');
      // The stream helper says the run has 2,500 iterations in all: the axis follows it, not the 2,000,000 run.
      assert.equal(c.xMax, 2500);
      assert.deepEqual(
        c.datasets.map((d) => d.label),
        ['run 1: α=1.2, 2,000,000 it, gd', 'cost (run 2: α=1.2→0.3, 5,000 it, gd)', 'dev cost', 'α=0.3 from iteration 1,500'],
      );
      // The table compares both runs; the current one is still running.
      const rows = await h.page.locator('table.runs tr').allInnerTexts();
      assert.equal(rows.length, 3);
      assert.match(rows[2], /^2\t1\.2→0\.3\t5,000\tgd\t.*running$/);
      await h.page.screenshot({ path: path.join(OUT, `webview-${theme}-paused-tuned.png`) });

      // The boundary's legend names the classes, train and dev, and the contour.
      assert.deepEqual(await h.page.locator('#boundary-legend .item').allInnerTexts(), ['class 0', 'class 1', 'train', 'p = 0.5']);
      // A click at the centre of the plot (inside the circle of class 1) says what the network predicts there.
      const box = (await h.page.locator('#boundary').boundingBox())!;
      // The page asks the extension, which runs the forward pass; the answer to the latest click is shown.
      await h.page.mouse.click(box.x + 40 + (box.width - 48) / 2, box.y + 8 + (box.height - 34) / 2);
      const ask = await h.waitForPosted((m) => m.type === 'predictPoint');
      assert.ok(Math.abs(ask.x as number) < 0.2 && Math.abs(ask.y as number) < 0.2, `clicked the centre: ${JSON.stringify(ask)}`);
      await h.waitFor(`document.getElementById('point-note').innerText.endsWith('…')`);
      // An answer to an older click is dropped.
      await h.send({ type: 'pointPrediction', requestId: (ask.requestId as number) - 1, x: 3, y: 3, kind: 'probability', value: 0.1 });
      await h.send({ type: 'pointPrediction', requestId: ask.requestId, x: ask.x, y: ask.y, kind: 'probability', value: 0.9934 });
      await h.page.waitForSelector('#point-note:has-text("predicted class 1")');
      assert.match(await h.page.locator('#point-note').innerText(), /^At \(x₁, x₂\) = \(-?0(\.\d+)?, -?0(\.\d+)?\): p\(class 1\) = 0\.993, predicted class 1\.$/);
      // Without parameters the extension says why.
      await h.page.mouse.click(box.x + 40 + (box.width - 48) / 2, box.y + 8 + (box.height - 34) / 2);
      const again = await h.waitForPosted((m) => m.type === 'predictPoint' && m.requestId !== ask.requestId);
      await h.send({ type: 'pointPrediction', requestId: again.requestId, x: again.x, y: again.y, error: 'no parameters to predict with here: train first, or use DNN: Predict' });
      await h.page.waitForSelector('#point-note:has-text("no parameters to predict with")');

      // The PNG is slide-sized, with the file and the run's settings above the charts.
      await h.page.locator('#png').click();
      const png = await h.waitForPosted((m) => m.type === 'exportPng');
      const size = await h.page.evaluate(`new Promise((resolve) => { const i = new Image(); i.onload = () => resolve([i.width, i.height]); i.src = ${JSON.stringify(png.dataUrl)}; })`) as number[];
      assert.ok(size[0] >= 1920, `PNG ${size.join('×')}`);
      // The boundary's legend is in the PNG too: each class colour the page's legend shows is
      // found in the box under the boundary where the export drew it (nothing else is drawn there).
      const found = (await h.page.evaluate(`(async () => {
        const box = window.__dnn.pngLegend;
        if (!box) return 'no legend box';
        const marks = [...document.querySelectorAll('#boundary-legend i.dot:not(.plain)')].map((i) => i.style.getPropertyValue('--mark'));
        const img = new Image();
        await new Promise((resolve) => { img.onload = resolve; img.src = ${JSON.stringify(png.dataUrl)}; });
        const c = document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        const ctx = c.getContext('2d');
        ctx.drawImage(img, 0, 0);
        const data = ctx.getImageData(box.x, box.y, box.width, box.height).data;
        return marks.map((m) => {
          const [r, g, b] = m.match(/\\d+/g).map(Number);
          let n = 0;
          for (let k = 0; k < data.length; k += 4) if (Math.abs(data[k] - r) + Math.abs(data[k + 1] - g) + Math.abs(data[k + 2] - b) <= 12) n++;
          return m + ': ' + n;
        });
      })()`)) as string[] | string;
      assert.ok(Array.isArray(found) && found.length === 2, `legend classes in the PNG: ${JSON.stringify(found)}`);
      for (const f of found) assert.ok(Number(f.split(': ')[1]) >= 20, `a class colour drawn in the PNG's legend: ${f}`);
      if (theme === 'dark') {
        const fs = await import('node:fs');
        fs.writeFileSync(path.join(OUT, 'webview-dark-export.png'), Buffer.from((png.dataUrl as string).split(',')[1], 'base64'));
      }

      // Stop: the run ends without saving, and the page offers to save what it learned.
      await h.send({ type: 'runState', runId: 2, paused: false });
      await h.send({ type: 'runEnded', runId: 2, summary: { status: 'aborted', iterationsRun: 2500, finalCost: cost(2499), elapsedMs: 500, canSave: true } });
      await h.page.waitForSelector('#save-params:visible');
      await h.page.locator('#save-params').click();
      assert.deepEqual(await h.waitForPosted((m) => m.type === 'saveParams'), { type: 'saveParams', runId: 2 });
      await h.send({ type: 'runEnded', runId: 2, summary: { status: 'aborted', iterationsRun: 2500, finalCost: cost(2499), elapsedMs: 500, paramsPath: '/ws/planar.params.json' } });
      await h.page.waitForSelector('.message:has-text("parameters saved to planar.params.json")');
      assert.equal(await h.page.locator('#save-params').isVisible(), false);
      await h.page.screenshot({ path: path.join(OUT, `webview-${theme}-stopped.png`) });
      assert.deepEqual(h.errors, []);
      await h.page.context().close();
    });
  }
});
