/// <reference types="mocha" />
/**
 * "DNN: Show Network" in the real editor: a picture of the network beside the file, one box per
 * layer with the course's shapes on the edges, redrawn as the file is edited, and a click on a box
 * (the view's reveal message, which `dnn.revealLayer` runs) selecting that layer in the text.
 * Planar's numbers: n[0] = 2, n[1] = 4 (4·2 + 4 = 12 parameters), n[2] = 1 (1·4 + 1 = 5).
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, open, scratch, when } from './helpers';

interface Diagram {
  input: string;
  boxes: { label: string; kind: string; detail: string; params?: string; output: string; problem?: { severity: string; message: string } }[];
  summary: string;
}

/**
 * What the view was last sent, once `ok` holds. The view redraws right after each check publishes
 * its diagnostics, so this asks again on a short interval rather than on one event.
 */
async function drawnWhen(uri: vscode.Uri, ok: (d: Diagram) => boolean, what: string, ms = 10000): Promise<Diagram> {
  const until = Date.now() + ms;
  let last: Diagram | undefined;
  while (Date.now() < until) {
    last = await vscode.commands.executeCommand<Diagram>('dnn.showNetwork', uri);
    if (last && ok(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}; last drawn: ${JSON.stringify(last?.boxes)}`);
}

function networkTab(name: string): vscode.Tab | undefined {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === `Network: ${name}`);
}

suite('Show Network', () => {
  suiteSetup(activateExtension);

  test('opens a picture of planar beside the file: the boxes, their counts and the shapes on the edges', async () => {
    const doc = await open('planar.dnn.json');
    const d = await vscode.commands.executeCommand<Diagram>('dnn.showNetwork', doc.uri);
    assert.ok(d, 'the command returns what it drew');
    assert.equal(d.input, 'X = A[0] (2, m)');
    assert.deepEqual(d.boxes.map((b) => [b.label, b.detail, b.params, b.output]), [
      ['1', '4 units · tanh', '12 params', 'A[1] (4, m)'],
      ['2', '1 unit · sigmoid', '5 params', 'Ŷ = A[2] (1, m)'],
    ]);
    const tab = await when(() => networkTab('planar.dnn.json'), 'the network tab', vscode.window.tabGroups.onDidChangeTabs);
    assert.ok(tab.input instanceof vscode.TabInputWebview, 'a webview tab');
    // Showing it again reuses the one view.
    await vscode.commands.executeCommand('dnn.showNetwork', doc.uri);
    assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === 'Network: planar.dnn.json').length, 1);
  });

  test('the picture follows edits: more units, then a shape error drawn on its layer', async () => {
    const doc = await scratch('{ "input": 2, "layers": [ { "units": 4, "activation": "tanh" }, { "units": 1, "activation": "sigmoid" } ] }');
    await vscode.commands.executeCommand('dnn.showNetwork', doc.uri);
    const edit = new vscode.WorkspaceEdit();
    const at = doc.getText().indexOf('"units": 4') + '"units": '.length;
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + 1)), '6');
    assert.ok(await vscode.workspace.applyEdit(edit));
    // Each check redraws the view; showNetwork answers with what the view was last sent.
    const redrawn = await drawnWhen(doc.uri, (d) => d.boxes[0].detail === '6 units · tanh', 'the diagram with 6 units');
    // 6·2 + 6 = 18 and 1·6 + 1 = 7 parameters.
    assert.deepEqual(redrawn.boxes.map((b) => b.params), ['18 params', '7 params']);
    const bad = new vscode.WorkspaceEdit();
    const end = doc.getText().indexOf('"sigmoid"') + '"sigmoid"'.length;
    bad.insert(doc.uri, doc.positionAt(end), ', "shapes": { "W": [6, 1] }');
    assert.ok(await vscode.workspace.applyEdit(bad));
    const broken = await drawnWhen(doc.uri, (d) => d.boxes[1].problem !== undefined, 'the diagram with the shape error');
    const problem = broken.boxes[1].problem!;
    assert.equal(problem.severity, 'error');
    assert.match(problem.message, /W\[2\] must be \(n\[2\], n\[1\]\) = \(1, 6\); found \(6, 1\): transposed\?/);
  });

  test('a click on a box selects its layer in the text', async () => {
    const doc = await open('planar.dnn.json');
    const selection = await vscode.commands.executeCommand<vscode.Selection>('dnn.revealLayer', doc.uri, ['layers', 1]);
    const selected = doc.getText(selection);
    assert.ok(selected.startsWith('{') && selected.endsWith('}') && selected.includes('"sigmoid"'), selected);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), doc.uri.toString());
  });
});
