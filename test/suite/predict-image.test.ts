/// <reference types="mocha" />
/**
 * DNN: Predict on a picture in the real extension host, as `dnn predict --image` does: one
 * sigmoid unit on the picture's mean red, W = [[1, 0, 0]], b = [[-0.5]], pixels / 255, so a red
 * picture gives z = 0.5 and P(cat) = sigmoid(0.5) = 0.6225 (worked out by hand); the class is
 * named from the HDF5 file's list_classes.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { encode as encodePng } from 'fast-png';
import { activateExtension, EXTENSION_ID, workspaceRoot } from './helpers';

suite('Predict on a picture', () => {
  suiteSetup(activateExtension);

  test('the class by name and its probability, written as CSV', async () => {
    const dir = vscode.Uri.joinPath(workspaceRoot(), 'pictures');
    const h5 = vscode.Uri.joinPath(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, 'test', 'fixtures', 'data', 'h5', 'pictures_train.h5');
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, 'pictures.h5'), await vscode.workspace.fs.readFile(h5));
    const net = { input: { shape: [1, 1, 3] }, layers: [{ units: 1, activation: 'sigmoid' }], data: { train: 'pictures.h5', divideBy: 255 } };
    const uri = vscode.Uri.joinPath(dir, 'red.dnn.json');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(net)));
    const params = vscode.Uri.joinPath(dir, 'red.params.json');
    await vscode.workspace.fs.writeFile(params, new TextEncoder().encode(JSON.stringify({ W1: [[1, 0, 0]], b1: [[-0.5]] })));
    const red = encodePng({ width: 2, height: 2, data: new Uint8Array(12).map((_, i) => (i % 3 === 0 ? 255 : 40)), channels: 3, depth: 8 });
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, 'red.png'), red);
    const result = await vscode.commands.executeCommand<{ report: string; csv: string } | undefined>('dnn.predict', uri, {
      params: params.fsPath,
      image: 'red.png',
      output: 'red.predictions.csv',
    });
    assert.ok(result, 'Predict returned its result');
    assert.match(result.report, /red\.png: cat \(class 1\), probability 0\.6225/);
    const csv = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, 'red.predictions.csv'))).toString('utf8');
    assert.match(csv, /^picture,prediction,class,p0\nred\.png,1,cat,0\.622459/);
  });
});
