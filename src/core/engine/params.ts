/**
 * The parameters file (`*.params.json`): the course's `parameters` dict as JSON, row-major nested
 * arrays ({"W1": [[...], ...], "b1": [[...], ...], ...}) plus an optional "meta" object. It loads
 * into numpy with `{k: np.array(v) for k, v in json.load(f).items() if k != "meta"}`; a dict
 * saved from numpy the same way (`{k: v.tolist()}`) loads here. A batch-normalised layer l adds
 * "gamma<l>", "beta<l>" (trained) and "runningMean<l>", "runningVar<l>" (for prediction), all
 * (n[l], 1). A conv layer's W is written 4-D, (f_H, f_W, n_C[l-1], n_C[l]), and its b and batch
 * norm's four (1, 1, 1, n_C[l]), as numpy holds them (the matrix's `dims`).
 *
 * Pure: text in, text out. Writing the file atomically is src/node/params.ts's job.
 */
import type { Standardization } from '../data/types';
import { fromRows, toRows, type Matrix } from '../matrix';
import { parameterDims, parameterKeys, parameterShape, shapeRule, stateKeys, type Network } from './network';
import type { Parameters } from './types';

export interface ParamsMeta {
  /** n[0], n[1], ..., n[L]. */
  architecture?: number[];
  activations?: string[];
  loss?: string;
  seed?: number;
  iterations?: number;
  finalCost?: number;
  /** Fitted on the training set; apply to prediction inputs. */
  standardization?: Standardization;
  [key: string]: unknown;
}

export interface ParamsFile {
  parameters: Parameters;
  meta?: ParamsMeta;
}

/** The JSON text of a parameters file: keys in the course's order, then "meta". */
export function serializeParameters(parameters: Parameters, meta?: ParamsMeta): string {
  const lines: string[] = [];
  for (const [key, M] of parameters) {
    if (M.dims && M.dims.length !== 2) {
      lines.push(`  ${JSON.stringify(key)}: ${nestedText(M.data, M.dims)}`);
      continue;
    }
    const rows = toRows(M).map((r) => '[' + r.map(numberText).join(', ') + ']');
    lines.push(`  ${JSON.stringify(key)}: [\n    ${rows.join(',\n    ')}\n  ]`);
  }
  if (meta) lines.push(`  "meta": ${JSON.stringify(meta)}`);
  return '{\n' + lines.join(',\n') + '\n}\n';
}

/** Row-major entries as nested arrays of the given dims, the innermost rows on one line each. */
function nestedText(data: Float64Array, dims: number[]): string {
  const text = (offset: number, d: number, indent: string): string => {
    const n = dims[d];
    if (d === dims.length - 1) return '[' + Array.from(data.subarray(offset, offset + n), numberText).join(', ') + ']';
    const size = dims.slice(d + 1).reduce((a, b) => a * b, 1);
    const inner = Array.from({ length: n }, (_, i) => text(offset + i * size, d + 1, indent + '  '));
    return '[\n' + inner.map((t) => indent + '  ' + t).join(',\n') + '\n' + indent + ']';
  };
  return text(0, 0, '  ');
}

/** Shortest text that reads back as the same double (JSON has no NaN: refuse it loudly). */
function numberText(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`cannot save a parameter that is ${v}`);
  return String(v);
}

export type ParseParamsResult = { ok: true; file: ParamsFile } | { ok: false; problems: string[] };

/**
 * Reads a parameters file and checks it against the network: every W[l] and b[l] (and batch
 * norm's gamma, beta and running averages) present with
 * its shape, no stray keys, numbers only. Problems name the key and both shapes, e.g.
 * "b2 must be (1, 1) = (n[2], 1); found (1, 4)".
 */
export function parseParameters(text: string, net: Network): ParseParamsResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [`not valid JSON: ${e instanceof Error ? e.message : String(e)}`] };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, problems: ['the file must hold one JSON object {"W1": [[...]], "b1": [[...]], ...}'] };
  }
  const problems: string[] = [];
  const parameters: Parameters = new Map();
  const obj = json as Record<string, unknown>;
  const keys = [...parameterKeys(net), ...stateKeys(net)];
  for (const key of keys) {
    const dims = parameterDims(net, key)!;
    if (!(key in obj)) {
      problems.push(`${key} is missing; it must be (${dims.join(', ')})`);
      continue;
    }
    const M = dims.length === 2 ? matrixFrom(key, obj[key], problems) : tensorFrom(key, obj[key], dims, parameterShape(net, key)!, problems);
    if (M) parameters.set(key, M);
  }
  for (const key of Object.keys(obj)) {
    if (key !== 'meta' && !keys.includes(key)) {
      problems.push(`${key} is not a parameter of this network (it has ${keys.join(', ')})`);
    }
  }
  problems.push(...validateParameters(net, parameters, true));
  if (problems.length > 0) return { ok: false, problems };
  const file: ParamsFile = { parameters };
  const meta = obj.meta;
  if (meta !== undefined) {
    if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return { ok: false, problems: ['"meta" must be an object'] };
    file.meta = meta as ParamsMeta;
  }
  return { ok: true, file };
}

function matrixFrom(key: string, value: unknown, problems: string[]): Matrix | undefined {
  if (!Array.isArray(value) || value.length === 0 || !value.every(Array.isArray)) {
    problems.push(`${key} must be a non-empty list of rows (nested arrays of numbers)`);
    return undefined;
  }
  const rows = value as unknown[][];
  const cols = rows[0].length;
  for (let i = 0; i < rows.length; i++) {
    if (rows[i].length !== cols) {
      problems.push(`${key} row ${i} has ${rows[i].length} entries but row 0 has ${cols}`);
      return undefined;
    }
    for (let j = 0; j < cols; j++) {
      const v = rows[i][j];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        problems.push(`${key}[${i}][${j}] must be a finite number; found ${JSON.stringify(v) ?? String(v)}`);
        return undefined;
      }
    }
  }
  return fromRows(rows as number[][]);
}

/**
 * A conv layer's W or b written as nested arrays of `dims` (4-D), as the matrix `shape` with those
 * dims; a problem naming both shapes when the nesting differs.
 */
function tensorFrom(key: string, value: unknown, dims: number[], shape: [number, number], problems: string[]): Matrix | undefined {
  // The nesting's shape along first elements, to name what was found.
  const found: number[] = [];
  for (let v = value; Array.isArray(v); v = v[0]) found.push(v.length);
  const rule = `(${dims.join(', ')})`;
  if (found.join() !== dims.join()) {
    problems.push(`${key} must be ${rule}; found (${found.join(', ')})`);
    return undefined;
  }
  const data = new Float64Array(shape[0] * shape[1]);
  let k = 0;
  const walk = (v: unknown, d: number, at: string): boolean => {
    if (d === dims.length) {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        problems.push(`${key}${at} must be a finite number; found ${JSON.stringify(v) ?? String(v)}`);
        return false;
      }
      data[k++] = v;
      return true;
    }
    if (!Array.isArray(v) || v.length !== dims[d]) {
      problems.push(`${key}${at} must be a list of ${dims[d]} entries (${key} is ${rule})`);
      return false;
    }
    return v.every((x, i) => walk(x, d + 1, `${at}[${i}]`));
  };
  if (!walk(value, 0, '')) return undefined;
  return { rows: shape[0], cols: shape[1], data, dims };
}

/**
 * Every key of the network (parameterKeys, stateKeys) present with its shape. `presentOnly` skips missing keys (already reported).
 * Returns one message per wrong key.
 */
export function validateParameters(net: Network, parameters: Parameters, presentOnly = false): string[] {
  const problems: string[] = [];
  for (const key of [...parameterKeys(net), ...stateKeys(net)]) {
    const [r, c] = parameterShape(net, key)!;
    const M = parameters.get(key);
    const rule = shapeRule(key, net);
    const dims = parameterDims(net, key)!;
    if (dims.length !== 2) {
      if (!M) {
        if (!presentOnly) problems.push(`${key} is missing; it must be (${dims.join(', ')}) = ${rule}`);
      } else if (M.rows * M.cols !== r * c || (M.dims && M.dims.join() !== dims.join()) || (!M.dims && (M.rows !== r || M.cols !== c))) {
        problems.push(`${key} must be (${dims.join(', ')}) = ${rule}; found (${(M.dims ?? [M.rows, M.cols]).join(', ')})`);
      }
      continue;
    }
    if (!M) {
      if (!presentOnly) problems.push(`${key} is missing; it must be (${r}, ${c}) = ${rule}`);
    } else if (M.rows !== r || M.cols !== c) {
      const transposed = M.rows === c && M.cols === r && r !== c ? ': transposed?' : '';
      problems.push(`${key} must be (${r}, ${c}) = ${rule}; found (${M.rows}, ${M.cols})${transposed}`);
    }
  }
  return problems;
}

export function copyParameters(parameters: Parameters): Parameters {
  const copy: Parameters = new Map();
  for (const [k, M] of parameters) {
    const C: Matrix = { rows: M.rows, cols: M.cols, data: Float64Array.from(M.data) };
    if (M.dims) C.dims = [...M.dims];
    copy.set(k, C);
  }
  return copy;
}
