// Properties of the whole protocol over random histories of honest users and cheaters, run on a real World
// (real signatures, real SQLite stores). Each history is a list of actions interpreted against the world; a
// ground truth of what every card signed, and a model of what the issuer must know and flag, are kept beside it
// and checked after every action.
//
// Money, decided precisely. Banks credit a customer at deposit, before the issuer has seen the record, so the
// users' money is accounts + value on cards, and a breached card's overspend adds value nobody paid for:
//
//   accounts + cards              = created + fraud         fraud = sum over lots of max(0, signed away - amount)
//   deposited at banks            = settled by issuer + in flight   (in flight: deposited, not yet returned)
//   cards + in flight             = sum over coins of (value - returned at issuer) + fraud
//
// The third is the issuer's own view: what it has not yet settled for each coin is on cards or on its way.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Bank } from './bank.ts';
import type { HeldLot } from './card.ts';
import { ProtocolError, type RejectCode } from './errors.ts';
import { equalBytes, keyOf } from './hash.ts';
import { coinId, stepId } from './ids.ts';
import type { Detection, ReturnResult } from './issuer.ts';
import { TransactionRecord, type Coin, type PaymentPart, type ReturnBatch } from './messages.ts';
import { checkOffer } from './payment.ts';
import type { Lot } from './record.ts';
import { World, type User } from './testing.ts';

// One seed for every run, so CI is reproducible; FC_SEED=<n> explores others (a failure prints its seed).
fc.configureGlobal({ seed: Number(process.env['FC_SEED'] ?? 20261124) });

const DENOMINATIONS = [100, 1000] as const;
const RUNS = 50;

function throwsCode(fn: () => unknown, code: RejectCode): void {
  assert.throws(fn, (e) => e instanceof ProtocolError && e.code === code, `expected ProtocolError '${code}'`);
}

/** What a card's last lot holds, from its record. */
function lotAmount(lot: HeldLot): number {
  const last = lot.record.chain[lot.record.chain.length - 1];
  return last === undefined ? lot.record.coin.value : last.amount;
}

// ---------------------------------------------------------------------------------------------------------------
// Ground truth: every lot a card ever signed from, who held it, and how much its holder signed away.

interface TrueLot {
  readonly id: Uint8Array;
  readonly serial: bigint;
  readonly amount: number;
  readonly holder: string;
  readonly parent: string | undefined;
  signed: number;
}

class Truth {
  readonly lots = new Map<string, TrueLot>();
  readonly breached = new Set<string>();

  coin(coin: Coin, holder: string): void {
    const id = coinId(coin);
    this.lots.set(keyOf(id), { id, serial: coin.serial, amount: coin.value, holder, parent: undefined, signed: 0 });
  }

  /** A record's last step: `holder` received it (a user, or `bank:<id>` for a deposit). */
  step(record: TransactionRecord, holder: string): void {
    const step = record.chain[record.chain.length - 1]!;
    const parent = this.lots.get(keyOf(step.from));
    assert.ok(parent, 'every step spends from a lot the truth knows');
    parent.signed += step.amount;
    const id = stepId(step);
    this.lots.set(keyOf(id), { id, serial: record.coin.serial, amount: step.amount, holder, parent: keyOf(step.from), signed: 0 });
  }

  overspent(): TrueLot[] {
    return [...this.lots.values()].filter((l) => l.signed > l.amount);
  }

  get fraud(): number {
    let sum = 0;
    for (const l of this.lots.values()) sum += Math.max(0, l.signed - l.amount);
    return sum;
  }

  fraudOf(serial: bigint): number {
    let sum = 0;
    for (const l of this.lots.values()) if (l.serial === serial) sum += Math.max(0, l.signed - l.amount);
    return sum;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The issuer as PROTOCOL.md states it, record by record: what it knows, what it has flagged, what is outstanding.

interface ModelCoin {
  readonly value: number;
  returned: number;
  archived: boolean;
  /** Known lots of the coin (root first), as keyOf(id). */
  readonly lots: string[];
}

interface KnownLot {
  readonly id: Uint8Array;
  readonly serial: bigint;
  readonly amount: number;
  spent: number;
}

class IssuerModel {
  readonly coins = new Map<bigint, ModelCoin>();
  readonly known = new Map<string, KnownLot>();
  /** `${rule}:${hex lot}` -> time first flagged. */
  readonly flags = new Map<string, number>();
  /** Mirror of each bank's pending records, in order. */
  readonly pending: TransactionRecord[][];
  redeemed = 0;
  records = 0;

  constructor(banks: number) {
    this.pending = Array.from({ length: banks }, () => []);
  }

  issue(coin: Coin): void {
    const id = coinId(coin);
    this.coins.set(coin.serial, { value: coin.value, returned: 0, archived: false, lots: [keyOf(id)] });
    this.known.set(keyOf(id), { id, serial: coin.serial, amount: coin.value, spent: 0 });
    this.redeemed++;
  }

  private flag(rule: 'tree' | 'paper', lot: Uint8Array, now: number, out: string[]): void {
    const k = `${rule}:${hex(lot)}`;
    if (this.flags.has(k)) return;
    this.flags.set(k, now);
    out.push(`${k}@${now}`);
  }

  /** One returned record: its status, what it settles and the detections it must raise. */
  apply(record: TransactionRecord, now: number, out: string[]): { status: 'credited' | 'duplicate'; settled: number } {
    const ids = [coinId(record.coin), ...record.chain.map((s) => stepId(s))];
    if (this.known.has(keyOf(ids[ids.length - 1]!))) return { status: 'duplicate', settled: 0 };
    const coin = this.coins.get(record.coin.serial)!;
    record.chain.forEach((step, i) => {
      const k = keyOf(ids[i + 1]!);
      if (this.known.has(k)) return;
      this.known.set(k, { id: ids[i + 1]!, serial: record.coin.serial, amount: step.amount, spent: 0 });
      coin.lots.push(k);
      const parent = this.known.get(keyOf(ids[i]!))!;
      parent.spent += step.amount;
      // Tree rule: a holder has signed away more than it received.
      if (parent.spent > parent.amount) this.flag('tree', parent.id, now, out);
    });
    const amount = record.chain[record.chain.length - 1]!.amount;
    this.records++;
    coin.returned += amount;
    // Paper rule: the sum over the value, or back after deletion; the culprits are the overspent lots known.
    if (coin.archived || coin.returned > coin.value) {
      for (const k of coin.lots) {
        const lot = this.known.get(k)!;
        if (lot.spent > lot.amount) this.flag('paper', lot.id, now, out);
      }
    }
    // Once the sum reaches the value the coin is no longer outstanding (PROTOCOL.md, Fraud detection).
    if (!coin.archived && coin.returned >= coin.value) coin.archived = true;
    return { status: 'credited', settled: amount };
  }
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

// ---------------------------------------------------------------------------------------------------------------
// Histories.

type Action =
  | { readonly t: 'withdraw'; readonly u: number; readonly d: number; readonly replay: boolean }
  | { readonly t: 'pay'; readonly u: number; readonly v: number; readonly pct: number }
  | { readonly t: 'doubleSpend'; readonly u: number; readonly lot: number; readonly k: number; readonly pct: number }
  | { readonly t: 'doubleDeposit'; readonly u: number; readonly lot: number }
  | { readonly t: 'chainCheat'; readonly u: number; readonly v: number; readonly pct: number }
  | { readonly t: 'deposit'; readonly u: number }
  | { readonly t: 'returnAll' }
  | { readonly t: 'returnBatchTwice'; readonly b: number; readonly max: number }
  | { readonly t: 'replayReturned'; readonly i: number; readonly mask: number }
  | { readonly t: 'replayDeposit' };

const idx = fc.nat({ max: 63 });
/** Percent of a lot a cheat pays at each payee: mostly over half, so k payments overspend it. */
const share = fc.oneof(fc.integer({ min: 51, max: 100 }), fc.integer({ min: 1, max: 100 }));
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ t: fc.constant('withdraw' as const), u: idx, d: fc.nat({ max: DENOMINATIONS.length - 1 }), replay: fc.boolean() }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('pay' as const), u: idx, v: idx, pct: fc.integer({ min: 1, max: 100 }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('doubleSpend' as const), u: idx, lot: idx, k: fc.integer({ min: 2, max: 3 }), pct: share }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('doubleDeposit' as const), u: idx, lot: idx }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('chainCheat' as const), u: idx, v: idx, pct: fc.integer({ min: 1, max: 99 }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('deposit' as const), u: idx }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('returnAll' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('returnBatchTwice' as const), b: idx, max: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('replayReturned' as const), i: idx, mask: fc.integer({ min: 0, max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('replayDeposit' as const) }) },
);
const history = fc.record({ users: fc.integer({ min: 3, max: 6 }), actions: fc.array(action, { minLength: 8, maxLength: 30, size: 'max' }) });

/** How often the interesting cases came up, so a run that never reaches them is visible. */
const seen = { runs: 0, cheats: 0, chainCheats: 0, nestedCheats: 0, treeFirst: 0, detections: 0, replays: 0 };

interface DepositCall {
  readonly user: User;
  readonly parts: PaymentPart[];
  readonly lots: Lot[];
  readonly challenge: ReturnType<Bank['depositChallenge']>;
  readonly steps: ReturnType<User['card']['sign']>;
}

class Run {
  readonly w: World;
  readonly truth = new Truth();
  readonly model: IssuerModel;
  readonly returned: ReturnBatch[] = [];
  /** Every tree and paper detection, by `${rule}:${hex lot}`. */
  readonly detected = new Map<string, Detection>();
  depositedAtBanks = 0;
  lastDeposit: DepositCall | undefined;

  constructor(users: number) {
    this.w = new World({ users, policy: { maxChain: 64 } });
    this.model = new IssuerModel(this.w.banks.length);
  }

  user(i: number): User {
    return this.w.user(i % this.w.users.length);
  }

  /** Someone other than user `u`, chosen by `v`. */
  other(u: number, v: number): User {
    const n = this.w.users.length;
    return this.w.user((u % n + 1 + (v % (n - 1))) % n);
  }

  act(a: Action): void {
    const w = this.w;
    switch (a.t) {
      case 'withdraw': {
        const user = this.user(a.u);
        const d = DENOMINATIONS[a.d]!;
        if (user.bank.balance(user.account) < d) {
          throwsCode(() => w.withdraw(user, d), 'insufficient-funds');
          return;
        }
        const r = w.redemption(user, d);
        const coin = w.redeem(user, r);
        this.truth.coin(coin, user.name);
        this.model.issue(coin);
        if (a.replay) {
          // The same issuance request again: refused, and no second coin.
          const issued = w.issuer.issuedCount;
          throwsCode(() => w.issuer.redeem(r, w.now), 'replayed-request');
          assert.equal(w.issuer.issuedCount, issued);
          seen.replays++;
        }
        return;
      }
      case 'pay': {
        const payer = this.user(a.u);
        const balance = payer.card.balance;
        if (balance === 0) return;
        const payee = this.other(a.u, a.v);
        const amount = Math.max(1, Math.floor((balance * a.pct) / 100));
        for (const r of w.pay(payer, payee, amount)) this.truth.step(r, payee.name);
        return;
      }
      case 'doubleSpend': {
        // A breached card pays the same lot at k payees (hit and run): an overspend whenever the k amounts
        // and what was already signed from the lot add up to more than it holds.
        const cheat = this.user(a.u);
        const lots = [...cheat.card.lots.values()];
        if (lots.length === 0) return;
        cheat.card.breached = true;
        this.truth.breached.add(cheat.name);
        const lot = lots[a.lot % lots.length]!;
        const amount = Math.max(1, Math.ceil((lotAmount(lot) * a.pct) / 100));
        const k = Math.min(a.k, this.w.users.length - 1);
        for (let j = 0; j < k; j++) {
          const payee = this.other(a.u, j);
          for (const r of w.pay(cheat, payee, amount, cheat.card.offer(amount, { lot }))) this.truth.step(r, payee.name);
        }
        return;
      }
      case 'doubleDeposit': {
        // A breached card deposits the whole of one lot twice, under two challenges: both are credited.
        const cheat = this.user(a.u);
        const lots = [...cheat.card.lots.values()];
        if (lots.length === 0) return;
        cheat.card.breached = true;
        this.truth.breached.add(cheat.name);
        const lot = lots[a.lot % lots.length]!;
        const parts = [{ certificate: lot.identity.certificate, record: lot.record, amount: lotAmount(lot) }];
        const signed = [0, 1].map(() => {
          const challenge = cheat.bank.depositChallenge(w.random);
          return { challenge, steps: cheat.card.sign(parts, challenge, true) };
        });
        for (const { challenge, steps } of signed) this.bankDeposit(cheat, parts, challenge, steps);
        cheat.card.sweep();
        return;
      }
      case 'chainCheat': {
        // Hit and run on received value: u pays v part of what it holds, v's breached card pays all of it to
        // two others, who deposit at once. While u keeps the rest, only the tree rule can see it.
        const payer = this.user(a.u);
        const balance = payer.card.balance;
        if (balance === 0) return;
        const payee = this.other(a.u, a.v);
        const records = w.pay(payer, payee, Math.max(1, Math.floor((balance * a.pct) / 100)));
        for (const r of records) this.truth.step(r, payee.name);
        const received = records[records.length - 1]!;
        const lot = payee.card.lots.get(keyOf(stepId(received.chain[received.chain.length - 1]!)))!;
        const p = w.users.indexOf(payee);
        this.act({ t: 'doubleSpend', u: p, lot: [...payee.card.lots.values()].indexOf(lot), k: 2, pct: 100 });
        for (let j = 0; j < 2; j++) this.act({ t: 'deposit', u: w.users.indexOf(this.other(p, j)) });
        return;
      }
      case 'deposit': {
        const user = this.user(a.u);
        const parts = [...user.card.lots.values()]
          .filter((l) => l.remaining > 0)
          .map((l) => ({ certificate: l.identity.certificate, record: l.record, amount: l.remaining }));
        if (parts.length === 0) return;
        const challenge = user.bank.depositChallenge(w.random);
        const steps = user.card.sign(parts, challenge, true);
        this.bankDeposit(user, parts, challenge, steps);
        user.card.sweep();
        return;
      }
      case 'returnAll':
        this.returnAll();
        return;
      case 'returnBatchTwice': {
        const bank = w.banks[a.b % w.banks.length]!;
        const batch = this.takeBatch(bank, a.max);
        if (batch === undefined) return;
        this.process(batch);
        this.replay(batch);
        return;
      }
      case 'replayReturned': {
        // Any records already returned, sent again in a new batch (a retry after a lost answer).
        if (this.returned.length === 0) return;
        const old = this.returned[a.i % this.returned.length]!;
        const records = old.records.filter((_, j) => ((a.mask >> (j % 8)) & 1) === 1);
        this.replay({ bank: old.bank, batch: old.batch + 1000, records: records.length > 0 ? records : old.records });
        return;
      }
      case 'replayDeposit': {
        const last = this.lastDeposit;
        if (last === undefined) return;
        const { user, parts, lots, challenge, steps } = last;
        const before = { balance: user.bank.balance(user.account), pending: user.bank.pendingRecords };
        throwsCode(() => user.bank.deposit(w.verifier, user.account, parts, lots, challenge, steps), 'duplicate-deposit');
        assert.deepEqual({ balance: user.bank.balance(user.account), pending: user.bank.pendingRecords }, before);
        seen.replays++;
        return;
      }
    }
  }

  private bankDeposit(user: User, parts: PaymentPart[], challenge: DepositCall['challenge'], steps: DepositCall['steps']): void {
    const lots = checkOffer(this.w.verifier, parts, { now: this.w.now });
    const credited = user.bank.deposit(this.w.verifier, user.account, parts, lots, challenge, steps);
    this.depositedAtBanks += credited;
    parts.forEach((part, i) => {
      const record = { coin: part.record.coin, chain: [...part.record.chain, steps[i]!] };
      this.truth.step(record, `bank:${user.bank.id}`);
      this.model.pending[user.bank.id]!.push(record);
    });
    this.lastDeposit = { user, parts, lots, challenge, steps };
  }

  private takeBatch(bank: Bank, max: number): ReturnBatch | undefined {
    const batch = bank.takeBatch(max);
    const expected = this.model.pending[bank.id]!.splice(0, max);
    assert.equal(batch?.records.length ?? 0, expected.length, 'the bank returns what was deposited, in order');
    batch?.records.forEach((r, i) => assert.deepEqual(TransactionRecord.encode(r), TransactionRecord.encode(expected[i]!)));
    return batch;
  }

  returnAll(): void {
    for (const bank of this.w.banks) {
      for (let batch = this.takeBatch(bank, 4); batch !== undefined; batch = this.takeBatch(bank, 4)) this.process(batch);
    }
  }

  /** Returns a batch and checks the result against the model: statuses, settlement, and exactly the detections due. */
  process(batch: ReturnBatch): ReturnResult {
    const w = this.w;
    const expected: string[] = [];
    const outcomes = batch.records.map((r) => this.model.apply(r, w.now, expected));
    const result = w.issuer.processReturn(batch, w.now);
    w.banks[batch.bank]!.settled += result.settled;
    this.returned.push(batch);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.statuses, outcomes.map((o) => o.status));
    assert.equal(result.settled, outcomes.reduce((s, o) => s + o.settled, 0));
    const actual = result.detections.map((d) => `${d.rule}:${d.lot === undefined ? 'none' : hex(d.lot)}@${d.at}`);
    assert.deepEqual(actual.sort(), expected.sort(), 'detections are exactly those the known tree and the sum rule show');
    for (const d of result.detections) this.checkNamed(d);
    return result;
  }

  /** A batch the issuer has already processed: nothing may change. */
  replay(batch: ReturnBatch): void {
    const before = this.fingerprint();
    const again = this.w.issuer.processReturn(batch, this.w.now);
    assert.deepEqual(again.statuses, batch.records.map(() => 'duplicate'));
    assert.equal(again.settled, 0);
    assert.deepEqual(again.detections, []);
    assert.deepEqual(this.fingerprint(), before);
    seen.replays++;
  }

  /** The detection names the real cheater, on a lot the cheater really overspent, and the RA agrees. */
  private checkNamed(d: Detection): void {
    assert.ok(d.lot !== undefined && d.proof !== undefined && d.culpritKey !== undefined, 'every detection carries its proof');
    const lot = this.truth.lots.get(keyOf(d.lot));
    assert.ok(lot, 'the flagged lot exists');
    assert.equal(lot.serial, d.serial);
    assert.ok(lot.signed > lot.amount, 'the flagged lot was really overspent');
    assert.ok(this.truth.breached.has(lot.holder), `${lot.holder} is named but never cheated`);
    const { name, culpritKey } = this.w.ra.reveal(this.w.verifier, d.proof);
    assert.equal(name, lot.holder);
    assert.ok(equalBytes(culpritKey, d.culpritKey));
    const k = `${d.rule}:${hex(d.lot)}`;
    assert.ok(!this.detected.has(k), 'a lot is flagged once per rule');
    this.detected.set(k, d);
    seen.detections++;
  }

  /** Everything the stores hold, for "nothing changed". */
  fingerprint(): unknown {
    const w = this.w;
    return {
      proposed: w.proposed.size().tables.map((t) => [t.name, t.rows]),
      archive: w.proposed.archiveSize().tables.map((t) => [t.name, t.rows]),
      baseline: w.baseline.size().rows,
      epochPruned: w.epochPruned.size().rows,
      coins: [...this.model.coins.keys()].map((s) => w.proposed.coin(s)),
    };
  }

  /** The invariants that hold after every action. */
  check(): void {
    const w = this.w;
    const cards = w.moneyOnCards();
    const inFlight = this.model.pending.flat().reduce((s, r) => s + r.chain[r.chain.length - 1]!.amount, 0);
    assert.equal(w.moneyInAccounts() + cards, w.created + this.truth.fraud, 'accounts + cards = created + fraud');
    assert.equal(w.banks.reduce((s, b) => s + b.settled, 0) + inFlight, this.depositedAtBanks, 'deposited = settled + in flight');
    let unsettled = 0;
    let live = 0;
    let liveLots = 0;
    let archivedLots = 0;
    for (const [serial, mc] of this.model.coins) {
      const row = w.proposed.coin(serial);
      assert.ok(row);
      assert.equal(row.returned, mc.returned);
      assert.equal(row.archived, mc.archived, `coin ${serial} is outstanding iff less than its value has come back`);
      unsettled += row.value - row.returned;
      if (mc.archived) archivedLots += mc.lots.length;
      else {
        live++;
        liveLots += mc.lots.length;
      }
    }
    assert.equal(cards + inFlight, unsettled + this.truth.fraud, 'cards + in flight = unsettled at the issuer + fraud');
    const rows = Object.fromEntries(w.proposed.size().tables.map((t) => [t.name, t.rows]));
    assert.deepEqual(rows, { coin: live, lot: liveLots, redeemed: this.model.redeemed, fraud: this.model.flags.size });
    const archive = Object.fromEntries(w.proposed.archiveSize().tables.map((t) => [t.name, t.rows]));
    assert.deepEqual(archive, { archive_coin: this.model.coins.size - live, archive_lot: archivedLots });
    assert.equal(w.baseline.size().rows, this.model.records, 'the baseline keeps every deposited record');
    assert.equal(w.epochPruned.size().rows, this.model.records, 'one epoch, never dropped: the pruned list keeps every record');
    for (const lot of this.truth.overspent()) assert.ok(this.truth.breached.has(lot.holder), 'only a breached card overspends');
  }

  /** Everyone deposits what is left and everything is returned: every overspend must now be found, by both rules. */
  finish(): void {
    const w = this.w;
    w.now++;
    w.users.forEach((_, u) => this.act({ t: 'deposit', u }));
    this.returnAll();
    this.check();
    const overspent = this.truth.overspent();
    for (const lot of overspent) {
      const tree = this.detected.get(`tree:${hex(lot.id)}`);
      const paper = this.detected.get(`paper:${hex(lot.id)}`);
      assert.ok(tree, `overspend by ${lot.holder} found by the tree rule`);
      assert.ok(paper, `overspend by ${lot.holder} found by the paper rule`);
      assert.ok(tree.at <= paper.at, 'the tree rule is never later than the paper rule');
      if (tree.at < paper.at) seen.treeFirst++;
      seen.cheats++;
      if (lot.parent !== undefined) seen.chainCheats++;
      for (let p = lot.parent; p !== undefined; p = this.truth.lots.get(p)!.parent) {
        const anc = this.truth.lots.get(p)!;
        if (anc.signed > anc.amount) {
          seen.nestedCheats++;
          break;
        }
      }
    }
    assert.equal(this.detected.size, 2 * overspent.length, 'no detection beyond the real overspends');
    for (const [serial, mc] of this.model.coins) {
      assert.equal(mc.returned, mc.value + this.truth.fraudOf(serial), 'all value back: the coin plus what was overspent');
    }
    const rows = Object.fromEntries(w.proposed.size().tables.map((t) => [t.name, t.rows]));
    assert.equal(rows['coin'], 0, 'nothing outstanding once everything is back');
    assert.equal(rows['lot'], 0);
  }
}

test('random histories of honest users and cheaters: detection, naming, conservation, idempotence, stores', (t) => {
  fc.assert(
    fc.property(history, ({ users, actions }) => {
      const run = new Run(users);
      try {
        run.check();
        for (const a of actions) {
          run.w.now++;
          run.act(a);
          run.check();
        }
        run.finish();
        seen.runs++;
      } finally {
        run.w.close();
      }
    }),
    { numRuns: RUNS, includeErrorInReport: true },
  );
  t.diagnostic(JSON.stringify(seen));
  assert.ok(seen.cheats > 0 && seen.chainCheats > 0, 'the histories reached overspends, some along transfer chains');
});

// ---------------------------------------------------------------------------------------------------------------
// The three stores across epochs: coins expire, the issuer archives them, the pruned list drops whole epochs.

type EpochAction =
  | { readonly t: 'withdraw'; readonly u: number; readonly d: number }
  | { readonly t: 'pay'; readonly u: number; readonly v: number; readonly pct: number }
  | { readonly t: 'deposit'; readonly u: number }
  | { readonly t: 'returnAll' }
  | { readonly t: 'advance'; readonly by: number };

const epochAction: fc.Arbitrary<EpochAction> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant('withdraw' as const), u: idx, d: fc.nat({ max: DENOMINATIONS.length - 1 }) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('pay' as const), u: idx, v: idx, pct: fc.integer({ min: 1, max: 100 }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('deposit' as const), u: idx }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('returnAll' as const) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('advance' as const), by: fc.integer({ min: 1, max: 60 }) }) },
);

const LIFETIME = 40;
const GRACE = 5;

interface EpochCoin {
  readonly value: number;
  readonly epoch: number;
  readonly expiry: number;
  returned: number;
  archived: boolean;
}

/** An honest economy with time: what the three stores must hold, kept beside the world. */
class EpochRun {
  readonly w: World;
  readonly coins = new Map<bigint, EpochCoin>();
  /** Deposited, not yet returned. */
  readonly pending: { serial: bigint; amount: number }[] = [];
  /** Records returned, per epoch of their coin. */
  readonly records = new Map<number, number>();
  readonly dropped = new Set<number>();
  readonly retired = new Set<number>();
  expired = 0;

  constructor(readonly n: number) {
    // One bank: every new epoch is a new blind key per denomination and bank, the costly part of a run.
    this.w = new World({ users: n, banks: 1, policy: { coinLifetime: LIFETIME, expiryGrace: GRACE, maxChain: 64 } });
  }

  user(i: number): User {
    return this.w.user(i % this.n);
  }

  spendable = (l: HeldLot): boolean => l.record.coin.expiry > this.w.now;

  act(a: EpochAction): void {
    const w = this.w;
    switch (a.t) {
      case 'withdraw': {
        const coin = w.withdraw(this.user(a.u), DENOMINATIONS[a.d]!);
        this.coins.set(coin.serial, { value: coin.value, epoch: coin.epoch, expiry: coin.expiry, returned: 0, archived: false });
        return;
      }
      case 'pay': {
        const payer = this.user(a.u);
        const balance = [...payer.card.lots.values()].filter(this.spendable).reduce((s, l) => s + l.remaining, 0);
        if (balance === 0) return;
        const amount = Math.max(1, Math.floor((balance * a.pct) / 100));
        const payee = w.user(((a.u % this.n) + 1 + (a.v % (this.n - 1))) % this.n);
        w.pay(payer, payee, amount, payer.card.offer(amount, { eligible: this.spendable }));
        return;
      }
      case 'deposit': {
        const u = this.user(a.u);
        const lots = [...u.card.lots.values()].filter((l) => l.remaining > 0 && this.spendable(l));
        if (lots.length === 0) return;
        for (const l of lots) this.pending.push({ serial: l.record.coin.serial, amount: l.remaining });
        w.deposit(u, lots.map((l) => ({ certificate: l.identity.certificate, record: l.record, amount: l.remaining })));
        return;
      }
      case 'returnAll':
        this.returnAll();
        return;
      case 'advance':
        this.advance(a.by);
        return;
    }
  }

  returnAll(): void {
    for (const r of this.w.returnAll()) {
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.detections, []);
    }
    for (const d of this.pending.splice(0)) {
      const c = this.coins.get(d.serial)!;
      c.returned += d.amount;
      if (c.returned === c.value) c.archived = true;
      this.records.set(c.epoch, (this.records.get(c.epoch) ?? 0) + 1);
    }
  }

  /** The issuer's housekeeping: what is in flight comes back, time jumps, keys rotate, expired coins leave. */
  advance(by: number): void {
    const w = this.w;
    this.returnAll();
    w.now += by;
    w.epoch++;
    const { expiredValue } = w.issuer.advance(w.now);
    let expected = 0;
    let onCards = 0;
    for (const [serial, c] of this.coins) {
      if (c.archived || c.expiry > w.now - GRACE) continue;
      c.archived = true;
      expected += c.value - c.returned;
      for (const u of w.users) for (const l of u.card.lots.values()) if (l.record.coin.serial === serial) onCards += l.remaining;
      this.expired++;
    }
    assert.equal(expiredValue, expected, 'the issuer reports the value its expired coins leave unreturned');
    assert.equal(onCards, expected, 'which is exactly what their holders still hold');
    // The pruned list drops an epoch once its last coin has expired (the store's grace is 0 in World).
    const lastExpiry = new Map<number, number>();
    for (const c of this.coins.values()) lastExpiry.set(c.epoch, Math.max(lastExpiry.get(c.epoch) ?? 0, c.expiry));
    for (const [e, expiry] of lastExpiry) if (w.now >= expiry) this.dropped.add(e);
    // As the simulator does: the epoch before last can no longer redeem requests.
    const old = w.epoch - 2;
    if (old >= 0 && !this.retired.has(old)) {
      w.retireEpoch(old);
      this.retired.add(old);
    }
  }

  check(): void {
    const w = this.w;
    assert.equal(w.moneyInAccounts() + w.moneyOnCards(), w.created);
    const coins = [...this.coins.values()];
    const rows = Object.fromEntries(w.proposed.size().tables.map((x) => [x.name, x.rows]));
    assert.equal(rows['coin'], coins.filter((c) => !c.archived).length, 'the proposed store holds exactly the outstanding coins');
    for (const [serial, c] of this.coins) assert.equal(w.proposed.coin(serial)?.archived, c.archived);
    assert.equal(rows['redeemed'], coins.filter((c) => !this.retired.has(c.epoch)).length, 'redeemed requests of unretired epochs');
    let all = 0;
    let live = 0;
    for (const [e, n] of this.records) {
      all += n;
      if (!this.dropped.has(e)) live += n;
    }
    assert.equal(w.baseline.size().rows, all, 'the baseline holds every deposit for ever');
    // Everything comes back before an epoch can be dropped, so an epoch's records are all kept or all gone.
    assert.equal(w.epochPruned.size().rows, live, 'the pruned list holds every deposit of the live epochs');
    const lost = coins.filter((c) => this.dropped.has(c.epoch)).reduce((s, c) => s + c.value - c.returned, 0);
    assert.equal(w.epochPruned.lostValue(), lost, 'and counts what its dropped epochs never got back');
  }
}

test('across epochs: proposed holds the outstanding coins, baseline every deposit, epoch-pruned those of live epochs', (t) => {
  const tally = { expired: 0, dropped: 0 };
  fc.assert(
    fc.property(fc.integer({ min: 3, max: 5 }), fc.array(epochAction, { minLength: 8, maxLength: 30, size: 'max' }), (n, actions) => {
      const run = new EpochRun(n);
      try {
        run.check();
        for (const a of actions) {
          run.w.now++;
          run.act(a);
          run.check();
        }
        tally.expired += run.expired;
        tally.dropped += run.dropped.size;
      } finally {
        run.w.close();
      }
    }),
    { numRuns: 30, includeErrorInReport: true },
  );
  t.diagnostic(JSON.stringify(tally));
  assert.ok(tally.expired > 0 && tally.dropped > 0, 'the histories reached expiry and epoch drops');
});
