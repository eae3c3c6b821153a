// `npm run bench -- bytes [--quick] [--markdown]`: what small byte arrays cost, for the choices in
// protocol/bytes.ts, protocol/hash.ts, SqliteStore.blob (protocol/store/sqlite.ts), the workers' cache of
// parsed blind keys (protocol/crypto/blind/cache.ts) and the strict Ed25519 key check (protocol/crypto/ed25519.ts).
//
// V8 keeps a typed array of up to 64 bytes on its own heap. A longer one gets an ArrayBuffer of its own
// (malloc'd, tracked, freed by a later collection), and native code handed an on-heap array first moves its
// bytes off the heap the same way. Each pair below times the way the simulator used to do a thing against the
// way it does it now, side by side in one tinybench run, in alternating order; the ratio is the figure to quote.
// Writes bench/out/bytes.json.
import { hash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { bytesToHex } from '@noble/hashes/utils.js';
import { Bench } from 'tinybench';
import { shortLived } from '../protocol/bytes.ts';
import { BoundedCache } from '../protocol/crypto/blind/cache.ts';
import { ED25519_SMALL_ORDER_Y, ed25519Sodium, isStrictPublicKey } from '../protocol/crypto/ed25519.ts';
import { equalBytes, keyOf, sha256 } from '../protocol/hash.ts';
import { describeMachine, recordMachine } from './lib/machine.ts';
import { formatTable } from './lib/table.ts';

const here = dirname(fileURLToPath(import.meta.url));

export interface Pair {
  readonly name: string;
  readonly before: readonly [label: string, run: () => unknown];
  readonly after: readonly [label: string, run: () => unknown];
}

/** A transfer step's signed part is 88 bytes; a coin's is 55. */
const stepPart = new Uint8Array(88).fill(7);
const coinPart = (): Uint8Array => new Uint8Array(55).fill(9);

/** The strict key check as it was: y < p and not of small order, on y as a bigint. */
function strictByBigint(publicKey: Uint8Array): boolean {
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt((publicKey[i] ?? 0) & (i === 31 ? 0x7f : 0xff));
  return y < 2n ** 255n - 19n && !ED25519_SMALL_ORDER_Y.has(y);
}

export function pairs(): Pair[] {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE lot (id BLOB PRIMARY KEY) WITHOUT ROWID');
  const probe = db.prepare('SELECT 1 FROM lot WHERE id = ?').pluck();
  const scratch = new Uint8Array(new ArrayBuffer(64));
  const freshId = (): Uint8Array => {
    const id = new Uint8Array(32);
    id[0] = 1;
    return id;
  };
  // The probe finds its row: the statement does all its work, both ways.
  db.prepare('INSERT INTO lot (id) VALUES (?)').run(freshId());
  // A worker's blind signatures name their bank key as 256 bytes in the batch buffer: a few keys in turn.
  const bankKeys = Array.from({ length: 8 }, (_, k) => Uint8Array.from({ length: 256 }, (_, i) => (k * 37 + i * 11 + ((i * i) >> 3)) & 255));
  const wire = new Uint8Array(256 * bankKeys.length);
  bankKeys.forEach((k, i) => wire.set(k, 256 * i));
  const byHex = new Map(bankKeys.map((k, i) => [bytesToHex(k), i]));
  const byTail = new BoundedCache<number>(4096);
  bankKeys.forEach((k, i) => byTail.getOrCreate(k, () => i));
  // Each side takes the keys in the same turn, so both ways answer alike call for call.
  const inTurn = (): (() => Uint8Array) => {
    let turn = 0;
    return () => {
      turn = (turn + 1) % bankKeys.length;
      return wire.subarray(256 * turn, 256 * turn + 256);
    };
  };
  const [hexKey, tailKey] = [inTurn(), inTurn()];
  const id = Uint8Array.from({ length: 32 }, (_, i) => (i * 73 + 5) & 255);
  const signed = bankKeys[0]!;
  const checked = signed.slice();
  const cardKey = ed25519Sodium.keygen(new Uint8Array(32).fill(3)).publicKey;
  return [
    { name: 'an 88-byte array', before: ['new Uint8Array(88)', () => new Uint8Array(88)], after: ['shortLived(88), from a slab', () => shortLived(88)] },
    {
      name: 'SHA-256 of an 88-byte signed part',
      before: ["node:crypto hash(), copied to a Uint8Array", () => new Uint8Array(hash('sha256', stepPart, 'buffer'))],
      after: ['sha256(): libsodium through scratch', () => sha256(stepPart)],
    },
    {
      name: 'SHA-256 of a fresh 55-byte signed part',
      before: ["node:crypto hash(), copied to a Uint8Array", () => new Uint8Array(hash('sha256', coinPart(), 'buffer'))],
      after: ['sha256(): libsodium through scratch', () => sha256(coinPart())],
    },
    {
      name: 'SQLite probe by a fresh 32-byte id',
      before: ['id bound as it is', () => probe.get(freshId())],
      after: ['id copied into scratch (blob())', () => {
        const id = freshId();
        scratch.set(id);
        return probe.get(scratch.subarray(0, id.length));
      }],
    },
    {
      name: 'Map key of a 32-byte id (keyOf)',
      before: ['fromCharCode.apply', () => String.fromCharCode.apply(null, id as unknown as number[])],
      after: ['fromCharCode, 32 arguments', () => keyOf(id)],
    },
    {
      name: 'parsed blind key for 256 key bytes',
      before: ['Map by hex of all 256 bytes', () => byHex.get(bytesToHex(hexKey()))],
      after: ['BoundedCache: 16-byte tail, confirmed', () => byTail.getOrCreate(tailKey(), () => -1)],
    },
    {
      name: 'strict Ed25519 public key check',
      before: ['y built as a bigint', () => strictByBigint(cardKey)],
      after: ['isStrictPublicKey(): on the bytes', () => isStrictPublicKey(cardKey)],
    },
    {
      name: "blind signature's s^e = m check, 256 bytes",
      before: ['hex strings compared', () => bytesToHex(checked) === bytesToHex(signed)],
      after: ['equalBytes()', () => equalBytes(checked, signed)],
    },
  ];
}

/** Calls per timed iteration, so tinybench's own cost per iteration does not swamp a sub-microsecond call. */
const PER_ITERATION = 100;

interface PairResult {
  readonly name: string;
  readonly before: string;
  readonly after: string;
  readonly beforeMicros: number;
  readonly afterMicros: number;
  readonly speedup: number;
}

function measurePair(p: Pair, timeMs: number): PairResult {
  const micros = { before: [] as number[], after: [] as number[] };
  // Two runs in opposite orders: whichever goes second meets a warmer (or busier) machine.
  for (const order of [['before', 'after'], ['after', 'before']] as const) {
    const bench = new Bench({ time: timeMs, warmupTime: timeMs / 4, throws: true });
    for (const side of order) {
      const run = p[side][1];
      bench.add(side, () => {
        for (let i = 0; i < PER_ITERATION; i++) run();
      }, { async: false });
    }
    for (const task of bench.runSync()) {
      const r = task.result;
      if (r?.state !== 'completed') throw new Error(`bytes bench: ${p.name} (${task.name}) ended ${r?.state ?? 'without a result'}`);
      micros[task.name as 'before' | 'after'].push((r.latency.mean * 1000) / PER_ITERATION);
    }
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const beforeMicros = mean(micros.before);
  const afterMicros = mean(micros.after);
  return { name: p.name, before: p.before[0], after: p.after[0], beforeMicros, afterMicros, speedup: beforeMicros / afterMicros };
}

export default async function runBytesBench(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const machine = recordMachine();
  console.log(`bench bytes: ${describeMachine(machine)}`);
  const results = pairs().map((p) => measurePair(p, quick ? 100 : 1000));
  const us = (x: number) => x.toFixed(3);
  console.log(
    formatTable(
      [{ header: 'what' }, { header: 'before' }, { header: 'µs', align: 'right' }, { header: 'now' }, { header: 'µs', align: 'right' }, { header: 'speedup', align: 'right' }],
      results.map((r) => [r.name, r.before, us(r.beforeMicros), r.after, us(r.afterMicros), `${r.speedup.toFixed(1)}x`]),
      args.includes('--markdown') ? 'markdown' : 'plain',
    ),
  );
  const out = join(here, 'out', 'bytes.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ machine, quick, results }, null, 2)}\n`);
  console.log(`\nwrote ${out}`);
}
