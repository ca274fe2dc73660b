/**
 * Data files from disk for the CLI and the extension: the core's loadData with Node's file
 * reading. A missing or unreadable file becomes a 'data-error' at `data.train` / `data.dev` in
 * the .dnn.json ("data/train.csv: cannot read: no such file"), never an exception.
 */
import * as path from 'node:path';
import type { Node } from 'jsonc-parser';
import { classNamesOf, loadData, type LoadDataOptions, type LoadDataResult } from '../core/data/load';
import { parseCsv, type CsvOptions, type CsvResult } from '../core/data/csv';
import type { Spec } from '../core/format/types';
import { listFolder, readBytesFile, readTextFile } from './files';

/**
 * Loads the data of the .dnn.json at `specFile` (paths in it are relative to its folder). `tree`
 * is the file's parse tree (`checkText(text).tree`), so problems carry ranges in its text.
 */
export function loadDataForSpec(spec: Spec, specFile: string, tree?: Node): Promise<LoadDataResult> {
  const options: LoadDataOptions = { resolve: (base, rel) => path.resolve(base, rel), readBytes: readBytesFile, listFolder };
  if (tree) options.tree = tree;
  return loadData(spec, path.dirname(path.resolve(specFile)), readTextFile, options);
}

/**
 * A CSV file on its own (e.g. `dnn predict --input`): `displayName` is how messages name it.
 * An unreadable file is one error at 1:1.
 */
export async function readCsvFile(file: string, options: CsvOptions = {}, displayName = file): Promise<CsvResult> {
  const read = await readTextFile(file);
  if (!read.ok) return { ok: false, errors: [{ file: displayName, line: 1, column: 1, message: read.message }] };
  return parseCsv(read.text, displayName, options);
}

/** The class names of the data of the .dnn.json at `specFile` (core/data/load.ts classNamesOf), from disk. */
export function classNamesForSpec(spec: Spec, specFile: string): Promise<string[] | undefined> {
  return classNamesOf(spec, path.dirname(path.resolve(specFile)), { resolve: (base, rel) => path.resolve(base, rel), readBytes: readBytesFile, listFolder });
}
