/**
 * The first half of running a .dnn.json, shared by `dnn train`, `dnn predict`, `dnn gradcheck` and
 * the editor's training worker: check the text, load the data, read the parameters to start from.
 * Each step returns problems as data (src/run/problems.ts); nothing here throws at the user.
 * File access goes through `RunFiles`, so tests can hand in data and capture what is written.
 */
import type { Node } from 'jsonc-parser';
import { checkText, type CheckResult } from '../core/check';
import type { LoadDataResult } from '../core/data/load';
import type { Dataset } from '../core/data/types';
import { networkOf, type Network } from '../core/engine/network';
import type { ParamsMeta } from '../core/engine/params';
import type { Parameters } from '../core/engine/types';
import type { Spec } from '../core/format/types';
import type { JsonPath } from '../core/problems';
import { loadDataForSpec } from '../node/data';
import { readTextFile } from '../node/files';
import { loadParameters, saveParameters, writeFileAtomic, type LoadParamsResult } from '../node/params';
import { describeProblem, engineProblem, problemAt, type Outcome, type RunProblem } from './problems';
import { initFileOf } from './settings';

/** Every file the run layer reads or writes, Node's by default (`nodeFiles`). */
export interface RunFiles {
  readText(path: string): Promise<{ ok: true; text: string } | { ok: false; message: string }>;
  /**
   * The spec's data, paths relative to `file` (the .dnn.json); `tree`, the checker's parse tree of
   * its text, positions the problems, so a run parses the text once.
   */
  loadData(spec: Spec, file: string, tree: Node | undefined): Promise<LoadDataResult>;
  loadParameters(path: string, net: Network): Promise<LoadParamsResult>;
  /** Writes a parameters file atomically; rejects with a message naming the path and the reason. */
  saveParameters(path: string, parameters: Parameters, meta: ParamsMeta): Promise<void>;
  /** Writes a text file atomically; rejects like saveParameters. */
  writeText(path: string, text: string): Promise<void>;
}

export const nodeFiles: RunFiles = {
  readText: readTextFile,
  loadData: loadDataForSpec,
  loadParameters,
  saveParameters,
  writeText: writeFileAtomic,
};

/** A .dnn.json that checked without errors. */
export interface CheckedFile {
  /** The .dnn.json's path (data and init paths in it are relative to its folder). */
  file: string;
  text: string;
  checked: CheckResult;
  spec: Spec;
  /** The checker's warnings (a run goes ahead with them). */
  warnings: RunProblem[];
}

export interface ReadOptions {
  /**
   * The file is read for something other than a run (an export): a network too large for the
   * engine to train stays a warning, since another framework will train it.
   */
  withoutTraining?: boolean;
}

/**
 * Checks the text of `file`. Fails with the checker's errors (and its warnings, which also come
 * back in `warnings` on success).
 */
export function checkFile(file: string, text: string, options: ReadOptions = {}): Outcome<CheckedFile> {
  const checked = checkText(text);
  const errors = checked.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0 || !checked.spec) {
    const problems: RunProblem[] = checked.problems.length > 0 ? checked.problems : [];
    if (errors.length === 0) problems.push({ code: 'not-an-object', severity: 'error', message: 'the file does not describe a network', path: [], in: { file } });
    return { ok: false, problems };
  }
  // What the engine cannot train yet (batch norm in a conv network, ...) is said before any data is read.
  try {
    networkOf(checked.spec);
  } catch (e) {
    return { ok: false, problems: [engineProblem(checked, e)] };
  }
  // Too large to train is a warning for the checker (the network is well formed); a run refuses it with the same message.
  const tooLarge = options.withoutTraining ? undefined : checked.problems.find((p) => p.code === 'too-large');
  if (tooLarge) return { ok: false, problems: [{ ...tooLarge, severity: 'error' }] };
  return { ok: true, file, text, checked, spec: checked.spec, warnings: checked.problems };
}

/**
 * Reads and checks a .dnn.json from disk; an unreadable file is one 'file-error'. A failed check
 * comes back with the text its problems' ranges are in.
 */
export async function readFile(file: string, files: RunFiles = nodeFiles, options: ReadOptions = {}): Promise<({ ok: true } & CheckedFile) | { ok: false; problems: RunProblem[]; text?: string }> {
  const read = await files.readText(file);
  if (!read.ok) return { ok: false, problems: [{ code: 'file-error', severity: 'error', message: read.message, path: [], in: { file } }] };
  const checked = checkFile(file, read.text, options);
  // The text positions the checker's problems.
  return checked.ok ? checked : { ...checked, text: read.text };
}

/**
 * The spec's data, checked against the network. Problems are the .dnn.json's (at `data.train`,
 * `input`, ...); a malformed cell is also reported in its own file (`in`), except an unreadable
 * file, which only the .dnn.json's key names. Warnings come back with the data.
 */
export async function loadDataset(f: CheckedFile, files: RunFiles = nodeFiles): Promise<Outcome<{ dataset: Dataset; warnings: RunProblem[] }>> {
  const r = await files.loadData(f.spec, f.file, f.checked.tree);
  const problems: RunProblem[] = [...r.problems];
  const messages = new Set(r.problems.map((p) => p.message));
  for (const e of r.dataErrors) {
    if (messages.has(`${e.file}: ${e.message}`)) continue;
    problems.push({ code: 'data-error', severity: 'error', message: e.message, path: ['data'], in: { file: e.file, line: e.line, column: e.column } });
  }
  if (r.dataset && !problems.some((p) => p.severity === 'error')) return { ok: true, dataset: r.dataset, warnings: problems };
  if (!problems.some((p) => p.severity === 'error')) problems.push(problemAt(f.checked, 'data-error', 'the data could not be loaded', ['data']));
  return { ok: false, problems };
}

/**
 * The parameters to start from: `initPath` (the CLI's --init) or the spec's init file, read and
 * checked against the network; undefined when the spec's scheme draws them. A problem with a
 * file named in the .dnn.json is reported at `training.init`, one with --init in that file.
 */
export async function loadInitial(f: CheckedFile, initPath?: string, files: RunFiles = nodeFiles): Promise<Outcome<{ parameters?: Parameters }>> {
  const path = initPath ?? initFileOf(f.spec, f.file);
  if (!path) return { ok: true };
  const r = await readParameters(f, path, initPath ? undefined : ['training', 'init'], files);
  return r.ok ? { ok: true, parameters: r.parameters } : r;
}

/**
 * A parameters file checked against the file's network. Problems are at `where` in the .dnn.json
 * (whose text names the file), or in the parameters file itself when `where` is undefined.
 */
export async function readParameters(
  f: CheckedFile,
  path: string,
  where: JsonPath | undefined,
  files: RunFiles = nodeFiles,
): Promise<Outcome<{ parameters: Parameters; meta?: ParamsMeta }>> {
  let net: Network;
  try {
    net = networkOf(f.spec);
  } catch (e) {
    return { ok: false, problems: [engineProblem(f.checked, e)] };
  }
  const r = await files.loadParameters(path, net);
  if (r.ok) return { ok: true, parameters: r.file.parameters, ...(r.file.meta ? { meta: r.file.meta } : {}) };
  return {
    ok: false,
    problems: r.problems.map((message) => (where ? problemAt(f.checked, 'params-error', message, where) : { code: 'params-error', severity: 'error', message, path: [], in: { file: path } })),
  };
}

/** Everything a run needs: the checked file, its data, the parameters to start from. */
export interface LoadedRun extends CheckedFile {
  dataset: Dataset;
  initial?: Parameters;
  /** The data's warnings (a run goes ahead with them). */
  dataWarnings: RunProblem[];
}

/**
 * Loads the data and the initial parameters of a checked file (`checkFile`, `readFile`): the
 * steps every run starts with.
 */
export async function loadRun(f: CheckedFile, options: { initPath?: string; files?: RunFiles } = {}): Promise<Outcome<{ run: LoadedRun }>> {
  const files = options.files ?? nodeFiles;
  const data = await loadDataset(f, files);
  if (!data.ok) return data;
  const init = await loadInitial(f, options.initPath, files);
  if (!init.ok) return init;
  const run: LoadedRun = { file: f.file, text: f.text, checked: f.checked, spec: f.spec, warnings: f.warnings, dataset: data.dataset, dataWarnings: data.warnings };
  if (init.parameters) run.initial = init.parameters;
  return { ok: true, run };
}

/**
 * The problems a terminal prints: each cell error once, at its place in its own file, so the
 * .dnn.json's summaries of them ("train.csv:3:2: ...", "train.csv: 12 more errors") are left out.
 */
export function forTerminal(problems: RunProblem[]): RunProblem[] {
  const inFiles = new Set(problems.filter((p) => p.in).map(describeProblem));
  return problems.filter((p) => p.in || !(inFiles.has(p.message) || /: \d+ more errors$/.test(p.message)));
}

/**
 * The problems an editor shows on the .dnn.json: those with a range in it (they summarise the
 * ones inside data files), or all of them when none has one.
 */
export function inSpecFile(problems: RunProblem[]): RunProblem[] {
  const located = problems.filter((p) => p.range);
  return located.length > 0 ? located : problems;
}
