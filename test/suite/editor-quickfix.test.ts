/// <reference types="mocha" />
/**
 * Quick fixes: for each fixture problem whose core problem carries a fix, the light bulb offers
 * it on the diagnostic, applying it gives the expected text, and the problem goes away. Each case
 * works on an unsaved copy of the fixture so the fixtures stay as they are.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { checkText } from '../../src/core/check';
import { activateExtension, describe as show, diagnosticsWhere, dnnDiagnostics, EXTENSION_ID, fixture, rangeOf, scratch } from './helpers';

async function copyOf(name: string): Promise<vscode.TextDocument> {
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(fixture(name)));
  return scratch(text);
}

/**
 * The quick fixes VS Code offers at the diagnostic's range. (The API's converted actions do not
 * carry their diagnostics back, so they are matched by range: each case's range has one problem.)
 *
 * The workbench hands a provider the diagnostics its own marker service holds at the range, and
 * those reach it from the extension host a moment after `getDiagnostics` shows them here: asked
 * at once, the first request of a run could see none and be offered nothing. So it asks again
 * for up to five seconds, as a user whose light bulb appears a moment after the squiggle would.
 */
async function fixesFor(doc: vscode.TextDocument, diag: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider', doc.uri, diag.range, vscode.CodeActionKind.QuickFix.value,
    );
    const fixes = actions.filter((a): a is vscode.CodeAction => 'kind' in a && a.kind?.value === vscode.CodeActionKind.QuickFix.value);
    if (fixes.length > 0 || Date.now() > deadline) return fixes;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Case {
  fixture: string;
  code: string;
  /** Picks the diagnostic when the file has several with this code. */
  which?: (d: vscode.Diagnostic) => boolean;
  /** Picks the fix; default: the preferred one. */
  pick?: (a: vscode.CodeAction) => boolean;
  /** Text that must appear after the fix (worked out from the course's rules or the format). */
  expect: string;
}

const CASES: Case[] = [
  // W[2] is (n[2], n[1]) = (1, 4): the declared (4, 1) is its transpose.
  { fixture: 'shape-errors.dnn.json', code: 'shape-transposed', expect: '"W": [1, 4]' },
  // b[2] is (n[2], 1) = (1, 1).
  { fixture: 'shape-errors.dnn.json', code: 'shape-mismatch', expect: '"b": [1, 1]' },
  { fixture: 'typos.dnn.json', code: 'unknown-key', which: (d) => d.message.includes('activaton'), expect: '{ "units": 3, "activation": "relu" }' },
  { fixture: 'typos.dnn.json', code: 'unknown-key', which: (d) => d.message.includes('learning_rate'), expect: '"learningRate": 0.5' },
  { fixture: 'typos.dnn.json', code: 'unknown-activation', expect: '"activation": "sigmoid"' },
  // Softmax output goes with categorical cross-entropy.
  {
    fixture: 'loss.dnn.json',
    code: 'loss-activation-mismatch',
    pick: (a) => /categorical-cross-entropy/.test(a.title),
    expect: '"loss": "categorical-cross-entropy"',
  },
  { fixture: 'nested/unopened.dnn.json', code: 'shape-mismatch', expect: '"W": [2, 3]' },
];

suite('Quick fixes', () => {
  suiteSetup(activateExtension);

  for (const c of CASES) {
    test(`${c.code} in ${c.fixture}: fix gives ${c.expect} and clears the problem`, async () => {
      const doc = await copyOf(c.fixture);
      const match = (d: vscode.Diagnostic) => d.code === c.code && (!c.which || c.which(d));
      const ds = await diagnosticsWhere(doc.uri, (d) => d.some(match), `a ${c.code} diagnostic`);
      const diag = ds.find(match)!;
      const fixes = await fixesFor(doc, diag);
      assert.ok(fixes.length > 0, `quick fixes offered for ${show([diag])}`);
      const preferred = fixes.filter((f) => f.isPreferred);
      assert.ok(preferred.length <= 1, 'at most one preferred fix');
      const fix = c.pick ? fixes.find(c.pick) : preferred[0];
      assert.ok(fix, `the wanted fix among: ${fixes.map((f) => `${f.title}${f.isPreferred ? ' (preferred)' : ''}`).join(', ')}`);
      assert.ok(fix.edit, 'the fix is an edit');
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.ok(doc.getText().includes(c.expect), `after "${fix.title}":\n${doc.getText()}`);
      const count = ds.filter(match).length;
      await diagnosticsWhere(doc.uri, (d) => d.filter(match).length === count - 1, `the ${c.code} problem to clear`);
    });
  }

  test('data-mismatch: the CSV has 3 features, input says 2; "Set input to 3" fixes it (checked on save)', async () => {
    const api = await activateExtension();
    const doc = await vscode.workspace.openTextDocument(fixture('data-input.dnn.json'));
    await vscode.window.showTextDocument(doc);
    const ds = await diagnosticsWhere(doc.uri, (d) => d.some((x) => x.code === 'data-mismatch'), 'the data problem (data read on open)');
    const diag = ds.find((d) => d.code === 'data-mismatch')!;
    assert.strictEqual(diag.message, 'the data has 3 features (x1, x2, x3) but input is 2 (n[0]): the input layer needs one unit per feature');
    assert.strictEqual(diag.severity, vscode.DiagnosticSeverity.Error);
    assert.deepStrictEqual(diag.range, rangeOf(doc, '2', '"input"'));
    const fix = (await fixesFor(doc, diag)).find((f) => f.isPreferred);
    assert.strictEqual(fix?.title, 'Set input to 3');
    assert.ok(fix.edit && (await vscode.workspace.applyEdit(fix.edit)));
    assert.ok(doc.getText().includes('"input": 3,'));
    assert.ok(await doc.save());
    // The data is checked again after the save: no mismatch left.
    await api.diagnostics.checkData(doc);
    assert.deepStrictEqual(dnnDiagnostics(doc.uri).map((d) => d.message), []);
  });

  test('mistakes.dnn.json with a 2-unit output: Fix all shape declarations, then "Set n[3] to 3" also rewrites W[3] and b[3]; the file then checks clean', async function () {
    this.timeout(30000);
    const api = await activateExtension();
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const example = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'examples', 'mistakes.dnn.json')));
    // The student declared the output's shapes for 2 units, but the spiral has 3 classes; the
    // loss is already right here, so the data check reaches n[3] once the shapes check.
    const text = example
      .replace('{ "units": 3, "activation": "softmax" }', '{ "units": 2, "activation": "softmax", "shapes": { "W": [2, 8], "b": [2, 1] } }')
      .replace('"loss": "binary-cross-entropy"', '"loss": "categorical-cross-entropy"');
    assert.notStrictEqual(text, example);
    const uri = fixture('fixall-mistakes.dnn.json');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    // The example's two shape mistakes, each with its own fix, and one fix for both.
    const isShape = (x: vscode.Diagnostic) => x.code === 'shape-transposed' || x.code === 'shape-mismatch';
    const shapes = await diagnosticsWhere(doc.uri, (d) => d.filter(isShape).length === 2, 'the example\'s two shape mistakes');
    const all = (await fixesFor(doc, shapes.find((d) => d.code === 'shape-transposed')!)).find((f) => f.title === 'Fix all shape declarations (2)');
    assert.ok(all?.edit && (await vscode.workspace.applyEdit(all.edit)), 'Fix all shape declarations offered');
    assert.ok(doc.getText().includes('"W": [16, 2], "b": [16, 1]') && doc.getText().includes('"W": [8, 16], "b": [8, 1]'), doc.getText());
    // The shapes check: the data is read on save and checked against the network.
    assert.ok(await doc.save());
    await api.diagnostics.checkData(doc);
    const ds = await diagnosticsWhere(doc.uri, (d) => d.some((x) => x.code === 'data-mismatch'), 'the output size against the data');
    const mismatch = ds.find((d) => d.code === 'data-mismatch')!;
    assert.strictEqual(mismatch.message, 'the data has 3 classes, so the softmax output needs n[3] = 3 units; found 2');
    const setUnits = (await fixesFor(doc, mismatch)).find((f) => f.isPreferred);
    assert.strictEqual(setUnits?.title, 'Set n[3] to 3 and the 2 declared shapes that depend on it');
    assert.ok(setUnits.edit && (await vscode.workspace.applyEdit(setUnits.edit)));
    assert.ok(doc.getText().includes('{ "units": 3, "activation": "softmax", "shapes": { "W": [3, 8], "b": [3, 1] } }'), doc.getText());
    // The misspelt key is the last mistake.
    const typo = await diagnosticsWhere(doc.uri, (d) => d.some((x) => x.code === 'unknown-key'), 'the misspelt key');
    const rename = (await fixesFor(doc, typo.find((d) => d.code === 'unknown-key')!)).find((f) => f.isPreferred);
    assert.ok(rename?.edit && (await vscode.workspace.applyEdit(rename.edit)));
    assert.ok(await doc.save());
    await api.diagnostics.checkData(doc);
    api.diagnostics.checkNow(doc);
    assert.deepStrictEqual(dnnDiagnostics(doc.uri).map((d) => d.message), []);
  });

  test('editing the CSV re-checks the data of the open network', async () => {
    const api = await activateExtension();
    const csv = fixture('watched/points.csv');
    const write = (text: string) => vscode.workspace.fs.writeFile(csv, new TextEncoder().encode(text));
    await write('x1,x2,y\n0.1,0.2,0\n0.3,-0.4,1\n');
    const net = fixture('watched/net.dnn.json');
    await vscode.workspace.fs.writeFile(net, new TextEncoder().encode(
      '{ "input": 2, "layers": [ { "units": 1, "activation": "sigmoid" } ], "loss": "binary-cross-entropy", "data": { "train": "points.csv", "label": "y" } }\n',
    ));
    const doc = await vscode.workspace.openTextDocument(net);
    await api.diagnostics.checkData(doc);
    api.diagnostics.checkNow(doc);
    assert.deepStrictEqual(dnnDiagnostics(doc.uri).map((d) => d.message), [], 'two features, input 2: fine');
    // A third feature column appears in the data file.
    await write('x1,x2,x3,y\n0.1,0.2,0.5,0\n0.3,-0.4,0.6,1\n');
    const ds = await diagnosticsWhere(doc.uri, (d) => d.some((x) => x.code === 'data-mismatch'), 'the data problem after the CSV changed');
    assert.strictEqual(ds[0]!.message, 'the data has 3 features (x1, x2, x3) but input is 2 (n[0]): the input layer needs one unit per feature');
  });

  test('every problem that has a fix in the fixtures is covered above', async () => {
    // The core's own list of problems with fixes, per fixture: each needs a case.
    const offered = new Set<string>();
    for (const name of new Set(CASES.map((c) => c.fixture))) {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(fixture(name)));
      for (const p of checkText(text).problems) if (p.fix?.length) offered.add(`${name} ${p.code}`);
    }
    const covered = new Set(CASES.map((c) => `${c.fixture} ${c.code}`));
    assert.ok(offered.size >= 5, [...offered].join(', '));
    assert.deepStrictEqual([...offered].filter((k) => !covered.has(k)), []);
  });
});
