/**
 * The editor suite's entry, in the layout @vscode/test-electron expects (`run()` returning a
 * promise): on a machine with internet it runs in desktop VS Code; here test/e2e/run.sh runs it
 * in code-server's VS Code host. esbuild bundles each test/suite/*.ts to out/test/suite/*.js;
 * every *.test.js there is loaded, including the training engineer's training-*.test.js.
 */
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: 30000,
    // No focused tests in CI (mocha's --forbid-only).
    forbidOnly: true,
    reporter: 'spec',
  });
  const dir = __dirname;
  const grep = process.env.DNN_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(dir, f));
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const stats = runner.stats ?? { passes: 0, failures };
        // One machine-readable line for test/e2e/run.sh's closing "N passed, N failed".
        console.log(`DNN-E2E-RESULT ${JSON.stringify({ passed: stats.passes, failed: stats.failures })}`);
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else resolve();
      });
    } catch (e) {
      console.log(`DNN-E2E-RESULT ${JSON.stringify({ passed: 0, failed: 1 })}`);
      reject(e);
    }
  });
}
