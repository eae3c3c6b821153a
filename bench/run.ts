// `npm run bench -- <name...>`: runs bench/<name>.ts for each name given (all of them when none is).
// Each benchmark module exports `default (args: string[]) => Promise<void>` and writes its JSON under bench/out/.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3))
  .sort();

const [first, ...rest] = process.argv.slice(2);
const names = first === undefined || first.startsWith('-') ? available : [first];
const args = first === undefined || first.startsWith('-') ? process.argv.slice(2) : rest;

for (const name of names) {
  if (!available.includes(name)) {
    console.error(`bench: no benchmark named '${name}' (have: ${available.join(', ')})`);
    process.exit(2);
  }
}
for (const name of names) {
  const mod = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as {
    default: (args: string[]) => Promise<void>;
  };
  try {
    await mod.default(args);
  } catch (e) {
    // A bad argument (a RangeError naming the benchmark and the argument) is the user's to fix: its message is
    // enough. Anything else is a bug in the benchmark, and its stack says where.
    console.error(e instanceof RangeError ? e.message : e);
    process.exit(e instanceof RangeError ? 2 : 1);
  }
}
