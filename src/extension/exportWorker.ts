/**
 * The export worker (worker_threads), started by the extension host for one DNN: Export…: runs
 * the request through exportJob.ts's `runExport` and ends. Its own small bundle: an export needs
 * neither the training runner nor the WebAssembly kernels.
 */
import { parentPort } from 'node:worker_threads';
import { isExportRequest } from '../protocol';
import { runExport } from './exportJob';

const port = parentPort;
if (!port) throw new Error('exportWorker.js must run as a worker thread');

let started = false;
port.on('message', (msg: unknown) => {
  if (started) return;
  started = true;
  if (!isExportRequest(msg)) {
    port.postMessage({ type: 'exportFailed', reason: 'error', message: 'internal error: the export worker got a malformed request' });
    port.close();
    return;
  }
  void runExport(msg, (m) => port.postMessage(m)).finally(() => port.close());
});
