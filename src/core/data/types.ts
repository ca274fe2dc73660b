/** Data as the engine sees it: examples are columns. */
import type { Matrix } from '../matrix';

export interface DataSplit {
  /** (n[0], m) */
  X: Matrix;
  /** (n[L], m): a row of 0/1 for binary labels, one-hot columns for k classes, values for mse. */
  Y: Matrix;
  /** Each example's class index (0..classes-1) when the labels are classes; absent for regression. */
  labels?: Int32Array;
}

/** Standardisation fitted on the training set; applied to dev and prediction inputs. */
export interface Standardization {
  mean: number[];
  std: number[];
}

export interface Dataset {
  train: DataSplit;
  dev?: DataSplit;
  /** Number of classes (2 for binary labels); undefined for regression targets. */
  classes?: number;
  featureNames?: string[];
  /** The classes' names in label order (HDF5's list_classes, image folders' subfolders). */
  classNames?: string[];
  /**
   * [n_H, n_W, n_C] when each column of X is a picture, flattened row-major over
   * (n_H, n_W, n_C) as numpy's `X.reshape(m, -1).T`.
   */
  imageShape?: [number, number, number];
  standardization?: Standardization;
  /** Human-readable origin, e.g. "planar (built-in, m = 400)" or "data/train.csv". */
  source: string;
}
