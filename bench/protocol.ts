// `npm run bench -- protocol [--quick] [--markdown] [--row NAME]`: what the protocol costs per flow on each key
// scheme, against what its signature operations alone cost, measured in the same run (the aim: no more than
// 1.2x). Per scheme row (RA, issuer and cards on one scheme, banks on rsa-blind; one row on bls-blind):
//   - withdraw: World.withdraw, the whole flow: register a fresh key (keygen, RA certificate), blind, the bank
//     debits and blind-signs, unblind, the issuer redeems (two verifications, coin signature, SQLite insert);
//   - payee cold: checkOffer + makeChallenge + acceptSteps for a one-part payment of a fresh lot (chain length 0)
//     by a payee with no cache: RA certificate, issuer coin signature and the new step are all verified;
//   - payee warm: the same payment again from the same lot to a payee whose VerifiedSet already holds that
//     certificate and coin (a customer paying twice at one shop): only the new step is verified;
//   - payer: the payer's card signing the step of the cold payment, its key loaded (as on a real card);
//   - return n: Issuer.processReturn of fully paid records whose chain has n steps (n - 1 payments and the
//     deposit step), each its own coin, in three batches per length to a store per round holding the round's coins
//     as issued: the issuer verifies every step (its positive list vouches for the coin).
// Signature operations are counted, not assumed: a counting key suite tallies each call by the role whose key it
// uses and whether the key is fresh (first use: parsing, BLS line precomputation) or hot (cached). Flows are
// timed in chunks, and beside each chunk its *shadow*: exactly the chunk's signature operations called directly
// on the schemes, keys in the same states (lib/signature-shadow.ts), the order alternating, so both see the same
// machine. Times are this process's CPU time (wall time counts the slices other jobs got):
//     cost ratio = chunk CPU time / its shadow's CPU time, median over chunks    (1.00 = nothing but signatures)
// Rates are medians over rounds. The same flows on a stub suite (no cryptography, every signature verifies)
// give the protocol-only time: what encoding, hashing, SQLite and bookkeeping cost (best round). A round is a
// fresh World, so keys, stores and caches start as a deployment's would.
// Last, the issuer's SQLite stores alone: inserts per second, batched in transactions and not, in memory and on
// a WAL file. Prints tables and writes bench/out/protocol.json (machine, settings, every row).

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bank } from '../protocol/bank.ts';
import type { HeldLot } from '../protocol/card.ts';
import type { KeyPair } from '../protocol/crypto/scheme.ts';
import { keyOf } from '../protocol/hash.ts';
import { coinId, stepId } from '../protocol/ids.ts';
import { Issuer, type IssuerPolicy, type ReturnResult } from '../protocol/issuer.ts';
import { Coin, type Challenge, type PaymentPart, type TransactionRecord } from '../protocol/messages.ts';
import { acceptSteps, checkOffer, makeChallenge } from '../protocol/payment.ts';
import { VerifiedSet, type Lot, type Verifier } from '../protocol/record.ts';
import { ProposedStore } from '../protocol/store/proposed.ts';
import { keySuite, type KeySuite, type KeySuiteNames } from '../protocol/suite.ts';
import { World, type User } from '../protocol/testing.ts';
import { countingSuite, OpTally, parseOpClass, stubSuite, type OpClass, type Role } from './lib/instrumented-suite.ts';
import { describeMachine, recordMachine, type Machine } from './lib/machine.ts';
import { CountingMeter, PairedMeter, TimingMeter, type ChunkSample } from './lib/paired-meter.ts';
import type { ShadowContext } from './lib/signature-shadow.ts';
import { formatSqlite, measureSqlite, type SqliteRow, type StoreWriteSettings } from './lib/store-writes.ts';
import { formatRate, formatTable, type Column, type TableStyle } from './lib/table.ts';

export const DENOMINATION = 1000;
export const CHAIN_LENGTHS: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8];
/** Users that withdraw (round robin, so no card holds many keys), one payee, and the holders along return chains. */
const WITHDRAWERS = 16;
const HOPPERS = 8;
const CARD_READY = new TextEncoder().encode('bench/protocol: card ready');
const ISSUER_POLICY: IssuerPolicy = { coinLifetime: 30 * 86400, expiryGrace: 86400, archiveRetention: Infinity, maxChain: 8 };

export interface SchemeRow {
  /** `card scheme / bank scheme`, the row's name in tables and JSON. */
  readonly name: string;
  readonly suite: KeySuiteNames;
  /** A row that differs from another only in the bank's scheme measures only the withdrawal. */
  readonly flows: 'all' | 'withdraw';
}

function row(scheme: string, bank = 'rsa-blind', flows: SchemeRow['flows'] = 'all'): SchemeRow {
  return { name: `${scheme} / ${bank}`, suite: { ra: scheme, issuer: scheme, bank, card: scheme }, flows };
}

export const ROWS: readonly SchemeRow[] = [
  row('ed25519@sodium'),
  row('ed25519@native'),
  row('ed25519@noble'),
  row('p256@native'),
  row('p256@noble'),
  row('secp256k1@noble'),
  row('schnorr-secp256k1@noble'),
  row('bls12-381@noble'),
  row('ed25519@sodium', 'bls-blind', 'withdraw'),
];

export type Flow = 'withdraw' | 'payee cold' | 'payee warm' | 'payer' | `return ${number}`;

export interface Settings extends StoreWriteSettings {
  readonly rounds: number;
  /** Timed work aimed at per round: the cold payments; all return batches together; the withdrawals. */
  readonly payMs: number;
  readonly returnMs: number;
  readonly withdrawMs: number;
  readonly payments: readonly [min: number, max: number];
  readonly returnsPerLength: readonly [min: number, max: number];
  readonly withdrawals: readonly [min: number, max: number];
  /** Withdrawals and payments are timed in chunks of about this long, each beside its shadow. */
  readonly chunkMs: number;
  /** Batches each chain length's returned records are split into (fewer when there are fewer records). */
  readonly returnBatches: number;
  readonly chainLengths: readonly number[];
}

export const FULL: Settings = {
  rounds: 5,
  payMs: 100,
  returnMs: 250,
  withdrawMs: 200,
  payments: [4, 100],
  returnsPerLength: [1, 24],
  withdrawals: [4, 100],
  chunkMs: 10,
  returnBatches: 3,
  chainLengths: CHAIN_LENGTHS,
  sqliteOps: 10_000,
  sqliteRounds: 3,
  sqliteBatch: 1000,
};
export const QUICK: Settings = {
  ...FULL,
  rounds: 2,
  payMs: 40,
  returnMs: 80,
  withdrawMs: 80,
  payments: [2, 60],
  returnsPerLength: [1, 12],
  withdrawals: [2, 60],
  chunkMs: 5,
  returnBatches: 2,
  sqliteOps: 2000,
  sqliteRounds: 1,
};
/** Every flow and operation once, timings meaningless: for the test that keeps the benchmark from rotting. */
export const SMOKE: Settings = {
  ...FULL,
  rounds: 1,
  payMs: 0,
  returnMs: 0,
  withdrawMs: 0,
  payments: [1, 1],
  returnsPerLength: [1, 1],
  withdrawals: [1, 1],
  chunkMs: 0,
  returnBatches: 1,
  chainLengths: [1, 3],
  sqliteOps: 4,
  sqliteRounds: 1,
  sqliteBatch: 2,
};

/**
 * How much one round does. The first `timedWithdrawals` withdrawals are timed; the round withdraws at least as
 * many coins as its payments and returns use, the rest untimed.
 */
export interface Plan {
  readonly timedWithdrawals: number;
  readonly payments: number;
  readonly returnsPerLength: number;
  /** Each length's records go back in this many batches, each timed beside its own shadow. */
  readonly returnBatches: number;
  readonly chainLengths: readonly number[];
}

export function withdrawalsOf(plan: Plan): number {
  const returns = plan.returnsPerLength * plan.chainLengths.length;
  // One more coin when there are returns: the warm-up return (runRound).
  return Math.max(plan.timedWithdrawals, plan.payments + returns + (returns > 0 ? 1 : 0));
}

// --- One round: a fresh World, every flow in chunks, each chunk timed (or counted) beside its shadow. ---

let worlds = 0;

/** A World for one round. Card keys derive from user name and registration count, so each World starts its users
 * at a count no other World used: every card key of the round is new to the process, as a new user's would be. */
function roundWorld(keys: KeySuite): World {
  const w = new World({ keys, label: 'bench/protocol', banks: 1, users: WITHDRAWERS + 1 + HOPPERS, balance: 1e15 });
  const offset = ++worlds * 1_000_000;
  for (const u of w.users) u.registrations = offset;
  // The bank's key for the epoch exists before the first customer arrives.
  w.banks[0]!.blindKey(DENOMINATION, w.epoch);
  return w;
}

interface Held {
  readonly user: User;
  readonly lot: HeldLot;
}

/** The card signs all of `lot` over to the challenger; the record the payee (or bank) would keep. */
function signOver(holder: Held, challenge: Challenge): TransactionRecord {
  const part: PaymentPart = { certificate: holder.lot.identity.certificate, record: holder.lot.record, amount: holder.lot.remaining };
  const [step] = holder.user.card.sign([part], challenge, true);
  return { coin: holder.lot.record.coin, chain: [...holder.lot.record.chain, step!] };
}

/**
 * A record of `steps` steps ending in `bank`'s deposit key: the coin paid in full along steps - 1 fresh keys,
 * then deposited. Built with the cards' own signing and no checks, so no verification touches a key before the
 * timed issuer does (its checks must find every card key fresh, as a real issuer would).
 */
function returnedRecord(w: World, start: Held, steps: number, hoppers: readonly User[], bank: Bank): TransactionRecord {
  let holder = start;
  for (let i = 1; i < steps; i++) {
    const next = hoppers[(i - 1) % hoppers.length]!;
    w.register(next);
    const payeeKey = next.card.receivingIdentity.keyPair.publicKey;
    const record = signOver(holder, makeChallenge(payeeKey, w.random));
    const step = record.chain[record.chain.length - 1]!;
    const lot = next.card.receive(record, { id: stepId(step), serial: record.coin.serial, amount: step.amount, holderKey: payeeKey }, w.now);
    holder = { user: next, lot };
  }
  return signOver(holder, bank.depositChallenge(w.random));
}

function checkReturn(result: ReturnResult | undefined, steps: number, records: number): void {
  const ok =
    result !== undefined &&
    result.statuses.length === records &&
    result.statuses.every((s) => s === 'credited') &&
    result.detections.length === 0 &&
    result.settled === records * DENOMINATION &&
    result.verified === records * steps;
  if (!ok) throw new Error(`protocol bench: return of ${records} records of ${steps} steps did not credit cleanly`);
}

function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  const step = Math.max(1, Math.min(items.length, size));
  for (let i = 0; i < items.length; i += step) out.push(items.slice(i, i + step));
  return out;
}

/** Runs every flow of `plan` once on a fresh World over `keys`; returns the ops done per flow. */
export function runRound(keys: KeySuite, plan: Plan, meter: TimingMeter<Flow>): Map<Flow, number> {
  const w = roundWorld(keys);
  const ops = new Map<Flow, number>();
  try {
    const shadows: ShadowContext = { suite: w.suite, bankKey: w.banks[0]!.blindKey(DENOMINATION, w.epoch), random: w.random };
    const withdrawers = w.users.slice(0, WITHDRAWERS);
    const payee = w.users[WITHDRAWERS]!;
    const hoppers = w.users.slice(WITHDRAWERS + 1);
    const bank = w.banks[0]!;

    const coins: { user: User; coin: Coin }[] = [];
    const turns = Array.from({ length: withdrawalsOf(plan) }, (_, i) => withdrawers[i % withdrawers.length]!);
    const withdraw = (users: readonly User[]): void => {
      for (const user of users) coins.push({ user, coin: w.withdraw(user, DENOMINATION) });
    };
    for (const users of chunked(turns.slice(0, plan.timedWithdrawals), meter.chunk('withdraw'))) {
      meter.pair(shadows, [['withdraw', users.length]], () => meter.time('withdraw', () => withdraw(users)));
    }
    withdraw(turns.slice(plan.timedWithdrawals));
    ops.set('withdraw', plan.timedWithdrawals);
    const held: Held[] = coins.map(({ user, coin }) => {
      const lot = user.card.lots.get(keyOf(coinId(coin)));
      if (lot === undefined) throw new Error('protocol bench: withdrawn coin not on the card');
      return { user, lot };
    });

    // Payments of 1 from each lot: cold, then a priming payment the warm payee checks in full, then warm.
    const payeeKey = payee.card.receivingIdentity.keyPair.publicKey;
    const cold: Verifier = { suite: w.suite, raKey: w.ra.publicKey, issuerKey: w.issuer.publicKey };
    const warm: Verifier = { ...cold, verified: new VerifiedSet() };
    const pay = (paying: readonly Held[], v: Verifier, payeeFlow: Flow | null, payerFlow: Flow | null): void => {
      const time = (flow: Flow | null, fn: () => void): void => (flow === null ? fn() : meter.time(flow, fn));
      const offers = paying.map(({ lot }): PaymentPart[] => [{ certificate: lot.identity.certificate, record: lot.record, amount: 1 }]);
      const lots: Lot[][] = [];
      const challenges: Challenge[] = [];
      const steps: ReturnType<User['card']['sign']>[] = [];
      time(payeeFlow, () => {
        for (const offer of offers) {
          lots.push(checkOffer(v, offer, { now: w.now }));
          challenges.push(makeChallenge(payeeKey, w.random));
        }
      });
      // A card holds its key ready to sign. In this process every card shares the scheme's key cache, which the
      // round's other work churns, so each card signs once first: the timed signing finds its key as a card would.
      for (const { lot } of paying) w.suite.card.sign(lot.identity.keyPair.secretKey, CARD_READY);
      time(payerFlow, () => {
        paying.forEach(({ user }, i) => steps.push(user.card.sign(offers[i]!, challenges[i]!)));
      });
      time(payeeFlow, () => {
        offers.forEach((offer, i) => acceptSteps(v, offer, lots[i]!, challenges[i]!, steps[i]!));
      });
    };
    const paying = held.slice(0, plan.payments);
    for (const part of chunked(paying, meter.chunk('payee cold'))) {
      meter.pair(shadows, [['payee cold', part.length], ['payer', part.length]], () => pay(part, cold, 'payee cold', 'payer'));
      pay(part, warm, null, null);
      meter.pair(shadows, [['payee warm', part.length]], () => pay(part, warm, 'payee warm', null));
    }
    if (paying.length > 0) for (const flow of ['payee cold', 'payee warm', 'payer'] as const) ops.set(flow, paying.length);

    // Returns: per chain length a few batches (one transaction each, as a bank's batch is), all to one issuer
    // store per round that holds every returned coin as issued. The issuer's secret key stays with the World's issuer:
    // processing returns never signs.
    const returning = held.slice(plan.payments, plan.payments + plan.returnsPerLength * plan.chainLengths.length);
    const warmUp = held[plan.payments + returning.length];
    if (returning.length > 0 && warmUp !== undefined) {
      const store = new ProposedStore();
      try {
        store.transaction(() => {
          for (const { lot } of [...returning, warmUp]) store.issue(lot.record.coin, Coin.encode(lot.record.coin), lot.id);
        });
        const issuerKeys: KeyPair = { publicKey: w.issuer.publicKey, secretKey: new Uint8Array(0) };
        const issuer = new Issuer({ suite: w.suite, keyPair: issuerKeys, raKey: w.ra.publicKey, store, policy: ISSUER_POLICY });
        issuer.registerBank(bank.id, { depositKey: bank.depositKey.publicKey, blindKey: (d, e) => bank.blindKey(d, e).publicKey });
        // An issuer's store is in use long before any one batch: the first statements run on a new database cost
        // about half a millisecond more (measured), which would land on the first timed batch.
        checkReturn(issuer.processReturn({ bank: bank.id, batch: 0, records: [returnedRecord(w, warmUp, 1, hoppers, bank)] }, w.now), 1, 1);
        let batch = 1;
        plan.chainLengths.forEach((steps, i) => {
          const starts = returning.slice(i * plan.returnsPerLength, (i + 1) * plan.returnsPerLength);
          const flow: Flow = `return ${steps}`;
          for (const part of chunked(starts, Math.ceil(starts.length / plan.returnBatches))) {
            const records = part.map((h) => returnedRecord(w, h, steps, hoppers, bank));
            let result: ReturnResult | undefined;
            meter.pair(shadows, [[flow, records.length]], () =>
              meter.time(flow, () => {
                result = issuer.processReturn({ bank: bank.id, batch: batch++, records }, w.now);
              }),
            );
            checkReturn(result, steps, records.length);
          }
          ops.set(flow, starts.length);
        });
      } finally {
        store.close();
      }
    }
  } finally {
    w.close();
  }
  return ops;
}

// --- Per row: count and calibrate, then rounds of (flows paired with shadows, the same flows stubbed). ---

export interface FlowResult {
  readonly flow: Flow;
  /** Ops per CPU second of the flow's chunks (shadows not counted), median over rounds. */
  readonly opsPerSecond: number;
  /** The same by wall-clock time: lower than opsPerSecond when other jobs load the machine. */
  readonly wallOpsPerSecond: number;
  /** CPU ms per op, median over rounds. */
  readonly msPerOp: number;
  /** Signature-only CPU ms per op: the shadows' time, median over rounds. */
  readonly signatureMsPerOp: number;
  /** Chunk CPU time / its shadow's CPU time, median over all chunks of all rounds; quartiles. */
  readonly costRatio: number;
  readonly costRatioQ1: number;
  readonly costRatioQ3: number;
  /** The best round's CPU ms per op over the best round's shadow ms per op: less steady from run to run. */
  readonly bestRoundCostRatio: number;
  readonly chunks: number;
  /** CPU ms per op of the same flow with every signature stubbed out: the protocol's own work, best round. */
  readonly protocolOnlyMs: number;
  /** Signature operations per op of the flow, by `role op key-state`. */
  readonly signatureOps: Readonly<Partial<Record<OpClass, number>>>;
  readonly opsPerRound: number;
}

export interface RowReport {
  readonly name: string;
  readonly suite: KeySuiteNames;
  readonly plan: Plan;
  /** Ops per chunk, by flow. */
  readonly chunks: Readonly<Partial<Record<Flow, number>>>;
  readonly rounds: number;
  readonly flows: readonly FlowResult[];
}

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = s[Math.floor(at)] ?? NaN;
  const hi = s[Math.ceil(at)] ?? NaN;
  return lo + (hi - lo) * (at - Math.floor(at));
}

const clamp = (x: number, [min, max]: readonly [number, number]): number => Math.min(max, Math.max(min, Math.round(x)));

function perOp(counts: Map<OpClass, number>, ops: number): Map<OpClass, number> {
  return new Map([...counts].map(([c, n]) => [c, n / ops]));
}

/**
 * Counts each flow's signature operations (two rounds of a small plan on a counting suite; the first only makes
 * the long-lived keys seen, as a running system's are), and from the second round's times sizes the measured
 * plan and its chunks.
 */
export function countOps(
  suite: KeySuite,
  r: SchemeRow,
  settings: Settings,
): { counts: Map<Flow, Map<OpClass, number>>; plan: Plan; chunks: Map<Flow, number> } {
  const small: Plan = {
    timedWithdrawals: 2,
    payments: r.flows === 'all' ? 2 : 0,
    returnsPerLength: r.flows === 'all' ? 1 : 0,
    returnBatches: 1,
    chainLengths: settings.chainLengths,
  };
  const tally = new OpTally();
  const keys = countingSuite(suite, tally);
  runRound(keys, small, new CountingMeter<Flow>(tally));
  const meter = new CountingMeter<Flow>(tally);
  const ops = runRound(keys, small, meter);
  const counts = new Map([...meter.counts].map(([flow, c]) => [flow, perOp(c, ops.get(flow) ?? 1)] as const));
  const msPerOp = (flow: Flow): number => (meter.spans.get(flow)?.cpu ?? NaN) / (ops.get(flow) ?? 1);
  const all = r.flows === 'all';
  const plan: Plan = {
    timedWithdrawals: clamp(settings.withdrawMs / msPerOp('withdraw'), settings.withdrawals),
    payments: all ? clamp(settings.payMs / msPerOp('payee cold'), settings.payments) : 0,
    returnsPerLength: all ? clamp(settings.returnMs / settings.chainLengths.reduce((s, n) => s + msPerOp(`return ${n}`), 0), settings.returnsPerLength) : 0,
    returnBatches: settings.returnBatches,
    chainLengths: settings.chainLengths,
  };
  const chunkOf = (ms: number): number => Math.max(1, Math.round(settings.chunkMs / ms));
  const chunks = new Map<Flow, number>([['withdraw', chunkOf(msPerOp('withdraw'))]]);
  if (r.flows === 'all') {
    chunks.set('payee cold', chunkOf(msPerOp('payee cold') + msPerOp('payer')));
  }
  return { counts, plan, chunks };
}

export function measureRow(r: SchemeRow, settings: Settings, log: (line: string) => void = () => {}): RowReport {
  const suite = keySuite(r.suite);
  const stubs = stubSuite(suite);
  const { counts, plan, chunks } = countOps(suite, r, settings);
  const perRound: { meter: PairedMeter<Flow>; stub: TimingMeter<Flow>; ops: Map<Flow, number> }[] = [];
  for (let round = 0; round < settings.rounds; round++) {
    const meter = new PairedMeter<Flow>(counts, chunks);
    const ops = runRound(suite, plan, meter);
    const stub = new TimingMeter<Flow>();
    runRound(stubs, plan, stub);
    perRound.push({ meter, stub, ops });
    log(`  ${r.name}: round ${round + 1}/${settings.rounds}`);
  }
  const flows: FlowResult[] = [];
  for (const [flow, ops] of perRound[0]?.ops ?? []) {
    const samples = perRound.flatMap((p) => p.meter.samples.get(flow) ?? []);
    const ratios = samples.map((x) => x.span.cpu / x.shadow.cpu);
    const perRoundMs = (pick: (x: ChunkSample) => number): number[] =>
      perRound.map((p) => (p.meter.samples.get(flow) ?? []).reduce((sum, x) => sum + pick(x), 0) / ops);
    const cpu = perRoundMs((x) => x.span.cpu);
    const shadow = perRoundMs((x) => x.shadow.cpu);
    flows.push({
      flow,
      opsPerSecond: 1000 / quantile(cpu, 0.5),
      wallOpsPerSecond: 1000 / quantile(perRoundMs((x) => x.span.wall), 0.5),
      msPerOp: quantile(cpu, 0.5),
      signatureMsPerOp: quantile(shadow, 0.5),
      costRatio: quantile(ratios, 0.5),
      costRatioQ1: quantile(ratios, 0.25),
      costRatioQ3: quantile(ratios, 0.75),
      bestRoundCostRatio: Math.min(...cpu) / Math.min(...shadow),
      chunks: samples.length,
      protocolOnlyMs: Math.min(...perRound.map((p) => (p.stub.spans.get(flow)?.cpu ?? NaN) / ops)),
      signatureOps: Object.fromEntries(counts.get(flow) ?? []),
      opsPerRound: ops,
    });
  }
  return { name: r.name, suite: r.suite, plan, chunks: Object.fromEntries(chunks), rounds: settings.rounds, flows };
}

// --- Report. ---

export interface ProtocolReport {
  readonly benchmark: 'protocol';
  readonly mode: 'full' | 'quick' | 'smoke';
  readonly machine: Machine;
  readonly settings: Settings;
  readonly definitions: Readonly<Record<string, string>>;
  readonly rows: readonly RowReport[];
  readonly sqlite: readonly SqliteRow[];
}

export const DEFINITIONS: Readonly<Record<string, string>> = {
  costRatio: 'chunk CPU time / its shadow\'s CPU time, median over chunks; a shadow is a chunk\'s counted signature operations called directly on the schemes, keys in the same states, timed right beside it (1.00 = nothing but signatures)',
  bestRoundCostRatio: 'the best round\'s CPU ms per op over the best round\'s shadow ms per op',
  signatureOps: "'role op state': role whose key is used (ra, issuer, bank, card); state fresh = first use of that key in the process (parse, BLS lines), hot = cached, new = keygen",
  'payee cold': 'checkOffer + makeChallenge + acceptSteps, one part, fresh lot (chain length 0), payee without a VerifiedSet',
  'payee warm': 'the same payee work for a second payment from the same lot, with a VerifiedSet already holding its certificate and coin',
  payer: "the payer card's sign for the cold payment, its key loaded as on a real card",
  'return n': 'Issuer.processReturn per record: one batch per length of fully paid records with n steps (deposit included), each its own coin, to a store holding the round\'s coins as issued',
  opsPerSecond: 'per CPU second of this process (user + system), median over rounds; wallOpsPerSecond is per wall-clock second, lower when the machine is shared',
  protocolOnlyMs: 'the same flow on a stub key suite (no cryptography): encoding, hashing, SQLite, bookkeeping; CPU ms per op, best of the rounds (the stub rounds are short, and load only ever slows them)',
};

const ratio = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(2)}x` : '-');
const micro = (ms: number): string => (Number.isFinite(ms) ? formatRate(ms * 1000) : '-');

function flowOf(r: RowReport, flow: Flow): FlowResult | undefined {
  return r.flows.find((f) => f.flow === flow);
}

export function formatFlows(rows: readonly RowReport[], style: TableStyle = 'plain'): string {
  const flows: Flow[] = ['withdraw', 'payee cold', 'payee warm', 'payer'];
  const columns: Column[] = [
    { header: 'card, RA, issuer / bank' },
    ...flows.flatMap((f): Column[] => [
      { header: `${f === 'withdraw' ? 'withdrawals' : f}/s`, align: 'right' },
      { header: 'cost', align: 'right' },
    ]),
  ];
  return formatTable(
    columns,
    rows.map((r) => [
      r.name,
      ...flows.flatMap((f) => {
        const x = flowOf(r, f);
        return x === undefined ? ['-', ''] : [formatRate(x.opsPerSecond), ratio(x.costRatio)];
      }),
    ]),
    style,
  );
}

export function formatReturns(rows: readonly RowReport[], chainLengths: readonly number[], style: TableStyle = 'plain'): string {
  const columns: Column[] = [{ header: 'returns/s (cost) by steps' }, ...chainLengths.map((n): Column => ({ header: `${n}`, align: 'right' }))];
  return formatTable(
    columns,
    rows
      .filter((r) => flowOf(r, `return ${chainLengths[0] ?? 1}`) !== undefined)
      .map((r) => [
        r.name,
        ...chainLengths.map((n) => {
          const x = flowOf(r, `return ${n}`);
          return x === undefined ? '-' : `${formatRate(x.opsPerSecond)} (${ratio(x.costRatio)})`;
        }),
      ]),
    style,
  );
}

const ROLE_NAMES: Record<Role, string> = { ra: 'RA', issuer: 'issuer', bank: 'bank', card: 'card' };

/** `RA, issuer, card* x3`: who signed what is checked; * = a key used for the first time. */
export function describeOps(ops: Readonly<Partial<Record<OpClass, number>>>, op: string): string {
  return Object.entries(ops)
    .map(([c, n]) => ({ ...parseOpClass(c as OpClass), n: n ?? 0 }))
    .filter((x) => x.op === op && x.n > 0)
    .map((x) => `${ROLE_NAMES[x.role]}${x.state === 'fresh' ? '*' : ''}${x.n === 1 ? '' : ` x${Number.isInteger(x.n) ? x.n : x.n.toFixed(2)}`}`)
    .join(', ');
}

/** Signature operations per flow (the same on every row: the first row's are printed) and where the time goes. */
export function formatOps(r: RowReport, style: TableStyle = 'plain'): string {
  const columns: Column[] = [
    { header: 'flow' },
    { header: 'verifies' },
    { header: 'signs' },
    { header: 'other' },
    { header: 'µs' , align: 'right' },
    { header: 'sigs µs', align: 'right' },
    { header: 'stubbed µs', align: 'right' },
  ];
  return formatTable(
    columns,
    r.flows.map((f) => [
      f.flow,
      describeOps(f.signatureOps, 'verify'),
      describeOps(f.signatureOps, 'sign'),
      ['keygen', 'blind', 'blindSign', 'finalize']
        .map((op) => {
          const d = describeOps(f.signatureOps, op);
          return d === '' ? '' : `${op}: ${d}`;
        })
        .filter((d) => d !== '')
        .join('; '),
      micro(f.msPerOp),
      micro(f.signatureMsPerOp),
      micro(f.protocolOnlyMs),
    ]),
    style,
  );
}

/** Rows whose op counts differ from the first row's (there should be none: the protocol does not depend on the scheme). */
export function countMismatches(rows: readonly RowReport[]): string[] {
  const first = rows[0];
  if (first === undefined) return [];
  return rows.slice(1).flatMap((r) =>
    r.flows.flatMap((f) => {
      const base = flowOf(first, f.flow);
      return base === undefined || JSON.stringify(base.signatureOps) === JSON.stringify(f.signatureOps) ? [] : [`${r.name} ${f.flow}`];
    }),
  );
}

const USAGE = 'usage: npm run bench -- protocol [--quick] [--markdown] [--row NAME]...';

function parseArgs(args: string[]): { mode: 'full' | 'quick'; markdown: boolean; rows: SchemeRow[] } {
  let mode: 'full' | 'quick' = 'full';
  let markdown = false;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--quick') mode = 'quick';
    else if (a === '--markdown') markdown = true;
    else if (a === '--row' && args[i + 1] !== undefined) names.push(args[++i]!);
    else throw new Error(`protocol bench: unknown argument '${a}'\n${USAGE}`);
  }
  const rows = names.length === 0 ? [...ROWS] : ROWS.filter((r) => names.some((n) => r.name === n || r.name.startsWith(`${n} /`)));
  if (rows.length === 0) throw new Error(`protocol bench: no row named ${names.join(', ')} (have: ${ROWS.map((r) => r.name).join(', ')})`);
  return { mode, markdown, rows };
}

export default async function runProtocolBench(args: string[]): Promise<void> {
  const { mode, markdown, rows: selected } = parseArgs(args);
  const settings = mode === 'quick' ? QUICK : FULL;
  const style: TableStyle = markdown ? 'markdown' : 'plain';
  const machine = recordMachine();
  console.log(`protocol: ${describeMachine(machine)}; load average ${machine.loadAverage.join(' ')}; ${mode} run`);
  const started = performance.now();
  const log = (line: string): void => void process.stderr.write(`${line} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
  const rows: RowReport[] = [];
  for (const r of selected) rows.push(measureRow(r, settings, log));
  const sqlite = measureSqlite(settings);
  log('  sqlite');
  const report: ProtocolReport = { benchmark: 'protocol', mode, machine, settings, definitions: DEFINITIONS, rows, sqlite };
  console.log(`ops per CPU second (median of ${settings.rounds} rounds); cost = CPU time / signature-only CPU time of the same operations timed beside it, median over chunks (1.00x = all signatures)`);
  console.log(formatFlows(rows, style));
  console.log();
  console.log(formatReturns(rows, settings.chainLengths, style));
  console.log();
  const first = rows[0];
  if (first !== undefined) {
    console.log(`signature operations per op (* = first use of that key) and where the time goes, ${first.name}:`);
    console.log(formatOps(first, style));
    const mismatches = countMismatches(rows);
    console.log(mismatches.length === 0 ? 'every row counted the same operations' : `rows counting other operations: ${mismatches.join(', ')}`);
    console.log();
  }
  console.log(formatSqlite(sqlite, settings.sqliteBatch, style));
  const out = join(dirname(fileURLToPath(import.meta.url)), 'out', 'protocol.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${out} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
