/**
 * `npm run demo`'s command line: mistakes in it are usage errors (exit 2, the usage printed) found
 * before anything is installed, built or started. The demo itself, in the browser, is checked by
 * the editor tier (test/e2e/demo-check.js).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const DEMO = join(__dirname, '..', '..', 'scripts', 'demo.js');

function demo(...args: string[]): { code: number | null; out: string; err: string } {
  // An empty root: were the arguments accepted, the demo would start installing there, and fail.
  // INIT_CWD is where npm was run from (it runs the script in the package's folder).
  const env = { ...process.env, DNN_E2E_ROOT: '/nonexistent/demo-root', INIT_CWD: '/nonexistent/cwd' };
  const r = spawnSync(process.execPath, [DEMO, ...args], { encoding: 'utf8', env, timeout: 60000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('--help prints the options and exits 0', () => {
  const r = demo('--help');
  assert.equal(r.code, 0);
  for (const option of ['--port N', '--folder PATH', '--host ADDRESS', '--no-open']) assert.ok(r.out.includes(option), r.out);
});

test('a port that is not a number from 1 to 65535 is a usage error', () => {
  for (const port of ['abc', '0', '70000', '80.5']) {
    const r = demo('--port', port);
    assert.equal(r.code, 2, port);
    assert.match(r.err, new RegExp(`^demo: --port must be a number from 1 to 65535; found ${port.replace('.', '\\.')}\\nusage: npm run demo`));
  }
});

test('an option without its value, an unknown option and a missing folder are usage errors', () => {
  assert.match(demo('--port').err, /^demo: --port needs a value\n/);
  assert.match(demo('--host', '--no-open').err, /^demo: --host needs a value\n/);
  assert.match(demo('--prot', '9000').err, /^demo: unknown option --prot\n/);
  const r = demo('--folder', '/nonexistent/folder');
  assert.equal(r.code, 2);
  assert.match(r.err, /^demo: --folder: no folder at \/nonexistent\/folder\n/);
});

test('a relative --folder is taken from where npm was run, not from the package folder', () => {
  const r = demo('--folder', 'my-networks');
  assert.equal(r.code, 2);
  assert.match(r.err, /^demo: --folder: no folder at \/nonexistent\/cwd\/my-networks\n/);
});

test('a port in use is named at once, before anything is installed or built', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    // Asynchronously: the port must stay served by this process while the demo tries it.
    const child = spawn(process.execPath, [DEMO, '--port', String(port), '--no-open'], { env: { ...process.env, DNN_E2E_ROOT: '/nonexistent/demo-root' } });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 1);
    assert.equal(err, `demo: port ${port} is in use on 127.0.0.1; choose another with --port\n`);
  } finally {
    server.close();
  }
});
