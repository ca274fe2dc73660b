// `dnn train` as a user runs it, in its own process: it trains on both cores (a worker thread that
// shares the WebAssembly memory) with the fused multiply-add kernels, prints the notebook's cost
// lines, and then the process ends by itself: the kernels' thread never keeps it alive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wasmBytes } from '../../src/core/kernels/wasm';

const root = join(__dirname, '../..');
const numpy = JSON.parse(readFileSync(join(root, 'test/fixtures/engine/planar-week3.json'), 'utf8')) as { costs: Record<string, number> };

/** Far more than a run takes (about a second); only a process that never ends reaches it. */
const HANG_MS = 120_000;

test('dnn train planar on two threads prints the notebook costs, saves, and the process exits on its own', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-exit-'));
  const script = `require(${JSON.stringify(join(root, 'src/cli/index.ts'))}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; });`;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '-e', script, 'train', join(root, 'examples/planar.dnn.json'), '--verbose', '--save', join(dir, 'p.json')],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    new Promise<number | null>((resolve) => child.on('close', resolve)),
    new Promise<'still running'>((resolve) => {
      timer = setTimeout(() => resolve('still running'), HANG_MS);
    }),
  ]);
  clearTimeout(timer);
  if (code === 'still running') child.kill('SIGKILL');
  assert.equal(code, 0, `dnn train did not exit by itself: ${err}`);

  // The kernels the run says it used: both threads, with fused multiply-add, when the build has them.
  if (wasmBytes('fmaShared')) assert.match(err, /^dnn train: kernels wasm-fma-2threads \(/m);
  // Costs against numpy's run of the notebook, to the six printed decimals (chaotic after 7000).
  const lines = out.split('\n').filter((l) => l.startsWith('Cost after iteration '));
  assert.equal(lines.length, 10);
  for (const i of [0, 1000, 2000, 3000, 4000, 5000, 6000, 7000]) {
    assert.equal(lines[i / 1000], `Cost after iteration ${i}: ${numpy.costs[String(i)].toFixed(6)}`);
  }
  assert.match(out, /^Train accuracy: 90(\.\d+)?%$/m);
  assert.deepEqual(readdirSync(dir), ['p.json']);
});
