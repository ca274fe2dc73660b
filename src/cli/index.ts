/** Bundle entry for the CLI: registers every subcommand, then exposes `main`. */
import './commands';
export { main } from './main';
