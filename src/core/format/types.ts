/**
 * The typed form of a `.dnn.json` file (format version 1, see DESIGN.md).
 *
 * The parser fills in every default, so code downstream never guesses: a `Spec` is complete.
 * Each layer remembers its JSON path so later stages (shapes, data checks) can report problems
 * at the right place.
 */
import type { JsonPath } from '../problems';

export const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'leaky-relu', 'softmax', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const LOSSES = ['binary-cross-entropy', 'categorical-cross-entropy', 'mse'] as const;
export type Loss = (typeof LOSSES)[number];

export const OPTIMIZERS = ['gd', 'momentum', 'rmsprop', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/**
 * Learning-rate decay as course 2's optimisation notebook writes it, applied after each epoch
 * (epochs 0 and 1 both run at α0): update_lr, α = α0 / (1 + decayRate · epoch), and
 * schedule_lr_decay, α = α0 / (1 + decayRate · ⌊epoch / timeInterval⌋).
 */
export const DECAY_SCHEDULES = ['updateLr', 'scheduleLrDecay'] as const;
export type DecaySchedule = (typeof DECAY_SCHEDULES)[number];

export const INIT_SCHEMES = ['zeros', 'random', 'he', 'xavier'] as const;
export type InitScheme = (typeof INIT_SCHEMES)[number];

export const BUILTIN_DATASETS = ['planar', 'moons', 'circles', 'xor', 'spiral', 'blobs', 'shapes', 'digits'] as const;
export type BuiltinDataset = (typeof BUILTIN_DATASETS)[number];

export interface BuiltinDefaults {
  examples: number;
  noise: number;
  seed: number;
  classes: number;
  /** Whether `classes` can be chosen. */
  classesOption: boolean;
}

/**
 * The defaults of each built-in dataset (src/core/data/builtin.ts documents where each comes
 * from); the shape checker takes m from here when the file does not set `examples`.
 */
export const BUILTIN_DEFAULTS: Record<BuiltinDataset, BuiltinDefaults> = {
  planar: { examples: 400, noise: 0.2, seed: 1, classes: 2, classesOption: false },
  moons: { examples: 300, noise: 0.2, seed: 3, classes: 2, classesOption: false },
  circles: { examples: 300, noise: 0.05, seed: 1, classes: 2, classesOption: false },
  spiral: { examples: 300, noise: 0.2, seed: 0, classes: 3, classesOption: true },
  blobs: { examples: 300, noise: 1.0, seed: 0, classes: 3, classesOption: true },
  xor: { examples: 400, noise: 0.1, seed: 0, classes: 2, classesOption: false },
  // Pictures of circles, squares and triangles at the size of input.shape (src/core/data/shapes.ts).
  shapes: { examples: 300, noise: 0.1, seed: 0, classes: 3, classesOption: false },
  // UCI's 8 × 8 handwritten digits, a fixed set: no noise, no seed (src/core/data/digits.ts).
  digits: { examples: 1797, noise: 0, seed: 0, classes: 10, classesOption: false },
};

/** The file extensions that mean HDF5 in `data.train` (anything else is CSV). */
export const HDF5_EXTENSIONS = ['.h5', '.hdf5'] as const;

/** Whether a data path names an HDF5 file (by its extension, case-insensitive). */
export function isHdf5Path(path: string): boolean {
  const lower = path.toLowerCase();
  return HDF5_EXTENSIONS.some((e) => lower.endsWith(e));
}

/** A dimension: a number, or the symbol "m" for the number of examples. */
export type Dim = number | 'm';
export type Shape = Dim[];

export const SHAPE_NAMES = ['W', 'b', 'Z', 'A', 'dW', 'db', 'dZ', 'dA'] as const;
export type ShapeName = (typeof SHAPE_NAMES)[number];

/** A dense (fully connected) layer, the course's layer: Z = W·A_prev + b, A = g(Z). */
export interface DenseLayerSpec {
  type: 'dense';
  units: number;
  activation: Activation;
  /** Slope of leaky-relu for z <= 0 (default 0.01). */
  alpha: number;
  /** Batch normalisation on Z before the activation (course 2, week 3). */
  batchNorm: boolean;
  /** Shapes the author declared, to be checked against the inferred ones. */
  shapes: Partial<Record<ShapeName, Shape>>;
  /** Where this layer is in the file, e.g. ["layers", 1]. */
  path: JsonPath;
}

/** A size or stride along (height, width): an integer in the file means the same for both. */
export type Pair = [number, number];

/** "valid" (p = 0), "same" (output ⌈n/s⌉, as TensorFlow pads) or an explicit p on every side. */
export type Padding = 'valid' | 'same' | number;
export const PADDINGS = ['valid', 'same'] as const;

export const POOL_MODES = ['max', 'average'] as const;
export type PoolMode = (typeof POOL_MODES)[number];

/**
 * A convolution (course 4): Z[l] = W[l] * A[l-1] + b[l] over n_C[l] filters of f_H × f_W,
 * A[l] = g[l](Z[l]). Volumes are (m, n_H, n_W, n_C).
 */
export interface ConvLayerSpec {
  type: 'conv';
  /** n_C[l], the number of filters. */
  filters: number;
  /** [f_H, f_W]. */
  size: Pair;
  /** [s_H, s_W] (default 1). */
  stride: Pair;
  padding: Padding;
  activation: Activation;
  alpha: number;
  /** Per-channel batch normalisation of Z before the activation. */
  batchNorm: boolean;
  shapes: Partial<Record<ShapeName, Shape>>;
  path: JsonPath;
}

/** Max or average pooling over f_H × f_W windows, channel by channel; no parameters. */
export interface PoolLayerSpec {
  type: 'pool';
  mode: PoolMode;
  size: Pair;
  /** Default: the window size. */
  stride: Pair;
  padding: Padding;
  shapes: Partial<Record<ShapeName, Shape>>;
  path: JsonPath;
}

/** (m, n_H, n_W, n_C) -> (n_H·n_W·n_C, m), row-major per example: the course's reshape(m, -1).T. */
export interface FlattenLayerSpec {
  type: 'flatten';
  shapes: Partial<Record<ShapeName, Shape>>;
  path: JsonPath;
}

/**
 * A residual block: its input is added to the last inner layer's Z before that layer's
 * activation, a[l+2] = g(z[l+2] + a[l]); `shortcut` transforms the input first (the course's
 * "convolutional block").
 */
export interface ResidualLayerSpec {
  type: 'residual';
  layers: (DenseLayerSpec | ConvLayerSpec)[];
  shortcut?: ConvLayerSpec;
  shapes: Partial<Record<ShapeName, Shape>>;
  path: JsonPath;
}

export type LayerSpec = DenseLayerSpec | ConvLayerSpec | PoolLayerSpec | FlattenLayerSpec | ResidualLayerSpec;

export type DataSpec =
  | {
      kind: 'builtin';
      builtin: BuiltinDataset;
      /** Number of examples m (dataset default when absent: planar is 400). */
      examples?: number;
      noise?: number;
      seed?: number;
      /** Number of classes, for spiral and blobs. */
      classes?: number;
      /** Fraction of examples held out as the dev set (seeded), 0 = none. */
      devFraction: number;
      standardize: boolean;
      path: JsonPath;
    }
  | {
      kind: 'csv';
      /** Paths as written in the file, relative to the .dnn.json. */
      train: string;
      dev?: string;
      label: string;
      devFraction: number;
      standardize: boolean;
      path: JsonPath;
    }
  | {
      /** HDF5 files like the course's (train_set_x (m, n_H, n_W, n_C), train_set_y, list_classes). */
      kind: 'hdf5';
      /** Paths as written in the file, relative to the .dnn.json. */
      train: string;
      dev?: string;
      /** The datasets holding X and Y; by default the one whose name ends in `_x` (`_y`). */
      x?: string;
      y?: string;
      /** X is divided by this (the course's / 255); 1 when absent. */
      divideBy: number;
      devFraction: number;
      standardize: boolean;
      path: JsonPath;
    }
  | {
      /** Folders of pictures, one subfolder per class (classes ordered by folder name). */
      kind: 'images';
      /** Folders as written in the file, relative to the .dnn.json. */
      images: string;
      dev?: string;
      /** Pixels (0..255) are divided by this; 255 when absent. */
      divideBy: number;
      devFraction: number;
      standardize: boolean;
      path: JsonPath;
    };

export type InitSpec =
  | { scheme: InitScheme; /** Multiplier for "random" (course: 0.01). */ scale: number }
  | { scheme: 'file'; /** A parameters file, relative to the .dnn.json. */ path: string };

export interface OptimizerSpec {
  name: OptimizerName;
  /** Momentum's beta (course: 0.9). */
  beta: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export interface TrainingSpec {
  iterations: number;
  learningRate: number;
  /** np.random.seed(seed); undefined = do not seed (nondeterministic). */
  seed?: number;
  init: InitSpec;
  optimizer: OptimizerSpec;
  /** null = full batch (the course's default). */
  batchSize: number | null;
  /** Learning-rate decay's rate; 0 = none. */
  decayRate: number;
  /** Which of the course's two decay functions (see DECAY_SCHEDULES). */
  decay: DecaySchedule;
  /** schedule_lr_decay's time_interval, in epochs. */
  timeInterval: number;
  /**
   * random_mini_batches' seed before the first epoch; epoch e shuffles with shuffleSeed + 1 + e
   * (the notebook's `seed = seed + 1` from 10). undefined = `seed`, as before the key existed.
   */
  shuffleSeed?: number;
  l2: number;
  keepProb: number;
  printEvery: number;
  /** Decimals of the printed cost ("%f" is 6), or 'full': the shortest text that reads back the same, as Python prints a float. */
  printPrecision: number | 'full';
}

export interface Spec {
  name?: string;
  /** The input's shape as written: [n0] for vectors, e.g. [64, 64, 3] for images (flattened). */
  inputShape: number[];
  /** n[0]: the product of inputShape. */
  inputUnits: number;
  layers: LayerSpec[];
  loss: Loss;
  data?: DataSpec;
  training: TrainingSpec;
}

export const TRAINING_DEFAULTS: Omit<TrainingSpec, 'seed' | 'shuffleSeed'> = {
  iterations: 1000,
  learningRate: 0.0075,
  init: { scheme: 'random', scale: 0.01 },
  optimizer: { name: 'gd', beta: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  batchSize: null,
  decayRate: 0,
  decay: 'updateLr',
  timeInterval: 1000,
  l2: 0,
  keepProb: 1,
  printEvery: 100,
  printPrecision: 6,
};
