/**
 * "DNN: New Network from Template": starting points that follow the course's notebooks. Plain
 * strings (no 'vscode'), so they are easy to read and to check with the core.
 */
export interface Template {
  id: string;
  label: string;
  detail: string;
  text: string;
}

export const TEMPLATES: Template[] = [
  {
    id: 'planar',
    label: 'Planar (one hidden layer)',
    detail: 'Course 1, week 3: 2 → 4 tanh → 1 sigmoid on the planar "flower" data',
    text: `{
  // Course 1, week 3: planar data classification with one hidden layer.
  "name": "planar",
  "input": 2,
  "layers": [
    { "units": 4, "activation": "tanh" },
    { "units": 1, "activation": "sigmoid" }
  ],
  "loss": "binary-cross-entropy",
  "data": { "builtin": "planar" },
  "training": {
    "iterations": 10000,
    "learningRate": 1.2,
    "seed": 2,
    "init": { "scheme": "random", "scale": 0.01 },
    "printEvery": 1000
  }
}
`,
  },
  {
    id: 'deep',
    label: 'Deep (L layers)',
    detail: 'Course 1, week 4: 2 → 20 → 7 → 5 relu → 1 sigmoid, He initialisation',
    text: `{
  // Course 1, week 4: a deep network, relu hidden layers and a sigmoid output.
  "name": "deep",
  "input": 2,
  "layers": [
    { "units": 20, "activation": "relu" },
    { "units": 7, "activation": "relu" },
    { "units": 5, "activation": "relu" },
    { "units": 1, "activation": "sigmoid" }
  ],
  "loss": "binary-cross-entropy",
  "data": { "builtin": "moons" },
  "training": {
    "iterations": 2500,
    "learningRate": 0.0075,
    "seed": 1,
    "init": { "scheme": "he" },
    "printEvery": 100
  }
}
`,
  },
  {
    id: 'softmax',
    label: 'Softmax (multi-class)',
    detail: 'Course 2, week 3: 2 → 25 → 12 relu → 3 softmax, categorical cross-entropy, Adam',
    text: `{
  // Course 2, week 3: multi-class classification with a softmax output layer.
  "name": "softmax",
  "input": 2,
  "layers": [
    { "units": 25, "activation": "relu" },
    { "units": 12, "activation": "relu" },
    { "units": 3, "activation": "softmax" }
  ],
  "loss": "categorical-cross-entropy",
  "data": { "builtin": "spiral", "classes": 3 },
  "training": {
    "iterations": 1000,
    "learningRate": 0.001,
    "seed": 3,
    "init": { "scheme": "xavier" },
    "optimizer": "adam",
    "batchSize": 64,
    "printEvery": 100
  }
}
`,
  },
  {
    id: 'regularised',
    label: 'Regularised (L2 and dropout)',
    detail: 'Course 2, week 1: 2 → 20 → 3 relu → 1 sigmoid with L2 regularisation λ = 0.7',
    text: `{
  // Course 2, week 1: regularisation. Set l2 to 0 to see the overfitting it prevents; for
  // dropout instead, set l2 to 0 and keepProb to 0.86 (the course uses one or the other).
  "name": "regularised",
  "input": 2,
  "layers": [
    { "units": 20, "activation": "relu" },
    { "units": 3, "activation": "relu" },
    { "units": 1, "activation": "sigmoid" }
  ],
  "loss": "binary-cross-entropy",
  "data": { "builtin": "moons", "noise": 0.3 },
  "training": {
    "iterations": 30000,
    "learningRate": 0.3,
    "seed": 3,
    "init": { "scheme": "xavier" },
    "l2": 0.7,
    "keepProb": 1,
    "printEvery": 10000
  }
}
`,
  },
];
