/// <reference types="mocha" />
/**
 * The repository's examples/ as a user opens them: the planar and deep networks check clean with
 * their shapes as hints; the mistakes example shows its four problems, and applying each preferred
 * quick fix in turn leaves a clean network. Shapes and counts are worked out by hand:
 * deep is 12288 → 20 → 7 → 5 → 1, so W[1] is (20, 12288) with 20·12288 + 20 = 245,780
 * parameters, then 7·20 + 7 = 147, 5·7 + 5 = 40, 1·5 + 1 = 6: 245,973 in total.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, checked, describe as show, diagnosticsWhere, EXTENSION_ID, scratch } from './helpers';

function example(name: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, 'examples', name);
}

async function hintLabels(doc: vscode.TextDocument): Promise<string[]> {
  const hs = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, new vscode.Range(0, 0, doc.lineCount, 0));
  return hs.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
}

suite('examples/', () => {
  suiteSetup(activateExtension);

  test('planar.dnn.json: no problems, the course\'s shapes as hints', async () => {
    const doc = await vscode.workspace.openTextDocument(example('planar.dnn.json'));
    assert.deepStrictEqual((await checked(doc)).map((d) => d.message), []);
    assert.deepStrictEqual(await hintLabels(doc), ['W (4, 2) · b (4, 1) → A (4, m)', 'W (1, 4) · b (1, 1) → A (1, m)']);
  });

  test('deep.dnn.json: no problems in the network, four layers, 245,973 parameters', async () => {
    const doc = await vscode.workspace.openTextDocument(example('deep.dnn.json'));
    // The course's HDF5 files are not shipped: in a trusted workspace a data-error at data.train
    // says where to put them, and may arrive at any time after opening.
    assert.deepStrictEqual((await checked(doc)).filter((d) => d.code !== 'data-error').map((d) => d.message), []);
    assert.deepStrictEqual(await hintLabels(doc), [
      'W (20, 12288) · b (20, 1) → A (20, m)',
      'W (7, 20) · b (7, 1) → A (7, m)',
      'W (5, 7) · b (5, 1) → A (5, m)',
      'W (1, 5) · b (1, 1) → A (1, m)',
    ]);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100);
    assert.deepStrictEqual(lenses.map((l) => l.command?.title).slice(3), ['245,780 parameters', '147 parameters', '40 parameters', '6 parameters']);
    const view = await vscode.commands.executeCommand<vscode.TextDocument>('dnn.showShapes', doc.uri);
    assert.match(view.getText(), /Total params: 245,973/);
  });

  test('mistakes.dnn.json: four problems, and the preferred quick fixes repair them all', async () => {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(example('mistakes.dnn.json')));
    const doc = await scratch(text);
    const first = await diagnosticsWhere(doc.uri, (d) => d.length === 4, 'the four mistakes');
    assert.deepStrictEqual(first.map((d) => d.code).sort(), ['loss-activation-mismatch', 'shape-mismatch', 'shape-transposed', 'unknown-key']);
    for (let round = 0; round < 4; round++) {
      const ds = await diagnosticsWhere(doc.uri, (d) => d.length === 4 - round, `${4 - round} problems left`);
      const diag = ds[0]!;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range, vscode.CodeActionKind.QuickFix.value);
      const preferred = actions.find((a) => a.isPreferred);
      assert.ok(preferred?.edit, `a preferred fix for ${show([diag])}`);
      assert.ok(await vscode.workspace.applyEdit(preferred.edit));
    }
    await diagnosticsWhere(doc.uri, (d) => d.length === 0, 'no problems left');
    for (const fixed of ['"W": [16, 2]', '"b": [8, 1]', '"loss": "categorical-cross-entropy"', '"learningRate": 0.5']) {
      assert.ok(doc.getText().includes(fixed), `${fixed} in:\n${doc.getText()}`);
    }
  });
});
