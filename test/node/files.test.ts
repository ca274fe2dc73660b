/**
 * Reading files the user names (data, `--init`, `--input`, the .dnn.json itself) must end, and
 * saving must never write through a link or leave debris: special files are refused before a byte
 * is read, and a save's temporary file is created exclusively and cleaned up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outputPathProblem, readRegularFile, readTextFile } from '../../src/node/files';
import { writeFileAtomic } from '../../src/node/params';

const dir = mkdtempSync(join(tmpdir(), 'dnn-files-'));

test('a device is refused at once instead of being read forever', { skip: !existsSync('/dev/zero') }, async () => {
  const r = await readTextFile('/dev/zero');
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.message : '', /not a regular file \(a device\)/);
});

test('a named pipe nobody writes to is refused without waiting for a writer', { skip: process.platform === 'win32' }, async () => {
  const fifo = join(dir, 'train.csv');
  execFileSync('mkfifo', [fifo]);
  const r = await readTextFile(fifo);
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.message : '', /not a regular file \(a named pipe\)/);
});

test('the byte cap holds, and a file within it is read whole, BOM stripped', async () => {
  const big = join(dir, 'big.csv');
  writeFileSync(big, 'x'.repeat(5000));
  const capped = await readRegularFile(big, 4096);
  assert.equal(capped.ok, false);
  assert.match(!capped.ok ? capped.message : '', /5000 bytes, more than the 4096 allowed/);
  const small = join(dir, 'small.csv');
  writeFileSync(small, '\ufeffa,b\n1,2\n');
  assert.deepEqual(await readTextFile(small), { ok: true, text: 'a,b\n1,2\n' });
  const missing = await readTextFile(join(dir, 'nope.csv'));
  assert.deepEqual(missing, { ok: false, message: 'cannot read: no such file' });
});

test('a save never writes through a link planted where its temporary file would go', async () => {
  const target = join(dir, 'victim.txt');
  writeFileSync(target, 'precious');
  const out = join(dir, 'model.params.json');
  // Links at every name a save could predict (process id and clock) for the next few seconds.
  const from = Date.now();
  for (let t = from; t <= from + 3000; t++) symlinkSync(target, join(dir, `.model.params.json.${process.pid}.${t}.tmp`));
  await writeFileAtomic(out, '{"W1": [[1]]}');
  assert.ok(Date.now() <= from + 3000, 'the save ran while the links were there');
  assert.equal(readFileSync(target, 'utf8'), 'precious');
  assert.equal(readFileSync(out, 'utf8'), '{"W1": [[1]]}');
  // No temporary file of this save is left behind.
  const ours = readdirSync(dir).filter((f) => f.startsWith('.model.params.json.') && /^[.]model[.]params[.]json[.][0-9a-f]{12}[.]tmp$/.test(f));
  assert.deepEqual(ours, []);
});

test('temporary files of killed saves are removed by the next save once they are stale', async () => {
  const out = join(dir, 'p.params.json');
  const stale = join(dir, '.p.params.json.0123456789ab.tmp');
  const fresh = join(dir, '.p.params.json.ba9876543210.tmp');
  const other = join(dir, '.q.params.json.0123456789ab.tmp');
  for (const f of [stale, fresh, other]) writeFileSync(f, 'half a file');
  const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
  utimesSync(stale, old, old);
  utimesSync(other, old, old);
  await writeFileAtomic(out, '{}');
  assert.equal(existsSync(stale), false, 'a stale temporary file of this target is removed');
  assert.equal(existsSync(fresh), true, 'a recent one may belong to a save still running');
  assert.equal(existsSync(other), true, 'another file\'s temporaries are not ours to remove');
});

test('a save into a missing folder names the path and the reason, and leaves nothing', async () => {
  await assert.rejects(writeFileAtomic(join(dir, 'no', 'such', 'p.json'), '{}'), /cannot write .*p\.json: the folder does not exist/);
});

test('an output path is checked before any work: its folder must exist and be a folder, the path must not be one', async () => {
  assert.equal(await outputPathProblem(join(dir, 'new.csv')), undefined);
  assert.match((await outputPathProblem(join(dir, 'missing', 'c.csv'))) ?? '', /cannot write .*c\.csv: no such folder .*missing$/);
  writeFileSync(join(dir, 'plain'), 'x');
  assert.match((await outputPathProblem(join(dir, 'plain', 'c.csv'))) ?? '', /plain is not a folder$/);
  assert.match((await outputPathProblem(dir)) ?? '', /: it is a folder$/);
});
