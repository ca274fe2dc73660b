/** DNN: Gradient Check: the worker checks the file's network; the result opens as a read-only document. */
import * as path from 'path';
import * as vscode from 'vscode';
import type { GradientCheckDoneMessage, LocatedMessage } from '../../protocol';
import { WorkerSession } from './session';
import { targetDocument, trusted, type Trainings } from './state';

export interface GradientCheckArgs {
  epsilon?: number;
  /** Do not open an editor with the result (tests). */
  quiet?: boolean;
}

export async function gradientCheckCommand(t: Trainings, arg?: unknown, args: GradientCheckArgs = {}): Promise<GradientCheckDoneMessage | LocatedMessage[] | undefined> {
  const doc = await targetDocument(arg);
  if (!doc || !trusted('Gradient checking')) return undefined;
  const name = path.basename(doc.uri.fsPath);
  let result: GradientCheckDoneMessage | undefined;
  let errors: LocatedMessage[] | undefined;
  const session = new WorkerSession(
    t.workerFile,
    { type: 'gradientCheck', file: doc.uri.fsPath, text: doc.getText(), ...(args.epsilon ? { epsilon: args.epsilon } : {}) },
    {
      onMessage: (m) => {
        if (m.type === 'gradientCheckDone') result = m;
        if (m.type === 'failed') errors = m.errors;
      },
      onMalformed: (m) => t.malformedWorkerMessage(m),
    },
  );
  const end = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Gradient check of ${name}`, cancellable: true },
    (_p, token) => {
      token.onCancellationRequested(() => void session.stop());
      return session.done;
    },
  );
  if (!result) {
    const errs = errors ?? [{ message: end.error ?? 'cancelled' }];
    void t.showError(doc, `DNN: gradient check of ${name} failed: ${errs.map((e) => e.message).join('; ')}`, errs.find((e) => e.offset !== undefined));
    return errs;
  }
  const lines = reportLines(name, result);
  for (const l of lines) t.log.info(l);
  if (!args.quiet) {
    await t.results.show(doc.uri, 'gradient check', lines.join('\n') + '\n');
  }
  return result;
}

/** The result as a table: the difference, pass or fail, and each group's worst entry. */
function reportLines(name: string, result: GradientCheckDoneMessage): string[] {
  return [
    `Gradient check of ${name} (epsilon ${result.epsilon}, threshold ${result.threshold})`,
    `difference = ||grad - gradapprox|| / (||grad|| + ||gradapprox||) = ${result.difference.toExponential(3)}: ${result.difference < result.threshold ? 'PASSED' : 'FAILED, backpropagation disagrees with the numerical gradient'}`,
    '',
    'group   entries   worst relative error   analytic               numeric',
    ...result.groups.map(
      (g) =>
        `${g.name.padEnd(8)}${String(g.count).padStart(7)}   ${g.difference.toExponential(3).padStart(20)}   ${(g.worst ? g.worst.analytic.toPrecision(8) : '').padEnd(22)} ${g.worst ? g.worst.numeric.toPrecision(8) : ''}`,
    ),
  ];
}
