/**
 * What the editor reads of a network's files and data on its own, bounded so that a folder
 * cannot stall the extension host. First: paths in a .dnn.json that leave the workspace: `data.train`, `data.dev` and `init.file` may point
 * anywhere (users keep data outside their projects, and `../` and absolute paths keep working),
 * but someone who opens a folder they were sent should see where its files point before training
 * reads them. Pure: the editor passes the document's folder and the workspace folders.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Node } from 'jsonc-parser';
import { nodeAt, rangeOfNode } from '../core/format/locate';
import type { JsonPath, Problem } from '../core/problems';
import { BUILTIN_DEFAULTS, type Spec } from '../core/format/types';

/** Every key whose string value is a path the engine reads. */
export const PATH_KEYS: readonly JsonPath[] = [
  ['data', 'train'],
  ['data', 'dev'],
  ['data', 'images'],
  ['training', 'init', 'file'],
];

function inside(folder: string, file: string): boolean {
  const rel = relative(folder, file);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * An information problem at each path value that resolves outside every one of `folders`; none
 * for a document that is itself outside them (it has no workspace folder to leave).
 */
export function pathsOutside(tree: Node | undefined, docDir: string, folders: readonly string[]): Problem[] {
  const out: Problem[] = [];
  if (!folders.some((f) => inside(f, docDir))) return out;
  for (const path of PATH_KEYS) {
    const node = nodeAt(tree, path);
    if (node?.type !== 'string' || typeof node.value !== 'string' || node.value === '') continue;
    const target = resolve(docDir, node.value);
    if (folders.some((f) => inside(f, target))) continue;
    out.push({
      code: 'outside-workspace',
      severity: 'info',
      message: `${path.join('.')} points outside the workspace folder, to ${target}`,
      path,
      range: rangeOfNode(node),
    });
  }
  return out;
}

/**
 * Built-in data is generated on the extension host's thread to check it against the network; its
 * features and classes do not depend on m, so the check generates at most this many examples
 * (a file asking for 10^7 took 14 s and 490 MiB to generate at every open and save).
 */
export const MAX_CHECKED_BUILTIN_EXAMPLES = 10_000;

/** The spec whose data the editor checks: built-in data capped at MAX_CHECKED_BUILTIN_EXAMPLES examples. */
export function forChecking(spec: Spec): Spec {
  const data = spec.data;
  if (data?.kind !== 'builtin') return spec;
  const m = data.examples ?? BUILTIN_DEFAULTS[data.builtin].examples;
  return m <= MAX_CHECKED_BUILTIN_EXAMPLES ? spec : { ...spec, data: { ...data, examples: MAX_CHECKED_BUILTIN_EXAMPLES } };
}
