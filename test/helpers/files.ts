/** The files of a folder tree, for tests that read the repository's own sources and tests. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under `dir` whose name matches `name`, skipping folders named in `skip`. */
export function filesUnder(dir: string, name: RegExp, skip: readonly string[] = ['node_modules']): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) {
      if (!skip.includes(entry)) out.push(...filesUnder(p, name, skip));
    } else if (name.test(entry)) out.push(p);
  }
  return out;
}
