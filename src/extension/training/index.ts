/**
 * Train, Stop Training, Predict and Gradient Check in the editor. extension.ts calls
 * `registerTrainingCommands`; each command lives in its own module (train.ts, stop.ts,
 * predictCommand.ts, gradientCheck.ts), the training page's messages in page.ts, and what they
 * share in state.ts. Running a .dnn.json itself is the run layer's job (src/run), shared with
 * `dnn train` through the training worker.
 *
 * Every command takes optional arguments (a file URI, then an options object) so that tests and
 * CodeLens can run it without prompts; see TrainArgs, PredictArgs and GradientCheckArgs.
 */
import * as vscode from 'vscode';
import type { RenderedMessage } from '../../protocol';
import { gradientCheckCommand, type GradientCheckArgs } from './gradientCheck';
import { PageMessages } from './page';
import { TrainingPanel, VIEW_TYPE } from './panel';
import { predictCommand, type PredictArgs } from './predictCommand';
import { Trainings } from './state';
import { stopCommand } from './stop';
import { trainCommand, type TrainArgs } from './train';

export const TRAINING_COMMANDS = ['dnn.train', 'dnn.stopTraining', 'dnn.predict', 'dnn.gradientCheck'] as const;

/** The state tests can query through the `dnn._trainingState` command. */
export interface TrainingState {
  running: string[];
  workers: number;
  rendered: Record<string, RenderedMessage | undefined>;
}

function state(t: Trainings): TrainingState {
  const rendered: Record<string, RenderedMessage | undefined> = {};
  for (const p of TrainingPanel.all()) rendered[p.file.toString()] = p.lastRendered;
  return { running: [...t.runs.keys()], workers: [...t.runs.values()].filter((r) => r.session.alive).length, rendered };
}

/** Waits for the panel of `file` to report drawing `received` samples of run `runId` (0: any run; tests). */
async function whenRendered(file: vscode.Uri, runId: number, received: number, timeoutMs = 10000): Promise<RenderedMessage | undefined> {
  const panel = TrainingPanel.get(file);
  if (!panel) return undefined;
  return Promise.race([
    panel.whenRendered((r) => (runId <= 0 || r.runId === runId) && r.received >= received),
    new Promise<undefined>((r) => setTimeout(() => r(undefined), timeoutMs)),
  ]);
}

export function registerTrainingCommands(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  const t = new Trainings(context, log);
  t.pageHost = new PageMessages(t);
  context.subscriptions.push(
    vscode.commands.registerCommand('dnn.train', (arg?: unknown, args?: TrainArgs) => trainCommand(t, arg, args)),
    vscode.commands.registerCommand('dnn.stopTraining', (arg?: unknown) => stopCommand(t, arg)),
    vscode.commands.registerCommand('dnn.predict', (arg?: unknown, args?: PredictArgs) => predictCommand(t, arg, args)),
    vscode.commands.registerCommand('dnn.gradientCheck', (arg?: unknown, args?: GradientCheckArgs) => gradientCheckCommand(t, arg, args)),
    // For tests: what is running, how many workers are alive, what each panel drew.
    vscode.commands.registerCommand('dnn._trainingState', () => state(t)),
    vscode.commands.registerCommand('dnn._whenRendered', (file: vscode.Uri, runId: number, received: number) => whenRendered(file, runId, received)),
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
