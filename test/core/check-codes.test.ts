/**
 * Every problem code in the closed list has at least one test case somewhere under test/:
 * a code nobody tests is a message nobody has read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROBLEM_CODES } from '../../src/core/problems';
import { filesUnder } from '../helpers/files';

test('every problem code has a test case that names it', () => {
  const sources = filesUnder(join(__dirname, '..'), /\.test\.ts$/, ['fixtures', 'node_modules']).filter((f) => f !== __filename).map((f) => readFileSync(f, 'utf8'));
  const untested = Object.keys(PROBLEM_CODES).filter(
    (code) => !sources.some((s) => s.includes(`'${code}'`) || s.includes(`"${code}"`)),
  );
  assert.deepEqual(untested, []);
});
