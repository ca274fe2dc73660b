/**
 * VS Code glue: the only place that imports 'vscode'. Activation only wires things up (no check
 * runs synchronously here); the first workspace check starts once activation has returned.
 */
import * as vscode from 'vscode';
import { isDnnDocument, LANGUAGE_ID } from './analysis';
import { registerEditorCommands } from './commands';
import { registerContextKeys } from './contextKeys';
import { DiagnosticsController } from './diagnostics';
import { DnnCodeActionProvider, DnnCodeLensProvider, DnnHoverProvider, DnnInlayHintsProvider } from './providers';
import { registerStatusBar } from './statusBar';
import { registerTrainingCommands } from './training/index';
import { registerWalkthrough } from './walkthrough';

/** What tests (and other extensions) can reach through `extension.exports`. */
export interface DnnApi {
  diagnostics: DiagnosticsController;
  log: vscode.LogOutputChannel;
  /** Resolves when the start-up workspace check has finished. */
  ready: Promise<void>;
}

const SELECTOR: vscode.DocumentSelector = [
  { language: LANGUAGE_ID },
  { scheme: 'file', pattern: '**/*.dnn.json' },
  { scheme: 'untitled', pattern: '**/*.dnn.json' },
];

export function activate(context: vscode.ExtensionContext): DnnApi | undefined {
  const log = vscode.window.createOutputChannel('DNN Designer', { log: true });
  context.subscriptions.push(log);
  try {
    return activateOrThrow(context, log);
  } catch (e) {
    // VS Code only logs activation errors in a place users never look (rust-analyzer's lesson):
    // say it, and offer the log.
    const message = e instanceof Error ? e.message : String(e);
    log.error('Activation failed:', e instanceof Error ? (e.stack ?? message) : message);
    void vscode.window.showErrorMessage(`DNN Designer failed to start: ${message}`, 'Show Log').then((pick) => {
      if (pick) log.show();
    });
    return undefined;
  }
}

function activateOrThrow(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): DnnApi {
  const t0 = Date.now();
  const diagnostics = new DiagnosticsController(log);
  const hints = new DnnInlayHintsProvider();
  const lenses = new DnnCodeLensProvider();
  context.subscriptions.push(
    diagnostics,
    vscode.languages.registerHoverProvider(SELECTOR, new DnnHoverProvider()),
    vscode.languages.registerInlayHintsProvider(SELECTOR, hints),
    vscode.languages.registerCodeLensProvider(SELECTOR, lenses),
    vscode.languages.registerCodeActionsProvider(SELECTOR, new DnnCodeActionProvider((doc) => diagnostics.problemsOf(doc)), DnnCodeActionProvider.metadata),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('dnn.inlayHints')) hints.refresh();
      if (e.affectsConfiguration('dnn.codeLens')) lenses.refresh();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => lenses.refresh()),
  );
  registerEditorCommands(context, log, diagnostics);
  registerTrainingCommands(context, log);
  registerWalkthrough(context, log);
  registerStatusBar(context, diagnostics);
  registerContextKeys(context, diagnostics);

  // Documents that were already open when the extension activated (onLanguage fires for them).
  for (const doc of vscode.workspace.textDocuments) {
    if (!isDnnDocument(doc)) continue;
    diagnostics.checkSoon(doc, 0);
    void diagnostics.checkData(doc);
  }
  const ready = new Promise<void>((resolve) => {
    setTimeout(() => {
      // VS Code's JSON extension (completion from the schema, formatting, folding) serves dnn-json
      // through `jsonLanguageParticipants`, but it activates only on json/jsonc documents: wake it.
      void vscode.extensions.getExtension('vscode.json-language-features')?.activate().then(undefined, (e: unknown) =>
        log.warn('JSON language features unavailable:', e instanceof Error ? e.message : String(e)),
      );
      diagnostics.checkWorkspace().then(
        () => resolve(),
        (e: unknown) => {
          log.error('Workspace check failed:', e instanceof Error ? e.message : String(e));
          resolve();
        },
      );
    }, 0);
  });
  log.info(`DNN Designer ${context.extension.packageJSON.version as string} activated in ${Date.now() - t0} ms`);
  return { diagnostics, log, ready };
}

export function deactivate(): void {}
