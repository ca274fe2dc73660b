/**
 * What a restored training panel may be bound to. The page's saved state comes back from the
 * webview, which is not trusted: a panel is rebound only to a `.dnn.json` file (the serializer then
 * also requires it to exist inside a workspace folder), never to another scheme or kind of file
 * its buttons could write to. Plain strings, so Node tests run it.
 */

/** The saved state's `file` as a file URI string fit to rebind a panel to, or why it is not. */
export function restorableFile(saved: unknown): { ok: true; file: string } | { ok: false; reason: string } {
  const file = saved !== null && typeof saved === 'object' && !Array.isArray(saved) ? (saved as { file?: unknown }).file : undefined;
  if (typeof file !== 'string') return { ok: false, reason: 'the saved state names no file' };
  let url: URL;
  try {
    url = new URL(file);
  } catch {
    return { ok: false, reason: `the saved file is not a URI: ${JSON.stringify(file.slice(0, 200))}` };
  }
  if (url.protocol !== 'file:') return { ok: false, reason: `the saved file is not a file on disk (${url.protocol})` };
  if (url.search || url.hash || url.username || url.password) return { ok: false, reason: 'the saved file URI carries a query, a fragment or credentials' };
  if (!/\.dnn\.json$/i.test(decodeURIComponent(url.pathname))) return { ok: false, reason: 'the saved file is not a .dnn.json file' };
  return { ok: true, file };
}
