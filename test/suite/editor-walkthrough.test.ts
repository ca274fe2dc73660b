/// <reference types="mocha" />
/**
 * The "Get Started" walkthrough: it is contributed with a picture per step, and each step's button
 * (the command link in its description) does what the step says when pressed from the Welcome
 * page, where no text editor is active.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { activateExtension, dnnDiagnostics, EXTENSION_ID, when } from './helpers';

interface Step {
  id: string;
  title: string;
  description: string;
  media: { svg?: string; image?: string; altText: string };
}
interface Walkthrough {
  id: string;
  title: string;
  steps: Step[];
}

const extension = (): vscode.Extension<unknown> => vscode.extensions.getExtension(EXTENSION_ID)!;
const walkthrough = (): Walkthrough => (extension().packageJSON as { contributes: { walkthroughs: Walkthrough[] } }).contributes.walkthroughs[0]!;

/** The button of a step: the one `command:` link of its description, as the command and its arguments. */
function button(step: Step): { command: string; args: unknown[] } {
  const links = [...step.description.matchAll(/\]\(command:([\w.]+)(?:\?([^)]*))?\)/g)];
  assert.strictEqual(links.length, 1, `step ${step.id} has one button: ${step.description}`);
  const [, command, query] = links[0]!;
  return { command: command!, args: query ? (JSON.parse(decodeURIComponent(query)) as unknown[]) : [] };
}

/** Press a step's button as the Welcome page does: with the walkthrough in front, no text editor active. */
async function press(step: Step, extra?: unknown): Promise<unknown> {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#${walkthrough().id}`, false);
  await when(() => (vscode.window.activeTextEditor ? undefined : true), 'the walkthrough to take the focus', vscode.window.onDidChangeActiveTextEditor, 10000);
  const { command, args } = button(step);
  return vscode.commands.executeCommand(command, ...args, ...(extra === undefined ? [] : [extra]));
}

suite('Walkthrough', () => {
  suiteSetup(async () => {
    await activateExtension();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('is contributed: six steps in order, each with a picture that ships and one button', () => {
    const w = walkthrough();
    assert.strictEqual(w.title, 'Get Started with DNN Designer');
    assert.deepStrictEqual(w.steps.map((s) => s.id), ['create', 'shapes', 'quickfix', 'train', 'predict', 'network']);
    for (const step of w.steps) {
      const media = step.media.svg ?? step.media.image;
      assert.ok(media, `step ${step.id} has a picture`);
      assert.ok(fs.existsSync(vscode.Uri.joinPath(extension().extensionUri, media).fsPath), `${media} exists`);
      assert.ok(step.media.altText, `step ${step.id} has alt text`);
      assert.deepStrictEqual(button(step), { command: 'dnn.walkthrough', args: [step.id] });
    }
  });

  test("each step's button does it, from the Welcome page", async function () {
    this.timeout(120000);
    const steps = new Map(walkthrough().steps.map((s) => [s.id, s]));
    const step = (id: string): Step => steps.get(id)!;

    // Create: the planar template, saved in the workspace folder (training needs a file).
    const created = (await press(step('create'))) as vscode.Uri;
    assert.strictEqual(created.scheme, 'file');
    assert.match(created.path, /\/planar(-\d+)?\.dnn\.json$/);
    assert.match(fs.readFileSync(created.fsPath, 'utf8'), /"units": 4, "activation": "tanh"/);

    // Shapes: the table beside the file, with W[1] = (n[1], n[0]) = (4, 2).
    const shapes = (await press(step('shapes'))) as vscode.TextDocument;
    assert.strictEqual(shapes.uri.scheme, 'dnn-shapes');
    assert.strictEqual(vscode.Uri.parse(shapes.uri.query).path, created.path);
    assert.match(shapes.getText(), /dense\s+tanh\s+4\s+\(4, 2\)\s+\(4, 1\)/);

    // Quick fix: a network whose declared W[2] is transposed, the cursor on it, the fix offered.
    const mistake = (await press(step('quickfix'))) as vscode.Uri;
    const editor = vscode.window.activeTextEditor;
    assert.strictEqual(editor?.document.uri.toString(), mistake.toString(), 'the mistake is in front');
    const diagnostic = dnnDiagnostics(mistake).find((d) => d.range.contains(editor.selection.active));
    assert.ok(diagnostic, 'the cursor is on the squiggle');
    assert.strictEqual(diagnostic.message, 'W[2] must be (n[2], n[1]) = (1, 4); found (4, 1): transposed?');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', mistake, diagnostic.range);
    const fix = actions.find((a) => a.title === 'Change W[2] to (1, 4)');
    assert.ok(fix?.edit, `the quick fix is offered: ${actions.map((a) => a.title).join('; ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await when(() => (dnnDiagnostics(mistake).length === 0 ? true : undefined), 'the fixed network to check clean');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

    // Train: the created network, not the mistake, to its end; the parameters saved beside it.
    const trained = (await press(step('train'), { wait: true })) as { summary?: { status: string; iterationsRun: number; paramsPath?: string } };
    assert.strictEqual(trained.summary?.status, 'done');
    assert.strictEqual(trained.summary.iterationsRun, 10000, "the template's 10,000 iterations");
    const params = created.fsPath.replace(/\.dnn\.json$/, '.params.json');
    assert.ok(fs.existsSync(params), `${params} was saved`);

    // Predict: with those parameters, found without asking; only the inputs are given here.
    const output = `${params}.predictions.csv`;
    await press(step('predict'), { values: '1, 2; -2, 1', output });
    const rows = fs.readFileSync(output, 'utf8').trim().split('\n');
    assert.strictEqual(rows[0], 'example,x1,x2,prediction,p(y=1)');
    assert.strictEqual(rows.length, 3, 'one row per typed example');

    // Network: the picture of the created network (2 → 4 → 1: 12 + 5 = 17 parameters).
    const diagram = (await press(step('network'))) as { input: string; summary: string } | undefined;
    assert.strictEqual(diagram?.input, 'X = A[0] (2, m)');
    assert.match(diagram.summary, /· 17 params$/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
