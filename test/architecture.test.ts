/**
 * The architecture's invariants (ARCHITECTURE.md), enforced: a lint rule written as a test so it
 * runs everywhere the unit tests run, with no extra tool.
 *   - src/core imports no 'vscode', no Node built-in module and uses no DOM globals;
 *   - src/cli and webview/ import no 'vscode';
 *   - webview/ imports no Node built-in module (it runs in a browser);
 *   - inside src/core, a folder imports only the folders below it in CORE_LAYERS, so the core
 *     has no import cycle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { filesUnder } from './helpers/files';

const ROOT = join(__dirname, '..');

/** The TypeScript sources under `dir` (no declaration files, no generated code). */
function tsFiles(dir: string): string[] {
  return filesUnder(dir, /^(?!.*\.d\.ts$).*\.ts$/, ['node_modules', 'generated']);
}

/** Every module specifier a file imports: static, dynamic, re-exports and require(). */
function imports(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;
  for (let m = re.exec(code); m; m = re.exec(code)) found.push(m[1]);
  return found;
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function violations(dir: string, forbidden: (spec: string) => boolean): string[] {
  return tsFiles(join(ROOT, dir)).flatMap((f) =>
    imports(readFileSync(f, 'utf8'))
      .filter(forbidden)
      .map((spec) => `${relative(ROOT, f)} imports '${spec}'`),
  );
}

test('src/core imports neither vscode nor Node built-in modules', () => {
  assert.deepEqual(violations('src/core', (s) => s === 'vscode' || NODE_BUILTINS.has(s)), []);
});

test('src/core uses no DOM globals', () => {
  const dom = /\b(document|window|HTMLElement|navigator|localStorage)\s*[.(]/;
  const hits = tsFiles(join(ROOT, 'src/core')).filter((f) =>
    dom.test(readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')),
  );
  assert.deepEqual(hits.map((f) => relative(ROOT, f)), []);
});

test('the CLI does not import vscode', () => {
  assert.deepEqual(violations('src/cli', (s) => s === 'vscode'), []);
});

test('the webview imports neither vscode nor Node built-in modules', () => {
  assert.deepEqual(violations('webview', (s) => s === 'vscode' || NODE_BUILTINS.has(s)), []);
});

test('the rule itself sees the import forms it must catch', () => {
  const sample = `import * as vscode from 'vscode';\nimport fs = require("fs");\nconst p = await import('node:path');\nexport { x } from './y';`;
  assert.deepEqual(imports(sample), ['vscode', 'fs', 'node:path', './y']);
});

/**
 * The core's layers, lowest first (ARCHITECTURE.md). A module may import its own layer's modules
 * and those of lower layers; modules in one row are independent of each other. A top-level file
 * is its own unit (`problems`, `matrix`, `check`), a folder is one unit.
 */
const CORE_LAYERS: readonly (readonly string[])[] = [
  ['problems', 'matrix'],
  ['rng', 'format'],
  ['shapes'],
  ['data'],
  ['kernels'],
  ['engine'],
  ['check'],
];

const CORE = join(ROOT, 'src', 'core');

/** The unit of a file under `root`: its folder there, or its name for a file directly in it. */
function unitOf(root: string, file: string): string {
  const [first, ...rest] = relative(root, file).split(sep);
  return rest.length === 0 ? first!.replace(/\.ts$/, '') : first!;
}

/** Every relative import between two different units under `root`, as `{ from, to, what }`. */
function edgesUnder(root: string): { from: string; to: string; what: string }[] {
  return tsFiles(root).flatMap((f) =>
    imports(readFileSync(f, 'utf8'))
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => ({ spec, target: resolve(dirname(f), spec) }))
      .filter(({ target }) => relative(root, target).split(sep)[0] !== '..')
      .map(({ spec, target }) => ({
        from: unitOf(root, f),
        to: unitOf(root, target.endsWith('.ts') ? target : `${target}.ts`),
        what: `${relative(ROOT, f).split(sep).join('/')} imports '${spec}'`,
      }))
      .filter((e) => e.from !== e.to),
  );
}

/** Layers violated by `edges`: an import of a unit in the same row or above, or of an unplaced unit. */
function layerViolations(edges: { from: string; to: string; what: string }[], layers: readonly (readonly string[])[]): string[] {
  const rank = new Map(layers.flatMap((row, i) => row.map((u) => [u, i] as const)));
  return edges
    .filter((e) => !(rank.get(e.from)! > rank.get(e.to)!))
    .map((e) => (rank.has(e.from) && rank.has(e.to) ? `${e.what} (${e.from} is not above ${e.to})` : `${e.what} (place ${rank.has(e.from) ? e.to : e.from} in CORE_LAYERS)`));
}

/** One import cycle among the units of `edges` (as "a -> b -> a"), or undefined. */
function findCycle(edges: { from: string; to: string }[]): string | undefined {
  const next = new Map<string, Set<string>>();
  for (const e of edges) next.set(e.from, (next.get(e.from) ?? new Set()).add(e.to));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (u: string): string | undefined => {
    if (state.get(u) === 'open') return [...stack.slice(stack.indexOf(u)), u].join(' -> ');
    if (state.get(u) === 'done') return undefined;
    state.set(u, 'open');
    stack.push(u);
    for (const v of next.get(u) ?? []) {
      const found = visit(v);
      if (found) return found;
    }
    stack.pop();
    state.set(u, 'done');
    return undefined;
  };
  for (const u of next.keys()) {
    const found = visit(u);
    if (found) return found;
  }
  return undefined;
}

test('every folder and top-level file of src/core has a place in the layers', () => {
  const placed = new Set(CORE_LAYERS.flat());
  const units = new Set(tsFiles(CORE).map((f) => unitOf(CORE, f)));
  assert.deepEqual([...units].filter((u) => !placed.has(u)).sort(), []);
});

test('src/core imports only downwards: problems, matrix < rng, format < shapes < data < kernels < engine < check', () => {
  const edges = edgesUnder(CORE);
  assert.deepEqual(layerViolations(edges, CORE_LAYERS), []);
  assert.equal(findCycle(edges), undefined);
});

test('the layer rule catches an upward import and the cycle it makes', () => {
  const edges = [
    { from: 'shapes', to: 'format', what: 'down' },
    { from: 'format', to: 'shapes', what: 'up' },
    { from: 'rng', to: 'format', what: 'sideways' },
  ];
  assert.deepEqual(layerViolations(edges, CORE_LAYERS), ['up (format is not above shapes)', 'sideways (rng is not above format)']);
  assert.equal(findCycle(edges), 'shapes -> format -> shapes');
  assert.equal(findCycle(edges.slice(0, 1)), undefined);
});

/**
 * The layers of src/ as a whole, lowest first: the pure core and the message protocol, Node's file
 * and thread access, the run layer that runs a .dnn.json, then the two faces (CLI and editor).
 */
const SRC_LAYERS: readonly (readonly string[])[] = [['core', 'protocol'], ['node'], ['run', 'export'], ['cli', 'extension']];

const SRC = join(ROOT, 'src');

test('every folder and top-level file of src/ has a place in the layers', () => {
  const placed = new Set(SRC_LAYERS.flat());
  assert.deepEqual([...new Set(tsFiles(SRC).map((f) => unitOf(SRC, f)))].filter((u) => !placed.has(u)).sort(), []);
});

test('src/ imports only downwards: core, protocol < node < run < cli, extension', () => {
  const edges = edgesUnder(SRC);
  assert.deepEqual(layerViolations(edges, SRC_LAYERS), []);
  assert.equal(findCycle(edges), undefined);
});

test('the webview page imports nothing of src/ but the protocol', () => {
  const outside = tsFiles(join(ROOT, 'webview')).flatMap((f) =>
    imports(readFileSync(f, 'utf8'))
      .filter((spec) => spec.startsWith('.') && relative(join(ROOT, 'webview'), resolve(dirname(f), spec)).startsWith('..'))
      .filter((spec) => resolve(dirname(f), spec) !== join(SRC, 'protocol'))
      .map((spec) => `${relative(ROOT, f)} imports '${spec}'`),
  );
  assert.deepEqual(outside, []);
});
