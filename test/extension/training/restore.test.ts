// A restored training panel is rebound only to a .dnn.json file: the page's saved state is the
// webview's word, and the panel's buttons edit and write beside the file it names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restorableFile } from '../../../src/extension/training/restore';

test('a saved file URI of a .dnn.json is accepted as it is', () => {
  assert.deepEqual(restorableFile({ file: 'file:///w/nets/planar.dnn.json' }), { ok: true, file: 'file:///w/nets/planar.dnn.json' });
  assert.deepEqual(restorableFile({ file: 'file:///w/My%20Nets/x.DNN.JSON', runs: [] }), { ok: true, file: 'file:///w/My%20Nets/x.DNN.JSON' });
});

test('anything else from the saved state is refused with the reason', () => {
  const reason = (saved: unknown) => {
    const r = restorableFile(saved);
    assert.equal(r.ok, false, JSON.stringify(saved));
    return r.ok ? '' : r.reason;
  };
  assert.equal(reason(undefined), 'the saved state names no file');
  assert.equal(reason({ file: 3 }), 'the saved state names no file');
  assert.equal(reason(['file:///w/x.dnn.json']), 'the saved state names no file');
  assert.match(reason({ file: '/w/x.dnn.json' }), /not a URI/);
  assert.match(reason({ file: 'untitled:x.dnn.json' }), /not a file on disk \(untitled:\)/);
  assert.match(reason({ file: 'vscode-remote://host/w/x.dnn.json' }), /not a file on disk/);
  assert.match(reason({ file: 'file:///home/u/.bashrc' }), /not a \.dnn\.json file/);
  assert.match(reason({ file: 'file:///w/x.dnn.json?.bashrc' }), /query/);
  assert.match(reason({ file: 'file:///w/x.json#.dnn.json' }), /fragment/);
});
