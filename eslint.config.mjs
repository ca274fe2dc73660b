// Lint for the whole repository: typescript-eslint's recommended rules, plus the import direction
// of ARCHITECTURE.md as `no-restricted-imports` (test/architecture.test.ts checks the core's
// folder order and cycles, which a per-file rule cannot see).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);
const noVscode = { name: 'vscode', message: "Only src/extension/ may import 'vscode'." };
const noNode = (where) =>
  nodeBuiltins.map((name) => ({ name, message: `${where} runs without Node: file access and threads belong to the edges.` }));

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'build/**', 'node_modules/**', '.vscode-e2e/**', 'test-output/**', '**/generated/**', 'assembly/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Unused names are a type-check error already (noUnusedLocals); `_x` marks a deliberate one.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `x!` is used where an index is proven in range just above; the type checker cannot see it.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    // Plain Node scripts (and page functions that playwright runs in the browser): their globals
    // are Node's or the page's, which the TypeScript sources get from the type checker instead.
    rules: { '@typescript-eslint/no-require-imports': 'off', 'no-undef': 'off' },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode, ...noNode('src/core')] }] },
  },
  {
    files: ['webview/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode, ...noNode('The webview page')] }] },
  },
  {
    files: ['src/cli/**/*.ts', 'src/node/**/*.ts', 'src/protocol.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode] }] },
  },
);
