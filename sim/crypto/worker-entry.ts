// The file the pool's workers run: worker-task.ts and what it imports, bundled by esbuild into one plain-JS
// module when the first pool is made. Through tsx's module hooks instead, each worker started its own hooks thread
// and loaded every module through it: about 1.1 s before a 2-worker pool answered its first task, against
// 0.26 s for the bundle (a run of the benchmark's workload takes about 10 s; npm run bench -- sim).
//
// The bundle is made from the sources every time a process first needs it, so it is never stale,
// and written under a name from its own hash: processes that bundle at once (the test runner's) write the same
// bytes to the same name, each through a file of its own renamed into place. Packages stay outside the bundle
// (sodium-native is a native addon), so it is written inside this project's node_modules, where they resolve.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';
import { build } from 'esbuild';

export interface WorkerEntry {
  /** The module for piscina's `filename`. */
  readonly filename: string;
  /** Node flags for the workers: the bundle needs no module hooks, so the parent's (tsx's) are left out. */
  readonly execArgv: string[];
}

const SOURCE = fileURLToPath(new URL('./worker-task.ts', import.meta.url));
const CACHE = fileURLToPath(new URL('../../node_modules/.cache/ecashsim/', import.meta.url));
/** Through tsx, for when the bundle cannot be written (a read-only install): slower to start, the same jobs. */
const VIA_TSX: WorkerEntry = { filename: new URL('./worker.mjs', import.meta.url).href, execArgv: process.execArgv };

let made: Promise<WorkerEntry> | undefined;

/**
 * The workers' entry for this process: the bundle, made once (or the tsx entry if it cannot be written). Made
 * asynchronously (esbuild's service, about 150 ms), while the main thread builds the model.
 */
export function workerEntry(cacheDir = CACHE): Promise<WorkerEntry> {
  if (cacheDir !== CACHE) return makeEntry(cacheDir);
  made ??= makeEntry(CACHE);
  return made;
}

async function makeEntry(cacheDir: string): Promise<WorkerEntry> {
  try {
    return { filename: pathToFileURL(await writeBundle(cacheDir)).href, execArgv: withoutModuleHooks(process.execArgv) };
  } catch {
    return VIA_TSX;
  }
}

async function writeBundle(dir: string): Promise<string> {
  const out = await build({ entryPoints: [SOURCE], bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', write: false, logLevel: 'silent' });
  const code = out.outputFiles[0]!.contents;
  const path = join(dir, `worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${path}.${process.pid}-${threadId}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, path);
  }
  return path;
}

/** Node flags without the ones that load module hooks (--import, --require, --loader, each with its value). */
export function withoutModuleHooks(argv: readonly string[]): string[] {
  const hooks = ['--import', '--require', '-r', '--loader', '--experimental-loader'];
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (hooks.includes(a)) i++;
    else if (!hooks.some((h) => a.startsWith(`${h}=`))) out.push(a);
  }
  return out;
}
