/**
 * DNN: Export…: the network of a .dnn.json as a file another framework runs, written beside it
 * (planar.dnn.json -> planar.py) and opened. The format comes from a quick pick of src/export's
 * EXPORTERS, or from the second argument (tests, menus). Trained weights are embedded when a
 * parameters file sits beside the network (planar.params.json, what Train saves).
 *
 * The export runs in a worker thread (exportJob.ts), under a cancellable progress notification
 * that names the stage: an ONNX model of a large network takes long enough to freeze every
 * extension if it ran on the host's thread. Cancel ends the worker and leaves no file behind.
 */
import * as vscode from 'vscode';
import { basename, join } from 'node:path';
import { EXPORTERS } from '../export/index';
import type { ExportStageMessage } from '../protocol';
import { ExportSession, paramsBeside } from './exportJob';

/** The export worker's bundle, beside this one's in dist/. */
const WORKER_FILE = join(__dirname, 'exportWorker.js');

/** What the notification says of a stage. */
function stageText(m: ExportStageMessage, format: string): string {
  switch (m.stage) {
    case 'checking':
      return 'checking the network';
    case 'readingWeights':
      return 'reading the weights';
    case 'building':
      if (format !== 'onnx') return 'generating the script';
      if (!m.drawing) return 'building the model';
      if (m.drawn === undefined) return 'drawing the initial weights, building the model';
      return m.drawn < 1 ? `drawing the initial weights (${Math.round(m.drawn * 100)}%)` : 'building the model';
    case 'writing':
      return format === 'onnx' ? 'writing the model' : 'writing the script';
  }
}

/** Display names of the formats, for "Exporting vgg16 to ONNX…". */
const FORMAT_NAMES: Record<string, string> = { numpy: 'numpy', pytorch: 'PyTorch', onnx: 'ONNX' };

/**
 * Runs the export; returns the written file's Uri, or undefined when nothing was written (said to
 * the user, or cancelled). `cancel` (tests) cancels as the notification's Cancel button does.
 */
export async function exportNetwork(
  doc: vscode.TextDocument | undefined,
  format: unknown,
  log: vscode.LogOutputChannel,
  cancel?: vscode.CancellationToken,
): Promise<vscode.Uri | undefined> {
  if (!doc || doc.uri.scheme !== 'file') {
    void vscode.window.showInformationMessage('DNN: Export needs a .dnn.json file saved on disk: open one first.');
    return undefined;
  }
  let name = typeof format === 'string' ? format : undefined;
  if (name === undefined) {
    const pick = await vscode.window.showQuickPick(
      Object.entries(EXPORTERS).map(([label, e]) => ({ label, detail: e.description })),
      { title: 'Export the network as', placeHolder: 'a format' },
    );
    if (!pick) return undefined;
    name = pick.label;
  }
  if (!Object.hasOwn(EXPORTERS, name)) {
    void vscode.window.showInformationMessage(`DNN: unknown export format '${name}'; known: ${Object.keys(EXPORTERS).join(', ')}`);
    return undefined;
  }
  const file = doc.uri.fsPath;
  const paramsPath = paramsBeside(file);
  const formatName = FORMAT_NAMES[name] ?? name;
  const end = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Exporting ${basename(file).replace(/\.dnn\.json$/i, '')} to ${formatName}…`, cancellable: true },
    (progress, token) => {
      const session = new ExportSession(WORKER_FILE, { type: 'export', file, text: doc.getText(), format: name, paramsPath }, {
        onStage: (m) => progress.report({ message: stageText(m, name) }),
        onMalformed: (m) => log.warn(`Export: dropped a malformed message from the worker: ${JSON.stringify(m)?.slice(0, 200)}`),
      });
      const stop = () => void session.cancel();
      const subscriptions = [token.onCancellationRequested(stop), ...(cancel ? [cancel.onCancellationRequested(stop)] : [])];
      if (cancel?.isCancellationRequested) stop();
      return session.done.finally(() => subscriptions.forEach((s) => s.dispose()));
    },
  );
  if (end.cancelled) {
    log.info(`Export to ${name}: cancelled`);
    return undefined;
  }
  const final = end.final;
  if (!final || final.type === 'exportFailed') {
    const message = final?.message ?? end.error ?? 'the export ended without a result';
    if (final?.reason === 'problems') {
      void vscode.window.showInformationMessage(`DNN: ${message}`);
      return undefined;
    }
    log.error(`Export to ${name}: ${message}`);
    void vscode.window.showErrorMessage(`DNN: Export to ${name}: ${message}`);
    return undefined;
  }
  for (const w of final.warnings) log.warn(`Export: ${w}`);
  log.info(`Export: wrote ${final.out}${final.paramsName ? ` with the weights of ${final.paramsName}` : ''}`);
  const uri = vscode.Uri.file(final.out);
  try {
    if (final.text) await vscode.window.showTextDocument(uri, { preview: false });
    else await vscode.commands.executeCommand('revealInExplorer', uri);
  } catch (e) {
    // The file is written; only showing it failed (a closed window, an Explorer without the folder).
    log.warn(`Export: wrote ${final.out} but could not show it: ${e instanceof Error ? e.message : String(e)}`);
  }
  return uri;
}
