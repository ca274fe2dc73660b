// The built-in digits example trains from nothing but the extension: UCI's pictures are inside
// it, and its small conv network gets most of the held-out fifth right.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/index';
import { capture } from './helpers';

test('examples/digits-conv.dnn.json trains on the built-in digits to over 95% on its dev set', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-digits-'));
  try {
    const io = capture();
    const status = await main(['train', join(__dirname, '../../examples/digits-conv.dnn.json'), '--save', join(dir, 'p.params.json'), '--json'], io);
    assert.equal(status, 0, io.errText);
    const report = JSON.parse(io.outText) as { iterations: number; finalCost: number; devAccuracy: number; data: string };
    assert.equal(report.iterations, 20);
    assert.match(report.data, /^digits \(built-in/);
    // 359 dev pictures (a fifth of 1,797); the run reaches about 98%, and the cost falls from
    // about ln 10 to a few hundredths.
    assert.ok(report.devAccuracy > 0.95, `dev accuracy ${report.devAccuracy}`);
    assert.ok(report.finalCost < 0.1, `final cost ${report.finalCost}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
