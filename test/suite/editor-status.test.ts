/// <reference types="mocha" />
/**
 * The status bar in the real editor says the file's real state: with a bad cell in its CSV, the
 * shapes check but the item shows the error and its tooltip names the cell, never "✓".
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, diagnosticsWhere, fixture } from './helpers';

interface Status {
  text: string;
  tooltip: string;
  visible: boolean;
}

suite('Status bar', () => {
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a CSV with a bad cell: the item counts the error and its tooltip says which cell, not "All shapes check"', async () => {
    const api = await activateExtension();
    const write = (name: string, text: string) => vscode.workspace.fs.writeFile(fixture(`status/${name}`), new TextEncoder().encode(text));
    await write('points.csv', 'x1,x2,y\n0.1,0.2,0\n0.3,abc,1\n');
    await write(
      'net.dnn.json',
      '{\n  "input": 2,\n  "layers": [ { "units": 3, "activation": "tanh" }, { "units": 1, "activation": "sigmoid" } ],\n  "loss": "binary-cross-entropy",\n  "data": { "train": "points.csv", "label": "y" }\n}\n',
    );
    const doc = await vscode.workspace.openTextDocument(fixture('status/net.dnn.json'));
    await vscode.window.showTextDocument(doc);
    await api.diagnostics.checkData(doc);
    await diagnosticsWhere(doc.uri, (d) => d.some((x) => x.code === 'data-error'), 'the CSV error');
    const s = await vscode.commands.executeCommand<Status>('dnn._statusBar');
    assert.strictEqual(s.visible, true);
    // 2 layers, 3·2 + 3 + 1·3 + 1 = 13 parameters (the shapes check), one error (the data's).
    assert.strictEqual(s.text, '$(symbol-structure) 2 layers · 13 params · $(error) 1');
    assert.match(s.tooltip, /^1 error: .*points\.csv:3:5: "abc" in column "x2" is not a number/);
    assert.doesNotMatch(s.tooltip, /All shapes check/);

    // The cell fixed and saved: the data is read again and the item says ✓.
    await write('points.csv', 'x1,x2,y\n0.1,0.2,0\n0.3,0.4,1\n');
    await api.diagnostics.checkData(doc);
    await diagnosticsWhere(doc.uri, (d) => d.length === 0, 'no problem left');
    const ok = await vscode.commands.executeCommand<Status>('dnn._statusBar');
    assert.strictEqual(ok.text, '$(symbol-structure) 2 layers · 13 params · $(check)');
    assert.match(ok.tooltip, /^All shapes check/);
  });
});
