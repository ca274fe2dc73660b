/// <reference types="mocha" />
/**
 * Diagnostics in the real host: code, message, range and severity for the fixture files; edits
 * update them; the start-up workspace check covers files never opened; deleting a file clears them.
 * Expected shapes are worked out from the course's rules (W[l] is (n[l], n[l-1]), b[l] is (n[l], 1)).
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, checked, describe as show, diagnosticsWhere, dnnDiagnostics, fixture, open, rangeOf, scratch } from './helpers';

function byCode(ds: vscode.Diagnostic[], code: string): vscode.Diagnostic {
  const d = ds.find((x) => x.code === code);
  assert.ok(d, `a ${code} diagnostic in ${show(ds)}`);
  return d;
}

suite('Diagnostics', () => {
  let ready: Promise<void>;
  suiteSetup(async () => {
    ({ ready } = await activateExtension());
  });

  test('a valid network has no problems', async () => {
    const doc = await open('planar.dnn.json');
    // "No problems" must come from a check of this very version, not from "not checked yet".
    await checked(doc);
    assert.deepStrictEqual(dnnDiagnostics(doc.uri).map((d) => d.message), []);
  });

  test('shape mistakes: W[2] transposed and b[2] wrong, on the declared shapes, as errors', async () => {
    const doc = await open('shape-errors.dnn.json');
    const ds = await diagnosticsWhere(doc.uri, (d) => d.length >= 2, 'two shape problems');
    // Layer 2 has n[2] = 1 unit after n[1] = 4: W[2] must be (1, 4) and b[2] (1, 1).
    const w = byCode(ds, 'shape-transposed');
    assert.strictEqual(w.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(w.source, 'dnn');
    assert.deepStrictEqual(w.range, rangeOf(doc, '[4, 1]', '"W"'));
    assert.strictEqual(w.message, 'W[2] must be (n[2], n[1]) = (1, 4); found (4, 1): transposed?');
    // Related information points at the layers that fix n[2] and n[1].
    const related = (w.relatedInformation ?? []).map((r) => [doc.getText(r.location.range), r.location.range.start.line, r.message]);
    assert.deepStrictEqual(related, [
      ['1', rangeOf(doc, '1', '"units": 1').start.line, 'n[2] = 1 is set here'],
      ['4', rangeOf(doc, '4', '"units": 4').start.line, 'n[1] = 4 is set here'],
    ]);
    const b = byCode(ds, 'shape-mismatch');
    assert.strictEqual(b.severity, vscode.DiagnosticSeverity.Error);
    assert.deepStrictEqual(b.range, rangeOf(doc, '[4, 1]', '"b"'));
    assert.strictEqual(b.message, 'b[2] must be (n[2], 1) = (1, 1); found (4, 1)');
  });

  test('misspelt keys are warnings and a misspelt activation is an error, at the misspelt text', async () => {
    const doc = await open('typos.dnn.json');
    const ds = await diagnosticsWhere(doc.uri, (d) => d.some((x) => x.code === 'unknown-activation'), 'the typos');
    const keys = ds.filter((d) => d.code === 'unknown-key');
    assert.strictEqual(keys.length, 2, show(ds));
    for (const [key, suggestion] of [['activaton', 'activation'], ['learning_rate', 'learningRate']] as const) {
      const d = keys.find((k) => k.message.includes(key));
      assert.ok(d, `a warning names ${key}: ${show(ds)}`);
      assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning);
      assert.deepStrictEqual(d.range, rangeOf(doc, `"${key}"`), `${key}'s warning is on the key`);
      assert.match(d.message, new RegExp(`unknown key '${key}' in .*; did you mean '${suggestion}'\\?`));
    }
    const act = byCode(ds, 'unknown-activation');
    assert.strictEqual(act.severity, vscode.DiagnosticSeverity.Error);
    assert.deepStrictEqual(act.range, rangeOf(doc, '"sigmiod"'), 'on the activation value');
    assert.match(act.message, /^unknown activation 'sigmiod'; did you mean 'sigmoid'\?/);
    // Layer 1 lacks "activation" (it is misspelt): a missing-key error on the layer.
    const missing = byCode(ds, 'missing-key');
    assert.strictEqual(missing.severity, vscode.DiagnosticSeverity.Error);
    assert.match(missing.message, /'activation' in layer 1/);
  });

  test('softmax output with binary cross-entropy: the loss does not suit the activation', async () => {
    const doc = await open('loss.dnn.json');
    const ds = await diagnosticsWhere(doc.uri, (d) => d.some((x) => x.code === 'loss-activation-mismatch'), 'loss problem');
    const d = byCode(ds, 'loss-activation-mismatch');
    assert.ok(d.severity === vscode.DiagnosticSeverity.Error || d.severity === vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(d.message, 'binary-cross-entropy needs a sigmoid output layer, A[2] in (0, 1); layer 2 uses softmax');
    assert.deepStrictEqual(d.range, rangeOf(doc, '"binary-cross-entropy"'));
    assert.deepStrictEqual(d.relatedInformation?.map((r) => doc.getText(r.location.range)), ['"softmax"']);
  });

  test('a file never opened has its problems after start-up (workspace check)', async () => {
    await ready;
    const uri = fixture('nested/unopened.dnn.json');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'not opened by the suite');
    const ds = await diagnosticsWhere(uri, (d) => d.length > 0, 'diagnostics of the unopened file');
    // n[0] = 3, n[1] = 2: W[1] must be (2, 3), declared (2, 4).
    const d = byCode(ds, 'shape-mismatch');
    assert.strictEqual(d.message, 'W[1] must be (n[1], n[0]) = (2, 3); found (2, 4)');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(d.range.start.line, 3, 'on line 4, where W is declared');
  });

  test('editing updates the diagnostics; the last version wins after quick successive edits', async () => {
    const doc = await scratch('{\n  "input": 2,\n  "layers": [\n    { "units": 3, "activation": "sigmoid" }\n  ],\n  "loss": "binary-cross-entropy"\n}\n');
    // n[L] = 3 sigmoid units with binary cross-entropy is multi-label, allowed; no shape declared.
    await diagnosticsWhere(doc.uri, (d) => !d.some((x) => x.severity === vscode.DiagnosticSeverity.Error), 'no errors at first');
    const unitsAt = doc.getText().indexOf('3');
    const replace = async (text: string) => {
      const e = new vscode.WorkspaceEdit();
      e.replace(doc.uri, new vscode.Range(doc.positionAt(unitsAt), doc.positionAt(unitsAt + 1)), text);
      assert.ok(await vscode.workspace.applyEdit(e));
    };
    // Declare a shape that is wrong for 3 units, then change the units several times in a row:
    // only the final text's problems may remain.
    const declAt = doc.getText().indexOf(' }');
    const e = new vscode.WorkspaceEdit();
    e.insert(doc.uri, doc.positionAt(declAt), ', "shapes": { "b": [5, 1] }');
    assert.ok(await vscode.workspace.applyEdit(e));
    const wrong = await diagnosticsWhere(doc.uri, (d) => d.some((x) => x.code === 'shape-mismatch'), 'b[1] (5, 1) vs (3, 1)');
    assert.match(byCode(wrong, 'shape-mismatch').message, /\(3, 1\)/);
    for (const n of ['6', '7', '8', '9', '5']) await replace(n);
    // With 5 units, b[1] = (5, 1) is right: the problem goes away, and stays away.
    const version = doc.version;
    await diagnosticsWhere(doc.uri, (d) => !d.some((x) => x.code === 'shape-mismatch'), 'the mismatch to clear after the last edit');
    assert.strictEqual(doc.version, version);
    assert.deepStrictEqual(dnnDiagnostics(doc.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map((d) => d.message), []);
  });

  test('closing a document clears its problems', async () => {
    // b[1] must be (1, 1) for one unit.
    const doc = await scratch('{ "input": 2, "layers": [ { "units": 1, "activation": "sigmoid", "shapes": { "b": [2, 1] } } ], "loss": "binary-cross-entropy" }');
    await diagnosticsWhere(doc.uri, (d) => d.some((x) => x.code === 'shape-mismatch'), 'the b[1] problem');
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await diagnosticsWhere(doc.uri, (d) => d.length === 0, 'the closed document\'s problems to clear');
  });

  test('deleting a file clears its problems', async () => {
    const uri = fixture('to-delete.dnn.json');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('{ "input": 2, "layers": [ { "units": 1, "activation": "sigmoid", "shapes": { "W": [2, 1] } } ], "loss": "binary-cross-entropy" }\n'));
    await vscode.commands.executeCommand('dnn.checkWorkspace');
    await diagnosticsWhere(uri, (d) => d.length > 0, 'the new file to be checked');
    await vscode.workspace.fs.delete(uri);
    await diagnosticsWhere(uri, (d) => d.length === 0, 'the deleted file\'s problems to clear');
  });
});
