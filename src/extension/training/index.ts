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
        const file = (saved as { file?: unknown } | undefined)?.file;
        if (typeof file !== 'string') {
          // Nothing to show without knowing the file (an old or empty state).
          panel.dispose();
          return;
        }
        TrainingPanel.revive(panel, context.extensionUri, vscode.Uri.parse(file), t.pageHost);
      },
    }),
    { dispose: () => void t.stopAll() },
    { dispose: () => TrainingPanel.all().forEach((p) => p.dispose()) },
  );
}
