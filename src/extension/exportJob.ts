/**
 * DNN: Export… in a worker thread, both sides, without 'vscode' (node:test drives them with real
 * workers). The extension host starts one worker per export (`ExportSession`); the worker
 * (exportWorker.ts) hands the request to `runExport`, which checks the file, reads the weights
 * beside it, runs the exporter and writes the result, saying each stage as it starts. An ONNX
 * export of a large network (VGG-16: 138 million weights, a 553 MB model) takes half a minute;
 * on the host's thread it would freeze every extension for that long.
 *
 * Cancel terminates the worker (an exporter cannot be interrupted otherwise: it is one synchronous
 * call) and removes the temporary files of the writes it interrupted. Writes are atomic, so a
 * file an earlier export wrote stays as it was.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EXPORTERS } from '../export/index';
import type { ExportInput } from '../export/types';
import { writeFileAtomic } from '../node/params';
import {
  isExportWorkerToExtension,
  type ExportDoneMessage,
  type ExportFailedMessage,
  type ExportRequest,
  type ExportStageMessage,
  type ExportWorkerToExtension,
} from '../protocol';
import { checkFile, readParameters } from '../run/load';
import { errorMessage } from '../run/problems';

/** planar.dnn.json -> planar: the name the exported files share. */
export function stemOf(file: string): string {
  return basename(file).replace(/\.dnn\.json$/i, '').replace(/\.json$/i, '');
}

/** The parameters Train saves beside a network: planar.dnn.json -> planar.params.json. */
export function paramsBeside(file: string): string {
  return join(dirname(file), stemOf(file) + '.params.json');
}

// ---------------------------------------------------------------------------------------------
// The worker's side

/** Runs one export request; every outcome, the user's mistakes and the exporter's refusals included, is a message. */
export async function runExport(req: ExportRequest, post: (m: ExportWorkerToExtension) => void): Promise<void> {
  try {
    post({ type: 'exportStage', stage: 'checking' });
    const entry = Object.hasOwn(EXPORTERS, req.format) ? EXPORTERS[req.format] : undefined;
    if (!entry) {
      post({ type: 'exportFailed', reason: 'error', message: `unknown export format '${req.format}'; known: ${Object.keys(EXPORTERS).join(', ')}` });
      return;
    }
    const checked = checkFile(req.file, req.text, { withoutTraining: true });
    if (!checked.ok) {
      post({ type: 'exportFailed', reason: 'problems', message: `${basename(req.file)} has problems to fix before it can be exported (see Problems).` });
      return;
    }
    const input: ExportInput = { spec: checked.spec, source: basename(req.file), specDir: '.' };
    const warnings: string[] = [];
    if (req.paramsPath !== undefined && existsSync(req.paramsPath)) {
      post({ type: 'exportStage', stage: 'readingWeights' });
      const params = await readParameters(checked, req.paramsPath, undefined);
      if (params.ok) {
        input.params = { parameters: params.parameters, ...(params.meta ? { meta: params.meta } : {}) };
        input.paramsName = basename(req.paramsPath);
      } else {
        warnings.push(`${basename(req.paramsPath)} does not fit the network, exporting without weights: ${params.problems.map((p) => p.message).join('; ')}`);
      }
    }
    post({ type: 'exportStage', stage: 'building', drawing: input.params === undefined });
    if (input.params === undefined) input.onDraw = (drawn) => post({ type: 'exportStage', stage: 'building', drawing: true, drawn: Math.min(1, drawn) });
    const result = entry.exporter(input);
    const dir = dirname(req.file);
    const out = join(dir, stemOf(req.file) + result.extension);
    const companions = (result.companions ?? []).map((c) => ({ path: join(dir, c.name), content: c.content }));
    post({ type: 'exportStage', stage: 'writing', files: [out, ...companions.map((c) => c.path)] });
    await writeFileAtomic(out, result.content);
    // Built-in data goes beside the script, which reads it from its own folder.
    for (const c of companions) await writeFileAtomic(c.path, c.content);
    const done: ExportDoneMessage = { type: 'exportDone', out, companions: companions.map((c) => c.path), text: typeof result.content === 'string', warnings };
    if (input.paramsName) done.paramsName = input.paramsName;
    post(done);
  } catch (e) {
    post({ type: 'exportFailed', reason: 'error', message: errorMessage(e) });
  }
}

// ---------------------------------------------------------------------------------------------
// The extension host's side

/** How an export ended: the worker's last word, or why there is none. */
export interface ExportEnd {
  final?: ExportDoneMessage | ExportFailedMessage;
  /** True when `cancel()` ended it. */
  cancelled: boolean;
  /** Set when the worker died without a last word (a crash, a malformed message). */
  error?: string;
}

export interface ExportSessionOptions {
  /** Each stage as the worker starts it. */
  onStage?: (m: ExportStageMessage) => void;
  /** A message that failed `isExportWorkerToExtension`, dropped (for the log). */
  onMalformed?: (m: unknown) => void;
  /** Extra Node options for the worker (tests run the TypeScript entry with tsx). */
  execArgv?: string[];
}

/** One export in one worker thread. */
export class ExportSession {
  readonly done: Promise<ExportEnd>;
  private readonly worker: Worker;
  private final?: ExportDoneMessage | ExportFailedMessage;
  private crash?: string;
  private cancelled = false;
  /** The files the worker said it is writing: their temporaries are removed on cancel. */
  private writing: string[] = [];

  constructor(workerFile: string, request: ExportRequest, private readonly options: ExportSessionOptions = {}) {
    this.worker = new Worker(workerFile, { execArgv: options.execArgv ?? [] });
    this.done = new Promise<ExportEnd>((resolve) => {
      this.worker.on('message', (m: unknown) => {
        if (!isExportWorkerToExtension(m)) {
          this.crash = 'the export worker sent a malformed message';
          this.options.onMalformed?.(m);
          return;
        }
        if (m.type === 'exportStage') {
          if (m.files) this.writing = m.files;
          try {
            this.options.onStage?.(m);
          } catch {
            // A listener's bug must not keep the export from ending.
          }
        } else this.final = m;
      });
      this.worker.on('error', (e) => {
        this.crash = `the export worker failed: ${errorMessage(e)}`;
      });
      this.worker.on('exit', (code) => {
        // Messages posted just before the exit can arrive after it: let them drain first.
        setTimeout(() => {
          void this.finish(code).then(resolve);
        }, 0);
      });
    });
    this.worker.postMessage(request);
  }

  private async finish(code: number): Promise<ExportEnd> {
    if (this.cancelled) {
      await removeTemporaries(this.writing);
      return { cancelled: true };
    }
    if (this.final) return { final: this.final, cancelled: false };
    return { cancelled: false, error: this.crash ?? `the export worker stopped unexpectedly (exit code ${code})` };
  }

  /** Ends the export now; `done` then says it was cancelled, and no partly written file is left. */
  async cancel(): Promise<ExportEnd> {
    if (!this.final) {
      this.cancelled = true;
      await this.worker.terminate();
    }
    return this.done;
  }

  /** The worker's thread id (tests check that it is gone). */
  get threadId(): number {
    return this.worker.threadId;
  }
}

/** `.<name>.<12 hex>.tmp`: the temporary file of an atomic write to `name` (src/node/params.ts). */
function isTemporaryOf(entry: string, base: string): boolean {
  return entry.startsWith(`.${base}.`) && entry.endsWith('.tmp') && /^[0-9a-f]{12}$/.test(entry.slice(base.length + 2, -4));
}

/** Removes what interrupted atomic writes to `files` left behind. */
async function removeTemporaries(files: readonly string[]): Promise<void> {
  for (const file of files) {
    const dir = dirname(file);
    const base = basename(file);
    const entries = await readdir(dir).catch(() => [] as string[]);
    for (const e of entries) if (isTemporaryOf(e, base)) await unlink(join(dir, e)).catch(() => undefined);
  }
}
