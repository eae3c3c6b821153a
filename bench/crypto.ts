// `npm run bench -- crypto [--quick] [--markdown]`: what each key scheme costs, for the README's "Key schemes"
// table and for choosing the schemes a scenario runs with (a payment is a handful of verifications and one
// card signature; a withdrawal is one blind signature). Measured with tinybench, one task at a time:
//   - every signature scheme and backend: keygen (a fresh seed per call, so no key cache is hit), sign, verify
//     (one key in steady use, as the RA's and the issuer's are: its parsed form is cached by the scheme),
//     and for BLS verifyBatch over 16 distinct messages, under one key (an issuer's coins) and under 16 keys;
//   - every blind scheme: keygen, blind, blindSign, finalize (unblind + check), verify;
//   - bare `crypto.verify` with a ready KeyObject, the floor for ed25519@native verify: their ratio is what the
//     wrapper's checks and key cache cost.
// Inputs are fixed (seeds, a 128-byte message, SHA-256 counter streams for blinding), so reruns do the same work.
// RSA keygen takes about a second, so it is timed over a few calls with no warmup.
// Prints a table and writes bench/out/crypto.json (machine, rows, ratios).

import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { blindSchemes } from '../protocol/crypto/blind/index.ts';
import { signatureSchemes } from '../protocol/crypto/index.ts';
import type { BlindSignatureScheme, RandomBytes, SignatureScheme, SignedMessage } from '../protocol/crypto/scheme.ts';
import { describeMachine, recordMachine } from './lib/machine.ts';
import type { Machine } from './lib/machine.ts';
import { formatDuration, formatPercent, formatRate, formatTable } from './lib/table.ts';
import type { Column, TableStyle } from './lib/table.ts';

/** About a transfer step: coin and chain hashes, amount, the payee's nonce and receiver hash. */
export const MESSAGE_BYTES = 128;
export const BATCH_SIZE = 16;
/** The name of the bare node:crypto row, the baseline for ed25519@native verify. */
export const BARE_SCHEME = 'node:crypto';

export type Operation = 'keygen' | 'sign' | 'verify' | 'verifyBatch' | 'blind' | 'blindSign' | 'finalize';
export type TaskKind = 'signature' | 'blind' | 'baseline';

export interface CryptoTask {
  /** `scheme operation` or `scheme operation (variant)`: unique, and the row's name in the JSON. */
  readonly name: string;
  /** The registry name (`ed25519@native`, `rsa-blind:RSABSSA-SHA384-PSS-Randomized@native`) or BARE_SCHEME. */
  readonly scheme: string;
  readonly operation: Operation;
  readonly variant: string | null;
  readonly kind: TaskKind;
  readonly publicKeySize: number;
  readonly signatureSize: number;
  /** Signatures checked per call: BATCH_SIZE for verifyBatch, 1 otherwise. */
  readonly signaturesPerCall: number;
  /** Too slow for a time budget (RSA keygen): timed over `slowCalls` calls without warmup. */
  readonly slow: boolean;
  readonly run: () => void;
}

export interface BenchSettings {
  /** Time budget per task in ms (tinybench `time`); every task also runs at least `minIterations` times. */
  readonly timeMs: number;
  readonly minIterations: number;
  readonly warmup: boolean;
  readonly warmupMs: number;
  readonly warmupIterations: number;
  /** Calls timed for a slow task (RSA keygen: each call a fresh seed, so a mean over that many prime searches). */
  readonly slowCalls: number;
  /** Wrapper vs bare verify, measured in alternating rounds: rounds, and calls of each per round. */
  readonly pairedRounds: number;
  readonly pairedCalls: number;
}

export const FULL: BenchSettings = {
  timeMs: 400,
  minIterations: 16,
  warmup: true,
  warmupMs: 100,
  warmupIterations: 8,
  slowCalls: 6,
  pairedRounds: 40,
  pairedCalls: 200,
};
export const QUICK: BenchSettings = {
  timeMs: 40,
  minIterations: 4,
  warmup: true,
  warmupMs: 10,
  warmupIterations: 2,
  slowCalls: 1,
  pairedRounds: 6,
  pairedCalls: 50,
};
/** Each task called once, timings meaningless: for the test that keeps the tasks from rotting. */
export const SMOKE: BenchSettings = {
  timeMs: 0,
  minIterations: 1,
  warmup: false,
  warmupMs: 0,
  warmupIterations: 0,
  slowCalls: 1,
  pairedRounds: 1,
  pairedCalls: 1,
};

export interface CryptoRow {
  readonly name: string;
  readonly scheme: string;
  readonly operation: Operation;
  readonly variant: string | null;
  readonly kind: TaskKind;
  /** Calls per second: 1000 / mean latency. */
  readonly opsPerSecond: number;
  /** Relative margin of error of the mean latency, 95%, in percent (tinybench `latency.rme`). */
  readonly rmePercent: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly samples: number;
  readonly signaturesPerCall: number;
  /** opsPerSecond * signaturesPerCall. */
  readonly signaturesPerSecond: number;
  readonly publicKeySize: number;
  readonly signatureSize: number;
}

export interface Ratio {
  readonly name: string;
  /** Row names: ratio = numerator ops/s / denominator ops/s. */
  readonly numerator: string;
  readonly denominator: string;
  readonly ratio: number;
  /** Both rows' margins combined (root of the sum of squares), in percent. */
  readonly rmePercent: number;
}

/**
 * ed25519@native verify against bare crypto.verify, timed in alternating rounds (ABBA order) so that load from
 * other processes, which drifts over seconds, falls on both alike; the ratio is the median over rounds.
 */
export interface PairedRatio {
  readonly numerator: string;
  readonly denominator: string;
  readonly rounds: number;
  readonly callsPerRound: number;
  /** Median over rounds of numerator ops/s / denominator ops/s. */
  readonly ratio: number;
  /** Lower and upper quartile of the per-round ratios. */
  readonly ratioQ1: number;
  readonly ratioQ3: number;
  /** The numerator's extra time per call over the denominator's, in percent: (1 / ratio - 1) * 100. */
  readonly overheadPercent: number;
}

export interface CryptoReport {
  readonly benchmark: 'crypto';
  readonly mode: 'full' | 'quick' | 'smoke';
  readonly machine: Machine;
  readonly settings: BenchSettings;
  readonly messageBytes: number;
  readonly batchSize: number;
  readonly rows: readonly CryptoRow[];
  /** From the rows: ed25519@native verify over bare crypto.verify, native / noble for sign and verify, and Ed25519's sodium / native. */
  readonly ratios: readonly Ratio[];
  /** The wrapper's cost, from alternating rounds rather than two separate tinybench tasks. */
  readonly wrapperOverhead: PairedRatio;
}

/** A deterministic RandomBytes: SHA-256(label || 64-bit counter) blocks, the counter running across calls. */
export function counterStream(label: string): RandomBytes {
  const prefix = Buffer.from(label, 'utf8');
  const counterBytes = Buffer.alloc(8);
  let counter = 0n;
  return (length: number): Uint8Array => {
    const out = new Uint8Array(length);
    for (let offset = 0; offset < length; offset += 32) {
      counterBytes.writeBigUInt64BE(counter++);
      const block = createHash('sha256').update(prefix).update(counterBytes).digest();
      out.set(block.subarray(0, Math.min(32, length - offset)), offset);
    }
    return out;
  };
}

const fixedBytes = (label: string, length: number): Uint8Array => counterStream(label)(length);

/** Distinct 32-byte seeds, the same sequence every run; a counter write per call so keygen timings stay clean. */
function seedSequence(label: string): () => Uint8Array {
  const base = fixedBytes(`seeds/${label}`, 32);
  let index = 0;
  return () => {
    const seed = base.slice();
    new DataView(seed.buffer).setUint32(28, index++);
    return seed;
  };
}

function task(fields: Omit<CryptoTask, 'name' | 'variant' | 'signaturesPerCall' | 'slow'> & Partial<CryptoTask>): CryptoTask {
  const variant = fields.variant ?? null;
  return {
    ...fields,
    name: `${fields.scheme} ${fields.operation}${variant === null ? '' : ` (${variant})`}`,
    variant,
    signaturesPerCall: fields.signaturesPerCall ?? 1,
    slow: fields.slow ?? false,
  };
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`crypto bench: ${what} did not verify`);
}

function signatureTasks(scheme: SignatureScheme, message: Uint8Array): CryptoTask[] {
  const sizes = { kind: 'signature', scheme: scheme.name, publicKeySize: scheme.publicKeySize, signatureSize: scheme.signatureSize } as const;
  // Same seed on every backend of a scheme, hence the same key pair: native and noble do the same work.
  const keys = scheme.keygen(fixedBytes(`key/${scheme.id}`, 32));
  const signature = scheme.sign(keys.secretKey, message);
  check(scheme.verify(keys.publicKey, message, signature), `${scheme.name} setup signature`);
  const seeds = seedSequence(scheme.name);
  const tasks = [
    task({ ...sizes, operation: 'keygen', run: () => void scheme.keygen(seeds()) }),
    task({ ...sizes, operation: 'sign', run: () => void scheme.sign(keys.secretKey, message) }),
    task({ ...sizes, operation: 'verify', run: () => check(scheme.verify(keys.publicKey, message, signature), scheme.name) }),
  ];
  if (scheme.name === 'ed25519@native') tasks.push(bareEd25519Verify(keys.publicKey, message, signature));
  const verifyBatch = scheme.verifyBatch?.bind(scheme);
  if (verifyBatch !== undefined) {
    const messages = Array.from({ length: BATCH_SIZE }, (_, i) => {
      const m = message.slice();
      new DataView(m.buffer).setUint16(m.length - 2, i);
      return m;
    });
    const oneKey: SignedMessage[] = messages.map((m) => ({ publicKey: keys.publicKey, message: m, signature: scheme.sign(keys.secretKey, m) }));
    const manyKeys: SignedMessage[] = messages.map((m, i) => {
      const signer = scheme.keygen(fixedBytes(`key/${scheme.id}/${i}`, 32));
      return { publicKey: signer.publicKey, message: m, signature: scheme.sign(signer.secretKey, m) };
    });
    for (const [variant, items] of [
      [`${BATCH_SIZE} msgs, 1 key`, oneKey],
      [`${BATCH_SIZE} msgs, ${BATCH_SIZE} keys`, manyKeys],
    ] as const) {
      check(verifyBatch(items), `${scheme.name} setup batch`);
      tasks.push(
        task({ ...sizes, operation: 'verifyBatch', variant, signaturesPerCall: BATCH_SIZE, run: () => check(verifyBatch(items), scheme.name) }),
      );
    }
  }
  return tasks;
}

/** node:crypto alone, key parsed once up front: what ed25519@native verify would cost with no wrapper at all. */
function bareEd25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): CryptoTask {
  const key: KeyObject = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') },
    format: 'jwk',
  });
  return task({
    kind: 'baseline',
    scheme: BARE_SCHEME,
    operation: 'verify',
    variant: 'ed25519, bare',
    publicKeySize: publicKey.length,
    signatureSize: signature.length,
    run: () => check(nodeVerify(null, message, key, signature), 'bare crypto.verify'),
  });
}

function blindTasks(scheme: BlindSignatureScheme, message: Uint8Array, smoke: boolean): CryptoTask[] {
  const sizes = { kind: 'blind', scheme: scheme.name, publicKeySize: scheme.publicKeySize, signatureSize: scheme.signatureSize } as const;
  // One seed per scheme id: both RSA variants share the key (keygen is memoized per seed), so setup pays once.
  const setupSeed = fixedBytes(`key/${scheme.id}`, 32);
  const keys = scheme.keygen(setupSeed);
  const state = scheme.blind(keys.publicKey, message, counterStream(`setup/${scheme.name}`));
  const blindSignature = scheme.blindSign(keys.secretKey, state.blindedMessage);
  const signature = scheme.finalize(keys.publicKey, state, blindSignature);
  check(scheme.verify(keys.publicKey, state.preparedMessage, signature), `${scheme.name} setup signature`);
  const random = counterStream(`blind/${scheme.name}`);
  const slow = scheme.id === 'rsa-blind';
  const seeds = seedSequence(scheme.name);
  // A smoke run calls RSA keygen with the setup seed: the memo answers, so the test does not pay a second.
  const keygenSeed = smoke && slow ? () => setupSeed : seeds;
  return [
    task({ ...sizes, operation: 'keygen', slow, run: () => void scheme.keygen(keygenSeed()) }),
    task({ ...sizes, operation: 'blind', run: () => void scheme.blind(keys.publicKey, message, random) }),
    task({ ...sizes, operation: 'blindSign', run: () => void scheme.blindSign(keys.secretKey, state.blindedMessage) }),
    task({ ...sizes, operation: 'finalize', run: () => void scheme.finalize(keys.publicKey, state, blindSignature) }),
    task({ ...sizes, operation: 'verify', run: () => check(scheme.verify(keys.publicKey, state.preparedMessage, signature), scheme.name) }),
  ];
}

/**
 * Every task, keys and signatures made up front (RSA: one keygen, about a second). With `smoke`, RSA keygen
 * reuses the setup seed, so calling each task once stays fast.
 */
export function cryptoTasks(options: { smoke?: boolean } = {}): CryptoTask[] {
  const message = fixedBytes('message', MESSAGE_BYTES);
  // The blind schemes sign a user's public key: 32 bytes, like an Ed25519 key.
  const userPublicKey = fixedBytes('user public key', 32);
  return [
    ...signatureSchemes.flatMap((scheme) => signatureTasks(scheme, message)),
    ...blindSchemes.flatMap((scheme) => blindTasks(scheme, userPublicKey, options.smoke === true)),
  ];
}

/** Runs each task in its own tinybench Bench, in order; `onRow` sees each row as it is measured. */
export function measure(tasks: readonly CryptoTask[], settings: BenchSettings, onRow?: (row: CryptoRow) => void): CryptoRow[] {
  return tasks.map((t) => {
    const bench = new Bench({
      name: t.name,
      time: t.slow ? 0 : settings.timeMs,
      iterations: t.slow ? settings.slowCalls : settings.minIterations,
      warmup: settings.warmup && !t.slow,
      warmupTime: settings.warmupMs,
      warmupIterations: settings.warmupIterations,
      throws: true,
    });
    bench.add(t.name, t.run, { async: false });
    const [done] = bench.runSync();
    const result = done?.result;
    if (result?.state !== 'completed') throw new Error(`crypto bench: ${t.name} ended ${result?.state ?? 'without a result'}`);
    const { latency } = result;
    const opsPerSecond = 1000 / latency.mean;
    const row: CryptoRow = {
      name: t.name,
      scheme: t.scheme,
      operation: t.operation,
      variant: t.variant,
      kind: t.kind,
      opsPerSecond,
      rmePercent: latency.rme,
      meanMs: latency.mean,
      p50Ms: latency.p50,
      p99Ms: latency.p99,
      samples: latency.samplesCount,
      signaturesPerCall: t.signaturesPerCall,
      signaturesPerSecond: opsPerSecond * t.signaturesPerCall,
      publicKeySize: t.publicKeySize,
      signatureSize: t.signatureSize,
    };
    onRow?.(row);
    return row;
  });
}

function ratio(rows: readonly CryptoRow[], name: string, numerator: string, denominator: string): Ratio {
  const find = (rowName: string): CryptoRow => {
    const row = rows.find((r) => r.name === rowName);
    if (row === undefined) throw new Error(`crypto bench: no row '${rowName}' for ratio '${name}'`);
    return row;
  };
  const a = find(numerator);
  const b = find(denominator);
  return { name, numerator, denominator, ratio: a.opsPerSecond / b.opsPerSecond, rmePercent: Math.hypot(a.rmePercent, b.rmePercent) };
}

export const WRAPPER_RATIO = 'ed25519@native verify / bare crypto.verify';
export const WRAPPER_TASK = 'ed25519@native verify';
export const BARE_TASK = `${BARE_SCHEME} verify (ed25519, bare)`;

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = sorted[Math.floor(at)] ?? NaN;
  const hi = sorted[Math.ceil(at)] ?? NaN;
  return lo + (hi - lo) * (at - Math.floor(at));
}

/** Times `numerator` and `denominator` tasks in alternating rounds; see PairedRatio. */
export function measurePaired(tasks: readonly CryptoTask[], numerator: string, denominator: string, settings: BenchSettings): PairedRatio {
  const find = (name: string): (() => void) => {
    const found = tasks.find((t) => t.name === name);
    if (found === undefined) throw new Error(`crypto bench: no task '${name}' to pair`);
    return found.run;
  };
  const a = find(numerator);
  const b = find(denominator);
  const calls = settings.pairedCalls;
  const time = (fn: () => void): number => {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) fn();
    return performance.now() - t0;
  };
  if (settings.warmup) {
    time(a);
    time(b);
  }
  const ratios: number[] = [];
  for (let round = 0; round < settings.pairedRounds; round++) {
    // A B, then B A: neither is always the one that runs right after the other.
    let timeA: number;
    let timeB: number;
    if (round % 2 === 0) {
      timeA = time(a);
      timeB = time(b);
    } else {
      timeB = time(b);
      timeA = time(a);
    }
    // Equal call counts, so ops/s of a over ops/s of b is b's time over a's.
    ratios.push(timeB / timeA);
  }
  ratios.sort((x, y) => x - y);
  const ratio = quantile(ratios, 0.5);
  return {
    numerator,
    denominator,
    rounds: settings.pairedRounds,
    callsPerRound: calls,
    ratio,
    ratioQ1: quantile(ratios, 0.25),
    ratioQ3: quantile(ratios, 0.75),
    overheadPercent: (1 / ratio - 1) * 100,
  };
}

export function buildReport(
  machine: Machine,
  mode: CryptoReport['mode'],
  settings: BenchSettings,
  rows: readonly CryptoRow[],
  wrapperOverhead: PairedRatio,
): CryptoReport {
  const ratios = [
    ratio(rows, WRAPPER_RATIO, WRAPPER_TASK, BARE_TASK),
    ...['ed25519', 'p256'].flatMap((id) =>
      (['sign', 'verify'] as const).map((op) => ratio(rows, `${id} ${op}: native / noble`, `${id}@native ${op}`, `${id}@noble ${op}`)),
    ),
    ...(['keygen', 'sign', 'verify'] as const).map((op) => ratio(rows, `ed25519 ${op}: sodium / native`, `ed25519@sodium ${op}`, `ed25519@native ${op}`)),
  ];
  return {
    benchmark: 'crypto',
    mode,
    machine,
    settings,
    messageBytes: MESSAGE_BYTES,
    batchSize: BATCH_SIZE,
    rows,
    ratios,
    wrapperOverhead,
  };
}

const COLUMNS: readonly Column[] = [
  { header: 'scheme' },
  { header: 'operation' },
  { header: 'ops/s', align: 'right' },
  { header: 'rme', align: 'right' },
  { header: 'mean', align: 'right' },
  { header: 'sigs/s', align: 'right' },
  { header: 'pk B', align: 'right' },
  { header: 'sig B', align: 'right' },
];

export function formatRows(rows: readonly CryptoRow[], style: TableStyle = 'plain'): string {
  return formatTable(
    COLUMNS,
    rows.map((r) => [
      r.scheme,
      r.variant === null ? r.operation : `${r.operation} (${r.variant})`,
      formatRate(r.opsPerSecond),
      formatPercent(r.rmePercent),
      formatDuration(r.meanMs),
      r.signaturesPerCall > 1 ? formatRate(r.signaturesPerSecond) : '',
      String(r.publicKeySize),
      String(r.signatureSize),
    ]),
    style,
  );
}

export function formatRatios(report: CryptoReport): string {
  const lines = report.ratios.map((r) => `${r.name}: ${r.ratio.toFixed(2)}x (${formatPercent(r.rmePercent)})`);
  const w = report.wrapperOverhead;
  lines.push(
    `${w.numerator} / ${w.denominator}, ${w.rounds} alternating rounds of ${w.callsPerRound} calls: ` +
      `${w.ratio.toFixed(3)}x (quartiles ${w.ratioQ1.toFixed(3)}-${w.ratioQ3.toFixed(3)}), wrapper overhead ${w.overheadPercent.toFixed(1)}%`,
  );
  return lines.join('\n');
}

const USAGE = 'usage: npm run bench -- crypto [--quick] [--markdown]';

export default async function runCryptoBench(args: string[]): Promise<void> {
  const unknown = args.filter((a) => a !== '--quick' && a !== '--markdown');
  if (unknown.length > 0) throw new Error(`crypto bench: unknown argument(s) ${unknown.join(' ')}\n${USAGE}`);
  const mode = args.includes('--quick') ? 'quick' : 'full';
  const settings = mode === 'quick' ? QUICK : FULL;
  const machine = recordMachine();
  console.log(`crypto: ${describeMachine(machine)}; load average ${machine.loadAverage.join(' ')}; ${mode} run`);
  const started = performance.now();
  const tasks = cryptoTasks();
  const rows = measure(tasks, settings, (row) => {
    process.stderr.write(`  ${row.name}: ${formatRate(row.opsPerSecond)} ops/s ${formatPercent(row.rmePercent)}\n`);
  });
  const wrapperOverhead = measurePaired(tasks, WRAPPER_TASK, BARE_TASK, settings);
  const report = buildReport(machine, mode, settings, rows, wrapperOverhead);
  console.log(formatRows(rows, args.includes('--markdown') ? 'markdown' : 'plain'));
  console.log(formatRatios(report));
  const out = join(dirname(fileURLToPath(import.meta.url)), 'out', 'crypto.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${out} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
