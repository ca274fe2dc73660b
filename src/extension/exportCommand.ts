/**
 * DNN: Export…: the network of a .dnn.json as a file another framework runs, written beside it
 * (planar.dnn.json -> planar.py) and opened. The format comes from a quick pick of src/export's
 * EXPORTERS, or from the second argument (tests, menus). Trained weights are embedded when a
 * parameters file sits beside the network (planar.params.json, what Train saves).
 */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { EXPORTERS } from '../export/index';
import type { ExportInput } from '../export/types';
import { writeFileAtomic } from '../node/params';
import { checkFile, readParameters } from '../run/load';

/** The parameters Train saves beside a network: planar.dnn.json -> planar.params.json. */
function paramsBeside(file: string): string {
  return join(dirname(file), basename(file).replace(/\.dnn\.json$/i, '').replace(/\.json$/i, '') + '.params.json');
}

/** Runs the export; returns the written file's Uri, or undefined when nothing was written (said to the user). */
export async function exportNetwork(doc: vscode.TextDocument | undefined, format: unknown, log: vscode.LogOutputChannel): Promise<vscode.Uri | undefined> {
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
  const checked = checkFile(file, doc.getText(), { withoutTraining: true });
  if (!checked.ok) {
    void vscode.window.showInformationMessage(`DNN: ${basename(file)} has problems to fix before it can be exported (see Problems).`);
    return undefined;
  }
  const input: ExportInput = { spec: checked.spec, source: basename(file), specDir: '.' };
  const paramsPath = paramsBeside(file);
  if (existsSync(paramsPath)) {
    const params = await readParameters(checked, paramsPath, undefined);
    if (params.ok) {
      input.params = { parameters: params.parameters, ...(params.meta ? { meta: params.meta } : {}) };
      input.paramsName = basename(paramsPath);
    } else log.warn(`Export: ${basename(paramsPath)} does not fit the network, exporting without weights: ${params.problems.map((p) => p.message).join('; ')}`);
  }
  try {
    const result = EXPORTERS[name].exporter(input);
    const out = join(dirname(file), basename(file).replace(/\.dnn\.json$/i, '').replace(/\.json$/i, '') + result.extension);
    await writeFileAtomic(out, result.content);
    // Built-in data goes beside the script, which reads it from its own folder.
    for (const c of result.companions ?? []) await writeFileAtomic(join(dirname(file), c.name), c.content);
    log.info(`Export: wrote ${out}${input.paramsName ? ` with the weights of ${input.paramsName}` : ''}`);
    const uri = vscode.Uri.file(out);
    if (typeof result.content === 'string') await vscode.window.showTextDocument(uri, { preview: false });
    else await vscode.commands.executeCommand('revealInExplorer', uri);
    return uri;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    log.error(`Export to ${name}: ${message}`);
    void vscode.window.showErrorMessage(`DNN: Export to ${name}: ${message}`);
    return undefined;
  }
}
