/** DNN: Stop Training. */
import * as path from 'path';
import * as vscode from 'vscode';
import type { Trainings } from './state';

/**
 * An explicit file stops that file's run only; without one, the active editor's run, else the
 * only run, else the user picks one. Resolves true when a run was asked to stop.
 */
export async function stopCommand(t: Trainings, arg?: unknown): Promise<boolean> {
  const explicit = arg instanceof vscode.Uri;
  const uri = explicit ? arg : vscode.window.activeTextEditor?.document.uri;
  const run = (uri && t.runs.get(uri.toString())) ?? (!explicit && t.runs.size === 1 ? [...t.runs.values()][0] : undefined);
  if (run) {
    await run.session.stop();
    return true;
  }
  if (!explicit && t.runs.size > 1) {
    const pick = await vscode.window.showQuickPick(
      [...t.runs.values()].map((r) => ({ label: path.basename(r.file.fsPath), run: r })),
      { placeHolder: 'Stop which training?' },
    );
    if (pick) await pick.run.session.stop();
    return Boolean(pick);
  }
  void vscode.window.showInformationMessage('DNN: no training is running.');
  return false;
}
