/**
 * The training engine's public surface, for the CLI, the editor's worker and tests. Reading order
 * for a student: ../kernels/activations.ts and costs.ts (each g and J with its derivative), init.ts,
 * model.ts (forward and backward, function for function as the course), optimizers.ts, then
 * train.ts (the loop), predict.ts and gradcheck.ts.
 */
export type { Parameters, TrainOptions, TrainOverrides, TrainProgress, TrainResult } from './types';
export type { Matrix } from '../matrix';
export { fromRows, toRows, zeros } from '../matrix';
export { EngineError, networkOf, parameterKeys, parameterShape, stateKeys, type EngineLayer, type Network } from './network';
export { train, checkData } from './train';
export { predict, type Prediction } from './predict';
export { gradientCheck, type GradCheckEntry, type GradCheckOptions, type GradCheckResult } from './gradcheck';
export { parseParameters, serializeParameters, validateParameters, copyParameters, type ParamsFile, type ParamsMeta } from './params';
export { initializeParametersDeep, initializeBatchNorm } from './init';
export { accuracy } from './evaluate';
