/**
 * The training panel: one webview per .dnn.json. It owns the page's lifecycle (create, reveal,
 * revive after a reload, dispose) and the handshake: nothing is posted before the page says
 * `ready`; messages sent earlier wait in a queue. Messages from the page are validated
 * (isWebviewToExtension) before they reach the controller; the debug channel's messages go to the
 * host's `debug` sink when there is one (development and test mode) and are dropped otherwise.
 */
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { isPageDebugMessage, isWebviewToExtension, type ExtensionToWebview, type PageDebugMessage, type WebviewToExtension } from '../../protocol';
import { panelHtml } from './html';

export const VIEW_TYPE = 'dnn.training';

export interface PanelHost {
  /** A validated message from the page of the panel for `file`. */
  onPageMessage(panel: TrainingPanel, message: WebviewToExtension): void;
  log: vscode.LogOutputChannel;
  /** The debug channel (tests only), absent in production: pages then do not report on it. */
  debug?: PageDebugSink;
}

/** Where the page's debug messages go (src/extension/training/debug.ts). */
export interface PageDebugSink {
  onPageDebug(panel: TrainingPanel, message: PageDebugMessage): void;
}

export class TrainingPanel {
  private static readonly panels = new Map<string, TrainingPanel>();
  private ready = false;
  private disposed = false;
  private queue: ExtensionToWebview[] = [];
  private readyWaiters: (() => void)[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  /** True once the user closed the panel (or it was replaced): nothing posted reaches a page. */
  get closed(): boolean {
    return this.disposed;
  }

  static get(file: vscode.Uri): TrainingPanel | undefined {
    return TrainingPanel.panels.get(file.toString());
  }

  static all(): TrainingPanel[] {
    return [...TrainingPanel.panels.values()];
  }

  /** The panel of `file`, revealed beside the editor; created when there is none. */
  static createOrShow(extensionUri: vscode.Uri, file: vscode.Uri, host: PanelHost): TrainingPanel {
    const existing = TrainingPanel.get(file);
    if (existing) {
      existing.panel.reveal(undefined, true);
      return existing;
    }
    // Training panels share one editor group: beside the editor the first time, then where the
    // other panels are, instead of a new group per file.
    const group = TrainingPanel.all().find((p) => p.panel.viewColumn !== undefined)?.panel.viewColumn;
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPE,
      TrainingPanel.titleOf(file),
      { viewColumn: group ?? vscode.ViewColumn.Beside, preserveFocus: true },
      TrainingPanel.options(extensionUri),
    );
    return new TrainingPanel(panel, extensionUri, file, host);
  }

  /** After a reload: VS Code hands back the panel and the page's saved state. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, file: vscode.Uri, host: PanelHost): TrainingPanel {
    panel.webview.options = TrainingPanel.options(extensionUri);
    const old = TrainingPanel.get(file);
    if (old && old.panel !== panel) old.dispose();
    return new TrainingPanel(panel, extensionUri, file, host);
  }

  /** Scripts on; local files only from dist/webview (the bundle and its CSS). */
  private static options(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    };
  }

  static titleOf(file: vscode.Uri): string {
    const base = file.path.split('/').pop() ?? 'network';
    return `Training: ${base.replace(/\.dnn\.json$/i, '')}`;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly file: vscode.Uri,
    private readonly host: PanelHost,
  ) {
    TrainingPanel.panels.set(file.toString(), this);
    const webview = panel.webview;
    const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'main.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'main.css')).toString(),
      nonce: randomBytes(16).toString('base64'),
      title: TrainingPanel.titleOf(file),
      debug: host.debug !== undefined,
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
      // A hidden webview's page is destroyed (no retainContextWhenHidden): when it comes back it
      // reloads from its saved state and says `ready` again; until then, queue.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
    );
  }

  private receive(m: unknown): void {
    if (this.host.debug && isPageDebugMessage(m)) {
      this.host.debug.onPageDebug(this, m);
      return;
    }
    if (!isWebviewToExtension(m)) {
      this.host.log.warn(`Training panel: ignored a malformed message: ${JSON.stringify(m)?.slice(0, 200)}`);
      return;
    }
    if (m.type === 'ready') this.ready = true;
    this.host.onPageMessage(this, m);
    if (m.type === 'ready') {
      const queued = this.queue;
      this.queue = [];
      for (const q of queued) void this.panel.webview.postMessage(q);
      for (const w of this.readyWaiters.splice(0)) w();
    }
  }

  /** Posts now when the page is ready, else after its `ready`. */
  post(message: ExtensionToWebview): void {
    // A closed panel: the run goes on (notification, output channel); its page is gone.
    if (this.disposed) return;
    if (this.ready) {
      void this.panel.webview.postMessage(message);
      return;
    }
    // Only the newest heatmap matters; the curves' batches are all kept (the page appends them).
    if (message.type === 'boundary') this.queue = this.queue.filter((q) => q.type !== 'boundary');
    this.queue.push(message);
  }

  /**
   * Resolves once the page is listening (at once when it is), or after `timeoutMs`: a run waits
   * for it so the chart shows it from its first iteration instead of the end of a short run.
   */
  whenReady(timeoutMs: number): Promise<void> {
    if (this.ready || this.disposed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (TrainingPanel.get(this.file) === this) TrainingPanel.panels.delete(this.file.toString());
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
