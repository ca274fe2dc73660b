/** readTextFile (src/node/files.ts): what `dnn check` and the extension read files with. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTextFile } from '../../src/node/files';

const dir = mkdtempSync(join(tmpdir(), 'dnn-files-'));

test('a UTF-8 byte order mark is stripped, so offsets match what an editor shows', async () => {
  const p = join(dir, 'bom.json');
  writeFileSync(p, Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d])); // BOM then "{}"
  assert.deepEqual(await readTextFile(p), { ok: true, text: '{}' });
});

test('invalid UTF-8 becomes U+FFFD instead of failing: binary garbage still gets checked', async () => {
  const p = join(dir, 'bad.json');
  writeFileSync(p, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])); // "{", two invalid bytes, "}"
  assert.deepEqual(await readTextFile(p), { ok: true, text: '{\uFFFD\uFFFD}' });
});

test('missing files and directories give a reason, not an exception', async () => {
  assert.deepEqual(await readTextFile(join(dir, 'nope.json')), { ok: false, message: 'cannot read: no such file' });
  assert.deepEqual(await readTextFile(dir), { ok: false, message: 'cannot read: it is a directory' });
});
