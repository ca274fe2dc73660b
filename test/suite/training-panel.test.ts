/// <reference types="mocha" />
/**
 * The training panel as a student meets it, in the real extension host with the real worker and
 * page: a reused panel follows the file, a sub-second run animates, α and β change mid-run, a stopped
 * run keeps what it learned, and Predict leaves no Untitled document behind.
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID, workspaceRoot } from './helpers';

interface TrainOutcome {
  runId: number;
  summary?: { status: string; iterationsRun: number; canSave?: boolean };
  errors?: { message: string }[];
  savedParams?: string;
  tunes?: { iteration: number; learningRate?: number; beta?: number; epsilon?: number }[];
}
interface Rendered {
  runId: number;
  received: number;
  frames?: number;
  twoD?: boolean;
  fileLearningRate?: number;
  markers?: number;
  pictures?: number;
  confusionClasses?: number;
}

const repo = () => vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri;

async function copyIn(from: string, to: string, edit?: (text: string) => string): Promise<vscode.Uri> {
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(repo(), ...from.split('/')));
  const text = Buffer.from(bytes).toString('utf8');
  const target = vscode.Uri.joinPath(workspaceRoot(), 'training', ...to.split('/'));
  await vscode.workspace.fs.writeFile(target, Buffer.from(edit ? edit(text) : text, 'utf8'));
  return target;
}

async function runningCount(): Promise<number> {
  return (await vscode.commands.executeCommand<{ running: string[] }>('dnn._trainingState')).running.length;
}

/** Waits (bounded) until the page of `uri` reports something that passes `pred`. */
async function pageReports(uri: vscode.Uri, pred: (r: Rendered) => boolean, what: string): Promise<Rendered> {
  const until = Date.now() + 15000;
  for (;;) {
    const r = await vscode.commands.executeCommand<Rendered | undefined>('dnn._whenRendered', uri, 0, 0);
    if (r && pred(r)) return r;
    assert.ok(Date.now() < until, `${what}; last report ${JSON.stringify(r)}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

suite('Training panel', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a reused panel takes the fixed file: the boundary appears and α is the file\'s new one', async function () {
    this.timeout(60000);
    const uri = await copyIn('examples/planar.dnn.json', 'reused.dnn.json', (t) => t.replace('"input": 2,', '"input": 3,').replace(/"shapes": \{[^}]*\}/, '"shapes": {}'));
    const failed = await vscode.commands.executeCommand<TrainOutcome>('dnn.train', uri, { wait: true });
    assert.ok(failed.errors?.length, 'the 3-input network cannot train on 2-D data');
    // The student fixes input to 2 and sets α to 0.5 in the same file, then trains again in the same panel.
    const doc = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), doc.getText().replace('"input": 3,', '"input": 2,').replace(/"learningRate": [\d.]+/, '"learningRate": 0.5'));
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save());
    const done = await vscode.commands.executeCommand<TrainOutcome>('dnn.train', uri, { wait: true, overrides: { iterations: 2000 } });
    assert.strictEqual(done.summary?.status, 'done');
    const r = await pageReports(uri, (x) => x.runId === done.runId && x.received > 0 && x.twoD === true, 'the page shows the 2-D run');
    assert.strictEqual(r.fileLearningRate, 0.5);
  });

  test('the built-in image example, trained from the Train command, shows its dev pictures and the confusion matrix', async function () {
    this.timeout(90000);
    // The example with fewer pictures and epochs, so the test takes seconds.
    const uri = await copyIn('examples/shapes-conv.dnn.json', 'pictures.dnn.json', (t) => t.replace('"examples": 3000', '"examples": 300').replace('"iterations": 15', '"iterations": 2'));
    const outcome = await vscode.commands.executeCommand<TrainOutcome>('dnn.train', uri, { wait: true });
    assert.strictEqual(outcome.summary?.status, 'done', JSON.stringify(outcome));
    // 60 dev pictures: the grid shows the page's cap of 24, the matrix the three shapes.
    const r = await pageReports(uri, (x) => x.runId === outcome.runId && (x.pictures ?? 0) > 0, 'the page draws the pictures');
    assert.strictEqual(r.pictures, 24);
    assert.strictEqual(r.confusionClasses, 3);
  });

  test('a sub-second run is drawn in several frames, from its first iteration', async function () {
    this.timeout(60000);
    const uri = await copyIn('examples/planar.dnn.json', 'frames.dnn.json');
    const outcome = await vscode.commands.executeCommand<TrainOutcome>('dnn.train', uri, { wait: true });
    assert.strictEqual(outcome.summary?.status, 'done');
    const r = await vscode.commands.executeCommand<Rendered | undefined>('dnn._whenRendered', uri, outcome.runId, 5001);
    assert.ok(r && (r.frames ?? 0) >= 3, `frames drawn: ${JSON.stringify(r)}`);
  });

  test('α changed mid-run: the run takes it from an iteration, the curve gets a marker; Stop → Save keeps what it learned', async function () {
    this.timeout(60000);
    const uri = await copyIn('examples/planar.dnn.json', 'tuned.dnn.json', (t) => t.replace('"iterations": 10000', '"iterations": 5000000'));
    const params = vscode.Uri.joinPath(workspaceRoot(), 'training', 'tuned.params.json');
    await vscode.workspace.fs.delete(params).then(undefined, () => undefined);
    const finished = vscode.commands.executeCommand<TrainOutcome>('dnn.train', uri, { wait: true, restart: true, saveStopped: true });
    const until = Date.now() + 10000;
    while ((await runningCount()) === 0) {
      assert.ok(Date.now() < until, 'the run started');
      await new Promise((res) => setTimeout(res, 20));
    }
    await pageReports(uri, (r) => r.received >= 5, 'the run streams');
    assert.strictEqual(await vscode.commands.executeCommand('dnn._page', uri, { type: 'tune', learningRate: 0.3 }), true);
    await pageReports(uri, (r) => r.markers === 1, 'a marker on the cost curve');
    await vscode.commands.executeCommand('dnn.stopTraining', uri);
    const outcome = await finished;
    assert.strictEqual(outcome.summary?.status, 'aborted');
    assert.strictEqual(outcome.tunes?.length, 1);
    assert.strictEqual(outcome.tunes[0].learningRate, 0.3);
    // Saved where a completed run saves, with how far it got.
    assert.strictEqual(outcome.savedParams, params.fsPath);
    const saved = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(params)).toString('utf8'));
    assert.strictEqual(saved.meta.iterations, outcome.summary.iterationsRun);
    assert.deepStrictEqual([saved.W1.length, saved.W1[0].length], [4, 2]);
  });

  test('momentum\'s β changed mid-run: the worker takes it from an iteration, the curve gets a marker, a setting momentum does not read is ignored', async function () {
    this.timeout(60000);
    const uri = await copyIn('examples/planar.dnn.json', 'beta.dnn.json', (t) => t.replace('"iterations": 10000', '"iterations": 5000000').replace(/"learningRate": [\d.]+/, '"learningRate": 0.5, "optimizer": "momentum"'));
    const finished = vscode.commands.executeCommand<TrainOutcome>('dnn.train', uri, { wait: true, restart: true });
    const until = Date.now() + 10000;
    while ((await runningCount()) === 0) {
      assert.ok(Date.now() < until, 'the run started');
      await new Promise((res) => setTimeout(res, 20));
    }
    await pageReports(uri, (r) => r.received >= 5, 'the run streams');
    assert.strictEqual(await vscode.commands.executeCommand('dnn._page', uri, { type: 'tune', beta: 0.5, epsilon: 0.01 }), true);
    await pageReports(uri, (r) => r.markers === 1, 'a marker on the cost curve');
    await vscode.commands.executeCommand('dnn.stopTraining', uri);
    const outcome = await finished;
    assert.strictEqual(outcome.summary?.status, 'aborted');
    assert.strictEqual(outcome.tunes?.length, 1);
    const { iteration, ...changed } = outcome.tunes[0];
    assert.deepStrictEqual(changed, { beta: 0.5 });
    assert.ok(iteration > 0 && iteration <= outcome.summary.iterationsRun, `took effect at ${iteration}`);
  });

  test('a click on the boundary is answered by a forward pass with the run\'s parameters: the same number as `dnn predict` on that point', async function () {
    this.timeout(60000);
    const uri = await copyIn('examples/planar.dnn.json', 'clicked.dnn.json', (t) => t.replace('"iterations": 10000', '"iterations": 300'));
    const outcome = await vscode.commands.executeCommand<TrainOutcome>('dnn.train', uri, { wait: true, restart: true });
    assert.strictEqual(outcome.summary?.status, 'done');
    const answer = await vscode.commands.executeCommand<{ kind?: string; value?: number; error?: string }>('dnn._predictPoint', uri, 0.5, -1.25);
    assert.strictEqual(answer?.kind, 'probability', JSON.stringify(answer));
    // The command line on the same point with the parameters the run saved.
    const dir = vscode.Uri.joinPath(workspaceRoot(), 'training');
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, 'clicked.csv'), Buffer.from('x1,x2\n0.5,-1.25\n', 'utf8'));
    const out = vscode.Uri.joinPath(dir, 'clicked.out.csv');
    const cli = path.join(repo().fsPath, 'bin', 'dnn.js');
    execFileSync(process.execPath, [cli, 'predict', uri.fsPath, '--params', vscode.Uri.joinPath(dir, 'clicked.params.json').fsPath, '--input', vscode.Uri.joinPath(dir, 'clicked.csv').fsPath, '--output', out.fsPath], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    const [header, row] = Buffer.from(await vscode.workspace.fs.readFile(out)).toString('utf8').trim().split('\n');
    assert.strictEqual(header, 'prediction,probability');
    const expected = Number(row.split(',')[1]);
    // The two forward passes may use different kernels (SIMD products round the last bit differently).
    assert.ok(Math.abs(answer.value! - expected) <= 1e-12 * Math.abs(expected), `click ${answer.value}, dnn predict ${expected}`);
  });

  test('Predict shows its table in a read-only result document, never an Untitled one', async function () {
    this.timeout(30000);
    const uri = await copyIn('test/fixtures/training/predict/net.dnn.json', 'shown.dnn.json');
    await copyIn('test/fixtures/training/predict/net.params.json', 'shown.params.json');
    const untitled = () => vscode.workspace.textDocuments.filter((d) => d.isUntitled).map((d) => d.uri.toString());
    const before = untitled();
    for (let k = 0; k < 2; k++) {
      const out = await vscode.commands.executeCommand<{ table: string } | undefined>('dnn.predict', uri, { values: '1.23456789, -0.5; 0, 3' });
      assert.ok(out, 'predicted');
    }
    assert.deepStrictEqual(untitled().filter((u) => !before.includes(u)), [], 'no new Untitled document');
    const results = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'dnn-result');
    assert.strictEqual(results.length, 1, 'one result document, reused');
    assert.strictEqual(results[0].isDirty, false);
    assert.match(results[0].getText(), /^\s*1\s+1\.235\s+-0\.5\s/m);
  });
});
