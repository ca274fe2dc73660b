/** The subcommands. Each module exports `run(args, io)`; loaded lazily so `dnn check` stays fast. */
import { registerCommand } from './main';

registerCommand('check', async () => (await import('./check.js')).run);
registerCommand('train', async () => (await import('./train.js')).run);
registerCommand('predict', async () => (await import('./predict.js')).run);
registerCommand('gradcheck', async () => (await import('./gradcheck.js')).run);
registerCommand('export', async () => (await import('./export.js')).run);
void registerCommand;
