/**
 * `dnn export FILE --to FORMAT [--params P] [--float64] [-o OUT]`: the network of FILE, with the weights of P
 * when given, as a file another framework runs (src/export holds one generator per format, in
 * EXPORTERS). The output goes beside FILE by default: planar.dnn.json gives planar.py.
 *
 * Exit status: 0 ok, 1 problems in the file or the parameters (or a layer the format cannot
 * write yet, at its key), 2 usage error.
 */
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { writeFileAtomic } from '../node/params';
import { EXPORTERS, ExportError } from '../export/index';
import type { ExportInput } from '../export/types';
import { readParameters } from '../run/load';
import { parseArgs, printProblems, readChecked } from './common';
import type { CliIO } from './main';

const HELP = `usage: dnn export FILE --to FORMAT [--params P] [--float64] [-o OUT]
  Writes the network of FILE as a file another framework runs, with the weights of P when given
  (else the script initialises them as FILE's init says). A built-in data set is written beside
  the numpy or PyTorch script as NAME.data.npy, which the script trains on.
  --to FORMAT    ${Object.entries(EXPORTERS)
    .map(([name, e]) => `${name} (${e.description})`)
    .join(',\n                 ')}
  --params P     the weights to embed (written by dnn train)
  --float64      ONNX in float64 (default float32)
  -o, --output OUT   where to write (default: beside FILE, its name without .dnn.json)
Exit status: 0 ok, 1 problems in the input, 2 usage error.
`;

/** From this many parameters on, an export says first that it will take a while. */
const LARGE_MODEL = 5_000_000;

/** The exported file's default path: beside FILE, planar.dnn.json -> planar.py. */
export function defaultOutput(file: string, extension: string): string {
  const stem = basename(file).replace(/\.dnn\.json$/i, '').replace(/\.json$/i, '');
  return resolve(dirname(file), stem + extension);
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(
    args.map((a) => (a === '-o' ? '--output' : a)),
    ['to', 'params', 'output'],
    ['float64'],
  );
  if (parsed === 'help') {
    io.out(HELP);
    return 0;
  }
  const format = typeof parsed === 'string' ? undefined : (parsed.flags.get('to') as string | undefined);
  const usage =
    typeof parsed === 'string'
      ? parsed
      : !parsed.file
        ? 'no FILE given'
        : format === undefined
          ? `--to FORMAT is required (${Object.keys(EXPORTERS).join(', ')})`
          : !Object.hasOwn(EXPORTERS, format)
            ? `unknown format '${format}'; known: ${Object.keys(EXPORTERS).join(', ')}`
            : undefined;
  if (usage || typeof parsed === 'string' || !parsed.file || !format) {
    io.err(`dnn export: ${usage}\n${HELP}`);
    return 2;
  }
  const { file, flags } = parsed;
  // A network too large to train here is exactly one to export: its size stays a warning.
  const loaded = await readChecked(file, io, true, { withoutTraining: true });
  if (!loaded) return 1;
  const paramsPath = flags.get('params') as string | undefined;
  const input: ExportInput = { spec: loaded.spec, source: basename(file), specDir: '.', dtype: flags.has('float64') ? 'float64' : 'float32' };
  if (paramsPath !== undefined) {
    const params = await readParameters(loaded, paramsPath, undefined);
    if (!params.ok) {
      printProblems(file, params.problems, io, loaded);
      return 1;
    }
    input.params = { parameters: params.parameters, ...(params.meta ? { meta: params.meta } : {}) };
    input.paramsName = basename(paramsPath);
  }
  const { exporter } = EXPORTERS[format];
  let output = flags.get('output') as string | undefined;
  try {
    // The output's folder decides how the script finds the data: relative to itself.
    const probe = output ?? defaultOutput(file, '');
    input.specDir = relative(dirname(resolve(probe)), dirname(resolve(file))).split(sep).join('/') || '.';
    // Writing many weights takes a while (VGG-16's ONNX: half a minute): say what is going on first.
    // A script without --params writes none: it draws them itself when it trains.
    const params = loaded.checked.shapes?.totalParams ?? 0;
    const large = params >= LARGE_MODEL && (format === 'onnx' || input.params);
    if (large) io.err(`dnn export: writing ${params.toLocaleString('en-US')} weights; this takes a while\n`);
    // On a terminal, how far the drawing of the initial weights has gone (most of such an export's time).
    let drawing = false;
    if (large && io.isTTY && !input.params) {
      const status = io.status ?? io.err;
      input.onDraw = (drawn) => {
        status(`\rdnn export: drawing the initial weights ${Math.min(100, Math.round(drawn * 100))}%`);
        drawing = true;
      };
    }
    let result: ReturnType<typeof exporter>;
    try {
      result = exporter(input);
    } finally {
      if (drawing) (io.status ?? io.err)('\r\x1b[K');
    }
    output ??= defaultOutput(file, result.extension);
    await writeFileAtomic(output, result.content);
    io.out(`Wrote ${output}\n`);
    // Built-in data goes beside the script, which reads it from its own folder.
    for (const c of result.companions ?? []) {
      const path = resolve(dirname(resolve(output)), c.name);
      await writeFileAtomic(path, c.content);
      io.out(`Wrote ${path}\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof ExportError) {
      printProblems(file, [{ code: 'engine-error', severity: 'error', message: e.message, path: e.path }], io, loaded);
      return 1;
    }
    if (e instanceof Error && e.message.startsWith('cannot write')) {
      io.err(`dnn export: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
