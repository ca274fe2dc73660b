/// <reference types="mocha" />
/** Activation, the language, VS Code's JSON features on dnn-json, and every contributed command. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, dnnDiagnostics, EXTENSION_ID, open, scratch, when } from './helpers';

suite('Activation and JSON features', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  test('a .dnn.json file opens in the dnn-json language and activates the extension', async () => {
    const doc = await open('planar.dnn.json');
    assert.strictEqual(doc.languageId, 'dnn-json');
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
  });

  test('comments are allowed: no JSON diagnostic about the comment in planar.dnn.json', async () => {
    const doc = await open('planar.dnn.json');
    assert.ok(doc.getText().includes('// Course 1'), 'the fixture has a comment');
    // The JSON language server validates dnn-json (jsonLanguageParticipants); wait until the
    // schema-driven check has run on a broken copy, so "no comment error" is not just "not yet run".
    const broken = await scratch('{\n  // a comment\n  "input" 2\n}\n');
    const json = await when(() => {
      const ds = vscode.languages.getDiagnostics(broken.uri).filter((d) => d.source !== 'dnn');
      return ds.length > 0 ? ds : undefined;
    }, 'the JSON language server to report the missing colon', vscode.languages.onDidChangeDiagnostics, 20000);
    assert.ok(json.every((d) => !/comment/i.test(d.message)), `no comment error: ${json.map((d) => d.message).join('; ')}`);
    const planarJson = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source !== 'dnn');
    assert.deepStrictEqual(planarJson.map((d) => d.message), []);
    assert.deepStrictEqual(dnnDiagnostics(doc.uri).map((d) => d.message), []);
  });

  test('completion from the JSON schema offers the training keys', async () => {
    const doc = await scratch('{\n  "input": 2,\n  "training": {  }\n}\n');
    const pos = doc.positionAt(doc.getText().indexOf('{  }') + 2);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
    // Property items only: word-based suggestions would offer words of other open documents.
    const labels = list.items
      .filter((i) => i.kind === vscode.CompletionItemKind.Property)
      .map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const key of ['keepProb', 'batchSize', 'printEvery']) {
      assert.ok(labels.some((l) => l.replace(/"/g, '') === key), `completion offers ${key}: ${labels.join(', ')}`);
    }
  });

  test('each mistake is listed once: the JSON language server reports syntax errors only, ours have the rest', async () => {
    // A missing comma (which both see) next to an unknown key, a wrong type, an unknown activation,
    // an extra key, a comment and a trailing comma (which only our checker judges, or nobody).
    const doc = await scratch(
      '{\n  // comments are fine\n  "input": "two",\n  "layers": [ { "units": 4, "activaton": "relu" }, { "units": 1, "activation": "sigmiod" } ],\n' +
        '  "extra": 1\n  "loss": "binary-cross-entropy",\n}\n',
    );
    const json = await when(() => {
      const ds = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source !== 'dnn');
      return ds.length > 0 ? ds : undefined;
    }, 'the JSON language server to report the missing comma', vscode.languages.onDidChangeDiagnostics, 20000);
    const messages = json.map((d) => d.message).join('; ');
    assert.ok(json.every((d) => /^Expected /.test(d.message)), `the JSON server reports the syntax error only: ${messages}`);
    assert.ok(!/not allowed|Incorrect type|not accepted|Missing property|[Cc]omment|[Tt]railing/.test(messages), messages);
    const ours = await when(() => {
      const ds = dnnDiagnostics(doc.uri);
      return ds.some((d) => d.code === 'unknown-key') ? ds : undefined;
    }, 'our diagnostics', vscode.languages.onDidChangeDiagnostics, 20000);
    const codes = ours.map((d) => String(d.code));
    for (const code of ['syntax-error', 'unknown-key', 'unknown-activation']) assert.ok(codes.includes(code), `ours include ${code}: ${codes.join(', ')}`);
  });

  test('completion offers the activations as values, from the editor schema', async () => {
    const doc = await scratch('{\n  "input": 2,\n  "layers": [ { "units": 4, "activation": "" } ]\n}\n');
    const pos = doc.positionAt(doc.getText().indexOf('""') + 1);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label).replace(/"/g, ''));
    for (const a of ['relu', 'tanh', 'sigmoid', 'softmax']) assert.ok(labels.includes(a), `completion offers ${a}: ${labels.join(', ')}`);
  });

  test('formatting works on dnn-json (the JSON formatter)', async () => {
    const doc = await scratch('{"input":2,"layers":[{"units":1,"activation":"sigmoid"}],"loss":"binary-cross-entropy"}');
    const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>(
      'vscode.executeFormatDocumentProvider', doc.uri, { tabSize: 2, insertSpaces: true },
    );
    assert.ok(edits && edits.length > 0, 'the formatter proposes edits');
    const we = new vscode.WorkspaceEdit();
    we.set(doc.uri, edits);
    assert.ok(await vscode.workspace.applyEdit(we));
    assert.strictEqual(doc.getText().split('\n')[1], '  "input": 2,');
  });
});

suite('Commands', () => {
  const manifest = () => vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
    contributes: { commands: { command: string; title: string; category?: string }[] };
  };

  test('every contributed command is registered, in category DNN', async () => {
    await activateExtension();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = manifest().contributes.commands;
    assert.ok(contributed.length >= 7, 'Show Shapes, Check Workspace, New from Template, Train, Stop, Predict, Gradient Check');
    for (const c of contributed) {
      assert.ok(registered.has(c.command), `${c.command} is registered`);
      assert.strictEqual(c.category, 'DNN', `${c.command} is in category DNN`);
    }
    for (const id of ['dnn.showShapes', 'dnn.checkWorkspace', 'dnn.newFromTemplate', 'dnn.train', 'dnn.stopTraining', 'dnn.predict', 'dnn.gradientCheck']) {
      assert.ok(contributed.some((c) => c.command === id), `${id} is contributed`);
    }
  });

  test('every contributed command runs on a .dnn.json without throwing', async function () {
    this.timeout(60000);
    const doc = await open('planar.dnn.json');
    // Arguments that answer what the command would otherwise ask in a prompt (a template, a
    // parameters file, inputs); Train waits for its end so Predict finds the parameters.
    const params = vscode.Uri.joinPath(doc.uri, '..', 'planar.params.json').fsPath;
    const args: Record<string, unknown[]> = {
      'dnn.newFromTemplate': ['planar'],
      'dnn.train': [doc.uri, { wait: true, paramsPath: params }],
      'dnn.predict': [doc.uri, { params, values: '0.5, -0.5; 1, 2', output: `${params}.predictions.csv` }],
      'dnn.gradientCheck': [doc.uri, { quiet: true }],
      'dnn.revealLayer': [doc.uri, ['layers', 0]],
      'dnn.export': [doc.uri, 'numpy'],
    };
    const order = manifest().contributes.commands.map((c) => c.command).sort((a, b) => Number(a === 'dnn.predict') - Number(b === 'dnn.predict'));
    for (const id of order) {
      await vscode.commands.executeCommand(id, ...(args[id] ?? [doc.uri]));
    }
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('commands that need a document say so instead of failing when none is open', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const result = await vscode.commands.executeCommand('dnn.showShapes');
    assert.strictEqual(result, undefined);
  });
});
