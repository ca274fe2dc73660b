// A real Ctrl-C: SIGINT to a `dnn train` process stops it cleanly with exit 130 and no file written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('SIGINT during dnn train exits 130, says so, and leaves no parameters or costs file', async () => {
  const root = join(__dirname, '../..');
  const dir = mkdtempSync(join(tmpdir(), 'dnn-sigint-'));
  const script = `require(${JSON.stringify(join(root, 'src/cli/index.ts'))}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; });`;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '-e', script, 'train', join(root, 'examples/planar.dnn.json'), '--iterations', '100000000', '--save', join(dir, 'p.json'), '--costs', join(dir, 'c.csv')],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  // Interrupt once training has visibly started (its first cost line), not after a guessed delay.
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('Cost after iteration 1000:')) resolve();
    });
  });
  child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 130, err);
  assert.match(err, /interrupted at iteration \d+; nothing saved/);
  assert.deepEqual(readdirSync(dir), []);
});
