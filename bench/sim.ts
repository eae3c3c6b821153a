// `npm run bench -- sim [--quick] [--batch] [--markdown]`: the whole simulator on a fixed workload (bench/sim.yaml),
// against the machine's signature throughput measured in the same process.
//
// - The workload runs with --threads 1 (signature work on the main thread) and --threads 2 (two piscina workers),
//   and the two results.json must be identical apart from wall time.
// - The bound: every scheme operation the run made (counted by kind, e.g. `ed25519@native verify`), each timed
//   here in a tight loop on one core with one key in steady use (the crypto table's conditions, so the bound is
//   generous: a run verifies under thousands of keys). Raw seconds = sum of count x time; on N threads the bound's
//   wall time is raw seconds / min(N, cores). Efficiency = bound wall / actual wall, which is also the achieved
//   signature rate over the raw rate.
// - The same workload with `signatures: fixed-cost` (hash stand-ins; marked so in its results): events/s when only
//   the database's shape matters.
// - The ceiling: the main thread's own work (the fixed-cost run's wall time: events, protocol bookkeeping, SQLite)
//   shares the same cores, so no thread count can beat (raw + fixed) / min(N, cores) seconds. The best
//   efficiency is then raw / (raw + fixed), and the best 2-over-1 speedup is the 1-thread wall over that time.
// - --batch: the 2-thread run at several batch sizes, to show which wins.
// Writes bench/out/sim.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getBlindScheme } from '../protocol/crypto/blind/index.ts';
import { getSignatureScheme } from '../protocol/crypto/index.ts';
import type { BlindSignatureScheme, SignatureScheme } from '../protocol/crypto/scheme.ts';
import type { ModelConfig } from '../sim/model/config.ts';
import { toJson } from '../sim/output.ts';
import { loadScenario } from '../sim/scenario/load.ts';
import { toModelConfig } from '../sim/scenario/model-config.ts';
import { streams } from '../sim/engine/index.ts';
import { Model } from '../sim/model/model.ts';
import { DEFAULT_BATCH_SIZE, simulate } from '../sim/simulate.ts';
import { describeMachine, recordMachine } from './lib/machine.ts';
import { formatTable } from './lib/table.ts';

const here = dirname(fileURLToPath(import.meta.url));

interface RunFigures {
  readonly label: string;
  readonly threads: number;
  readonly batchSize: number;
  readonly signatures: 'real' | 'fixed-cost';
  readonly wallSeconds: number;
  readonly events: number;
  readonly payments: number;
  readonly operations: number;
  readonly byOperation: Record<string, number>;
  readonly results: string;
}

async function runOnce(cfg: ModelConfig, label: string, threads: number, batchSize = DEFAULT_BATCH_SIZE): Promise<RunFigures> {
  const sim = await simulate(cfg, { threads, batchSize });
  sim.model.parties.close();
  const r = sim.results;
  const ops = r.signatureOperations.byOperation;
  return {
    label,
    threads,
    batchSize,
    signatures: cfg.signatures,
    wallSeconds: r.performance.wallSeconds,
    events: sim.model.sim.processed,
    payments: r.counts.payments,
    operations: Object.values(ops).reduce((s, n) => s + n, 0),
    byOperation: ops,
    results: toJson({ ...r, performance: null }),
  };
}

// --- Raw per-operation times --------------------------------------------------------------------------------
const MESSAGE = new Uint8Array(128).map((_, i) => (i * 31 + 7) & 0xff);

function counterRandom(): (n: number) => Uint8Array {
  let c = 1;
  return (n) => new Uint8Array(n).map(() => (c = (c * 1103515245 + 12345) >>> 0) >>> 24);
}

function seedOf(i: number): Uint8Array {
  return new Uint8Array(32).map((_, k) => (i * 131 + k * 17 + 1) & 0xff);
}

/** Seconds per call of `op` on `scheme`: best of 3 rounds of at least `minSeconds` each. */
function secondsPerCall(schemeName: string, op: string, minSeconds: number): number {
  let signature: SignatureScheme | undefined;
  let blind: BlindSignatureScheme | undefined;
  try {
    signature = getSignatureScheme(schemeName);
  } catch {
    blind = getBlindScheme(schemeName);
  }
  let call: (i: number) => void;
  if (signature !== undefined) {
    const s = signature;
    const kp = s.keygen(seedOf(0));
    const sig = s.sign(kp.secretKey, MESSAGE);
    if (op === 'keygen') call = (i) => s.keygen(seedOf(i + 1));
    else if (op === 'sign') call = () => s.sign(kp.secretKey, MESSAGE);
    else if (op === 'verify') call = () => s.verify(kp.publicKey, MESSAGE, sig);
    else throw new Error(`bench sim: no raw timing for '${schemeName} ${op}'`);
  } else {
    const s = blind!;
    const kp = s.keygen(seedOf(0));
    const random = counterRandom();
    const state = s.blind(kp.publicKey, MESSAGE.subarray(0, 32), random);
    const blindSig = s.blindSign(kp.secretKey, state.blindedMessage);
    const sig = s.finalize(kp.publicKey, state, blindSig);
    if (op === 'keygen') {
      // RSA keygen is a prime search: seconds, and seed-dependent. Three seeds, once each.
      const t0 = performance.now();
      for (let i = 1; i <= 3; i++) s.keygen(seedOf(1000 + i));
      return (performance.now() - t0) / 1000 / 3;
    }
    if (op === 'blind') call = () => s.blind(kp.publicKey, MESSAGE.subarray(0, 32), random);
    else if (op === 'blindSign') call = () => s.blindSign(kp.secretKey, state.blindedMessage);
    else if (op === 'finalize') call = () => s.finalize(kp.publicKey, state, blindSig);
    else if (op === 'verify') call = () => s.verify(kp.publicKey, state.preparedMessage, sig);
    else throw new Error(`bench sim: no raw timing for '${schemeName} ${op}'`);
  }
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    let n = 0;
    const t0 = performance.now();
    let elapsed = 0;
    do {
      for (let k = 0; k < 16; k++) call(n++);
      elapsed = (performance.now() - t0) / 1000;
    } while (elapsed < minSeconds);
    best = Math.min(best, elapsed / n);
  }
  return best;
}

// --- Memory per agent ----------------------------------------------------------------------------------------
/**
 * Heap bytes per idle user: a model of `n` users (registered key and certificate, card, bank account, random
 * stream; no coins yet) against one of 1 user, after a full GC each time. Signatures are made at once here (no
 * batches), so no queued job is counted as the user's.
 */
function bytesPerIdleUser(cfg: ModelConfig, n: number): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const heapWith = (users: number): { bytes: number; keep: Model } => {
    gc();
    const before = process.memoryUsage().heapUsed;
    const keep = new Model({ ...cfg, users, shops: 0, fraud: [] }, streams(cfg.seed), { proposed: ':memory:', baseline: ':memory:', epochPruned: ':memory:' });
    gc();
    return { bytes: process.memoryUsage().heapUsed - before, keep };
  };
  const small = heapWith(1);
  const big = heapWith(n + 1);
  const perUser = (big.bytes - small.bytes) / n;
  small.keep.parties.close();
  big.keep.parties.close();
  return perUser;
}

function splitOperation(key: string): [scheme: string, op: string] {
  const at = key.lastIndexOf(' ');
  return [key.slice(0, at), key.slice(at + 1)];
}

// --- Main --------------------------------------------------------------------------------------------------
export default async function runSimBench(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const markdown = args.includes('--markdown');
  const batchSweep = args.includes('--batch');
  const machine = recordMachine();
  const cores = availableParallelism();
  let cfg = toModelConfig(loadScenario(join(here, 'sim.yaml')));
  if (quick) cfg = { ...cfg, users: 600, shops: 60, duration: cfg.duration / 3 };
  console.log(`bench sim: ${cfg.users} users, ${cfg.shops} shops, ${cfg.banks} banks, ${cfg.duration / 86400} days; ${describeMachine(machine)}`);

  const runs: RunFigures[] = [];
  for (const threads of [1, 2]) {
    runs.push(await runOnce(cfg, `real, ${threads} thread${threads === 1 ? '' : 's'}`, threads));
    console.log(`  ${runs.at(-1)!.label}: ${runs.at(-1)!.wallSeconds.toFixed(1)} s`);
  }
  const [one, two] = runs as [RunFigures, RunFigures];
  const identical = one.results === two.results;
  if (!identical) throw new Error('bench sim: --threads 1 and --threads 2 gave different results');

  // Raw times, after the runs so the machine is warm and the same process measures both.
  const raw: Record<string, number> = {};
  for (const key of Object.keys(one.byOperation).sort()) {
    const [scheme, op] = splitOperation(key);
    raw[key] = secondsPerCall(scheme, op, quick ? 0.05 : 0.25);
  }
  const rawSeconds = Object.entries(one.byOperation).reduce((s, [k, n]) => s + n * raw[k]!, 0);
  const efficiency = (r: RunFigures) => rawSeconds / Math.min(r.threads, cores) / r.wallSeconds;

  const fixed = await runOnce({ ...cfg, signatures: 'fixed-cost' }, 'fixed-cost (hash stand-ins)', 1);
  console.log(`  ${fixed.label}: ${fixed.wallSeconds.toFixed(1)} s`);

  const batches: { batchSize: number; wallSeconds: number }[] = [];
  if (batchSweep) {
    for (const batchSize of [256, 1024, 4096, 16384]) {
      const r = await runOnce(cfg, `batch ${batchSize}`, 2, batchSize);
      batches.push({ batchSize, wallSeconds: r.wallSeconds });
      console.log(`  2 threads, batch ${batchSize}: ${r.wallSeconds.toFixed(1)} s`);
    }
  }

  const memoryUsers = quick ? 2000 : 20000;
  const perUser = bytesPerIdleUser(cfg, memoryUsers);

  const style = markdown ? 'markdown' : 'plain';
  const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const rows = [one, two].map((r) => [
    r.label,
    fmt(r.wallSeconds, 1),
    fmt(r.payments / r.wallSeconds),
    fmt(r.operations / r.wallSeconds),
    fmt(r.operations / (rawSeconds / Math.min(r.threads, cores))),
    fmt(efficiency(r), 2),
  ]);
  rows.push([fixed.label, fmt(fixed.wallSeconds, 1), fmt(fixed.payments / fixed.wallSeconds), '', '', '']);
  console.log();
  console.log(
    formatTable(
      [
        { header: 'run' },
        { header: 'wall s', align: 'right' },
        { header: 'payments/s', align: 'right' },
        { header: 'sig ops/s', align: 'right' },
        { header: 'bound ops/s', align: 'right' },
        { header: 'of bound', align: 'right' },
      ],
      rows,
      style,
    ),
  );
  console.log();
  const ceiling = rawSeconds / (rawSeconds + fixed.wallSeconds);
  const bestSpeedup = one.wallSeconds / ((rawSeconds + fixed.wallSeconds) / Math.min(2, cores));
  console.log(`2 threads over 1: ${fmt(one.wallSeconds / two.wallSeconds, 2)}x; results identical: ${identical}`);
  console.log(
    `ceiling (the main thread's own ${fmt(fixed.wallSeconds, 1)} s shares the cores): of bound ${fmt(ceiling, 2)}, 2 threads over 1 ${fmt(bestSpeedup, 2)}x`,
  );
  console.log(`fixed-cost: ${fmt(fixed.events / fixed.wallSeconds)} events/s (${fmt(fixed.events)} events); real, 2 threads: ${fmt(two.events / two.wallSeconds)} events/s`);
  console.log(`memory: ${fmt(perUser)} heap bytes per idle user (${fmt(memoryUsers)} users, no coins)`);
  console.log(`raw signature work in the run: ${fmt(rawSeconds, 1)} s of one core, by operation:`);
  console.log(
    formatTable(
      [{ header: 'operation' }, { header: 'calls', align: 'right' }, { header: 'µs each', align: 'right' }, { header: 's', align: 'right' }],
      Object.entries(one.byOperation)
        .sort((a, b) => b[1] * raw[b[0]]! - a[1] * raw[a[0]]!)
        .map(([k, n]) => [k, fmt(n), fmt(raw[k]! * 1e6, 1), fmt(n * raw[k]!, 1)]),
      style,
    ),
  );

  const out = join(here, 'out', 'sim.json');
  mkdirSync(dirname(out), { recursive: true });
  const strip = ({ results: _r, ...rest }: RunFigures) => rest;
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        machine,
        cores,
        scenario: { users: cfg.users, shops: cfg.shops, banks: cfg.banks, days: cfg.duration / 86400, quick },
        runs: [one, two, fixed].map(strip),
        rawSecondsPerCall: raw,
        rawSeconds,
        efficiency: { oneThread: efficiency(one), twoThreads: efficiency(two) },
        speedup: one.wallSeconds / two.wallSeconds,
        ceiling: { efficiency: ceiling, speedup: bestSpeedup },
        identical,
        batches,
        memory: { users: memoryUsers, heapBytesPerIdleUser: perUser },
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nwrote ${out}`);
}
