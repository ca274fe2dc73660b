/// <reference types="mocha" />
/**
 * Hovers, inlay hints, CodeLens, Show Shapes and templates on the course's planar network
 * (2 → 4 tanh → 1 sigmoid): W[1] (4, 2), b[1] (4, 1), 4·2 + 4 = 12 parameters; W[2] (1, 4),
 * b[2] (1, 1), 1·4 + 1 = 5 parameters; 17 in total (worked out by hand from the course's rules).
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, checked, hoverText, open, rangeOf, readable, scratch, when } from './helpers';

async function hoverAt(doc: vscode.TextDocument, needle: string, after = ''): Promise<string> {
  const pos = rangeOf(doc, needle, after).start.translate(0, 1);
  return hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos));
}

async function hints(doc: vscode.TextDocument): Promise<vscode.InlayHint[]> {
  const all = new vscode.Range(0, 0, doc.lineCount, 0);
  return vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, all);
}

const label = (h: vscode.InlayHint): string => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));

async function lensTitles(doc: vscode.TextDocument): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100);
  return lenses.map((l) => l.command?.title ?? '');
}

async function setting(key: string, value: boolean | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('dnn').update(key, value, vscode.ConfigurationTarget.Workspace);
}

suite('Hover, inlay hints, CodeLens', () => {
  suiteSetup(activateExtension);

  test('hover on a layer: formulas, every shape with numbers, parameter count', async () => {
    const doc = await open('planar.dnn.json');
    const text = await hoverAt(doc, '4', '"units"');
    assert.match(text, /Z\[1\] = W\[1\]·A\[0\] \+ b\[1\]/);
    assert.match(text, /A\[1\] = g\[1\]\(Z\[1\]\)/);
    for (const [name, shape] of [['W', '(4, 2)'], ['b', '(4, 1)'], ['Z', '(4, m)'], ['A', '(4, m)'], ['dW', '(4, 2)'], ['db', '(4, 1)'], ['dZ', '(4, m)'], ['dA', '(4, m)']]) {
      assert.ok(text.includes(`\`${name}[1]\` | \`${shape}\``), `${name}[1] is ${shape} in:\n${text}`);
    }
    assert.match(text, /12 parameters/);
    const second = await hoverAt(doc, '1', '"units": 1');
    assert.match(second, /`W\[2\]` \| `\(1, 4\)`/);
    assert.match(second, /5 parameters/);
  });

  test("hover on an activation: g and g'", async () => {
    const doc = await open('planar.dnn.json');
    const tanh = await hoverAt(doc, '"tanh"');
    assert.match(tanh, /tanh/);
    assert.match(tanh, /g'\(z\) = 1 − tanh²\(z\)/);
    const sigmoid = await hoverAt(doc, '"sigmoid"');
    assert.match(sigmoid, /σ\(z\)·\(1 − σ\(z\)\)/);
  });

  test('hover on a declared shape: the inferred shape and its rule', async () => {
    const doc = await open('shape-errors.dnn.json');
    // Layer 2: n[2] = 1 after n[1] = 4, so W[2] is (1, 4); the file declares [4, 1].
    const text = await hoverAt(doc, '4', '"W"');
    assert.ok(text.includes('`W[2]` is `(1, 4)` = (n[2], n[1]); declared `[4, 1]`'), text);
  });

  test('hover on a key: what it means', async () => {
    const doc = await open('planar.dnn.json');
    // VS Code's JSON hover shows it, as escaped markdown: the text the user reads is unescaped.
    assert.match(readable(await hoverAt(doc, '"learningRate"')), /step size of gradient descent/);
    assert.match(readable(await hoverAt(doc, '"units"')), /n\[l\], the number of units/);
  });

  test('inlay hints after each layer: W · b → A', async () => {
    const doc = await open('planar.dnn.json');
    const hs = await hints(doc);
    assert.deepStrictEqual(hs.map(label), ['W (4, 2) · b (4, 1) → A (4, m)', 'W (1, 4) · b (1, 1) → A (1, m)']);
    // At the end of each layer's line.
    assert.deepStrictEqual(hs.map((h) => h.position), [
      doc.lineAt(rangeOf(doc, '"tanh"').start.line).range.end,
      doc.lineAt(rangeOf(doc, '"sigmoid"').start.line).range.end,
    ]);
  });

  test('CodeLens: Train · Shapes · Gradient check above the file, parameters above each layer', async () => {
    const doc = await open('planar.dnn.json');
    const titles = await lensTitles(doc);
    assert.deepStrictEqual(titles, ['▶ Train', 'Shapes', 'Gradient check', '12 parameters', '5 parameters']);
  });

  test('settings turn inlay hints, CodeLens and hovers off', async () => {
    const doc = await open('planar.dnn.json');
    try {
      await setting('inlayHints.enabled', false);
      await setting('codeLens.enabled', false);
      await setting('hover.enabled', false);
      assert.deepStrictEqual((await hints(doc)).map(label), []);
      assert.deepStrictEqual(await lensTitles(doc), []);
      // VS Code's JSON hover (the schema's description) remains; ours (g and g') is gone.
      assert.doesNotMatch(await hoverAt(doc, '"tanh"'), /g'\(z\)/);
    } finally {
      await setting('inlayHints.enabled', undefined);
      await setting('codeLens.enabled', undefined);
      await setting('hover.enabled', undefined);
    }
    assert.strictEqual((await hints(doc)).length, 2);
  });
});

suite('Show Shapes and templates', () => {
  suiteSetup(activateExtension);

  // The last column is the multiply-adds per example, n[l]·n[l-1]: 4·2 = 8 and 1·4 = 4.
  test('Show Shapes: a read-only table of every layer in course notation', async () => {
    const doc = await open('planar.dnn.json');
    const view = await vscode.commands.executeCommand<vscode.TextDocument>('dnn.showShapes', doc.uri);
    assert.ok(view, 'the command returns the shapes document');
    assert.strictEqual(view.uri.scheme, 'dnn-shapes');
    const lines = view.getText().split('\n').map((l) => l.trim().split(/\s{2,}/));
    assert.ok(lines.some((r) => r.join('|') === '1|dense|tanh|4|(4, 2)|(4, 1)|(4, m)|12|8'), view.getText());
    assert.ok(lines.some((r) => r.join('|') === '2|dense|sigmoid|1|(1, 4)|(1, 1)|(1, m)|5|4'), view.getText());
    assert.match(view.getText(), /Total params: 17/);
  });

  test('Show Shapes follows edits of its source', async () => {
    const doc = await scratch('{ "input": 2, "layers": [ { "units": 4, "activation": "tanh" }, { "units": 1, "activation": "sigmoid" } ], "loss": "binary-cross-entropy" }');
    const view = await vscode.commands.executeCommand<vscode.TextDocument>('dnn.showShapes', doc.uri);
    assert.match(view.getText(), /Total params: 17/);
    // n[0] 2 → 3: W[1] becomes (4, 3), 4·3 + 4 = 16, plus 5 for layer 2: 21.
    const e = new vscode.WorkspaceEdit();
    e.replace(doc.uri, rangeOf(doc, '2', '"input"'), '3');
    assert.ok(await vscode.workspace.applyEdit(e));
    await when(
      () => (/Total params: 21/.test(view.getText()) ? true : undefined),
      'the shapes view to show 21 parameters',
      vscode.workspace.onDidChangeTextDocument,
    );
    assert.ok(view.getText().split('\n').some((l) => l.trim().split(/\s{2,}/).join('|') === '1|dense|tanh|4|(4, 3)|(4, 1)|(4, m)|16|12'));
  });

  for (const id of ['planar', 'deep', 'softmax', 'regularised']) {
    test(`New Network from Template "${id}" is a valid network`, async () => {
      const uri = await vscode.commands.executeCommand<vscode.Uri>('dnn.newFromTemplate', id);
      assert.ok(uri, 'the command returns the new document');
      assert.ok(uri.path.endsWith('.dnn.json'), uri.toString());
      const doc = await vscode.workspace.openTextDocument(uri);
      assert.strictEqual(doc.languageId, 'dnn-json');
      const hs = await hints(doc);
      assert.ok(hs.length >= 2, 'shapes inferred for every layer');
      await checked(doc);
      const errors = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'dnn' && d.severity === vscode.DiagnosticSeverity.Error);
      assert.deepStrictEqual(errors.map((d) => d.message), []);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });
  }
});
