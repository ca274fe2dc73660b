/** DNN: Export… in a real editor: it writes the script beside the network and opens it. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, open } from './helpers';

suite('Export', () => {
  suiteSetup(activateExtension);

  test('Export to numpy writes planar.py beside the network and opens it', async function () {
    this.timeout(30000);
    const doc = await open('planar.dnn.json');
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('dnn.export', doc.uri, 'numpy');
    assert.ok(uri, 'the command returns the written file');
    assert.equal(uri.fsPath, vscode.Uri.joinPath(doc.uri, '..', 'planar.py').fsPath);
    const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    for (const f of ['def initialize_parameters_deep', 'def L_model_forward', 'def compute_cost', 'def L_model_backward', 'def update_parameters']) assert.ok(text.includes(f), f);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, uri.fsPath, 'the script is opened');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('an unknown format is said, not thrown, and writes nothing', async () => {
    const doc = await open('planar.dnn.json');
    assert.equal(await vscode.commands.executeCommand('dnn.export', doc.uri, 'keras'), undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
