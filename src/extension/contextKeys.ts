/**
 * The context keys that package.json's `when` clauses read:
 * - `dnn.trainable`: the engine can train the active .dnn.json's network, so the editor
 *   title's ▶ and the palette's Train, Predict and Gradient Check are offered (the same answer as
 *   the run layer's refusal: src/core/engine/trainable.ts);
 * - `dnn.training`: a training is running, so the palette offers Stop Training (it would
 *   otherwise rank first for "train" while there is nothing to stop).
 */
import * as vscode from 'vscode';
import { untrainable } from '../core/engine/trainable';
import { analyze, isDnnDocument } from './analysis';
import type { DiagnosticsController } from './diagnostics';

export const TRAINABLE_KEY = 'dnn.trainable';
export const TRAINING_KEY = 'dnn.training';

function setContext(key: string, value: boolean): void {
  void vscode.commands.executeCommand('setContext', key, value);
}

/** Whether the engine can train the network in `doc` (a file with errors is offered Train, which names them). */
export function isTrainable(doc: vscode.TextDocument): boolean {
  return untrainable(analyze(doc).result.spec) === undefined;
}

/** Keeps `dnn.trainable` equal to the active editor's answer, as it changes and is re-checked. */
export function registerContextKeys(context: vscode.ExtensionContext, diagnostics: DiagnosticsController): void {
  let last: boolean | undefined;
  const update = (): void => {
    const doc = vscode.window.activeTextEditor?.document;
    const trainable = doc !== undefined && isDnnDocument(doc) && isTrainable(doc);
    if (trainable === last) return;
    last = trainable;
    setContext(TRAINABLE_KEY, trainable);
  };
  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(update),
    diagnostics.onDidCheck((uri) => {
      if (uri.toString() === vscode.window.activeTextEditor?.document.uri.toString()) update();
    }),
  );
  update();
}

/** A map of the runs going on whose being empty or not is the `dnn.training` context key. */
export class RunningMap<K, V> extends Map<K, V> {
  override set(key: K, value: V): this {
    super.set(key, value);
    setContext(TRAINING_KEY, true);
    return this;
  }

  override delete(key: K): boolean {
    const had = super.delete(key);
    if (had && this.size === 0) setContext(TRAINING_KEY, false);
    return had;
  }

  override clear(): void {
    super.clear();
    setContext(TRAINING_KEY, false);
  }
}
