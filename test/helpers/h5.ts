/**
 * The small HDF5 files the tests read are not committed: test/fixtures/data/gen_h5.py (seeded,
 * numpy and h5py) writes them on first use into test/fixtures/data/h5/ (git ignores it); h5.json,
 * what numpy reads from them, is committed. Without h5py the tests that need them are skipped and
 * say what to install (CI installs python3-h5py).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const H5_DIR = join(__dirname, '..', 'fixtures', 'data', 'h5');
const GENERATOR = join(__dirname, '..', 'fixtures', 'data', 'gen_h5.py');

/** The file `name` of the generated set, made on first use; or the reason it cannot be. */
export function h5File(name: string): string {
  const skip = h5Unavailable();
  if (skip) throw new Error(skip);
  return join(H5_DIR, name);
}

let checked: string | false | undefined;

/** Undefined when the files are there (generating them if needed), else why they are not. */
export function h5Unavailable(): string | undefined {
  if (checked === undefined) checked = generate() ?? false;
  return checked === false ? undefined : checked;
}

function generate(): string | undefined {
  if (existsSync(join(H5_DIR, 'pictures_train.h5'))) return undefined;
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  // Into a folder of its own, then renamed into place: test files run in parallel processes.
  const tmp = mkdtempSync(`${H5_DIR}.tmp-`);
  const r = spawnSync(python, [GENERATOR, tmp], { encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    return `the HDF5 test files need Python with numpy and h5py (apt-get install python3-h5py): ${(r.stderr || r.error?.message || '').trim()}`;
  }
  try {
    renameSync(tmp, H5_DIR);
  } catch {
    // Another process put them there first.
    rmSync(tmp, { recursive: true, force: true });
  }
  return undefined;
}
