/// <reference types="mocha" />
/**
 * Train, Stop Training, Predict and Gradient Check in the real extension host, with the real
 * worker (dist/worker.js) and the real webview. Commands take their arguments directly (a URI and
 * an options object), so nothing waits on a prompt.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID, workspaceRoot } from './helpers';

interface RunSummary {
  status: string;
  iterationsRun: number;
  finalCost: number | null;
  trainAccuracy?: number | null;
  paramsPath?: string;
}
interface TrainOutcome {
  runId: number;
  summary?: RunSummary;
  errors?: { message: string; offset?: number; length?: number }[];
}
interface Rendered {
  runId: number;
  received: number;
  points: number;
  boundaries: number;
}
interface TrainingState {
  running: string[];
  workers: number;
}

const repo = () => vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri;

/** Copies a file of the repository into the test workspace (tests write beside it). */
async function copyIn(from: string, to: string, edit?: (text: string) => string): Promise<vscode.Uri> {
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(repo(), ...from.split('/')));
  const text = Buffer.from(bytes).toString('utf8');
  const target = vscode.Uri.joinPath(workspaceRoot(), 'training', ...to.split('/'));
  await vscode.workspace.fs.writeFile(target, Buffer.from(edit ? edit(text) : text, 'utf8'));
  return target;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
}

suite('Training', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Train on the planar example finishes, saves loadable parameters, and the page draws the curve', async function () {
    this.timeout(60000);
    const uri = await copyIn('examples/planar.dnn.json', 'planar.dnn.json');
    const params = vscode.Uri.joinPath(workspaceRoot(), 'training', 'planar.params.json');
    if (await exists(params)) await vscode.workspace.fs.delete(params);
    await vscode.window.showTextDocument(uri);
    const t0 = Date.now();
    const outcome = await vscode.commands.executeCommand<TrainOutcome>('dnn.train', uri, { wait: true });
    assert.deepStrictEqual(outcome.errors, undefined);
    assert.strictEqual(outcome.summary?.status, 'done');
    assert.strictEqual(outcome.summary?.iterationsRun, 10000);
    assert.ok(Date.now() - t0 < 10000, `trained in ${Date.now() - t0} ms`);
    // The notebook: "Cost after iteration 0: 0.693048", accuracy 90%.
    assert.ok((outcome.summary?.trainAccuracy ?? 0) >= 0.9);

    assert.ok(await exists(params), 'planar.params.json written beside the file');
    const saved = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(params)).toString('utf8'));
    assert.deepStrictEqual([saved.W1.length, saved.W1[0].length, saved.b1.length, saved.W2[0].length], [4, 2, 4, 4]);
    assert.strictEqual(saved.meta.iterations, 10000);

    // The panel's page reports what it drew: every sample received, at most 2,000 points drawn.
    const rendered = await vscode.commands.executeCommand<Rendered | undefined>('dnn._whenRendered', uri, outcome.runId, 5001);
    assert.ok(rendered, 'the training page reported drawing the run');
    assert.strictEqual(rendered.received, 5001);
    assert.ok(rendered.points > 100 && rendered.points <= 2000, `${rendered.points} points drawn`);
    // At least the final one: heatmaps that arrive while the page is still loading are replaced by
    // the newest (the worker's 25 redraws are checked in test/extension/training/session.test.ts).
    assert.ok(rendered.boundaries >= 1, 'the decision boundary was drawn');
    const state = await vscode.commands.executeCommand<TrainingState>('dnn._trainingState');
    assert.deepStrictEqual(state.running, []);
    assert.strictEqual(state.workers, 0);
  });

  test('Stop Training cancels within a second and leaves no worker', async function () {
    this.timeout(30000);
    const uri = await copyIn('examples/planar.dnn.json', 'long.dnn.json', (t) => t.replace('"iterations": 10000', '"iterations": 5000000'));
    const started = await vscode.commands.executeCommand<TrainOutcome>('dnn.train', uri, { restart: true });
    assert.ok(started, 'training started');
    const rendered = await vscode.commands.executeCommand<Rendered | undefined>('dnn._whenRendered', uri, started.runId, 5);
    assert.ok(rendered && rendered.received >= 5, 'the run is streaming');
    let state = await vscode.commands.executeCommand<TrainingState>('dnn._trainingState');
    assert.strictEqual(state.workers, 1);
    const t0 = Date.now();
    const stopped = await vscode.commands.executeCommand<boolean>('dnn.stopTraining', uri);
    const ms = Date.now() - t0;
    assert.strictEqual(stopped, true);
    assert.ok(ms < 1000, `stopped in ${ms} ms`);
    state = await vscode.commands.executeCommand<TrainingState>('dnn._trainingState');
    assert.strictEqual(state.workers, 0);
    assert.deepStrictEqual(state.running, []);
    assert.strictEqual(await exists(vscode.Uri.joinPath(workspaceRoot(), 'training', 'long.params.json')), false, 'a stopped run saves nothing');
  });

  test('closing the training panel mid-run lets the run finish and save', async function () {
    this.timeout(60000);
    const uri = await copyIn('examples/planar.dnn.json', 'closed.dnn.json', (t) => t.replace('"iterations": 10000', '"iterations": 40000'));
    const finished = vscode.commands.executeCommand<TrainOutcome>('dnn.train', uri, { wait: true, restart: true });
    // The command starts asynchronously: wait (bounded) until the run is registered.
    const until = Date.now() + 10000;
    while ((await vscode.commands.executeCommand<TrainingState>('dnn._trainingState')).running.length === 0) {
      assert.ok(Date.now() < until, 'the run started');
      await new Promise((r) => setTimeout(r, 20));
    }
    const rendered = await vscode.commands.executeCommand<Rendered | undefined>('dnn._whenRendered', uri, 0, 1);
    assert.ok(rendered, 'the page drew something before it was closed');
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && /dnn\.training/.test(t.input.viewType));
    assert.strictEqual(tabs.length, 1, 'one training panel');
    assert.ok(await vscode.window.tabGroups.close(tabs[0]));
    const outcome = await finished;
    assert.strictEqual(outcome.summary?.status, 'done');
    assert.strictEqual(outcome.summary?.iterationsRun, 40000);
    assert.ok(await exists(vscode.Uri.joinPath(workspaceRoot(), 'training', 'closed.params.json')));
  });

  test('Predict writes the expected predictions for a small CSV', async () => {
    const uri = await copyIn('test/fixtures/training/predict/net.dnn.json', 'net.dnn.json');
    await copyIn('test/fixtures/training/predict/net.params.json', 'net.params.json');
    await copyIn('test/fixtures/training/predict/input.csv', 'input.csv');
    const output = vscode.Uri.joinPath(workspaceRoot(), 'training', 'predictions.csv');
    const result = await vscode.commands.executeCommand<{ accuracy?: number } | undefined>('dnn.predict', uri, {
      params: vscode.Uri.joinPath(workspaceRoot(), 'training', 'net.params.json').fsPath,
      input: 'input.csv',
      output: 'predictions.csv',
    });
    assert.ok(result, 'Predict returned its result');
    assert.strictEqual(result.accuracy, 0.5);
    const got = Buffer.from(await vscode.workspace.fs.readFile(output)).toString('utf8').trim().split('\n').map((l) => l.split(','));
    const wantBytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(repo(), 'test', 'fixtures', 'training', 'predict', 'expected.csv'));
    const want = Buffer.from(wantBytes).toString('utf8').trim().split('\n').map((l) => l.split(','));
    assert.deepStrictEqual(got[0], want[0]);
    assert.strictEqual(got.length, want.length);
    for (let r = 1; r < want.length; r++) {
      for (let c = 0; c < want[r].length; c++) {
        assert.ok(Math.abs(Number(got[r][c]) - Number(want[r][c])) < 1e-14, `row ${r} ${want[0][c]}: ${got[r][c]} vs numpy ${want[r][c]}`);
      }
    }
  });

  test('Gradient Check passes on the planar network, group by group', async function () {
    this.timeout(30000);
    const uri = await copyIn('examples/planar.dnn.json', 'gc.dnn.json');
    const r = await vscode.commands.executeCommand<{ difference: number; groups: { name: string; ok: boolean }[] }>('dnn.gradientCheck', uri, { quiet: true });
    assert.ok(r && r.difference < 2e-7, `difference ${r?.difference}`);
    assert.deepStrictEqual(r.groups.map((g) => g.name), ['W1', 'b1', 'W2', 'b2']);
  });

  test('data that does not fit the network is refused with its position in the file', async function () {
    this.timeout(30000);
    const uri = await copyIn('examples/planar.dnn.json', 'mismatch.dnn.json', (t) => t.replace('"input": 2,', '"input": 3,').replace(/"shapes": \{[^}]*\}/, '"shapes": {}'));
    const outcome = await vscode.commands.executeCommand<TrainOutcome>('dnn.train', uri, { wait: true });
    assert.ok(outcome.errors && outcome.errors.length > 0, 'an error');
    assert.match(outcome.errors[0].message, /2 features .*3 \(n\[0\]\)/);
    const doc = await vscode.workspace.openTextDocument(uri);
    const e = outcome.errors[0];
    assert.ok(e.offset !== undefined);
    // The position is the "input" setting: what "Go to Position" selects.
    const line = doc.lineAt(doc.positionAt(e.offset).line).text;
    assert.match(line, /"input": 3/);
  });
});
