/**
 * `dnn check` speed: checkText on a generated 2,000-layer file, dense and convolutional (target:
 * ≤ 50 ms each), against two
 * references measured in the same run on the same text: JSON.parse (the floor for reading the
 * text at all) and jsonc-parser's parseTree (the tree with offsets the error-tolerant path reads).
 * The target is for a first check, as `dnn check` makes one: the derivations the shapes checker
 * remembers between checks are forgotten before each timed run. A check of the same text again,
 * as the editor makes one at every pause in typing, is timed too.
 * Each also reports the bytes a call allocates, against parseTree's: garbage collection was a third
 * of a check's time, and bytes are steadier than milliseconds on a shared machine.
 * Then hostile inputs (deep nesting, huge files), each of which must take well under a second.
 */
import { Session } from 'node:inspector';
import { parseTree } from 'jsonc-parser';
import { checkText } from '../src/core/check';
import { forgetDerivations } from '../src/core/shapes/layers';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The fastest run of the last `time`: on a shared machine, closer to the work itself than the median. */
let fastest = 0;

/** The median time of `runs` calls of `f`, each after an untimed call of `before`. */
function time(f: () => unknown, runs: number, before: () => void = () => {}): number {
  before();
  f(); // warm up: the first run includes compilation
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    before();
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
  }
  fastest = Math.min(...ts);
  return median(ts);
}

/**
 * Bytes allocated per call of `f`, short-lived objects included, by V8's sampling heap profiler
 * (one sample per KiB on average). Steadier than time on a busy machine: a check's garbage
 * collection grows with what it allocates.
 */
async function allocated(f: () => unknown, runs: number, before: () => void = () => {}): Promise<number> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params: object = {}): Promise<T> =>
    new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r as T))));
  try {
    await post('HeapProfiler.enable');
    await post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    for (let i = 0; i < runs; i++) {
      before();
      f();
    }
    type Sample = { selfSize: number; children: Sample[] };
    const { profile } = await post<{ profile: { head: Sample } }>('HeapProfiler.stopSampling');
    const sum = (n: Sample): number => n.children.reduce((s, c) => s + sum(c), n.selfSize);
    return sum(profile.head) / runs;
  } finally {
    session.disconnect();
  }
}

/** A file of `layers` dense layers, each declaring W and b. */
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

/** checkText on `text` against JSON.parse and parseTree on the same text, in time and in bytes allocated. */
async function compare(title: string, text: string, runs: number): Promise<void> {
  const tJson = time(() => JSON.parse(text.slice(text.indexOf('{'))), runs);
  const tTree = time(() => parseTree(text, []), runs);
  const tCheck = time(() => checkText(text), runs, forgetDerivations);
  const fastestCheck = fastest;
  const tAgain = time(() => checkText(text), runs);
  const fastestAgain = fastest;
  const bTree = await allocated(() => parseTree(text, []), 10);
  const bCheck = await allocated(() => checkText(text), 10, forgetDerivations);
  const bAgain = await allocated(() => checkText(text), 10);
  const mb = (b: number): string => `${(b / 1e6).toFixed(1)} MB`;
  console.log(`${title}, ${(text.length / 1024).toFixed(0)} KiB, median of ${runs} runs:`);
  console.log(`  JSON.parse              ${tJson.toFixed(2).padStart(8)} ms   1.0x`);
  console.log(`  jsonc-parser parseTree  ${tTree.toFixed(2).padStart(8)} ms   ${(tTree / tJson).toFixed(1)}x JSON.parse`);
  console.log(`  checkText, first check  ${tCheck.toFixed(2).padStart(8)} ms   ${(tCheck / tJson).toFixed(1)}x JSON.parse, ${(tCheck / tTree).toFixed(1)}x parseTree   (target ≤ 50 ms: ${tCheck <= 50 ? 'met' : 'MISSED'}; fastest run ${fastestCheck.toFixed(2)} ms)`);
  console.log(`  checkText, again        ${tAgain.toFixed(2).padStart(8)} ms   ${(tAgain / tJson).toFixed(1)}x JSON.parse, ${(tAgain / tTree).toFixed(1)}x parseTree   (as the editor re-checks; fastest run ${fastestAgain.toFixed(2)} ms)`);
  console.log(`  allocated per call: parseTree ${mb(bTree)}, first check ${mb(bCheck)} (${(bCheck / bTree).toFixed(1)}x parseTree), again ${mb(bAgain)}`);
}

export async function run(): Promise<void> {
  const text = network(2000);
  const check = checkText(text);
  if (check.problems.length > 0 || check.shapes?.layers.length !== 2000) {
    throw new Error(`the generated file should be valid: ${JSON.stringify(check.problems.slice(0, 3))}`);
  }
  const runs = 21;
  await compare('2,000-layer file', text, runs);

  const conv = convNetwork();
  const convCheck = checkText(conv);
  if (convCheck.problems.length > 0 || convCheck.shapes?.layerCount !== 2000) {
    throw new Error(`the generated conv file should be valid: ${JSON.stringify(convCheck.problems.slice(0, 3))}`);
  }
  await compare('2,000-layer conv file (residual blocks, declared 4-D shapes)', conv, runs);

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
