/**
 * Every problem code in the closed list has at least one test case somewhere under test/:
 * a code nobody tests is a message nobody has read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROBLEM_CODES } from '../../src/core/problems';

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'fixtures' && name !== 'node_modules') out.push(...testFiles(p));
    } else if (/\.test\.ts$/.test(name) && p !== __filename) out.push(p);
  }
  return out;
}

test('every problem code has a test case that names it', () => {
  const sources = testFiles(join(__dirname, '..')).map((f) => readFileSync(f, 'utf8'));
  const untested = Object.keys(PROBLEM_CODES).filter(
    (code) => !sources.some((s) => s.includes(`'${code}'`) || s.includes(`"${code}"`)),
  );
  assert.deepEqual(untested, []);
});
