#!/usr/bin/env node
// The `dnn` command line: a thin launcher for the bundled CLI (built by `npm run build`).
'use strict';
const path = require('path');
const fs = require('fs');
const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write('dnn: the CLI is not built yet; run `npm run build` first.\n');
  process.exit(2);
}
// `dnn train x | head` closes the pipe early: stop quietly, as other command-line tools do, instead
// of printing a stack trace for the unwritten lines.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
require(bundle).main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
