import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/index';

function capture() {
  const io = { outText: '', errText: '', isTTY: false, out: (s: string) => { io.outText += s; }, err: (s: string) => { io.errText += s; } };
  return io;
}

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
