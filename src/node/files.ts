/**
 * Node-side file access shared by the CLI and the extension host. The core never reads files:
 * it gets text from here.
 */
import { readFile, stat } from 'node:fs/promises';

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
