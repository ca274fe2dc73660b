/**
 * Reading and writing parameters files on disk for the CLI and the extension. Writes are atomic:
 * the text goes to a temporary file in the same directory, then a rename replaces the target, so
 * an interrupted save (Ctrl-C, a crash, a full disk) never leaves a half-written file behind.
 */
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Network } from '../core/engine/network';
import { parseParameters, serializeParameters, type ParamsFile, type ParamsMeta } from '../core/engine/params';
import type { Parameters } from '../core/engine/types';
import { readTextFile } from './files';

/** Reasons in words a user understands, by Node error code. */
const REASONS: Record<string, string> = {
  ENOENT: 'the folder does not exist',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOSPC: 'the disk is full',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is not a directory',
};

/**
 * Writes `text` to `path` atomically (same-directory temporary file, fsync, rename). Throws an
 * Error whose message names `path` and the reason in words ("cannot write out/p.json: the folder
 * does not exist").
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  try {
    await writeThroughTemporary(path, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    const reason = (code && REASONS[code]) ?? (e instanceof Error ? e.message : String(e));
    throw new Error(`cannot write ${path}: ${reason}`, { cause: e });
  }
}

async function writeThroughTemporary(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (e) {
    await handle.close();
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

export async function saveParameters(path: string, parameters: Parameters, meta?: ParamsMeta): Promise<void> {
  await writeFileAtomic(path, serializeParameters(parameters, meta));
}

export type LoadParamsResult = { ok: true; file: ParamsFile } | { ok: false; problems: string[] };

/** Reads and validates a parameters file against the network; problems name the wrong key. */
export async function loadParameters(path: string, net: Network): Promise<LoadParamsResult> {
  const read = await readTextFile(path);
  if (!read.ok) return { ok: false, problems: [read.message] };
  return parseParameters(read.text, net);
}
