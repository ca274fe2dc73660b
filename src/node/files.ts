/**
 * Node-side file access shared by the CLI and the extension host. The core never reads files:
 * it gets text from here.
 */
import { constants } from 'node:fs';
import { access, open, readdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** Bigger files are refused before reading: no network description is anywhere near this. */
export const MAX_TEXT_FILE_BYTES = 64 * 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; message: string };

/** Reasons in words a user understands, by Node error code. */
const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
};

/**
 * Reads a UTF-8 text file and strips a leading byte order mark. Never throws: a missing or
 * unreadable file gives `{ ok: false, message }`. Invalid UTF-8 becomes U+FFFD, so binary
 * garbage still reaches the checker as text and gets positioned messages.
 */
export async function readTextFile(path: string): Promise<ReadResult> {
  const read = await readRegularFile(path, MAX_TEXT_FILE_BYTES);
  if (!read.ok) return read;
  const text = new TextDecoder('utf-8', { ignoreBOM: false }).decode(read.bytes);
  return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

export type ReadBytesResult = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

/**
 * The bytes of a regular file of at most `maxBytes`. Devices, FIFOs and sockets are refused
 * before a byte is read: their size says 0, and reading /dev/zero or a FIFO nobody writes to
 * never ends. The cap holds for the bytes actually read too, in case the file grows meanwhile.
 * The file is opened without blocking, so opening a FIFO cannot hang either.
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<ReadBytesResult> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { ok: false, message: `cannot read: ${reason(e)}` };
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return { ok: false, message: 'cannot read: it is a directory' };
    if (!info.isFile()) return { ok: false, message: `cannot read: it is not a regular file (${kindOf(info)})` };
    if (info.size > maxBytes) return { ok: false, message: `cannot read: the file is ${info.size} bytes, more than the ${maxBytes} allowed` };
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(Math.min(1 << 20, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) return { ok: false, message: `cannot read: the file is more than the ${maxBytes} bytes allowed` };
      chunks.push(bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead));
    }
    return { ok: true, bytes: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) };
  } catch (e) {
    return { ok: false, message: `cannot read: ${reason(e)}` };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return (code && REASONS[code]) ?? (e instanceof Error ? e.message : String(e));
}

function kindOf(info: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (info.isFIFO()) return 'a named pipe';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'a special file';
}

/** Bigger binary files (HDF5, pictures) are refused: a typed array cannot hold more than 2 GiB here anyway. */
export const MAX_BINARY_FILE_BYTES = 2 * 1024 * 1024 * 1024 - 1;

function failure(e: unknown): { ok: false; message: string } {
  return { ok: false, message: `cannot read: ${reason(e)}` };
}

/** Reads a binary file (an HDF5 file, a picture): a regular file, as readTextFile. Never throws. */
export function readBytesFile(path: string): Promise<ReadBytesResult> {
  return readRegularFile(path, MAX_BINARY_FILE_BYTES);
}

export type ListFolderResult = { ok: true; entries: { name: string; folder: boolean }[] } | { ok: false; message: string };

/** The entries of a folder, sorted by name (symbolic links followed). Never throws. */
export async function listFolder(path: string): Promise<ListFolderResult> {
  try {
    const dirents = await readdir(path, { withFileTypes: true });
    const entries = await Promise.all(
      dirents.map(async (d) => {
        let folder = d.isDirectory();
        if (d.isSymbolicLink()) folder = await stat(`${path}/${d.name}`).then((s) => s.isDirectory(), () => false);
        return { name: d.name, folder };
      }),
    );
    return { ok: true, entries: entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
  } catch (e) {
    const r = failure(e);
    return { ok: false, message: r.message.replace('cannot read: no such file', 'cannot read: no such folder') };
  }
}

/**
 * Why a file cannot be written at `path`, or undefined when it can: its folder exists, is a
 * folder and is writable, and the path itself is not a folder. Checked before a run starts, so
 * a typo in an output path costs nothing instead of the whole training. Never throws.
 */
export async function outputPathProblem(path: string): Promise<string | undefined> {
  const folder = dirname(resolve(path));
  try {
    if (!(await stat(folder)).isDirectory()) return `cannot write ${path}: ${folder} is not a folder`;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    return `cannot write ${path}: ${code === 'ENOENT' ? `no such folder ${folder}` : (REASONS[code] ?? String((e as Error).message))}`;
  }
  try {
    await access(folder, constants.W_OK);
  } catch {
    return `cannot write ${path}: the folder ${folder} is not writable`;
  }
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) return `cannot write ${path}: it is a folder`;
  return undefined;
}
