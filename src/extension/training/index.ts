/**
 * Train, Stop Training, Predict and Gradient Check in the editor. extension.ts calls
 * `registerTrainingCommands`; each command lives in its own module (train.ts, stop.ts,
 * predictCommand.ts, gradientCheck.ts), the training page's messages in page.ts, what they
 * share in state.ts, and the test-only debug channel (the `dnn._*` commands) in debug.ts.
 * Running a .dnn.json itself is the run layer's job (src/run), shared with `dnn train` through
 * the training worker.
 *
 * Every command takes optional arguments (a file URI, then an options object) so that tests and
 * CodeLens can run it without prompts; see TrainArgs, PredictArgs and GradientCheckArgs.
 */
import * as vscode from 'vscode';
import { registerDebugChannel } from './debug';
import { gradientCheckCommand, type GradientCheckArgs } from './gradientCheck';
import { PageMessages } from './page';
import { TrainingPanel, VIEW_TYPE } from './panel';
import { predictCommand, type PredictArgs } from './predictCommand';
import { restorableFile } from './restore';
import { RESULT_SCHEME } from './results';
import { Trainings } from './state';
import { stopCommand } from './stop';
import { trainCommand, type TrainArgs } from './train';

export function registerTrainingCommands(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  const t = new Trainings(context, log);
  t.pageHost = new PageMessages(t, registerDebugChannel(context, t));
  context.subscriptions.push(
    t.results,
    vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, t.results),
    vscode.commands.registerCommand('dnn.train', (arg?: unknown, args?: TrainArgs) => trainCommand(t, arg, args)),
    vscode.commands.registerCommand('dnn.stopTraining', (arg?: unknown) => stopCommand(t, arg)),
    vscode.commands.registerCommand('dnn.predict', (arg?: unknown, args?: PredictArgs) => predictCommand(t, arg, args)),
    vscode.commands.registerCommand('dnn.gradientCheck', (arg?: unknown, args?: GradientCheckArgs) => gradientCheckCommand(t, arg, args)),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown) {
        // The page's saved state is the webview's word: rebind only to an existing .dnn.json in
        // a workspace folder, since the panel's buttons edit and write beside that file.
        const checked = restorableFile(saved);
        const uri = checked.ok ? vscode.Uri.parse(checked.file, true) : undefined;
        const reason = !checked.ok
          ? checked.reason
          : !vscode.workspace.getWorkspaceFolder(uri!)
            ? 'the saved file is outside the workspace folders'
            : !(await vscode.workspace.fs.stat(uri!).then((st) => st.type === vscode.FileType.File, () => false))
              ? 'the saved file no longer exists'
              : undefined;
        if (reason !== undefined || !uri) {
          log.info(`Training panel not restored: ${reason ?? 'no file'}`);
          panel.dispose();
          return;
        }
        TrainingPanel.revive(panel, context.extensionUri, uri, t.pageHost);
      },
    }),
    { dispose: () => void t.stopAll() },
    { dispose: () => TrainingPanel.all().forEach((p) => p.dispose()) },
  );
}
