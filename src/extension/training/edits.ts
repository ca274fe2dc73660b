/**
 * "Apply to file": the page's overrides written into the .dnn.json's "training" object as one
 * text edit, keeping comments and layout (jsonc-parser's modify). Pure, so node:test checks it.
 */
import { modify, parseTree } from 'jsonc-parser';
import { nodeAt } from '../../core/format/locate';
import type { RunOverrides } from '../../protocol';

/** jsonc-parser edits that set the overrides in the file's "training" object. */
export function overrideEdits(text: string, o: RunOverrides): { offset: number; length: number; content: string }[] {
  const fmt = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: text.includes('\r\n') ? '\r\n' : '\n' } };
  const changes: [(string | number)[], unknown][] = [];
  if (o.learningRate !== undefined) changes.push([['training', 'learningRate'], o.learningRate]);
  if (o.iterations !== undefined) changes.push([['training', 'iterations'], o.iterations]);
  if (o.optimizer !== undefined) {
    const root = parseTree(text);
    const node = nodeAt(root, ['training', 'optimizer']);
    changes.push([node?.type === 'object' ? ['training', 'optimizer', 'name'] : ['training', 'optimizer'], o.optimizer]);
  }
  // Applied one after another to the text, then merged into one edit of the changed span.
  let current = text;
  for (const [p, v] of changes) {
    const edits = modify(current, p, v, fmt);
    for (const e of [...edits].sort((a, b) => b.offset - a.offset)) current = current.slice(0, e.offset) + e.content + current.slice(e.offset + e.length);
  }
  if (current === text) return [];
  let start = 0;
  while (start < text.length && start < current.length && text[start] === current[start]) start++;
  let endOld = text.length;
  let endNew = current.length;
  while (endOld > start && endNew > start && text[endOld - 1] === current[endNew - 1]) {
    endOld--;
    endNew--;
  }
  return [{ offset: start, length: endOld - start, content: current.slice(start, endNew) }];
}

