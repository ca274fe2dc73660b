/**
 * Node-side file access shared by the CLI and the extension host. The core never reads files:
 * it gets text from here.
 */
import { readdir, readFile, stat } from 'node:fs/promises';

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
  try {
    const info = await stat(path);
    if (info.isDirectory()) return { ok: false, message: 'cannot read: it is a directory' };
    if (info.size > MAX_TEXT_FILE_BYTES) {
      return { ok: false, message: `cannot read: the file is ${info.size} bytes, more than the ${MAX_TEXT_FILE_BYTES} allowed` };
    }
    const text = new TextDecoder('utf-8', { ignoreBOM: false }).decode(await readFile(path));
    return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    const reason = (code && REASONS[code]) ?? (e instanceof Error ? e.message : String(e));
    return { ok: false, message: `cannot read: ${reason}` };
  }
}

/** Bigger binary files (HDF5, pictures) are refused: a typed array cannot hold more than 2 GiB here anyway. */
export const MAX_BINARY_FILE_BYTES = 2 * 1024 * 1024 * 1024 - 1;

export type ReadBytesResult = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

function failure(e: unknown): { ok: false; message: string } {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const reason = (code && REASONS[code]) ?? (e instanceof Error ? e.message : String(e));
  return { ok: false, message: `cannot read: ${reason}` };
}

/** Reads a binary file (an HDF5 file, a picture). Never throws, like readTextFile. */
export async function readBytesFile(path: string): Promise<ReadBytesResult> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return { ok: false, message: 'cannot read: it is a directory' };
    if (info.size > MAX_BINARY_FILE_BYTES) return { ok: false, message: `cannot read: the file is ${info.size} bytes, more than the ${MAX_BINARY_FILE_BYTES} allowed` };
    const b = await readFile(path);
    return { ok: true, bytes: new Uint8Array(b.buffer, b.byteOffset, b.byteLength) };
  } catch (e) {
    return failure(e);
  }
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
