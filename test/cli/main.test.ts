import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/index';
import { capture } from './helpers';


test('dnn with no command prints usage on stderr and exits 2', async () => {
  const io = capture();
  assert.equal(await main([], io), 2);
  assert.match(io.errText, /usage:/);
});

test('dnn with an unknown command names it and exits 2', async () => {
  const io = capture();
  assert.equal(await main(['trian'], io), 2);
  assert.match(io.errText, /unknown command 'trian'/);
});

test("the top-level usage lists every command with the options its own --help lists", async () => {
  const io = capture();
  assert.equal(await main(['--help'], io), 0);
  for (const command of ['check', 'train', 'predict', 'gradcheck']) {
    const help = capture();
    assert.equal(await main([command, '--help'], help), 0);
    const line = /^usage: (.*)$/m.exec(help.outText)![1];
    assert.ok(io.outText.includes(`  ${line}\n`), `${command}: ${line}`);
  }
});

test('train --json and gradcheck --json print a JSON error object on stdout for a file that cannot run', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'dnn-json-'));
  const f = join(dir, 'bad.dnn.json');
  writeFileSync(f, '{\n  "input": 2,\n  "layers": [ { "units": 0, "activation": "relu" } ]\n}\n');
  for (const command of ['train', 'gradcheck']) {
    const io = capture();
    assert.equal(await main([command, f, '--json'], io), 1);
    const doc = JSON.parse(io.outText) as { file: string; status: string; problems: { code: string; file: string; line: number; column: number }[] };
    assert.equal(doc.status, 'failed', command);
    assert.equal(doc.file, f);
    assert.deepEqual(doc.problems.map((p) => [p.code, p.line]), [['out-of-range', 3]], command);
    // A missing file is a problem too, not silence.
    const missing = capture();
    assert.equal(await main([command, join(dir, 'nope.dnn.json'), '--json'], missing), 1);
    assert.equal((JSON.parse(missing.outText) as { problems: { code: string }[] }).problems[0].code, 'file-error');
  }
});
