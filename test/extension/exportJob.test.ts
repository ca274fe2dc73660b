/**
 * DNN: Export… off the extension host's thread (src/extension/exportJob.ts, exportWorker.ts): the
 * worker's messages for each outcome, and the host's session with the real worker (run from its
 * TypeScript source with tsx) and with stand-ins, Cancel included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ExportSession, paramsBeside, runExport } from '../../src/extension/exportJob';
import type { ExportRequest, ExportStageMessage, ExportWorkerToExtension } from '../../src/protocol';

const EDITOR = path.resolve(__dirname, '../fixtures/editor');
const STAND_INS = path.resolve(__dirname, '../fixtures/export');
const WORKER = path.resolve(__dirname, '../../src/extension/exportWorker.ts');
const tsx = ['--require', require.resolve('tsx/cjs')];

/** A fresh folder holding a copy of the editor fixture `name`; returns the copy's path. */
function copied(t: { after(fn: () => void): void }, name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dnn-export-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, name);
  copyFileSync(path.join(EDITOR, name), file);
  return file;
}

function request(file: string, format: string, text = readFileSync(file, 'utf8')): ExportRequest {
  return { type: 'export', file, text, format, paramsPath: paramsBeside(file) };
}

async function run(req: ExportRequest): Promise<ExportWorkerToExtension[]> {
  const seen: ExportWorkerToExtension[] = [];
  await runExport(req, (m) => seen.push(m));
  return seen;
}

const stages = (seen: ExportWorkerToExtension[]) => seen.flatMap((m) => (m.type === 'exportStage' ? [m.stage] : []));

test('an export says its stages in order, writes the script and its built-in data beside the network, and says what it wrote', async (t) => {
  const file = copied(t, 'planar.dnn.json');
  const seen = await run(request(file, 'numpy'));
  assert.deepEqual(stages(seen), ['checking', 'building', 'writing']);
  const done = seen.at(-1);
  assert.equal(done?.type, 'exportDone');
  if (done?.type !== 'exportDone') return;
  const dir = path.dirname(file);
  assert.equal(done.out, path.join(dir, 'planar.py'));
  assert.deepEqual(done.companions, [path.join(dir, 'planar.data.npy')]);
  assert.equal(done.text, true);
  assert.match(readFileSync(done.out, 'utf8'), /def L_model_forward/);
  assert.equal(readFileSync(done.companions[0]).subarray(1, 6).toString('latin1'), 'NUMPY');
  // The writing stage named every file before it was written (Cancel cleans up after those).
  const writing = seen.find((m): m is ExportStageMessage => m.type === 'exportStage' && m.stage === 'writing');
  assert.deepEqual(writing?.files, [done.out, ...done.companions]);
});

test('ONNX is bytes (revealed, not opened as text), and the notification is told the weights are drawn', async (t) => {
  const file = copied(t, 'conv.dnn.json');
  const seen = await run(request(file, 'onnx'));
  const building = seen.find((m): m is ExportStageMessage => m.type === 'exportStage' && m.stage === 'building');
  assert.equal(building?.drawing, true);
  // Then how far the drawing is, up to all of it.
  const drawn = seen.flatMap((m) => (m.type === 'exportStage' && m.drawn !== undefined ? [m.drawn] : []));
  assert.ok(drawn.length >= 1);
  assert.deepEqual(drawn, [...drawn].sort((a, b) => a - b));
  assert.equal(drawn.at(-1), 1);
  const done = seen.at(-1);
  assert.equal(done?.type, 'exportDone');
  if (done?.type !== 'exportDone') return;
  assert.equal(done.out, file.replace(/\.dnn\.json$/, '.onnx'));
  assert.equal(done.text, false);
  assert.ok(readFileSync(done.out).length > 1000);
});

test('a file with problems is a "problems" failure, and nothing is written', async (t) => {
  const file = copied(t, 'shape-errors.dnn.json');
  const seen = await run(request(file, 'numpy'));
  const last = seen.at(-1);
  assert.equal(last?.type, 'exportFailed');
  if (last?.type !== 'exportFailed') return;
  assert.equal(last.reason, 'problems');
  assert.match(last.message, /shape-errors\.dnn\.json has problems to fix/);
  assert.deepEqual(readdirSync(path.dirname(file)), ['shape-errors.dnn.json']);
});

test('an unknown format is a failure that lists the known ones', async (t) => {
  const file = copied(t, 'planar.dnn.json');
  const last = (await run(request(file, 'keras'))).at(-1);
  assert.equal(last?.type, 'exportFailed');
  if (last?.type === 'exportFailed') assert.match(last.message, /unknown export format 'keras'; known: numpy, pytorch, onnx/);
});

test('a parameters file that does not fit is a warning, and the export goes on without its weights', async (t) => {
  const file = copied(t, 'planar.dnn.json');
  writeFileSync(paramsBeside(file), JSON.stringify({ W1: [[1, 2, 3]], b1: [[0]] }));
  const seen = await run(request(file, 'numpy'));
  assert.deepEqual(stages(seen), ['checking', 'readingWeights', 'building', 'writing']);
  const done = seen.at(-1);
  assert.equal(done?.type, 'exportDone');
  if (done?.type !== 'exportDone') return;
  assert.equal(done.paramsName, undefined);
  assert.equal(done.warnings.length, 1);
  assert.match(done.warnings[0], /^planar\.params\.json does not fit the network, exporting without weights: /);
});

test('the worker exports the editor\'s buffer, not the file on disk, and ends by itself', async (t) => {
  const file = copied(t, 'planar.dnn.json');
  const text = readFileSync(file, 'utf8').replace('"name": "planar"', '"name": "planar, edited"');
  const seen: string[] = [];
  const s = new ExportSession(WORKER, request(file, 'pytorch', text), { execArgv: tsx, onStage: (m) => seen.push(m.stage) });
  const end = await s.done;
  assert.equal(end.cancelled, false);
  assert.equal(end.final?.type, 'exportDone', JSON.stringify(end));
  assert.deepEqual(seen, ['checking', 'building', 'writing']);
  assert.match(readFileSync(file.replace(/\.dnn\.json$/, '.py'), 'utf8'), /planar, edited/);
});

test('Cancel while the model is built ends the worker and writes nothing', async (t) => {
  const file = copied(t, 'export-large.dnn.json');
  let building = false;
  const s = new ExportSession(WORKER, request(file, 'onnx'), { execArgv: tsx, onStage: (m) => (building ||= m.stage === 'building') });
  while (!building) await new Promise((r) => setTimeout(r, 5));
  const end = await s.cancel();
  assert.deepEqual(end, { cancelled: true });
  assert.deepEqual(readdirSync(path.dirname(file)), ['export-large.dnn.json']);
});

test('Cancel while writing removes the temporary file the interrupted write left', async (t) => {
  const file = copied(t, 'planar.dnn.json');
  let writing = false;
  const s = new ExportSession(path.join(STAND_INS, 'stuck-writing-worker.js'), request(file, 'onnx'), { onStage: (m) => (writing ||= m.stage === 'writing') });
  while (!writing) await new Promise((r) => setTimeout(r, 5));
  assert.equal(readdirSync(path.dirname(file)).length, 2, 'the stand-in left its temporary file');
  assert.deepEqual(await s.cancel(), { cancelled: true });
  assert.deepEqual(readdirSync(path.dirname(file)), ['planar.dnn.json']);
  assert.equal(existsSync(file.replace(/\.dnn\.json$/, '.onnx')), false);
});

test('a message out of protocol is dropped, and the export ends with an error that says so', async (t) => {
  const file = copied(t, 'planar.dnn.json');
  const dropped: unknown[] = [];
  const s = new ExportSession(path.join(STAND_INS, 'malformed-worker.js'), request(file, 'onnx'), { onMalformed: (m) => dropped.push(m) });
  const end = await s.done;
  assert.deepEqual(dropped, [{ type: 'exportStage', stage: 'compressing' }]);
  assert.equal(end.final, undefined);
  assert.equal(end.error, 'the export worker sent a malformed message');
});

test('a malformed request gets a failure, not a crash', async () => {
  const s = new ExportSession(WORKER, { type: 'export', file: 42 } as unknown as ExportRequest, { execArgv: tsx });
  const end = await s.done;
  assert.equal(end.final?.type, 'exportFailed');
  if (end.final?.type === 'exportFailed') assert.match(end.final.message, /malformed request/);
});
