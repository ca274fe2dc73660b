/**
 * `dnn check` speed: checkText on a generated 2,000-layer file, dense and convolutional (target:
 * ≤ 50 ms each), against two
 * references measured in the same run on the same text: JSON.parse (the floor for reading the
 * text at all) and jsonc-parser's parseTree (the tree with offsets the checker walks).
 * Then hostile inputs (deep nesting, huge files), each of which must take well under a second.
 */
import { parseTree } from 'jsonc-parser';
import { checkText } from '../src/core/check';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(f: () => unknown, runs: number): number {
  f(); // warm up: the first run includes compilation
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

export function network(layers: number): string {
  const hidden = Array.from(
    { length: layers - 1 },
    (_, i) => `    { "units": ${8 + (i % 5)}, "activation": "relu", "shapes": { "W": [${8 + (i % 5)}, ${i === 0 ? 64 : 8 + ((i - 1) % 5)}], "b": [${8 + (i % 5)}, 1] } }`,
  );
  return `// generated: ${layers} layers\n{\n  "input": 64,\n  "layers": [\n${hidden.join(',\n')},\n    { "units": 1, "activation": "sigmoid" }\n  ],\n  "loss": "binary-cross-entropy",\n  "training": { "iterations": 10, "learningRate": 0.01 }\n}\n`;
}

/**
 * A 2,000-layer convolutional file: a 3×3 conv to 16 channels, 998 residual blocks of two
 * "same" 3×3 convs with declared W and Z, a pool, flatten, and a softmax.
 */
export function convNetwork(): string {
  const conv = '{ "type": "conv", "filters": 16, "size": 3, "padding": "same", "activation": "relu", "shapes": { "W": [3, 3, 16, 16], "Z": ["m", 32, 32, 16] } }';
  const block = `    { "type": "residual", "layers": [\n      ${conv},\n      ${conv}\n    ] }`;
  const layers = [
    '    { "type": "conv", "filters": 16, "size": 3, "padding": "same", "activation": "relu" }',
    ...Array.from({ length: 998 }, () => block),
    '    { "type": "pool", "size": 2 }',
    '    { "type": "flatten" }',
    '    { "units": 10, "activation": "softmax" }',
  ];
  return `// generated: 2,000 conv layers\n{\n  "input": { "shape": [32, 32, 3] },\n  "layers": [\n${layers.join(',\n')}\n  ]\n}\n`;
}

/** checkText on `text` against JSON.parse and parseTree on the same text. */
function compare(title: string, text: string, runs: number): void {
  const tJson = time(() => JSON.parse(text.slice(text.indexOf('{'))), runs);
  const tTree = time(() => parseTree(text, []), runs);
  const tCheck = time(() => checkText(text), runs);
  console.log(`${title}, ${(text.length / 1024).toFixed(0)} KiB, median of ${runs} runs:`);
  console.log(`  JSON.parse              ${tJson.toFixed(2).padStart(8)} ms   1.0x`);
  console.log(`  jsonc-parser parseTree  ${tTree.toFixed(2).padStart(8)} ms   ${(tTree / tJson).toFixed(1)}x JSON.parse`);
  console.log(`  checkText               ${tCheck.toFixed(2).padStart(8)} ms   ${(tCheck / tJson).toFixed(1)}x JSON.parse, ${(tCheck / tTree).toFixed(1)}x parseTree   (target ≤ 50 ms: ${tCheck <= 50 ? 'met' : 'MISSED'})`);
}

export async function run(): Promise<void> {
  const text = network(2000);
  const check = checkText(text);
  if (check.problems.length > 0 || check.shapes?.layers.length !== 2000) {
    throw new Error(`the generated file should be valid: ${JSON.stringify(check.problems.slice(0, 3))}`);
  }
  const runs = 21;
  compare('2,000-layer file', text, runs);

  const conv = convNetwork();
  const convCheck = checkText(conv);
  if (convCheck.problems.length > 0 || convCheck.shapes?.layerCount !== 2000) {
    throw new Error(`the generated conv file should be valid: ${JSON.stringify(convCheck.problems.slice(0, 3))}`);
  }
  compare('2,000-layer conv file (residual blocks, declared 4-D shapes)', conv, runs);

  const layer = '{ "units": 1, "activation": "sigmoid" }';
  let garbage = '';
  for (let i = 0; i < 65536; i++) garbage += String.fromCharCode((i * 2654435761) % 251);
  const hostile: [string, string][] = [
    ['empty', ''],
    ['5,000 nested brackets', '['.repeat(5000) + ']'.repeat(5000)],
    ['2 MB name', `{"name": "${'x'.repeat(2 * 1024 * 1024)}", "input": 2, "layers": [${layer}]}`],
    ['64 KiB binary garbage', garbage],
    ['1e400 and 10^15 units', `{"input": 1e400, "layers": [{"units": 1000000000000000, "activation": "relu"}, ${layer}]}`],
  ];
  console.log('hostile inputs, checkText median of 5 runs:');
  for (const [name, t] of hostile) {
    console.log(`  ${name.padEnd(24)} ${time(() => checkText(t), 5).toFixed(2).padStart(8)} ms`);
  }
}
