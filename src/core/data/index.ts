/** Data for the engine: built-in datasets, CSV files, dev split, standardisation, checks. */
export type { DataSplit, Dataset, Standardization } from './types';
export { BUILTIN_DEFAULTS, builtinDataset, linspace, resolveBuiltinOptions, type BuiltinOptions } from './builtin';
export { parseCsv, formatDataError, MAX_CLASS_INDEX, type CsvData, type CsvOptions, type CsvResult, type DataError } from './csv';
export { encodeLabels } from './labels';
export { devCount, fitStandardization, selectColumns, splitDev, standardize } from './split';
export { checkDataAgainstSpec } from './check';
export { joinPath, loadData, splitSeed, type LoadDataOptions, type LoadDataResult, type ReadText, type ReadTextResult } from './load';
