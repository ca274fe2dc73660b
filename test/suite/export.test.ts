/** DNN: Export… in a real editor: it writes the script beside the network and opens it. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, open } from './helpers';

suite('Export', () => {
  suiteSetup(activateExtension);

  test('Export to numpy writes planar.py (and the built-in data it trains on) beside the network and opens it', async function () {
    this.timeout(30000);
    const doc = await open('planar.dnn.json');
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('dnn.export', doc.uri, 'numpy');
    assert.ok(uri, 'the command returns the written file');
    assert.equal(uri.fsPath, vscode.Uri.joinPath(doc.uri, '..', 'planar.py').fsPath);
    const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    for (const f of ['def initialize_parameters_deep', 'def L_model_forward', 'def compute_cost', 'def L_model_backward', 'def update_parameters']) assert.ok(text.includes(f), f);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, uri.fsPath, 'the script is opened');
    // The built-in planar set goes beside the script, which trains on it: a .npy of (m, n[0] + 1).
    const data = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(doc.uri, '..', 'planar.data.npy')));
    assert.equal(data.subarray(1, 6).toString('latin1'), 'NUMPY');
    assert.match(data.toString('latin1', 10, 80), /'shape': \(400, 3\)/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('an unknown format is said, not thrown, and writes nothing', async () => {
    const doc = await open('planar.dnn.json');
    assert.equal(await vscode.commands.executeCommand('dnn.export', doc.uri, 'keras'), undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
