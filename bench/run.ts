/**
 * `npm run bench`: runs every bench/*.bench.ts in turn. Each prints its own table, with ratios
 * against a reference measured in the same run (never absolute thresholds).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort();
  for (const f of files) {
    console.log(`\n== ${f}`);
    const mod = (await import(join(__dirname, f))) as { run?: () => Promise<void> };
    if (mod.run) await mod.run();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
