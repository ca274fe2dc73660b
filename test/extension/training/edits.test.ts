/** "Apply to file": the page's overrides as one edit of the .dnn.json that keeps its comments. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overrideEdits } from '../../../src/extension/training/edits';

function apply(text: string, edits: { offset: number; length: number; content: string }[]): string {
  for (const e of [...edits].sort((a, b) => b.offset - a.offset)) text = text.slice(0, e.offset) + e.content + text.slice(e.offset + e.length);
  return text;
}

const file = `{
  "input": 2,
  // the course's values
  "training": {
    "iterations": 10000, // nn_model's num_iterations
    "learningRate": 1.2
  }
}
`;

test('changes the values in place and keeps the comments', () => {
  const edits = overrideEdits(file, { learningRate: 0.5, iterations: 2000 });
  assert.equal(edits.length, 1, 'one edit, so one undo step');
  assert.equal(
    apply(file, edits),
    `{
  "input": 2,
  // the course's values
  "training": {
    "iterations": 2000, // nn_model's num_iterations
    "learningRate": 0.5
  }
}
`,
  );
});

test('adds a missing optimizer, or sets the name inside an optimizer object', () => {
  const added = JSON.parse(apply(file, overrideEdits(file, { optimizer: 'adam' })).replace(/\/\/.*$/gm, ''));
  assert.equal(added.training.optimizer, 'adam');
  const obj = '{ "training": { "optimizer": { "name": "gd", "beta1": 0.8 } } }';
  assert.equal(apply(obj, overrideEdits(obj, { optimizer: 'momentum' })), '{ "training": { "optimizer": { "name": "momentum", "beta1": 0.8 } } }');
});

test('creates "training" when the file has none, and does nothing when nothing changes', () => {
  const bare = '{\n  "input": 2\n}\n';
  assert.deepEqual(JSON.parse(apply(bare, overrideEdits(bare, { iterations: 5 }))), { input: 2, training: { iterations: 5 } });
  assert.deepEqual(overrideEdits(file, {}), []);
  assert.deepEqual(overrideEdits(file, { iterations: 10000 }), []);
});
