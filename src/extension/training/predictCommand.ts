/**
 * DNN: Predict: asks for what it was not given (the parameters file, a CSV of inputs or values
 * typed in a box), predicts in the extension host (predict.ts) and shows or writes the result.
 */
import * as fs from 'fs/promises';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Spec } from '../../core/format/types';
import { defaultParamsPath } from '../../run/settings';
import { analyze } from '../analysis';
import { parseInputCsv, parseTyped, predictInputs, type PredictOutput } from './predict';
import { targetDocument, trusted, type Trainings } from './state';

/** dnn.predict's optional second argument: given, nothing is asked. */
export interface PredictArgs {
  params?: string;
  /** A CSV file of inputs (header row; label column optional). */
  input?: string;
  /** Inputs typed as "x1, x2; x1, x2". */
  values?: string;
  /** Write the predictions CSV here instead of opening an editor. */
  output?: string;
}

export async function predictCommand(t: Trainings, arg?: unknown, args: PredictArgs = {}): Promise<PredictOutput | undefined> {
  const doc = await targetDocument(arg);
  if (!doc || !trusted('Prediction')) return undefined;
  const checked = analyze(doc, t.log).result;
  const spec = checked.spec;
  if (!spec || checked.problems.some((p) => p.severity === 'error')) {
    void vscode.window.showErrorMessage(`DNN: fix the errors in ${path.basename(doc.uri.fsPath)} before predicting (see the Problems view).`);
    return undefined;
  }
  const dir = path.dirname(doc.uri.fsPath);
  const params = args.params ?? (await askParams(doc.uri.fsPath));
  if (!params) return undefined;
  const inputs = args.input || args.values !== undefined ? { input: args.input, values: args.values } : await askInputs(spec, dir);
  if (!inputs) return undefined;
  try {
    const paramsText = await fs.readFile(params, 'utf8');
    const inputPath = inputs.input ? path.resolve(dir, inputs.input) : undefined;
    const X = inputPath ? parseInputCsv(spec, await fs.readFile(inputPath, 'utf8'), path.basename(inputPath)) : parseTyped(inputs.values ?? '', spec.inputUnits);
    const out = predictInputs(spec, paramsText, X, { params: path.basename(params), input: inputPath ? path.basename(inputPath) : 'typed values' });
    t.log.info(out.report.trimEnd());
    if (args.output) {
      await fs.writeFile(path.resolve(dir, args.output), out.csv, 'utf8');
    } else {
      // A read-only result document, replaced by the next prediction: nothing to save.
      await t.results.show(doc.uri, 'predictions', `${out.report}\n${out.table}`);
    }
    return out;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    void vscode.window.showErrorMessage(`DNN: cannot predict: ${message}`);
    t.log.error(`Predict: ${message}`);
    return undefined;
  }
}

/** The parameters file: the one training writes beside the file when it exists, else the user's pick. */
async function askParams(dnnFile: string): Promise<string | undefined> {
  const guess = defaultParamsPath(dnnFile);
  const exists = await fs.stat(guess).then(
    () => true,
    () => false,
  );
  if (exists) return guess;
  const picked = await vscode.window.showOpenDialog({
    title: 'Parameters file (train the network first to create one)',
    defaultUri: vscode.Uri.file(path.dirname(dnnFile)),
    filters: { 'Parameters': ['json'] },
  });
  return picked?.[0]?.fsPath;
}

/** A CSV file of inputs, or values typed in a box (checked as they are typed). */
async function askInputs(spec: Spec, dir: string): Promise<{ input?: string | undefined; values?: string | undefined } | undefined> {
  const how = await vscode.window.showQuickPick(['From a CSV file…', 'Type values…'], { placeHolder: 'Predict on' });
  if (!how) return undefined;
  if (how.startsWith('From')) {
    const picked = await vscode.window.showOpenDialog({ defaultUri: vscode.Uri.file(dir), filters: { CSV: ['csv'] } });
    const input = picked?.[0]?.fsPath;
    return input ? { input } : undefined;
  }
  const values = await vscode.window.showInputBox({
    title: `Inputs for ${spec.name ?? 'the network'} (n[0] = ${spec.inputUnits} per example)`,
    prompt: 'Separate examples with ";" and features with "," or spaces',
    placeHolder: spec.inputUnits === 2 ? '1.2, -0.5; 0, 3' : 'x1, x2, ...',
    validateInput: (v) => {
      try {
        parseTyped(v, spec.inputUnits);
        return undefined;
      } catch (e) {
        return e instanceof Error ? e.message : String(e);
      }
    },
  });
  return values === undefined ? undefined : { values };
}
