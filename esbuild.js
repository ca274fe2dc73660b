// One build script for every bundle (after vscode-extension-samples/esbuild-sample):
//   node esbuild.js               development build (source maps)
//   node esbuild.js --production  minified, no source maps (what `npm run package` ships)
//   node esbuild.js --watch       rebuild on change
// Type-checking is separate: `npm run typecheck`.
'use strict';
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  // jsonc-parser's "main" is a UMD build whose dynamic require('./impl/format') esbuild cannot
  // bundle; its ESM build ("module") bundles cleanly (as in vscode-extension-samples).
  mainFields: ['module', 'main'],
  logLevel: 'warning',
  legalComments: 'none',
};

/** Entry points that exist (later issues add some of them). */
const exists = (p) => fs.existsSync(path.join(__dirname, p));

const builds = [
  // The extension host bundle: Node, CommonJS, 'vscode' provided by the host.
  exists('src/extension/extension.ts') && {
    ...common,
    entryPoints: { extension: 'src/extension/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  // The training worker (worker_threads), started by the extension host.
  exists('src/extension/worker.ts') && {
    ...common,
    entryPoints: { worker: 'src/extension/worker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  // The `dnn` command line.
  {
    ...common,
    entryPoints: { cli: 'src/cli/index.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  // The page inside the webview: browser, no Node, no 'vscode'.
  exists('webview/main.ts') && {
    ...common,
    entryPoints: { main: 'webview/main.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  // Editor tests that run inside VS Code's extension host (mocha, tdd).
  !production && exists('test/suite/index.ts') && {
    ...common,
    entryPoints: ['test/suite/*.ts'],
    outdir: 'out/test/suite',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
  },
].filter(Boolean);

async function main() {
  if (watch) {
    for (const b of builds) await (await esbuild.context(b)).watch();
    console.log('[watch] build started');
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
}

main().catch((e) => {
  console.error(e.message || e);
  process.exit(1);
});
