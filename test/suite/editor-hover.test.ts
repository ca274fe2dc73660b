/// <reference types="mocha" />
/**
 * One hover per key: VS Code's JSON language server shows the schema's description of a key
 * (dist/dnn-editor.schema.json), so ours does not repeat it, and the description is the key's
 * own, not the one of a shared definition it refers to. Values the schema describes get their
 * meaning from our hover, since the editor schema lists no allowed values to validate.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, open, rangeOf, readable } from './helpers';

/** Every hover at `needle`'s second character (after `after`), each as the text a user reads. */
async function hoversAt(doc: vscode.TextDocument, needle: string, after = ''): Promise<string[]> {
  const pos = rangeOf(doc, needle, after).start.translate(0, 1);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
  return hovers.flatMap((h) => h.contents).map((c) => readable(typeof c === 'string' ? c : 'value' in c ? c.value : ''));
}

/** How many times `text` occurs in all of `hovers`. */
function count(hovers: string[], text: string): number {
  return hovers.reduce((n, h) => n + h.split(text).length - 1, 0);
}

suite('One hover per key', () => {
  suiteSetup(async () => {
    await activateExtension();
    // The extension starts the JSON language features, which document keys; wait until they run.
    const json = vscode.extensions.getExtension('vscode.json-language-features');
    assert.ok(json, "VS Code's JSON language features are built in");
    await json.activate();
  });

  test("a key's description appears once: learningRate", async () => {
    const doc = await open('planar.dnn.json');
    const sentence = 'α, the learning rate: the step size of gradient descent, W[l] := W[l] - α·dW[l].';
    const hovers = await hoversAt(doc, '"learningRate"');
    assert.strictEqual(count(hovers, sentence), 1, JSON.stringify(hovers));
  });

  test("units shows its own description once, not its shared definition's", async () => {
    const doc = await open('planar.dnn.json');
    const sentence = 'n[l], the number of units: W[l] is (n[l], n[l-1]), b[l] is (n[l], 1), Z[l] and A[l] are (n[l], m).';
    const hovers = await hoversAt(doc, '"units"');
    assert.strictEqual(count(hovers, sentence), 1, JSON.stringify(hovers));
    assert.strictEqual(count(hovers, 'A positive integer'), 0, JSON.stringify(hovers));
  });

  test("input shows its own description once, not its number form's", async () => {
    const doc = await open('planar.dnn.json');
    const hovers = await hoversAt(doc, '"input"');
    assert.strictEqual(count(hovers, '`n[0]`, the number of input features: `X` is `(n[0], m)`.'), 1, JSON.stringify(hovers));
    assert.strictEqual(count(hovers, 'A positive integer'), 0, JSON.stringify(hovers));
  });

  test('a value the schema describes: what it means, once', async () => {
    const doc = await open('planar.dnn.json');
    const loss = await hoversAt(doc, '"binary-cross-entropy"');
    assert.strictEqual(count(loss, '`binary-cross-entropy`: -(1/m) Σ (y log a + (1 - y) log(1 - a)); with a sigmoid output'), 1, JSON.stringify(loss));
    const data = await hoversAt(doc, '"planar"', '"builtin"');
    assert.strictEqual(count(data, "The course's week 3 flower of red and blue points (load_planar_dataset, m = 400)"), 1, JSON.stringify(data));
  });
});
