/**
 * DNN: Predict: asks for what it was not given (the parameters file, a CSV of inputs or values
 * typed in a box), predicts in the extension host (predict.ts) and shows or writes the result.
 */
import * as fs from 'fs/promises';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Spec } from '../../core/format/types';
import { defaultParamsPath } from '../../run/settings';
import { parseParameters } from '../../core/engine/params';
import { networkOf } from '../../core/engine/network';
import { packedKernels } from '../../core/kernels';
import { classNamesForSpec } from '../../node/data';
import { describeClass, pictureInput, predictWith } from '../../run/predict';
import { anotherNetworkMessage, paramsTextDifference } from '../../run/architecture';
import { describeProblem } from '../../run/problems';
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
  /** A PNG or JPEG picture, for a network whose input has a picture shape. */
  image?: string;
  /** Write the predictions CSV here instead of opening an editor. */
  output?: string;
}

/** The button an error about another network's parameters offers. */
export const TRAIN_AGAIN = 'Train Again';

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
  const inputs = args.input || args.values !== undefined || args.image ? { input: args.input, values: args.values, image: args.image } : await askInputs(spec, dir);
  if (!inputs) return undefined;
  let paramsText: string | undefined;
  try {
    paramsText = await fs.readFile(params, 'utf8');
    // Compared before the weights are read: when the sizes changed, that the file belongs to
    // another network says more than which matrix no longer fits.
    const differs = paramsTextDifference(paramsText, spec);
    if (differs) throw new Error(anotherNetworkMessage(path.basename(params), differs));
    if (inputs.image) return await show(t, doc.uri, dir, args.output, await predictPicture(spec, doc.uri.fsPath, paramsText, path.basename(params), path.resolve(dir, inputs.image)));
    const inputPath = inputs.input ? path.resolve(dir, inputs.input) : undefined;
    const X = inputPath ? parseInputCsv(spec, await fs.readFile(inputPath, 'utf8'), path.basename(inputPath)) : parseTyped(inputs.values ?? '', spec.inputUnits);
    const out = predictInputs(spec, paramsText, X, { params: path.basename(params), input: inputPath ? path.basename(inputPath) : 'typed values' });
    return await show(t, doc.uri, dir, args.output, out);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    t.log.error(`Predict: ${message}`);
    // Parameters of another network (the file changed since they were trained): training again
    // is the usual way out, so it is one click away.
    if (paramsText !== undefined && paramsTextDifference(paramsText, spec)) {
      void vscode.window.showErrorMessage(`DNN: cannot predict: ${message}`, TRAIN_AGAIN).then((choice) => {
        if (choice === TRAIN_AGAIN) void vscode.commands.executeCommand('dnn.train', doc.uri);
      });
    } else void vscode.window.showErrorMessage(`DNN: cannot predict: ${message}`);
    return undefined;
  }
}

/** Logs the result, then writes it to `output` or opens it in an editor. */
async function show(t: Trainings, file: vscode.Uri, dir: string, output: string | undefined, out: PredictOutput): Promise<PredictOutput> {
  t.log.info(out.report.trimEnd());
  if (output) {
    await fs.writeFile(path.resolve(dir, output), out.csv, 'utf8');
  } else {
    // A read-only result document, replaced by the next prediction: nothing to save.
    await t.results.show(file, 'predictions', `${out.report}\n${out.table}`);
  }
  return out;
}

/** One picture, prepared as the training pictures were (src/run/predict.ts), as `dnn predict --image` does. */
async function predictPicture(spec: Spec, dnnFile: string, paramsText: string, paramsName: string, picture: string): Promise<PredictOutput> {
  const parsed = parseParameters(paramsText, networkOf(spec));
  if (!parsed.ok) throw new Error(`${paramsName}: ${parsed.problems.join('; ')}`);
  const name = path.basename(picture);
  const input = pictureInput(spec, new Uint8Array(await fs.readFile(picture)), name);
  if (!input.ok) throw new Error(input.problems.map(describeProblem).join('; '));
  const predicted = predictWith(spec, parsed.file, input.X, packedKernels, paramsName);
  if (!predicted.ok) throw new Error(predicted.problems.map(describeProblem).join('; '));
  const c = describeClass(predicted.prediction, 0, await classNamesForSpec(spec, dnnFile));
  const probabilities = Array.from(predicted.prediction.probabilities.data);
  const line = c ? `${name}: ${c.name} (class ${c.label}), probability ${c.probability.toFixed(4)}` : `${name}: ${probabilities.join(', ')}`;
  const csv = `picture,${c ? 'prediction,class,' : ''}${probabilities.map((_, k) => `p${k}`).join(',')}\n${name},${c ? `${c.label},${c.name},` : ''}${probabilities.join(',')}\n`;
  return { csv, report: `Prediction of ${spec.name ?? 'the network'} with ${paramsName}\n${line}\n`, table: '' };
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
async function askInputs(spec: Spec, dir: string): Promise<{ input?: string | undefined; values?: string | undefined; image?: string | undefined } | undefined> {
  const pictures = spec.inputShape.length === 3;
  const how = await vscode.window.showQuickPick([...(pictures ? ['From a picture…'] : []), 'From a CSV file…', 'Type values…'], { placeHolder: 'Predict on' });
  if (!how) return undefined;
  if (how.startsWith('From a picture')) {
    const picked = await vscode.window.showOpenDialog({ defaultUri: vscode.Uri.file(dir), filters: { Pictures: ['png', 'jpg', 'jpeg'] } });
    const image = picked?.[0]?.fsPath;
    return image ? { image } : undefined;
  }
  if (how.startsWith('From a CSV')) {
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
