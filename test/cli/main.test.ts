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
