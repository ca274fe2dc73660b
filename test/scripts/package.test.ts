/**
 * What the .vsix holds: `vsce package`, as `npm run package` runs it after its production build,
 * packs the current build here, and the test reads the files of the archive. Exactly the files
 * the extension loads or shows: nothing unused ships (the `dnn` command line's bundle, source
 * maps, a parameters file left beside an example) and nothing it needs is left out (the icon, the
 * walkthrough's pictures). Packaging also checks the README (its images must have sources vsce
 * can rewrite). Needs a build (`npm run build`) for dist/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

interface Manifest {
  main: string;
  icon?: string;
  contributes: { walkthroughs?: { steps: { media: { svg?: string; image?: string } }[] }[]; jsonValidation?: { url: string }[] };
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;

/** The names in a zip archive, from its central directory (APPNOTE 4.3.12, 4.3.16). */
function zipNames(zip: Buffer): string[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'a zip archive');
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < entries; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'a central directory entry');
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extra + comment;
  }
  return names;
}

/** The files of the extension in the .vsix `vsce` makes, as paths relative to the repository, and its size. */
function packaged(): { files: string[]; bytes: number } {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-vsix-'));
  try {
    const vsix = join(dir, 'dnn-designer.vsix');
    const vsce = join(ROOT, 'node_modules', '.bin', 'vsce');
    execFileSync(vsce, ['package', '--no-dependencies', '--out', vsix], { cwd: ROOT, encoding: 'utf8', timeout: 180000, stdio: 'pipe' });
    const zip = readFileSync(vsix);
    const files = zipNames(zip).filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));
    return { files: files.sort(), bytes: zip.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the extension needs at run time, from the manifest and the repository's own lists. */
function expected(): string[] {
  const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.dnn.json')).map((f) => `examples/${f}`);
  const pictures = (manifest.contributes.walkthroughs ?? []).flatMap((w) => w.steps.map((s) => s.media.svg ?? s.media.image ?? ''));
  return [
    // vsce stores these three under the names the Marketplace looks for.
    'package.json', 'readme.md', 'changelog.md', 'LICENSE.txt', 'language-configuration.json',
    'schemas/dnn.schema.json',
    // The extension host's entry, the training and export workers it starts, the training page, and the
    // schema VS Code's JSON server reads (package.json's jsonValidation).
    manifest.main.replace(/^\.\//, ''), 'dist/worker.js', 'dist/exportWorker.js', 'dist/webview/main.js', 'dist/webview/main.css',
    ...(manifest.contributes.jsonValidation ?? []).map((v) => v.url.replace(/^\.\//, '')),
    ...(manifest.icon ? [manifest.icon] : []),
    ...pictures,
    ...examples,
  ].sort();
}

test('the .vsix holds the extension, its icon, walkthrough pictures and examples, and nothing else', { skip: !existsSync(join(ROOT, 'dist', 'extension.js')) && 'run npm run build first' }, () => {
  const { files, bytes } = packaged();
  const want = expected();
  console.log(`the .vsix of this build: ${files.length} files, ${Math.round(bytes / 1024)} KB`);
  const unexpected = files.filter((f) => !want.includes(f));
  const missing = want.filter((f) => !files.includes(f));
  assert.deepEqual({ unexpected, missing }, { unexpected: [], missing: [] });
});

test('the manifest names a 128×128 PNG icon and walkthrough pictures that exist', () => {
  assert.equal(manifest.icon, 'media/icon.png');
  const png = readFileSync(join(ROOT, manifest.icon));
  // A PNG's signature, then the IHDR chunk: width and height as big-endian 32-bit integers.
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  const steps = (manifest.contributes.walkthroughs ?? []).flatMap((w) => w.steps);
  assert.ok(steps.length >= 5, 'a walkthrough with its steps');
  for (const s of steps) {
    const media = s.media.svg ?? s.media.image;
    assert.ok(media && existsSync(join(ROOT, media)), `${media} exists`);
  }
});
