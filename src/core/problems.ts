/**
 * Problems are data: every check in the core reports `Problem`s instead of throwing.
 *
 * A problem carries a JSON path (where in the `.dnn.json` tree it belongs) and a range in the
 * source text. Ranges are offsets in UTF-16 code units of the JavaScript string that was parsed
 * (the same units as `document.positionAt` in VS Code); the CLI turns them into 1-based
 * line:column. `code` comes from the closed list `PROBLEM_CODES` below: the editor uses it as the
 * Diagnostic's code and the quick-fix provider filters on it.
 */

export type Severity = 'error' | 'warning' | 'info';

/** A path into the JSON tree (keys and array indices), as format/locate.ts's `nodeAt` takes it. */
export type JsonPath = (string | number)[];

/** A span of source text: `offset` and `length` in UTF-16 code units. */
export interface TextRange {
  offset: number;
  length: number;
}

/** One replacement a quick fix applies. An empty range inserts; an empty `newText` deletes. */
export interface TextEdit {
  range: TextRange;
  newText: string;
}

export interface Fix {
  /** Shown in the light-bulb menu, e.g. "Change W[2] to (1, 4)". */
  title: string;
  edits: TextEdit[];
  /** The obvious fix: VS Code offers it with Ctrl+. / auto-fix. */
  preferred?: boolean;
}

/** A second place involved in a problem (e.g. the layer that fixes n[l-1]). */
export interface RelatedLocation {
  path: JsonPath;
  range: TextRange;
  message: string;
}

export interface Problem {
  code: ProblemCode;
  severity: Severity;
  message: string;
  path: JsonPath;
  range: TextRange;
  fix?: Fix[];
  related?: RelatedLocation[];
}

/**
 * The closed list of problem codes, with a one-line description each (documented in
 * ARCHITECTURE.md and the README). Add a code here first; tests assert every code has a case.
 */
export const PROBLEM_CODES = {
  // syntax and structure (src/core/format)
  'syntax-error': 'The text is not valid JSON with comments.',
  'not-an-object': 'The top level, or a value that must be an object, is not an object.',
  'wrong-type': 'A value has the wrong JSON type.',
  'missing-key': 'A required key is missing.',
  'duplicate-key': 'A key appears twice in the same object; the last one wins.',
  'unknown-key': 'A key that the format does not know (warning; may suggest the closest known key).',
  'out-of-range': 'A number is outside its allowed range.',
  'unknown-activation': 'The activation is not one of the known activations.',
  'unknown-loss': 'The loss is not one of the known losses.',
  'unknown-value': 'A string value is not one of the allowed choices.',
  'no-effect': 'A key that the rest of the file makes useless, e.g. beta1 with gd (warning).',
  'empty-network': 'The network has no layers.',
  // shapes (src/core/shapes)
  'shape-mismatch': 'A declared shape differs from the inferred one.',
  'shape-transposed': 'A declared shape is the transpose of the inferred one.',
  'shape-invalid': 'A declared shape is malformed (wrong rank, not a number or "m").',
  'loss-activation-mismatch': 'The output activation does not suit the loss.',
  'zero-init': 'Zero initialisation never breaks symmetry (warning).',
  'too-large': 'Training would hold more than the engine can (warning): parameters, gradients, optimiser state, one batch.',
  'empty-output': 'A conv or pool layer\'s output has a size ≤ 0: the window is larger than the padded input.',
  'uneven-stride': 'The stride does not divide n + 2p − f: the floor drops rows or columns (warning).',
  'asymmetric-padding': '"same" padding pads one side more than the other (warning).',
  'needs-flatten': 'A dense layer reads a volume that no flatten layer turned into a column.',
  'needs-volume': 'A conv or pool layer reads a column instead of a volume (m, n_H, n_W, n_C).',
  'residual-shape': 'A residual block adds two tensors of different shapes.',
  // data (src/core/data), reported against the .dnn.json when data is checked
  'data-error': 'A data file is missing or malformed.',
  'data-mismatch': 'The data does not match the network (features vs n[0], classes vs n[L]).',
  // running a file (src/run): found when `dnn train`, `dnn predict`, `dnn gradcheck` or the editor runs it
  'params-error': 'A parameters file (the init file, --init, --params) cannot be read or does not fit the network.',
  'engine-error': 'The engine refuses the network or the data as a run starts (inputs of the wrong size, a layer it cannot train).',
  'file-error': 'A file cannot be read or written (the .dnn.json, the parameters, the costs).',
  // the editor's own (src/extension)
  'outside-workspace': 'A data or parameters path points outside the workspace folder (information: where it points).',
} as const;

export type ProblemCode = keyof typeof PROBLEM_CODES;
