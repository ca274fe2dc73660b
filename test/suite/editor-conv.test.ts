/// <reference types="mocha" />
/**
 * A convolutional network in the editor (test/fixtures/editor/conv.dnn.json), worked out by hand
 * from course 4's rules:
 *   X (m, 32, 32, 3)
 *   1 conv 6 filters 5×5 valid:  n_H = ⌊(32 + 2·0 − 5)/1⌋ + 1 = 28, W (5, 5, 3, 6),
 *                                (5·5·3 + 1)·6 = 456 parameters, 28·28·6·5·5·3 = 352,800 multiply-adds
 *   2 max pool 2×2 (stride 2):   ⌊(28 − 2)/2⌋ + 1 = 14 → 14×14×6
 *   3, 4 conv 6 filters 3×3 same, an identity block: 14×14×6, (3·3·6 + 1)·6 = 330 parameters each
 *   5 flatten: 14·14·6 = 1176;  6 dense 10 softmax: 10·1176 + 10 = 11,770 parameters
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, describe as show, diagnosticsWhere, fixture, hoverText, open, rangeOf, scratch } from './helpers';

async function hoverAtPosition(doc: vscode.TextDocument, pos: vscode.Position): Promise<string> {
  return hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos));
}

async function hints(doc: vscode.TextDocument): Promise<vscode.InlayHint[]> {
  const all = new vscode.Range(0, 0, doc.lineCount, 0);
  return vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, all);
}

const label = (h: vscode.InlayHint): string => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));

suite('Convolutional networks in the editor', () => {
  suiteSetup(activateExtension);

  test('hover on a conv layer: the size formula with its numbers, W, b, Z, A and gradients, parameters, multiply-adds', async () => {
    const doc = await open('conv.dnn.json');
    // On the 5 of the first layer's "size".
    const text = await hoverAtPosition(doc, rangeOf(doc, '5', '"size"').start);
    assert.ok(text.includes('**Layer 1** · conv · 28×28×6 · `relu`'), text);
    assert.ok(text.includes('`Z[1] = W[1] ∗ A[0] + b[1]`'), text);
    assert.ok(text.includes('`n_H[1] = ⌊(32 + 2·0 − 5)/1⌋ + 1 = 28`'), text);
    assert.ok(text.includes('`n_W[1] = ⌊(32 + 2·0 − 5)/1⌋ + 1 = 28`'), text);
    for (const [name, shape] of [
      ['W', '(5, 5, 3, 6)'], ['b', '(1, 1, 1, 6)'], ['Z', '(m, 28, 28, 6)'], ['A', '(m, 28, 28, 6)'],
      ['dW', '(5, 5, 3, 6)'], ['db', '(1, 1, 1, 6)'], ['dZ', '(m, 28, 28, 6)'], ['dA', '(m, 28, 28, 6)'],
    ]) {
      assert.ok(text.includes(`\`${name}[1]\` | \`${shape}\``), `${name}[1] is ${shape} in:\n${text}`);
    }
    assert.ok(text.includes('**456 parameters** = (5·5·3 + 1)·6'), text);
    assert.ok(text.includes('**352,800 multiply-adds** per example = 28·28·6·5·5·3'), text);
  });

  test('hovers on a pool layer, a residual block and its inner layer: each its own', async () => {
    const doc = await open('conv.dnn.json');
    const pool = await hoverAtPosition(doc, rangeOf(doc, '2', '"mode"').start);
    assert.ok(pool.startsWith('**Layer 2** · pool · 14×14×6'), pool);
    assert.ok(!pool.includes('undefined') && !pool.includes('`W[2]`'), pool);
    // At the block's opening brace: the block, not its first layer.
    const block = await hoverAtPosition(doc, rangeOf(doc, '{ "type": "residual"').start);
    assert.ok(block.startsWith('**Residual block, layers 3–4** · residual · 14×14×6'), block);
    assert.ok(block.includes('`A[4] = g[4](Z[4] + A[2])`'), block);
    assert.ok(block.includes('block: **660 parameters**'), block);
    // The second inner layer is layer 4, reading A[3].
    const inner = await hoverAtPosition(doc, rangeOf(doc, '6', '"padding": "same", "activation": "relu" },\n').start);
    assert.ok(inner.startsWith('**Layer 4** · conv · 14×14×6'), inner);
    assert.ok(inner.includes('`n_H[4] = ⌊(14 + 2·1 − 3)/1⌋ + 1 = 14`'), inner);
  });

  test('inlay hints: → n_H×n_W×n_C after every conv, pool and block, the column form after flatten and dense', async () => {
    const doc = await open('conv.dnn.json');
    const hs = await hints(doc);
    assert.deepStrictEqual(hs.map(label), [
      'W 5×5×3×6 · b 1×1×1×6 → 28×28×6',
      '→ 14×14×6',
      'W 3×3×6×6 · b 1×1×1×6 → 14×14×6',
      'W 3×3×6×6 · b 1×1×1×6 → 14×14×6',
      '→ 14×14×6',
      '→ A (1176, m)',
      'W (10, 1176) · b (10, 1) → A (10, m)',
    ]);
    // Each at the end of its layer's last line; the block's after its closing bracket.
    const lineEnd = (needle: string, after = ''): vscode.Position => doc.lineAt(rangeOf(doc, needle, after).start.line).range.end;
    assert.deepStrictEqual(hs.map((h) => h.position), [
      lineEnd('"filters": 6, "size": 5'),
      lineEnd('"pool"'),
      lineEnd('"size": 3'),
      doc.lineAt(rangeOf(doc, '"size": 3').start.line + 1).range.end,
      lineEnd('] }', '"residual"'),
      lineEnd('"flatten"'),
      lineEnd('"softmax"'),
    ]);
  });

  test('CodeLens: parameters above every layer, a block counting its layers', async () => {
    const doc = await open('conv.dnn.json');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100);
    const titles = lenses.map((l) => l.command?.title ?? '').filter((t) => /parameter/.test(t)).sort();
    assert.deepStrictEqual(titles, ['0 parameters', '0 parameters', '11,770 parameters', '330 parameters', '330 parameters', '456 parameters', 'block: 660 parameters']);
    // The engine trains conv networks: Train and Gradient check are offered beside Shapes.
    const top = lenses.map((l) => l.command?.title ?? '').filter((t) => !/parameter/.test(t));
    assert.deepStrictEqual(top, ['▶ Train', 'Shapes', 'Gradient check']);
  });

  test('CodeLens: a conv network with batch norm and dropout offers Train; softmax on a conv layer offers Shapes only', async () => {
    const lensesOf = async (text: string): Promise<string[]> => {
      const doc = await scratch(text);
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100);
      return lenses.map((l) => l.command?.title ?? '').filter((t) => !/parameter/.test(t));
    };
    assert.deepStrictEqual(await lensesOf(`{ "input": { "shape": [8, 8, 1] }, "layers": [
      { "type": "conv", "filters": 2, "size": 3, "activation": "relu", "batchNorm": true },
      { "type": "flatten" }, { "units": 1, "activation": "sigmoid" } ], "training": { "keepProb": 0.8 } }`), ['▶ Train', 'Shapes', 'Gradient check']);
    assert.deepStrictEqual(await lensesOf(`{ "input": { "shape": [8, 8, 1] }, "layers": [
      { "type": "conv", "filters": 2, "size": 3, "activation": "softmax" },
      { "type": "flatten" }, { "units": 1, "activation": "sigmoid" } ] }`), ['Shapes']);
  });

  test('Show Shapes: volumes as n_H×n_W×n_C and the multiply-adds', async () => {
    const doc = await open('conv.dnn.json');
    const view = await vscode.commands.executeCommand<vscode.TextDocument>('dnn.showShapes', doc.uri);
    const rows = view.getText().split('\n').map((l) => l.trim().split(/\s{2,}/).join('|'));
    assert.ok(rows.includes('1|conv|relu|4704|5×5×3×6|1×1×1×6|28×28×6|456|352,800'), view.getText());
    assert.ok(rows.includes('3–4|residual|1176|14×14×6|0|0'), view.getText());
    assert.ok(rows.includes('Total params: 12,886'), view.getText());
  });

  test('needs-flatten: a dense layer after a pool layer; the fix inserts { "type": "flatten" } before it', async () => {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(fixture('needs-flatten.dnn.json')));
    const doc = await scratch(text);
    const ds = await diagnosticsWhere(doc.uri, (d) => d.some((x) => x.code === 'needs-flatten'), 'the needs-flatten diagnostic');
    const diag = ds.find((d) => d.code === 'needs-flatten')!;
    // conv 3×3 valid on 28×28: 26×26×4; pool 2×2: 13×13×4 = 676 values per example.
    assert.strictEqual(diag.severity, vscode.DiagnosticSeverity.Error);
    assert.deepStrictEqual(diag.range, rangeOf(doc, '{ "units": 10, "activation": "softmax" }'), show([diag]));
    assert.match(diag.message, /^layer 3 is dense but A\[2\] is a volume \(m, 13, 13, 4\): insert \{ "type": "flatten" \} before it/);
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider', doc.uri, diag.range, vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a): a is vscode.CodeAction => 'kind' in a && a.isPreferred === true);
    assert.strictEqual(fix?.title, 'Insert a flatten layer before this one');
    assert.ok(fix.edit && (await vscode.workspace.applyEdit(fix.edit)));
    assert.strictEqual(
      doc.getText(),
      text.replace('{ "units": 10, "activation": "softmax" }', '{ "type": "flatten" }, { "units": 10, "activation": "softmax" }'),
    );
    await diagnosticsWhere(doc.uri, (d) => d.length === 0, 'no problems left');
    // The new layer has its shapes: n[3] = 13·13·4 = 676.
    const labels = (await hints(doc)).map(label);
    assert.ok(labels.includes('→ A (676, m)'), labels.join('\n'));
    assert.ok(labels.includes('W (10, 676) · b (10, 1) → A (10, m)'), labels.join('\n'));
  });
});
