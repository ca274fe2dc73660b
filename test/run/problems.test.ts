/**
 * The failures only a run can find, as the user sees them: a parameters file that is missing or
 * of the wrong shape ('params-error'), a file that cannot be read or written ('file-error'), inputs
 * the engine refuses ('engine-error'). `dnn` prints each at its line and column in the .dnn.json
 * with its code; the editor's worker sends the same problem with its offset in the text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/index';
import { packedKernels } from '../../src/core/kernels';
import { runTraining } from '../../src/extension/training/runner';
import type { WorkerToExtension } from '../../src/protocol';
import { checkFile, loadRun, readFile } from '../../src/run/load';
import { saveRun, trainRun } from '../../src/run/train';

// Line 5 is the training settings: "init" starts at column 66 when the init file is named.
const NET = `{
  "input": 2,
  "layers": [ { "units": 3, "activation": "tanh" }, { "units": 1, "activation": "sigmoid" } ],
  "data": { "builtin": "planar" },
  "training": { "iterations": 5, "learningRate": 0.7, "seed": 4 }
}
`;
const withInit = (file: string) => NET.replace('"seed": 4', `"seed": 4, "init": { "file": "${file}" }`);

/** Parameters of a 2-3-1 network, with W2 of the shape given. */
function params(W2: number[][]) {
  return JSON.stringify({ W1: [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], b1: [[0], [0], [0]], W2, b2: [[0]] });
}

/** Runs `dnn` with the arguments; its exit status and what it printed on stderr. */
async function dnn(...args: string[]): Promise<{ status: number; err: string }> {
  let err = '';
  const status = await main(args, { out: () => undefined, err: (s) => void (err += s), isTTY: false });
  return { status, err };
}

/** What the editor's training worker posts for the file, ending in `failed` or `trainDone`. */
async function worker(file: string, text: string, paramsPath: string): Promise<WorkerToExtension> {
  const posted: WorkerToExtension[] = [];
  await runTraining({ type: 'train', file, text, overrides: {}, paramsPath }, { kernels: packedKernels, post: (m) => posted.push(m), signal: new AbortController().signal });
  return posted.at(-1)!;
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'dnn-problems-'));
}

test('an init file of the wrong shape is a params-error at "init": line 5, column 66, in the terminal and the editor', async () => {
  const dir = tempDir();
  const file = join(dir, 'net.dnn.json');
  const text = withInit('start.json');
  writeFileSync(file, text);
  writeFileSync(join(dir, 'start.json'), params([[1, 2]]));

  const cli = await dnn('train', file);
  assert.equal(cli.status, 1);
  assert.equal(cli.err, `${file}:5:66: error: W2 must be (1, 3) = (n[2], n[1]); found (1, 2) [params-error]\n`);

  const last = await worker(file, text, join(dir, 'net.params.json'));
  assert.equal(last.type, 'failed');
  if (last.type !== 'failed') return;
  assert.equal(last.errors.length, 1);
  const e = last.errors[0];
  assert.equal(e.message, 'W2 must be (1, 3) = (n[2], n[1]); found (1, 2)');
  assert.equal(text.slice(e.offset, e.offset! + e.length!), '"init": { "file": "start.json" }');
  rmSync(dir, { recursive: true });
});

test('a missing init file is a params-error at "init" saying it cannot be read', async () => {
  const dir = tempDir();
  const file = join(dir, 'net.dnn.json');
  writeFileSync(file, withInit('nowhere.json'));
  const cli = await dnn('train', file);
  assert.equal(cli.status, 1);
  assert.equal(cli.err, `${file}:5:66: error: cannot read: no such file [params-error]\n`);
  rmSync(dir, { recursive: true });
});

test('a --init file of the wrong shape is a params-error in that file, which the message names', async () => {
  const dir = tempDir();
  const file = join(dir, 'net.dnn.json');
  const init = join(dir, 'other.params.json');
  writeFileSync(file, NET);
  writeFileSync(init, params([[1], [2], [3]]));
  const f = checkFile(file, NET);
  assert.ok(f.ok);
  const loaded = await loadRun(f, { initPath: init });
  assert.equal(loaded.ok, false);
  if (loaded.ok) return;
  assert.deepEqual(loaded.problems, [
    { code: 'params-error', severity: 'error', message: 'W2 must be (1, 3) = (n[2], n[1]); found (3, 1): transposed?', path: [], in: { file: init } },
  ]);
  const cli = await dnn('train', file, '--init', init);
  assert.equal(cli.status, 1);
  assert.equal(cli.err, `${init}: error: W2 must be (1, 3) = (n[2], n[1]); found (3, 1): transposed?\n`);
  rmSync(dir, { recursive: true });
});

test('a .dnn.json that does not exist is a file-error naming it', async () => {
  const dir = tempDir();
  const file = join(dir, 'missing.dnn.json');
  const read = await readFile(file);
  assert.equal(read.ok, false);
  if (read.ok) return;
  assert.deepEqual(read.problems, [{ code: 'file-error', severity: 'error', message: 'cannot read: no such file', path: [], in: { file } }]);
  const cli = await dnn('train', file);
  assert.equal(cli.status, 1);
  assert.equal(cli.err, `${file}: error: cannot read: no such file\n`);
  rmSync(dir, { recursive: true });
});

test('parameters that cannot be saved are a file-error naming the file; the editor says so when training ends', async () => {
  const dir = tempDir();
  const file = join(dir, 'net.dnn.json');
  const nowhere = join(dir, 'no', 'net.params.json');
  const f = checkFile(file, NET);
  assert.ok(f.ok);
  const loaded = await loadRun(f);
  assert.ok(loaded.ok);
  const trained = await trainRun(loaded.run, { kernels: packedKernels });
  assert.ok(trained.ok);
  const failed = await saveRun(loaded.run, trained, { paramsPath: nowhere });
  assert.deepEqual(failed, [{ code: 'file-error', severity: 'error', message: `cannot write ${nowhere}: the folder does not exist`, path: [], in: { file: nowhere } }]);

  const last = await worker(file, NET, nowhere);
  assert.equal(last.type, 'trainDone');
  if (last.type !== 'trainDone') return;
  assert.equal(last.summary.message, `the parameters could not be saved: cannot write ${nowhere}: the folder does not exist`);
  assert.equal(last.summary.paramsPath, undefined);
  rmSync(dir, { recursive: true });
});

test('inputs with too few features are an engine-error at "input": line 2, column 3', async () => {
  const dir = tempDir();
  const file = join(dir, 'net.dnn.json');
  const weights = join(dir, 'net.params.json');
  const input = join(dir, 'narrow.csv');
  writeFileSync(file, NET);
  writeFileSync(weights, params([[1, 2, 3]]));
  writeFileSync(input, 'x1\n1\n2\n');
  const cli = await dnn('predict', file, '--params', weights, '--input', input);
  assert.equal(cli.status, 1);
  assert.equal(cli.err, `${file}:2:3: error: the input has 1 feature per example but the network's input is n[0] = 2 [engine-error]\n`);
  rmSync(dir, { recursive: true });
});
