/**
 * The "Get started" walkthrough's buttons. A walkthrough step's button runs while the Welcome page
 * has the focus, so there is no active text editor and the real commands would answer "open a
 * .dnn.json first". `dnn.walkthrough` (hidden from the palette) finds the network the walkthrough
 * made, or one that is showing, brings it forward and runs the real command on it.
 */
import * as fs from 'fs';
import * as vscode from 'vscode';
import { defaultParamsPath } from '../run/settings';
import { isDnnDocument, LANGUAGE_ID } from './analysis';

export const WALKTHROUGH_COMMAND = 'dnn.walkthrough';

/** The steps of `contributes.walkthroughs`, in order; each is one argument of `dnn.walkthrough`. */
export const WALKTHROUGH_STEPS = ['create', 'shapes', 'quickfix', 'train', 'predict', 'network'] as const;
export type WalkthroughStep = (typeof WALKTHROUGH_STEPS)[number];

/**
 * A network with one mistake a quick fix repairs: the output layer declares W[2] transposed,
 * (4, 1) where the checker infers (1, 4) = (n[2], n[1]).
 */
export const MISTAKE_TEXT = `{
  // A declared shape that does not match: W[2] must be (n[2], n[1]) = (1, 4).
  // Put the cursor on the red squiggle and press Ctrl+. (Cmd+. on a Mac) to fix it.
  "input": 2,
  "layers": [
    { "units": 4, "activation": "tanh" },
    { "units": 1, "activation": "sigmoid", "shapes": { "W": [4, 1] } }
  ],
  "data": { "builtin": "planar" }
}
`;

export function registerWalkthrough(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  // The network the first step made (or the last one a step used), so later steps find it again
  // after the user clicked around.
  let current: vscode.Uri | undefined;

  /** The network a step applies to: active, else showing, else the walkthrough's own, else a new one. */
  async function network(): Promise<vscode.TextDocument | undefined> {
    const active = vscode.window.activeTextEditor?.document;
    const showing = vscode.window.visibleTextEditors.map((e) => e.document).find((d) => isDnnDocument(d) && !d.uri.path.includes('walkthrough-mistake'));
    const known = current && vscode.workspace.textDocuments.find((d) => d.uri.toString() === current?.toString());
    let doc = active && isDnnDocument(active) ? active : (showing ?? known);
    if (!doc && current) doc = await vscode.workspace.openTextDocument(current).then((d) => d, () => undefined);
    if (!doc) doc = await create();
    if (!doc) return undefined;
    current = doc.uri;
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc;
  }

  /** The planar template, saved in the workspace folder when it may be written (training needs a file). */
  async function create(): Promise<vscode.TextDocument | undefined> {
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('dnn.newFromTemplate', 'planar');
    if (!uri) return undefined;
    let doc = await vscode.workspace.openTextDocument(uri);
    // An untitled document named after a workspace file saves to that name without a dialog.
    if (doc.isUntitled && vscode.workspace.isTrusted && vscode.workspace.workspaceFolders?.length) {
      if (await doc.save()) {
        doc = await vscode.workspace.openTextDocument(uri.with({ scheme: 'file' }));
        await vscode.window.showTextDocument(doc, { preview: false });
      }
    }
    current = doc.uri;
    return doc;
  }

  /** An untitled network with a transposed W, the cursor on it and the quick fixes open. */
  async function mistake(): Promise<vscode.TextDocument> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    let doc: vscode.TextDocument;
    if (folder) {
      const uri = vscode.Uri.joinPath(folder, 'walkthrough-mistake.dnn.json').with({ scheme: 'untitled' });
      doc = await vscode.workspace.openTextDocument(uri);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), MISTAKE_TEXT);
      await vscode.workspace.applyEdit(edit);
    } else {
      doc = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: MISTAKE_TEXT });
    }
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    const at = doc.positionAt(doc.getText().indexOf('[4, 1]') + 1);
    editor.selection = new vscode.Selection(at, at);
    editor.revealRange(new vscode.Range(at, at));
    // The checker reports the mistake ~200 ms after the text arrives; the quick fix list is
    // empty until then, so wait for the diagnostic (at most 5 s) before opening it.
    await new Promise<void>((resolve) => {
      const has = (): boolean => vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'dnn' && d.range.contains(at));
      if (has()) return resolve();
      const timer = setTimeout(() => {
        sub.dispose();
        resolve();
      }, 5000);
      const sub = vscode.languages.onDidChangeDiagnostics(() => {
        if (!has()) return;
        clearTimeout(timer);
        sub.dispose();
        resolve();
      });
    });
    await vscode.commands.executeCommand('editor.action.quickFix');
    return doc;
  }

  context.subscriptions.push(
    vscode.commands.registerCommand(WALKTHROUGH_COMMAND, async (step?: unknown, extra?: unknown) => {
      log.info(`Walkthrough step: ${String(step)}`);
      switch (step as WalkthroughStep) {
        case 'create':
          return (await create())?.uri;
        case 'quickfix':
          return (await mistake()).uri;
        case 'shapes':
        case 'train':
        case 'predict':
        case 'network': {
          const doc = await network();
          if (!doc) return undefined;
          if (step === 'shapes') return vscode.commands.executeCommand('dnn.showShapes', doc.uri);
          if (step === 'network') return vscode.commands.executeCommand('dnn.showNetwork', doc.uri);
          if (step === 'train') return vscode.commands.executeCommand('dnn.train', doc.uri, extra);
          // Predict with the parameters the training step saved, when there are some; then only the
          // inputs are asked for.
          const params = doc.uri.scheme === 'file' ? defaultParamsPath(doc.uri.fsPath) : undefined;
          const args = { ...(params && fs.existsSync(params) ? { params } : {}), ...(typeof extra === 'object' ? extra : {}) };
          return vscode.commands.executeCommand('dnn.predict', doc.uri, args);
        }
        default:
          void vscode.window.showInformationMessage(`DNN: the walkthrough has no step "${String(step)}".`);
          return undefined;
      }
    }),
  );
}
