/**
 * Data against the network, before any training: the data's features must be n[0], its classes
 * must fit n[L] and the loss. Problems are reported against the .dnn.json (code 'data-mismatch'),
 * at `input`, at the last layer's `units` or at `loss`, with a fix when the number is obvious.
 */
import type { Node } from 'jsonc-parser';
import type { JsonPath, Problem } from '../problems';
import { nodeAt, rangeAt, rangeOfNode } from '../format/locate';
import type { Spec } from '../format/types';
import type { Dataset } from './types';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Problems between `dataset` and `spec`; `tree` is the .dnn.json's parse tree (the checker's,
 * `checkText(text).tree`), for ranges and fixes: without it every range is empty at offset 0.
 * The rules, with n[L] the last layer's units and k the data's classes:
 * - features (rows of X) = n[0];
 * - binary-cross-entropy: k = 2 and n[L] = 1;
 * - categorical-cross-entropy: n[L] = k;
 * - mse: n[L] = rows of Y (1 for 0/1 labels, k for one-hot, the number of target columns);
 * - cross-entropy needs class labels, not regression values.
 */
export function checkDataAgainstSpec(spec: Spec, dataset: Dataset, tree?: Node): Problem[] {
  const problems: Problem[] = [];
  const where = dataset.source;
  const dataRelated = { path: ['data'] as JsonPath, range: rangeAt(tree, ['data']), message: `the data: ${where}` };

  const n0 = spec.inputUnits;
  const features = dataset.train.X.rows;
  const pictures = dataset.imageShape;
  const declared = spec.inputShape;
  if (pictures && declared.length === 3 && pictures.join() !== declared.join()) {
    // Pictures of another size than input.shape: reported at the data, which names them.
    problems.push({
      code: 'data-mismatch',
      severity: 'error',
      message:
        `the data's pictures are ${pictures.join('×')} (n_H×n_W×n_C) but input.shape is [${declared.join(', ')}]: ` +
        `set "input": { "shape": [${pictures.join(', ')}] } or use pictures of that size`,
      path: ['data'],
      range: rangeAt(tree, ['data']),
      related: [{ path: ['input'], range: rangeAt(tree, ['input']), message: `input.shape [${declared.join(', ')}]` }],
    });
  } else if (pictures && features !== n0) {
    problems.push({
      code: 'data-mismatch',
      severity: 'error',
      message: `the data's pictures are ${pictures.join('×')}, ${features} values each once flattened, but input is ${n0} (n[0]): write "input": { "shape": [${pictures.join(', ')}] }`,
      path: ['input'],
      range: rangeAt(tree, ['input']),
      related: [dataRelated],
    });
  } else if (features !== n0) {
    const names = dataset.featureNames && dataset.featureNames.length <= 8 ? ` (${dataset.featureNames.join(', ')})` : '';
    const p: Problem = {
      code: 'data-mismatch',
      severity: 'error',
      message: `the data has ${plural(features, 'feature')}${names} but input is ${n0} (n[0]): the input layer needs one unit per feature`,
      path: ['input'],
      range: rangeAt(tree, ['input']),
      related: [dataRelated],
    };
    const inputNode = nodeAt(tree, ['input']);
    if (inputNode && inputNode.type === 'number') {
      p.fix = [{ title: `Set input to ${features}`, edits: [{ range: rangeOfNode(inputNode), newText: String(features) }], preferred: true }];
    }
    problems.push(p);
  }

  const last = spec.layers[spec.layers.length - 1];
  // n[L] is a dense output layer's units; other outputs are not checked against the labels yet.
  if (!last || last.type !== 'dense') return problems;
  const L = spec.layers.length;
  const nL = last.units;
  const unitsPath: JsonPath = [...last.path, 'units'];
  const lossPath: JsonPath = nodeAt(tree, ['loss']) ? ['loss'] : [...last.path, 'activation'];
  const setUnits = (units: number, message: string): void => {
    const p: Problem = { code: 'data-mismatch', severity: 'error', message, path: unitsPath, range: rangeAt(tree, unitsPath), related: [dataRelated] };
    const node = nodeAt(tree, unitsPath);
    if (node && node.type === 'number') {
      p.fix = [{ title: `Set n[${L}] to ${units}`, edits: [{ range: rangeOfNode(node), newText: String(units) }], preferred: true }];
    }
    problems.push(p);
  };
  const onLoss = (message: string): void => {
    problems.push({ code: 'data-mismatch', severity: 'error', message, path: lossPath, range: rangeAt(tree, lossPath), related: [dataRelated] });
  };

  const k = dataset.classes;
  const targets = dataset.train.Y.rows;
  if (spec.loss === 'mse') {
    if (nL !== targets) {
      setUnits(targets, `the data has ${plural(targets, 'target')} per example (rows of Y) but the output layer has n[${L}] = ${nL}: mse compares them one to one`);
    }
  } else if (k === undefined) {
    onLoss(`${spec.loss} needs class labels, but the data's labels are numbers to predict: use "loss": "mse"`);
  } else if (spec.loss === 'binary-cross-entropy') {
    if (k > 2) {
      onLoss(
        `the data has ${k} classes but binary-cross-entropy is for 2 (labels 0/1): use "categorical-cross-entropy" with a softmax output of ${k} units`,
      );
    } else if (nL !== 1) {
      setUnits(1, `binary labels (0/1) need one output unit, n[${L}] = 1, with binary-cross-entropy; found ${nL}`);
    }
  } else if (nL !== k) {
    setUnits(k, `the data has ${k} classes, so the softmax output needs n[${L}] = ${k} units; found ${nL}`);
  }
  return problems;
}
