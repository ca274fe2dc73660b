/**
 * The extension's end of the debug channel: test-only traffic, kept out of the production
 * messages and commands. It is on only when the extension runs in development or test mode
 * (`context.extensionMode`): the editor suite runs in test mode, and an installed .vsix runs in
 * production mode, where no page reports on the channel and the `dnn._*` commands do not exist.
 *
 * What it gives the tests:
 * - the page's `rendered` reports (PageDebugMessage), kept per panel;
 * - `dnn._trainingState`: the runs going on, the workers alive, each panel's last report;
 * - `dnn._whenRendered(file, runId, received)`: resolves once the page of `file` has drawn at least
 *   `received` samples of run `runId` (0: any run), or with undefined after 10 s or without a panel;
 * - `dnn._page(file, message)`: handles `message` as if the page of `file` had posted it.
 */
import * as vscode from 'vscode';
import { isWebviewToExtension, type PageDebugMessage, type RenderedReport } from '../../protocol';
import { predictPoint } from './point';
import { TrainingPanel, type PageDebugSink } from './panel';
import type { Trainings } from './state';

/** The answer of `dnn._trainingState`. */
export interface TrainingState {
  running: string[];
  workers: number;
  rendered: Record<string, RenderedReport | undefined>;
}

interface Waiter {
  pred: (r: RenderedReport) => boolean;
  resolve: (r: RenderedReport) => void;
}

/** One panel's reports: the last one, and the tests waiting for one. */
interface PanelReports {
  last?: RenderedReport;
  waiters: Waiter[];
}

const WHEN_RENDERED_TIMEOUT_MS = 10000;

class DebugChannel implements PageDebugSink {
  /** By panel, so that a panel opened again for the same file starts with no report. */
  private readonly reports = new WeakMap<TrainingPanel, PanelReports>();

  constructor(private readonly t: Trainings) {}

  private of(panel: TrainingPanel): PanelReports {
    let r = this.reports.get(panel);
    if (!r) this.reports.set(panel, (r = { waiters: [] }));
    return r;
  }

  onPageDebug(panel: TrainingPanel, m: PageDebugMessage): void {
    const r = this.of(panel);
    r.last = m.rendered;
    for (let i = r.waiters.length - 1; i >= 0; i--) {
      if (r.waiters[i].pred(m.rendered)) {
        r.waiters[i].resolve(m.rendered);
        r.waiters.splice(i, 1);
      }
    }
  }

  state(): TrainingState {
    const rendered: Record<string, RenderedReport | undefined> = {};
    for (const p of TrainingPanel.all()) rendered[p.file.toString()] = this.reports.get(p)?.last;
    const runs = [...this.t.runs.values()];
    return { running: [...this.t.runs.keys()], workers: runs.filter((r) => r.session.alive).length, rendered };
  }

  whenRendered(file: vscode.Uri, runId: number, received: number): Promise<RenderedReport | undefined> {
    const panel = TrainingPanel.get(file);
    if (!panel) return Promise.resolve(undefined);
    const pred = (r: RenderedReport) => (runId <= 0 || r.runId === runId) && r.received >= received;
    const r = this.of(panel);
    if (r.last && pred(r.last)) return Promise.resolve(r.last);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        pred,
        resolve: (report) => {
          clearTimeout(timer);
          resolve(report);
        },
      };
      const timer = setTimeout(() => {
        r.waiters.splice(r.waiters.indexOf(waiter), 1);
        resolve(undefined);
      }, WHEN_RENDERED_TIMEOUT_MS);
      r.waiters.push(waiter);
    });
  }
}

/**
 * In development and test mode: registers the `dnn._*` commands and returns the sink for the
 * pages' debug messages. In production: does nothing and returns undefined (the channel is off).
 */
export function registerDebugChannel(context: vscode.ExtensionContext, t: Trainings): PageDebugSink | undefined {
  if (context.extensionMode === vscode.ExtensionMode.Production) return undefined;
  const channel = new DebugChannel(t);
  context.subscriptions.push(
    vscode.commands.registerCommand('dnn._trainingState', () => channel.state()),
    vscode.commands.registerCommand('dnn._whenRendered', (file: vscode.Uri, runId: number, received: number) =>
      channel.whenRendered(file, runId, received),
    ),
    // What a click on the boundary of `file`'s page at (x, y) is answered with.
    vscode.commands.registerCommand('dnn._predictPoint', (file: vscode.Uri, x: number, y: number) => {
      const model = t.pointModels.get(file.toString());
      return model ? predictPoint(model.spec, model.parameters, x, y) : undefined;
    }),
    // As if the page of `file` had posted `message` (a button the tests cannot click): validated like the page's own.
    vscode.commands.registerCommand('dnn._page', (file: vscode.Uri, message: unknown) => {
      const panel = TrainingPanel.get(file);
      if (!panel || !isWebviewToExtension(message)) return false;
      t.pageHost.onPageMessage(panel, message);
      return true;
    }),
  );
  return channel;
}
