// A real Ctrl-C: SIGINT to a `dnn train` process stops it cleanly with exit 130 and no file written,
// while the kernels' second thread is alive and waiting for work; the costs so far are kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wasmBytes } from '../../src/core/kernels/wasm';

test('SIGINT during dnn train exits 130, says so, leaves no parameters file and writes the costs so far', async () => {
  const root = join(__dirname, '../..');
  const dir = mkdtempSync(join(tmpdir(), 'dnn-sigint-'));
  const script = `require(${JSON.stringify(join(root, 'src/cli/index.ts'))}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; });`;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '-e', script, 'train', join(root, 'examples/planar.dnn.json'), '--iterations', '100000000', '--verbose', '--save', join(dir, 'p.json'), '--costs', join(dir, 'c.csv')],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  // Interrupt once training has visibly started (a cost line), not after a guessed delay; a child
  // that dies before that ends the wait too, and fails below instead of hanging the suite.
  const started = await Promise.race([
    new Promise<boolean>((resolve) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('Cost after iteration 1000:')) resolve(true);
      });
    }),
    closed.then(() => false),
  ]);
  assert.ok(started, `dnn train ended before training: ${err}`);
  child.kill('SIGINT');
  const code = await closed;
  assert.equal(code, 130, err);
  const stopped = /interrupted at iteration (\d+); parameters not saved; wrote (\d+) costs to /.exec(err);
  assert.ok(stopped, err);
  // The run was on two threads: the worker thread does not hold the process after Ctrl-C.
  if (wasmBytes('simdShared')) assert.match(err, /^dnn train: kernels wasm-(fma|simd)-2threads \(/m);
  assert.deepEqual(readdirSync(dir), ['c.csv']);
  const rows = readFileSync(join(dir, 'c.csv'), 'utf8').trimEnd().split('\n');
  assert.equal(rows.length - 1, Number(stopped[2]));
  assert.ok(rows.length > 1000, 'the costs of the first thousand iterations are kept');
});
