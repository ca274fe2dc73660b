/**
 * DNN: Export… in a real editor: it writes the script beside the network and opens it; a long
 * export runs in a worker, so the editor answers meanwhile, and Cancel writes nothing.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, open } from './helpers';

/** The files of the folder of `doc`. */
async function filesBeside(doc: vscode.TextDocument): Promise<string[]> {
  return (await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(doc.uri, '..'))).map(([name]) => name);
}

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

  test('Cancel ends a long ONNX export and leaves no file behind', async function () {
    this.timeout(60000);
    const doc = await open('export-large.dnn.json');
    const cancel = new vscode.CancellationTokenSource();
    const exported = vscode.commands.executeCommand<vscode.Uri | undefined>('dnn.export', doc.uri, 'onnx', cancel.token);
    // A round trip through the editor: the export is under way (it takes a second or two) when Cancel comes.
    await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, new vscode.Position(8, 20));
    cancel.cancel();
    assert.equal(await exported, undefined, 'a cancelled export returns no file');
    const files = await filesBeside(doc);
    assert.ok(!files.includes('export-large.onnx'), files.join(', '));
    assert.deepEqual(files.filter((f) => f.endsWith('.tmp')), [], 'no temporary file either');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('while a long ONNX export runs, the editor keeps answering (hovers), and the model is written when it ends', async function () {
    this.timeout(60000);
    const doc = await open('export-large.dnn.json');
    let finished = false;
    const exported = Promise.resolve(vscode.commands.executeCommand<vscode.Uri | undefined>('dnn.export', doc.uri, 'onnx')).finally(() => (finished = true));
    // Hovers one after another until the export ends: on the host's thread, the export (a second
    // or two) would hold them all until it is done; in its worker, they keep coming.
    let answered = 0;
    while (!finished) {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(8, 20));
      assert.ok(Array.isArray(hovers));
      if (!finished) answered++;
    }
    assert.ok(answered >= 10, `only ${answered} hovers answered while the export ran`);
    const uri = await exported;
    assert.ok(uri, 'the command returns the written file');
    assert.equal(uri.fsPath, vscode.Uri.joinPath(doc.uri, '..', 'export-large.onnx').fsPath);
    // 5.5 million float32 weights: about 22 MB.
    const size = (await vscode.workspace.fs.stat(uri)).size;
    assert.ok(size > 22_000_000 && size < 23_000_000, `${size} bytes`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
