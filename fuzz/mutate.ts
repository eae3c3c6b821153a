// Mutators. Byte-level ones know nothing of the format (bit flips, byte sets, truncation, extension, splices
// from other messages, insertions and deletions); structure-aware ones decode the message, change one field the
// way an attacker with the corpus in hand would (reorder, duplicate or drop chain steps, records or parts; put
// in a key, signature, nonce or lot id from another coin; raise an amount, 50 -> 100; swap in a whole coin,
// certificate or record from elsewhere) and encode it again, so the mutant parses and reaches the receiver's
// checks. A replay is a valid message sent unchanged. Nothing here signs: every signature in a mutant is one
// the corpus already held, so the oracle can tell genuine from forged by membership alone.
import { EncodeError, type Message } from '../protocol/encoding/index.ts';
import type { Stream } from '../sim/engine/random.ts';

/** Pieces mutants borrow, by group: keys, signatures, nonces and ids of other coins; whole nested messages. */
export interface Donors {
  readonly bytes: Map<string, Uint8Array[]>;
  readonly numbers: Map<string, number[]>;
  readonly serials: bigint[];
  readonly messages: Map<string, unknown[]>;
  /** Every seed message's bytes, of every type: material for splices. */
  readonly raw: Uint8Array[];
}

const BYTES_GROUP: Readonly<Record<string, string>> = {
  userKey: 'key',
  holderKey: 'key',
  payeeKey: 'key',
  raSig: 'sig',
  issuerSig: 'sig',
  sig: 'sig',
  bankSig: 'sig',
  nonce: 'nonce',
  from: 'id',
  prefix: 'prefix',
};
const MESSAGE_GROUP: Readonly<Record<string, string>> = {
  coin: 'Coin',
  certificate: 'Certificate',
  record: 'TransactionRecord',
  lot: 'TransactionRecord',
  request: 'IssuanceRequest',
};
const LIST_GROUP: Readonly<Record<string, string>> = {
  chain: 'TransferStep',
  conflicting: 'TransferStep',
  steps: 'TransferStep',
  parts: 'PaymentPart',
  records: 'TransactionRecord',
};
const NUMBER_GROUP: Readonly<Record<string, string>> = { amount: 'amount', value: 'amount', denomination: 'amount' };
const NUMBER_MAX: Readonly<Record<string, number>> = { bank: 0xffff, epoch: 0xffff };

const group = (table: Readonly<Record<string, string>>, name: string): string => table[name] ?? name;

type Holder = Record<string, unknown> | unknown[];

interface Node {
  readonly holder: Holder;
  readonly key: string | number;
  readonly name: string;
  readonly value: unknown;
}

const isMessage = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !Array.isArray(v);

/** Every field below the root, depth first, with the name of the field it sits in. */
function collect(root: Record<string, unknown>): Node[] {
  const out: Node[] = [];
  const walk = (holder: Holder, key: string | number, name: string, value: unknown): void => {
    out.push({ holder, key, name, value });
    if (Array.isArray(value)) value.forEach((v, i) => walk(value, i, name, v));
    else if (isMessage(value)) for (const [k, v] of Object.entries(value)) walk(value, k, k, v);
  };
  for (const [k, v] of Object.entries(root)) walk(root, k, k, v);
  return out;
}

function set(node: Node, value: unknown): void {
  (node.holder as Record<string | number, unknown>)[node.key] = value;
}

/** Adds every field of `value` (a decoded message) to the donor pools. */
export function addDonors(d: Donors, value: Record<string, unknown>): void {
  const push = <T>(m: Map<string, T[]>, k: string, v: T): void => {
    const list = m.get(k);
    if (list === undefined) m.set(k, [v]);
    else list.push(v);
  };
  for (const node of collect(value)) {
    const v = node.value;
    if (v instanceof Uint8Array) push(d.bytes, group(BYTES_GROUP, node.name), v);
    else if (typeof v === 'number') push(d.numbers, group(NUMBER_GROUP, node.name), v);
    else if (typeof v === 'bigint') d.serials.push(v);
    else if (isMessage(v)) {
      const g = typeof node.key === 'number' ? LIST_GROUP[node.name] : MESSAGE_GROUP[node.name];
      if (g !== undefined) push(d.messages, g, v);
    }
  }
}

export function emptyDonors(): Donors {
  return { bytes: new Map(), numbers: new Map(), serials: [], messages: new Map(), raw: [] };
}

// ---------------------------------------------------------------------------------------------------------------
// Byte-level.

const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff];

type ByteOp = (rng: Stream, b: Uint8Array, d: Donors) => Uint8Array;

const byteOps: Readonly<Record<string, ByteOp>> = {
  flip(rng, b) {
    const out = b.slice();
    const n = 1 + rng.int(4);
    for (let i = 0; i < n && out.length > 0; i++) out[rng.int(out.length)]! ^= 1 << rng.int(8);
    return out;
  },
  set(rng, b) {
    const out = b.slice();
    const n = 1 + rng.int(3);
    for (let i = 0; i < n && out.length > 0; i++) out[rng.int(out.length)] = rng.bernoulli(0.5) ? rng.pick(INTERESTING_BYTES) : rng.int(256);
    return out;
  },
  truncate(rng, b) {
    return b.slice(0, rng.int(Math.max(1, b.length)));
  },
  extend(rng, b) {
    const extra = rng.bytes(1 + rng.int(64));
    const out = new Uint8Array(b.length + extra.length);
    out.set(b, 0);
    out.set(extra, b.length);
    return out;
  },
  splice(rng, b, d) {
    // A run of another message's bytes over this one's, at a random place: length prefixes and tags included.
    const donor = rng.pick(d.raw);
    const len = 1 + rng.int(Math.min(256, donor.length));
    const from = rng.int(donor.length - len + 1);
    const at = rng.int(b.length + 1);
    const out = new Uint8Array(Math.max(b.length, at + len));
    out.set(b, 0);
    out.set(donor.subarray(from, from + len), at);
    return out;
  },
  insert(rng, b) {
    const at = rng.int(b.length + 1);
    const extra = rng.bytes(1 + rng.int(8));
    const out = new Uint8Array(b.length + extra.length);
    out.set(b.subarray(0, at), 0);
    out.set(extra, at);
    out.set(b.subarray(at), at + extra.length);
    return out;
  },
  delete(rng, b) {
    if (b.length === 0) return b;
    const at = rng.int(b.length);
    const len = 1 + rng.int(Math.min(32, b.length - at));
    const out = new Uint8Array(b.length - len);
    out.set(b.subarray(0, at), 0);
    out.set(b.subarray(at + len), at);
    return out;
  },
};
const BYTE_OPS = Object.keys(byteOps);

// ---------------------------------------------------------------------------------------------------------------
// Structure-aware: one change to one field. Returns the op's name, or undefined if it does not apply.

function shuffle<T>(rng: Stream, xs: T[]): void {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
}

function mutateList(rng: Stream, node: Node, d: Donors): string | undefined {
  const xs = [...(node.value as unknown[])];
  const pool = d.messages.get(group(LIST_GROUP, node.name)) ?? [];
  const n = xs.length;
  const ops = ['insert', 'replace', 'clear', ...(n >= 1 ? ['drop', 'drop-last', 'dup', 'truncate'] : []), ...(n >= 2 ? ['swap', 'reverse', 'shuffle', 'rotate', 'move'] : [])];
  const op = rng.pick(ops);
  switch (op) {
    case 'swap': {
      const i = rng.int(n);
      const j = (i + 1 + rng.int(n - 1)) % n;
      [xs[i], xs[j]] = [xs[j], xs[i]];
      break;
    }
    case 'reverse':
      xs.reverse();
      break;
    case 'shuffle':
      shuffle(rng, xs);
      break;
    case 'rotate':
      xs.push(xs.shift());
      break;
    case 'move': {
      const [x] = xs.splice(rng.int(n), 1);
      xs.splice(rng.int(n), 0, x);
      break;
    }
    case 'drop':
      xs.splice(rng.int(n), 1);
      break;
    case 'drop-last':
      xs.pop();
      break;
    case 'truncate':
      xs.length = rng.int(n);
      break;
    case 'dup': {
      const i = rng.int(n);
      xs.splice(rng.int(n + 1), 0, structuredClone(xs[i]));
      break;
    }
    case 'clear':
      if (n === 0) return undefined;
      xs.length = 0;
      break;
    case 'insert':
      if (pool.length === 0) return undefined;
      xs.splice(rng.int(n + 1), 0, structuredClone(rng.pick(pool)));
      break;
    case 'replace':
      if (pool.length === 0 || n === 0) return undefined;
      xs[rng.int(n)] = structuredClone(rng.pick(pool));
      break;
  }
  set(node, xs);
  return `list:${op}@${node.name}`;
}

function mutateNumber(rng: Stream, node: Node, d: Donors): string | undefined {
  const v = node.value as number;
  const max = NUMBER_MAX[node.name] ?? 0xffff_ffff;
  const donors = d.numbers.get(group(NUMBER_GROUP, node.name)) ?? [];
  const candidates: [string, number][] = [
    ['zero', 0],
    ['one', 1],
    ['dec', v - 1],
    ['inc', v + 1],
    ['double', v * 2], // the forum's 50 -> 100
    ['half', Math.floor(v / 2)],
    ['max16', 0xffff],
    ['max', max],
    ['high-bit', max === 0xffff ? 0x8000 : 0x8000_0000],
    ['random', rng.int(max + 1)],
  ];
  if (donors.length > 0) candidates.push(['donor', rng.pick(donors)]);
  const [name, value] = rng.pick(candidates.filter(([, x]) => x >= 0 && x <= max && x !== v));
  set(node, value);
  return `number:${name}@${node.name}`;
}

function mutateSerial(rng: Stream, node: Node, d: Donors): string {
  const v = node.value as bigint;
  const candidates: [string, bigint][] = [
    ['zero', 0n],
    ['inc', v + 1n],
    ['dec', v === 0n ? 1n : v - 1n],
    ['int64-max', 2n ** 63n - 1n],
    ['int64-overflow', 2n ** 63n],
    ['max', 2n ** 64n - 1n],
    ['random', BigInt.asUintN(64, (BigInt(rng.int(2 ** 32)) << 32n) | BigInt(rng.int(2 ** 32)))],
    ['donor', d.serials.length > 0 ? rng.pick(d.serials) : 1n],
  ];
  const [name, value] = rng.pick(candidates);
  set(node, value);
  return `serial:${name}@${node.name}`;
}

function mutateBytes(rng: Stream, node: Node, d: Donors): string | undefined {
  const v = node.value as Uint8Array;
  const same = d.bytes.get(group(BYTES_GROUP, node.name)) ?? [];
  const all = [...d.bytes.values()];
  const op = rng.pick(['flip', 'flip', 'donor', 'donor', 'donor', 'other-group', 'empty', 'shorter', 'longer', 'zero', 'random']);
  let out: Uint8Array;
  switch (op) {
    case 'flip':
      if (v.length === 0) return undefined;
      out = v.slice();
      out[rng.int(out.length)]! ^= 1 << rng.int(8);
      break;
    case 'donor':
      if (same.length === 0) return undefined;
      out = rng.pick(same);
      break;
    case 'other-group':
      out = rng.pick(rng.pick(all));
      break;
    case 'empty':
      out = new Uint8Array(0);
      break;
    case 'shorter':
      if (v.length === 0) return undefined;
      out = v.slice(0, v.length - 1 - rng.int(Math.min(8, v.length)));
      break;
    case 'longer': {
      out = new Uint8Array(v.length + 1 + rng.int(8));
      out.set(v, 0);
      break;
    }
    case 'zero':
      out = new Uint8Array(v.length);
      break;
    default:
      out = rng.bytes(v.length);
  }
  set(node, out);
  return `bytes:${op}@${node.name}`;
}

function mutateMessage(rng: Stream, node: Node, d: Donors): string | undefined {
  const pool = d.messages.get(typeof node.key === 'number' ? group(LIST_GROUP, node.name) : group(MESSAGE_GROUP, node.name)) ?? [];
  if (pool.length === 0) return undefined;
  // A copy: a later change in the same mutant must not reach into the pool.
  set(node, structuredClone(rng.pick(pool)));
  return `message:donor@${node.name}`;
}

function mutateField(rng: Stream, root: Record<string, unknown>, d: Donors): string | undefined {
  const node = rng.pick(collect(root));
  const v = node.value;
  if (Array.isArray(v)) return mutateList(rng, node, d);
  if (v instanceof Uint8Array) return mutateBytes(rng, node, d);
  if (typeof v === 'number') return mutateNumber(rng, node, d);
  if (typeof v === 'bigint') return mutateSerial(rng, node, d);
  if (isMessage(v)) return mutateMessage(rng, node, d);
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------

export type Family = 'bytes' | 'structure' | 'structure+bytes' | 'replay';

export interface Mutant {
  readonly bytes: Uint8Array;
  /** The seed message the mutant was made from (its index in the target's seeds). */
  readonly seed: number;
  readonly family: Family;
  readonly ops: readonly string[];
}

function byteMutant(rng: Stream, b: Uint8Array, d: Donors, ops: string[]): Uint8Array {
  let out = b;
  const n = 1 + (rng.bernoulli(0.25) ? 1 : 0);
  for (let i = 0; i < n; i++) {
    const op = rng.pick(BYTE_OPS);
    out = byteOps[op]!(rng, out, d);
    ops.push(`bytes:${op}`);
  }
  return out;
}

/** One mutant of one of `seeds` (valid encodings of `codec`), decided by `rng` alone. */
export function mutate(rng: Stream, codec: Message<unknown>, seeds: readonly Uint8Array[], d: Donors): Mutant {
  const seed = rng.int(seeds.length);
  const original = seeds[seed]!;
  const r = rng.random();
  const ops: string[] = [];
  if (r < 0.04) {
    // A whole valid message again: the same one, or another of its type the receiver may have seen.
    const other = rng.int(seeds.length);
    return { bytes: seeds[other]!, seed: other, family: 'replay', ops: ['replay'] };
  }
  if (r < 0.46) return { bytes: byteMutant(rng, original, d, ops), seed, family: 'bytes', ops };
  const withBytes = r >= 0.92;
  for (let attempt = 0; attempt < 8; attempt++) {
    ops.length = 0;
    const value = codec.decode(original) as Record<string, unknown>;
    const n = 1 + (rng.bernoulli(0.3) ? 1 + rng.int(2) : 0);
    for (let i = 0; i < n; i++) {
      const op = mutateField(rng, value, d);
      if (op !== undefined) ops.push(op);
    }
    if (ops.length === 0) continue;
    let bytes: Uint8Array;
    try {
      bytes = codec.encode(value);
    } catch (e) {
      if (e instanceof EncodeError) continue; // e.g. a list past its maximum: try another change
      throw e;
    }
    if (withBytes) bytes = byteMutant(rng, bytes, d, ops);
    return { bytes, seed, family: withBytes ? 'structure+bytes' : 'structure', ops };
  }
  return { bytes: byteMutant(rng, original, d, ops), seed, family: 'bytes', ops };
}
