/**
 * The part of jsfive (a pure-JavaScript HDF5 reader) the data loader uses; the package has no
 * type declarations of its own. jsfive throws strings as well as Errors.
 */
declare module 'jsfive' {
  /** A dataset: `value` is every element in row-major order; strings for fixed-length byte strings. */
  export class Dataset {
    readonly name: string;
    readonly shape: number[];
    /** numpy's dtype string ('<u1', '<i8', '<f8', 'S7', ...) or an array for compound kinds. */
    readonly dtype: string | unknown[];
    readonly value: ArrayLike<number | string | bigint>;
  }
  export class Group {
    readonly name: string;
    readonly keys: string[];
    get(path: string): Group | Dataset;
  }
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename?: string);
  }
}
