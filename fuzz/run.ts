// `npm run fuzz -- [--count N] [--seconds S] [--seed X] [--jobs J] [--only target,...] [--from I] [--out path]`
//
// Mutates every message a payee, a bank, the issuer and the RA receive (fuzz/mutate.ts), feeds each mutant to
// its receiver and applies the oracle (fuzz/targets.ts). Defaults: 100,000 mutants per target, each target also
// bounded by --seconds of wall time (the table says when that cut it short), seed 'ecashsim-fuzz', one worker
// thread per core up to 2. Prints a table and the refusals by reason, writes JSON to bench/out/fuzz.json, and
// exits 1 if any mutant failed the oracle, printing its seed, target, index and bytes; rerun one mutant with
// `--only <target> --from <index> --count 1 --seed <seed>`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describeMachine, recordMachine } from '../bench/lib/machine.ts';
import { formatTable } from '../bench/lib/table.ts';
import { prepare, runTarget, type FuzzOptions, type TargetStats } from './harness.ts';

const here = dirname(fileURLToPath(import.meta.url));

interface Args {
  count: number;
  seconds: number;
  seed: string;
  jobs: number;
  only: string[];
  from: number;
  out: string;
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = {
    count: 100_000,
    seconds: 300,
    seed: 'ecashsim-fuzz',
    jobs: Math.max(1, Math.min(2, availableParallelism())),
    only: [],
    from: 0,
    out: join(here, '..', 'bench', 'out', 'fuzz.json'),
  };
  const positive = (flag: string, v: string | undefined, integer: boolean): number => {
    const n = Number(v);
    if (v === undefined || !(n > 0) || (integer && !Number.isInteger(n))) usage(`${flag} needs a positive ${integer ? 'integer' : 'number'}, got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    switch (flag) {
      case '--count':
        a.count = positive(flag, value, true);
        break;
      case '--seconds':
        a.seconds = positive(flag, value, false);
        break;
      case '--seed':
        if (value === undefined) usage('--seed needs a value');
        a.seed = value;
        break;
      case '--jobs':
        a.jobs = positive(flag, value, true);
        break;
      case '--only':
        if (value === undefined) usage('--only needs target names');
        a.only = value.split(',');
        break;
      case '--from':
        if (value === undefined || !Number.isInteger(Number(value)) || Number(value) < 0) usage('--from needs an index >= 0');
        a.from = Number(value);
        break;
      case '--out':
        if (value === undefined) usage('--out needs a path');
        a.out = value;
        break;
      case '--help':
      case '-h':
        usage();
        break;
      default:
        usage(`unknown argument ${flag}`);
    }
    i++;
  }
  return a;
}

function usage(problem?: string): never {
  if (problem !== undefined) console.error(`fuzz: ${problem}`);
  console.error('usage: npm run fuzz -- [--count N] [--seconds S] [--seed X] [--jobs J] [--only target,...] [--from I] [--out path]');
  process.exit(2);
}

// A worker does not inherit the TypeScript loader of the process tsx started, so it registers tsx first.
const BOOT = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(
  pathToFileURL(join(here, 'worker.ts')).href,
)}); });`;

/** Runs `names` on `jobs` worker threads, a target at a time per worker, in the order given. */
async function inWorkers(names: readonly string[], jobs: number, o: Omit<FuzzOptions, 'progress' | 'only' | 'clock'>): Promise<TargetStats[]> {
  const queue = [...names];
  const results = new Map<string, TargetStats>();
  const workers = Array.from({ length: Math.min(jobs, names.length) }, () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(BOOT, { eval: true, workerData: o });
      const next = (): void => {
        const name = queue.shift();
        worker.postMessage(name ?? null);
        if (name === undefined) resolve();
      };
      worker.on('message', (m: { ready?: true; stats?: TargetStats; progress?: { target: string; done: number } }) => {
        if (m.progress !== undefined) {
          if (m.progress.done % 20_000 === 0) console.error(`  ${m.progress.target}: ${m.progress.done.toLocaleString('en-US')}`);
          return;
        }
        if (m.stats !== undefined) {
          results.set(m.stats.target, m.stats);
          console.error(`  ${m.stats.target}: done, ${m.stats.mutants.toLocaleString('en-US')} mutants in ${m.stats.seconds.toFixed(1)} s`);
        }
        next();
      });
      worker.on('error', reject);
      worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`fuzz worker exited with ${code}`))));
    }),
  );
  await Promise.all(workers);
  return names.map((n) => {
    const s = results.get(n);
    if (s === undefined) throw new Error(`fuzz: no result for ${n}`);
    return s;
  });
}

const args = parseArgs(process.argv.slice(2));
const machine = recordMachine();
const started = performance.now();
const options = { count: args.count, seconds: args.seconds, seed: args.seed, from: args.from };
const clock = (): number => performance.now();
console.error(`fuzz: seed '${args.seed}', ${args.count.toLocaleString('en-US')} mutants per target, at most ${args.seconds} s each, ${args.jobs} job(s)`);

// The main thread builds the corpus too: for target names, and to run in-process when one job is asked for.
const fuzz = prepare();
const names = fuzz.targets.map((t) => t.name).filter((n) => args.only.length === 0 || args.only.includes(n));
const unknown = args.only.filter((n) => !fuzz.targets.some((t) => t.name === n));
if (unknown.length > 0) usage(`unknown target(s) ${unknown.join(', ')}; have ${fuzz.targets.map((t) => t.name).join(', ')}`);
let stats: TargetStats[];
if (args.jobs === 1) {
  stats = names.map((n) => {
    const s = runTarget(fuzz, fuzz.targets.find((t) => t.name === n)!, { ...options, clock });
    console.error(`  ${n}: done, ${s.mutants.toLocaleString('en-US')} mutants in ${s.seconds.toFixed(1)} s`);
    return s;
  });
} else {
  // The slowest target first, so the others share the remaining workers meanwhile; the table keeps target order.
  const slowestFirst = [...names].sort((a, b) => Number(b === 'issuer/ReturnBatch') - Number(a === 'issuer/ReturnBatch'));
  const byName = new Map((await inWorkers(slowestFirst, args.jobs, options)).map((s) => [s.target, s]));
  stats = names.map((n) => byName.get(n)!);
}
fuzz.corpus.world.close();

const n = (x: number): string => x.toLocaleString('en-US');
const pct = (x: number, of: number): string => (of === 0 ? '-' : `${((100 * x) / of).toFixed(1)}%`);
console.log(`\nFuzz: seed '${args.seed}', ${describeMachine(machine)}\n`);
console.log(
  formatTable(
    [
      { header: 'receiver / message' },
      { header: 'seeds', align: 'right' },
      { header: 'mutants', align: 'right' },
      { header: 'rejected', align: 'right' },
      { header: 'by DecodeError', align: 'right' },
      { header: 'by ProtocolError', align: 'right' },
      { header: 'issuer: duplicate', align: 'right' },
      { header: 'accepted as valid', align: 'right' },
      { header: 'failures', align: 'right' },
      { header: 'time', align: 'right' },
    ],
    stats.map((s) => {
      const by = (prefix: string): number => Object.entries(s.rejectedBy).reduce((sum, [k, v]) => sum + (k.startsWith(prefix) ? v : 0), 0);
      const decode = by('DecodeError ');
      const protocol = by('ProtocolError ');
      return [
        s.target,
        n(s.seeds),
        n(s.mutants),
        `${n(s.rejected)} (${pct(s.rejected, s.mutants)})`,
        n(decode),
        n(protocol),
        n(s.rejected - decode - protocol),
        n(s.valid),
        n(s.failures),
        `${s.seconds.toFixed(1)} s${s.cutShort ? ' *' : ''}`,
      ];
    }),
  ),
);
if (stats.some((s) => s.cutShort)) console.log(`* cut short by the ${args.seconds} s bound before ${n(args.count)} mutants`);
console.log('\nRefusals by reason (DecodeError reasons, ProtocolError codes; "status duplicate": the issuer credited nothing):\n');
const reasons = [...new Set(stats.flatMap((s) => Object.keys(s.rejectedBy)))].sort();
console.log(
  formatTable(
    [{ header: 'reason' }, ...stats.map((s) => ({ header: s.target, align: 'right' as const }))],
    reasons.map((r) => [r, ...stats.map((s) => (s.rejectedBy[r] === undefined ? '' : n(s.rejectedBy[r])))]),
  ),
);
console.log('\nAccepted as valid, by kind (each checked genuine by the oracle):\n');
const kinds = [...new Set(stats.flatMap((s) => Object.keys(s.validBy)))].sort();
console.log(
  formatTable(
    [{ header: 'kind' }, ...stats.map((s) => ({ header: s.target, align: 'right' as const }))],
    kinds.map((k) => [k, ...stats.map((s) => (s.validBy[k] === undefined ? '' : n(s.validBy[k])))]),
  ),
);
const batch = stats.find((s) => s.target === 'issuer/ReturnBatch');
if (batch !== undefined && batch.rejectedBesideCredits > 0) {
  console.log(`\nissuer/ReturnBatch: ${n(batch.rejectedBesideCredits)} of the rejected batches also held genuine records, which were credited once each (and checked).`);
}

const failures = stats.flatMap((s) => s.failureSamples);
const total = stats.reduce((sum, s) => sum + s.failures, 0);
mkdirSync(dirname(args.out), { recursive: true });
writeFileSync(
  args.out,
  `${JSON.stringify({ machine, seed: args.seed, count: args.count, seconds: args.seconds, jobs: args.jobs, wallSeconds: (performance.now() - started) / 1000, targets: stats, failures: total }, null, 2)}\n`,
);
console.log(`\nJSON: ${args.out}`);
if (total > 0) {
  console.log(`\nFAILED: ${n(total)} mutant(s) broke the oracle (up to 20 per target shown):`);
  for (const f of failures) {
    console.log(`\n  ${f.target} #${f.index} (${f.family}: ${f.ops.join(', ')})\n  ${f.reason}`);
    console.log(`  rerun: npm run fuzz -- --seed '${f.seed}' --only ${f.target} --from ${f.index} --count 1 --jobs 1`);
    console.log(`  bytes: ${f.hex}`);
  }
  process.exit(1);
}
console.log(`\nNo failures: every mutant was refused with DecodeError or ProtocolError without changing state, or accepted as genuine.`);
