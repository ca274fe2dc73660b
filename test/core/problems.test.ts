import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineColumn } from '../../src/core/problems';

test('lineColumn counts 1-based lines and columns, CRLF as one break', () => {
  const text = 'ab\r\ncd\nef';
  assert.deepEqual(lineColumn(text, 0), { line: 1, column: 1 });
  assert.deepEqual(lineColumn(text, 4), { line: 2, column: 1 }); // 'c'
  assert.deepEqual(lineColumn(text, 7), { line: 3, column: 1 }); // 'e'
  assert.deepEqual(lineColumn(text, 8), { line: 3, column: 2 });
});
