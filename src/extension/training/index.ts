/**
 * Train, Predict, Gradient Check and Stop Training in the editor. The Editor issue registers the
 * commands through `registerTrainingCommands`; the training issue fills them in (worker, webview).
 */
import * as vscode from 'vscode';

export const TRAINING_COMMANDS = ['dnn.train', 'dnn.stopTraining', 'dnn.predict', 'dnn.gradientCheck'] as const;

export function registerTrainingCommands(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  for (const id of TRAINING_COMMANDS) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, () => {
        log.info(`${id}: not available yet`);
        void vscode.window.showInformationMessage('DNN: training is not available yet in this version.');
      }),
    );
  }
}
