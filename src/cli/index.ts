/** Bundle entry for the CLI: registers every subcommand, then exposes `main`. */
import { enableRelaxedSimd } from '../node/parallel';
import './commands';
export { main } from './main';

// Before any WebAssembly is compiled (the subcommands load and make their kernels later): lets
// `dnn train` use the fused multiply-add kernels on Node 20 too (see enableRelaxedSimd).
enableRelaxedSimd();
