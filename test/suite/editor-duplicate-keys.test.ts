/// <reference types="mocha" />
/**
 * A file with two "layers" keys: the checker reads the last array (JSON.parse's rule) and warns
 * about the first. Hints, lenses and hovers must sit on that same last array: 2 → 4 tanh → 1
 * sigmoid, so W[1] (4, 2) with 4·2 + 4 = 12 parameters and W[2] (1, 4) with 1·4 + 1 = 5
 * (worked out by hand), and the ignored relu layer gets nothing.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, checked, hoverText, open, rangeOf } from './helpers';

const label = (h: vscode.InlayHint): string => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));

suite('Two "layers" keys', () => {
  suiteSetup(activateExtension);

  test('the checker warns about the first and reads the second', async () => {
    const doc = await open('duplicate-layers.dnn.json');
    const diagnostics = await checked(doc);
    assert.deepStrictEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['duplicate-key', 6]]);
  });

  test('inlay hints after each layer of the second array', async () => {
    const doc = await open('duplicate-layers.dnn.json');
    const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>(
      'vscode.executeInlayHintProvider', doc.uri, new vscode.Range(0, 0, doc.lineCount, 0),
    );
    assert.deepStrictEqual(hints.map(label), ['W (4, 2) · b (4, 1) → A (4, m)', 'W (1, 4) · b (1, 1) → A (1, m)']);
    assert.deepStrictEqual(hints.map((h) => h.position), [
      doc.lineAt(rangeOf(doc, '"tanh"').start.line).range.end,
      doc.lineAt(rangeOf(doc, '"sigmoid"').start.line).range.end,
    ]);
  });

  test('parameter lenses at the start of each layer of the second array', async () => {
    const doc = await open('duplicate-layers.dnn.json');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100);
    const layerLenses = lenses.filter((l) => /parameters?$/.test(l.command?.title ?? ''));
    assert.deepStrictEqual(
      layerLenses.map((l) => [l.command?.title, l.range.start]),
      [
        ['12 parameters', rangeOf(doc, '{ "units": 4').start],
        ['5 parameters', rangeOf(doc, '{ "units": 1').start],
      ],
    );
  });

  test('hovers show shapes on the second array and none on the ignored first', async () => {
    const doc = await open('duplicate-layers.dnn.json');
    const hoverAt = async (needle: string, after: string): Promise<string> => hoverText(
      await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, rangeOf(doc, needle, after).start),
    );
    assert.match(await hoverAt('4', '"units"'), /`W\[1\]` \| `\(4, 2\)`/);
    assert.doesNotMatch(await hoverAt('3', '"units"'), /W\[1\]/);
  });
});
