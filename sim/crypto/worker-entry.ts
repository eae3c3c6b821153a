// The file the pool's workers run: worker-task.ts and what it imports, bundled by esbuild into one plain-JS
// module when a process makes its first pool. Through tsx's module hooks instead, each worker started a hooks
// thread of its own and loaded every module through it: a 2-worker pool answered its first task after 1.1-1.2 s,
// against 0.35-0.38 s with the bundle (the benchmark's workload runs in 7-10 s at 2 threads; npm run bench -- sim).
//
// The bundle is made from the sources every time a process first needs it, so it is never stale, and written
// under a name from its own hash: processes that bundle at once (the test runner's) write the same bytes to the
// same name, each through a file of its own renamed into place. Packages stay outside the bundle (sodium-native
// is a native addon), so it is written inside this project's node_modules, where they resolve.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';
import { build } from 'esbuild';

export interface WorkerEntry {
  /** The module for piscina's `filename`. */
  readonly filename: string;
  /**
   * Node flags for the workers (workerFlags): the bundle needs no module hooks, so tsx's are left out. Absent,
   * the workers inherit the parent's.
   */
  readonly execArgv?: string[];
}

const SOURCE = fileURLToPath(new URL('./worker-task.ts', import.meta.url));
const CACHE = fileURLToPath(new URL('../../node_modules/.cache/ecashsim/', import.meta.url));
/** Through tsx, for when the bundle cannot be written (a read-only install): slower to start, the same jobs. */
const VIA_TSX: WorkerEntry = { filename: new URL('./worker.mjs', import.meta.url).href };

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
    return { filename: pathToFileURL(await writeBundle(cacheDir)).href, execArgv: workerFlags(process.execArgv) };
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

/**
 * The parent's Node flags a bundle worker is given: only per-thread options that change what a worker reports
 * (profiles, source maps, export conditions). Not the module hooks (tsx's --import and --require), which the
 * bundle does not need; not V8's flags, which apply to every thread of the process already; and not
 * per-process options, which a worker given its own flags refuses to start with (`--trace-gc` did).
 */
export function workerFlags(argv: readonly string[]): string[] {
  const withValue = ['--cpu-prof-dir', '--cpu-prof-interval', '--cpu-prof-name', '--heap-prof-dir', '--heap-prof-interval', '--heap-prof-name', '--conditions', '-C'];
  const alone = ['--cpu-prof', '--heap-prof', '--enable-source-maps'];
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const name = a.split('=')[0]!;
    if (alone.includes(a) || (withValue.includes(name) && a.includes('='))) out.push(a);
    else if (withValue.includes(a) && i + 1 < argv.length) out.push(a, argv[++i]!);
  }
  return out;
}
