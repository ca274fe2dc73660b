/**
 * Reading and writing parameters files on disk for the CLI and the extension. Writes are atomic:
 * the text goes to a temporary file in the same directory, then a rename replaces the target, so
 * an interrupted save (Ctrl-C, a crash, a full disk) never leaves a half-written file behind.
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, stat, unlink } from 'node:fs/promises';
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
 * Writes `text` (or bytes) to `path` atomically (same-directory temporary file, fsync, rename). Throws an
 * Error whose message names `path` and the reason in words ("cannot write out/p.json: the folder
 * does not exist").
 */
export async function writeFileAtomic(path: string, text: string | Uint8Array): Promise<void> {
  try {
    await writeThroughTemporary(path, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    const reason = (code && REASONS[code]) ?? (e instanceof Error ? e.message : String(e));
    throw new Error(`cannot write ${path}: ${reason}`, { cause: e });
  }
}

/** `.<name>.<random>.tmp`: the temporary files of saves to `name`, this one's or a killed one's. */
function temporaryName(base: string): string {
  return `.${base}.${randomBytes(6).toString('hex')}.tmp`;
}

function isTemporaryOf(entry: string, base: string): boolean {
  return entry.startsWith(`.${base}.`) && entry.endsWith('.tmp') && /^[0-9a-f]{12}$/.test(entry.slice(base.length + 2, -4));
}

/** A killed save leaves its temporary file behind; the next save to the same file removes those older than this. */
const STALE_MS = 60 * 60 * 1000;

async function writeThroughTemporary(path: string, text: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const base = basename(path);
  const tmp = join(dir, temporaryName(base));
  // Exclusive creation: never through a link someone planted, never over an existing file.
  const handle = await open(tmp, 'wx', 0o644);
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
  await syncFolder(dir);
  await removeStaleTemporaries(dir, base);
}

/** The rename is durable only once the folder's entry is on disk too. */
async function syncFolder(dir: string): Promise<void> {
  // Folders cannot be opened for fsync on every platform (Windows); the rename stands there anyway.
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}

async function removeStaleTemporaries(dir: string, base: string): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  const now = Date.now();
  for (const entry of entries) {
    if (!isTemporaryOf(entry, base)) continue;
    const file = join(dir, entry);
    const info = await stat(file).catch(() => undefined);
    if (info?.isFile() && now - info.mtimeMs > STALE_MS) await unlink(file).catch(() => undefined);
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
