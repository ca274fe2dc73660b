/**
 * A parameters file records the network it was trained for; the editor's Predict reads only that
 * record from the file's text, so a file whose weights no longer fit (the sizes changed) is still
 * named as another network's, with "Train Again" offered.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../src/core/check';
import { anotherNetworkMessage, paramsTextDifference } from '../../src/run/architecture';

const spec = checkText('{ "input": 2, "layers": [ { "units": 6, "activation": "tanh" }, { "units": 1, "activation": "sigmoid" } ], "data": { "builtin": "planar" } }').spec!;
const meta = { architecture: [2, 6, 1], activations: ['tanh', 'sigmoid'], loss: 'binary-cross-entropy' };

test('a parameters file trained for other layer sizes is another network, even though its weights cannot be read for this one', () => {
  const text = JSON.stringify({ W1: [[0, 0]], b1: [[0]], meta: { ...meta, architecture: [2, 4, 1] } });
  const d = paramsTextDifference(text, spec);
  assert.equal(d, 'the parameters were trained for layer sizes [2, 4, 1], the file now says [2, 6, 1]');
  assert.equal(anotherNetworkMessage('p.params.json', d!), 'p.params.json belongs to another network: the parameters were trained for layer sizes [2, 4, 1], the file now says [2, 6, 1]; train again, or use the parameters trained for this file');
  assert.match(paramsTextDifference(JSON.stringify({ meta: { ...meta, activations: ['relu', 'sigmoid'] } }), spec) ?? '', /layer 1's activation is tanh in the file, but the parameters were trained with relu/);
});

test('a file of this network, one without meta, or one that is not JSON is not called another network\'s', () => {
  assert.equal(paramsTextDifference(JSON.stringify({ meta }), spec), undefined);
  assert.equal(paramsTextDifference(JSON.stringify({ W1: [[0, 0]] }), spec), undefined);
  assert.equal(paramsTextDifference('{ "meta": [1, 2] }', spec), undefined);
  assert.equal(paramsTextDifference('null', spec), undefined);
  assert.equal(paramsTextDifference('{ not json', spec), undefined);
});
