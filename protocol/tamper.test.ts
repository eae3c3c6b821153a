// Tampered coins, chains and steps, including the 2024 forum's "balance 50 -> 100": the payee, the bank and the
// issuer each refuse them with a typed error naming the field, and nobody is credited. Every field of a coin or a
// step is signed (messages.ts), so each tamper breaks a signature or a link, and which check trips first is fixed
// by the order record.ts and issuer.ts check in: the expected code and field are computed from that order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ProtocolError, type RejectCode } from './errors.ts';
import { equalBytes } from './hash.ts';
import { stepId, stepSignedPart } from './ids.ts';
import type { Challenge, PaymentPart, ReturnBatch, TransactionRecord, TransferStep } from './messages.ts';
import { acceptSteps, checkOffer, makeChallenge } from './payment.ts';
import type { Verifier } from './record.ts';
import { World, type User } from './testing.ts';

// One seed for every run, so CI is reproducible; FC_SEED=<n> explores others (a failure prints its seed).
fc.configureGlobal({ seed: Number(process.env['FC_SEED'] ?? 20261124) });

const RUNS = 150;

interface Expected {
  readonly code: RejectCode;
  readonly field: string;
}

function throwsExactly(fn: () => unknown, e: Expected): void {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof ProtocolError, `expected ProtocolError, got ${String(err)}`);
    assert.deepEqual({ code: err.code, field: err.field }, e);
    return true;
  });
}

/** A message opened up for tampering, as an attacker holding its bytes could: a deep, writable copy. */
type Open<T> = T extends Uint8Array ? Uint8Array : T extends readonly (infer E)[] ? Open<E>[] : T extends object ? { -readonly [K in keyof T]: Open<T[K]> } : T;
function open<T>(value: T): Open<T> {
  return structuredClone(value) as Open<T>;
}

function flip(bytes: Uint8Array, byte: number, bit: number): Uint8Array {
  const out = bytes.slice();
  out[byte % out.length]! ^= 1 << bit;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Record tampers and where each one must be caught.

const recordKinds = [
  'coin.value', // the forum's balance case on the coin: 50 -> 100
  'coin.serial',
  'coin.epoch',
  'coin.expiry',
  'coin.expiredNow', // pushed into the past: the payee refuses it as expired before checking the signature
  'coin.holderKey', // the key from another coin
  'coin.issuerSig',
  'coin.swap', // the whole coin replaced by another genuine coin
  'step.amountUp', // the balance case on a step: its amount doubled
  'step.amountZero',
  'step.payeeKey', // another user's key as payee
  'step.nonce',
  'step.from',
  'step.sig',
  'chain.swap', // two steps in the wrong order
  'chain.drop',
  'chain.repeat', // the last step twice
] as const;
type RecordKind = (typeof recordKinds)[number];

interface RecordTamper {
  readonly kind: RecordKind;
  readonly at: number;
  readonly byte: number;
  readonly bit: number;
}

const recordTamper: fc.Arbitrary<RecordTamper> = fc.record({
  kind: fc.constantFrom(...recordKinds),
  at: fc.nat({ max: 15 }),
  byte: fc.nat({ max: 255 }),
  bit: fc.nat({ max: 7 }),
});

/** The first check the tampered record fails, in checkRecord's order. */
type Fault =
  | { readonly on: 'coin'; readonly expired: boolean }
  | { readonly on: 'step'; readonly index: number; readonly field: 'from' | 'amount' | 'sig' }
  | { readonly on: 'end' }; // a well-formed record that ends with someone else

interface Tampered {
  readonly record: TransactionRecord;
  readonly fault: Fault;
}

/** Applies a tamper to a copy of `record`; undefined if it does not apply (a step tamper on a bare coin). */
function tamper(record: TransactionRecord, t: RecordTamper, others: { coin: TransactionRecord['coin']; key: Uint8Array }): Tampered | undefined {
  const r = open(record);
  const n = r.chain.length;
  const i = n === 0 ? 0 : t.at % n;
  const step = r.chain[i];
  const parentAmount = i === 0 ? r.coin.value : r.chain[i - 1]!.amount;
  switch (t.kind) {
    case 'coin.value':
      r.coin.value *= 2;
      return { record: r, fault: { on: 'coin', expired: false } };
    case 'coin.serial':
      r.coin.serial ^= 1n << BigInt(t.bit);
      return { record: r, fault: { on: 'coin', expired: false } };
    case 'coin.epoch':
      r.coin.epoch ^= 1 << t.bit;
      return { record: r, fault: { on: 'coin', expired: false } };
    case 'coin.expiry':
      r.coin.expiry += 1 + t.byte;
      return { record: r, fault: { on: 'coin', expired: false } };
    case 'coin.expiredNow':
      r.coin.expiry = 0;
      return { record: r, fault: { on: 'coin', expired: true } };
    case 'coin.holderKey':
      r.coin.holderKey = others.coin.holderKey;
      return { record: r, fault: { on: 'coin', expired: false } };
    case 'coin.issuerSig':
      r.coin.issuerSig = flip(r.coin.issuerSig, t.byte, t.bit);
      return { record: r, fault: { on: 'coin', expired: false } };
    case 'coin.swap':
      r.coin = open(others.coin);
      return { record: r, fault: n === 0 ? { on: 'end' } : { on: 'step', index: 0, field: 'from' } };
    case 'chain.repeat':
      if (n === 0) return undefined;
      r.chain.push(open(r.chain[n - 1]!));
      return { record: r, fault: { on: 'step', index: n, field: 'from' } };
    case 'chain.swap': {
      if (n < 2) return undefined;
      const j = t.at % (n - 1);
      [r.chain[j], r.chain[j + 1]] = [r.chain[j + 1]!, r.chain[j]!];
      return { record: r, fault: { on: 'step', index: j, field: 'from' } };
    }
    case 'chain.drop':
      if (n === 0) return undefined;
      r.chain.splice(i, 1);
      return { record: r, fault: i === n - 1 ? { on: 'end' } : { on: 'step', index: i, field: 'from' } };
  }
  if (step === undefined) return undefined;
  switch (t.kind) {
    case 'step.amountUp':
      step.amount *= 2;
      return { record: r, fault: { on: 'step', index: i, field: step.amount > parentAmount ? 'amount' : 'sig' } };
    case 'step.amountZero':
      step.amount = 0;
      return { record: r, fault: { on: 'step', index: i, field: 'amount' } };
    case 'step.payeeKey':
      step.payeeKey = others.key;
      return { record: r, fault: { on: 'step', index: i, field: 'sig' } };
    case 'step.nonce':
      step.nonce = flip(step.nonce, t.byte, t.bit);
      return { record: r, fault: { on: 'step', index: i, field: 'sig' } };
    case 'step.from':
      step.from = flip(step.from, t.byte, t.bit);
      return { record: r, fault: { on: 'step', index: i, field: 'from' } };
    case 'step.sig':
      step.sig = flip(step.sig, t.byte, t.bit);
      return { record: r, fault: { on: 'step', index: i, field: 'sig' } };
  }
}

/** What a payee's checkOffer must throw for part 0. */
function payeeExpects(fault: Fault): Expected {
  const at = 'parts[0].record';
  switch (fault.on) {
    case 'coin':
      return fault.expired ? { code: 'expired', field: `${at}.coin.expiry` } : { code: 'bad-coin', field: `${at}.coin.issuerSig` };
    case 'step':
      return { code: 'bad-step', field: `${at}.chain[${fault.index}].${fault.field}` };
    case 'end':
      return { code: 'wrong-payee', field: at };
  }
}

/** What the issuer must reject record 0 of a batch with: it first insists the record ends at the bank's key. */
function issuerExpects(t: Tampered, depositKey: Uint8Array): Expected {
  const at = 'records[0]';
  const { chain } = t.record;
  if (chain.length === 0) return { code: 'bad-step', field: `${at}.chain` };
  if (!equalBytes(chain[chain.length - 1]!.payeeKey, depositKey)) {
    return { code: 'wrong-payee', field: `${at}.chain[${chain.length - 1}].payeeKey` };
  }
  const f = t.fault;
  if (f.on === 'coin') return { code: 'bad-coin', field: `${at}.coin.issuerSig` };
  if (f.on === 'step') return { code: 'bad-step', field: `${at}.chain[${f.index}].${f.field}` };
  throw new Error('a record ending at the deposit key cannot end with someone else');
}

// ---------------------------------------------------------------------------------------------------------------
// A small economy to tamper with: A's coin paid on A -> B -> C -> D, and E's coin as "another coin".

interface Fixture {
  readonly w: World;
  readonly a: User;
  readonly b: User;
  readonly c: User;
  readonly d: User;
  readonly e: User;
  readonly others: { coin: TransactionRecord['coin']; key: Uint8Array };
}

function fixture(): Fixture {
  const w = new World({ users: 5 });
  const [a, b, c, d, e] = [0, 1, 2, 3, 4].map((i) => w.user(i)) as [User, User, User, User, User];
  w.withdraw(a, 1000);
  const other = w.withdraw(e, 1000);
  w.pay(a, b, 600);
  w.pay(b, c, 300);
  w.pay(c, d, 200);
  w.now = 10;
  return { w, a, b, c, d, e, others: { coin: other, key: e.card.receivingIdentity.keyPair.publicKey } };
}

function heldPart(u: User, amount = 1): PaymentPart {
  const lot = [...u.card.lots.values()].find((l) => l.remaining > 0)!;
  return { certificate: lot.identity.certificate, record: lot.record, amount };
}

function bare(w: World): Verifier {
  return { suite: w.suite, raKey: w.verifier.raKey, issuerKey: w.verifier.issuerKey };
}

function balances(f: Fixture): number[] {
  return [f.a, f.b, f.c, f.d, f.e].flatMap((u) => [u.card.balance, u.bank.balance(u.account)]);
}

test('payee and bank: a tampered coin or chain is refused with its code and field, and nobody is credited', () => {
  const f = fixture();
  const { w } = f;
  const payers = [f.a, f.b, f.c, f.d];
  const before = balances(f);
  fc.assert(
    fc.property(fc.nat({ max: 3 }), recordTamper, (p, t) => {
      const payer = payers[p]!;
      const part = heldPart(payer);
      const tampered = tamper(part.record, t, f.others);
      fc.pre(tampered !== undefined);
      const parts = [{ ...part, record: tampered.record }];
      const expected = payeeExpects(tampered.fault);
      throwsExactly(() => checkOffer(w.verifier, parts, { now: w.now }), expected);
      // A verifier that has seen the genuine record must not let its cache vouch for the tampered one.
      throwsExactly(() => checkOffer(bare(w), parts, { now: w.now }), expected);
      // The same through a whole payment and a whole deposit: refused before any card signs.
      throwsExactly(() => w.pay(payer, f.e, 1, parts), expected);
      throwsExactly(() => w.deposit(payer, parts), expected);
      assert.deepEqual(balances(f), before);
    }),
    { numRuns: RUNS, includeErrorInReport: true },
  );
  w.close();
});

test('payee: a wrong certificate, a forged certificate and an offer over the lot are refused', () => {
  const f = fixture();
  const { w } = f;
  const part = heldPart(f.c);
  const lotAmount = part.record.chain[part.record.chain.length - 1]!.amount;
  throwsExactly(() => checkOffer(w.verifier, [{ ...part, certificate: heldPart(f.b).certificate }], {}), {
    code: 'wrong-payee',
    field: 'parts[0].record',
  });
  const forged = { ...part.certificate, raSig: flip(part.certificate.raSig, 5, 3) };
  throwsExactly(() => checkOffer(w.verifier, [{ ...part, certificate: forged }], {}), { code: 'bad-certificate', field: 'parts[0].certificate.raSig' });
  throwsExactly(() => checkOffer(w.verifier, [part, { ...part, amount: lotAmount + 1 }], {}), {
    code: 'insufficient-value',
    field: 'parts[1].amount',
  });
  w.close();
});

test("the forum's case: a payer who raises a balance of 50 to 100 is refused at once, by payee, bank and issuer", () => {
  const w = new World({ users: 3 });
  const [a, b, c] = [w.user(0), w.user(1), w.user(2)];
  w.withdraw(a, 1000);
  w.pay(a, b, 50);
  const lot = [...b.card.lots.values()][0]!;
  const accounts = () => [a, b, c].map((u) => u.bank.balance(u.account));
  const before = { accounts: accounts(), cards: [a, b, c].map((u) => u.card.balance) };

  // The card's stored balance raised in memory: the offer claims 100 of a lot whose signed step says 50.
  lot.remaining = 100;
  throwsExactly(() => w.pay(b, c, 100), { code: 'insufficient-value', field: 'parts[0].amount' });
  throwsExactly(() => w.deposit(b), { code: 'insufficient-value', field: 'parts[0].amount' });
  lot.remaining = 50;

  // The step itself edited to 100: its signature no longer verifies.
  const raised = open(lot.record);
  raised.chain[0]!.amount = 100;
  const part = { certificate: lot.identity.certificate, record: raised, amount: 100 };
  throwsExactly(() => w.pay(b, c, 100, [part]), { code: 'bad-step', field: 'parts[0].record.chain[0].sig' });
  throwsExactly(() => w.deposit(b, [part]), { code: 'bad-step', field: 'parts[0].record.chain[0].sig' });

  // The same edit sent straight to the issuer, with a deposit step the cheater signs properly on top.
  const deposit = { from: stepId(raised.chain[0]!), amount: 100, payeeKey: b.bank.depositKey.publicKey, nonce: new Uint8Array(16) };
  const forged = { coin: raised.coin, chain: [...raised.chain, { ...deposit, sig: w.suite.card.sign(lot.identity.keyPair.secretKey, stepSignedPart(deposit)) }] };
  const rows = w.proposed.size().rows;
  const r = w.issuer.processReturn({ bank: b.bank.id, batch: 0, records: [forged] }, w.now);
  assert.deepEqual(r.statuses, ['rejected']);
  assert.deepEqual({ code: r.errors[0]!.error.code, field: r.errors[0]!.error.field }, { code: 'bad-step', field: 'records[0].chain[0].sig' });
  assert.equal(r.settled, 0);
  assert.equal(w.proposed.size().rows, rows);
  assert.deepEqual({ accounts: accounts(), cards: [a, b, c].map((u) => u.card.balance) }, before);
  w.close();
});

// ---------------------------------------------------------------------------------------------------------------
// The payer's answer to the challenge.

const stepKinds = ['amount', 'amountResigned', 'payeeKey', 'nonce', 'from', 'sig', 'otherSigner', 'missing', 'extra'] as const;

test('payee and bank: a tampered answer to the challenge is refused with its code and field, and nobody is credited', () => {
  const f = fixture();
  const { w } = f;
  const payers = [f.a, f.b, f.c, f.d];
  const before = balances(f);
  fc.assert(
    fc.property(fc.nat({ max: 3 }), fc.constantFrom(...stepKinds), fc.boolean(), fc.nat({ max: 255 }), fc.nat({ max: 7 }), (p, kind, atBank, byte, bit) => {
      const payer = payers[p]!;
      const held = [...payer.card.lots.values()].find((l) => l.remaining > 0)!;
      const parts = [{ certificate: held.identity.certificate, record: held.record, amount: 1 }];
      const lots = checkOffer(w.verifier, parts, { now: w.now });
      const challenge: Challenge = atBank ? payer.bank.depositChallenge(w.random) : makeChallenge(f.e.card.receivingIdentity.keyPair.publicKey, w.random);
      // Signed here rather than by the card, so the card's balance is untouched run after run.
      const sign = (s: Omit<TransferStep, 'sig'>, secret = held.identity.keyPair.secretKey): TransferStep => ({ ...s, sig: w.suite.card.sign(secret, stepSignedPart(s)) });
      const unsigned = { from: held.id, amount: 1, payeeKey: challenge.payeeKey, nonce: challenge.nonce };
      const good = sign(unsigned);
      acceptSteps(w.verifier, parts, lots, challenge, [good]);

      let steps: TransferStep[];
      let expected: Expected;
      const at = 'steps[0]';
      switch (kind) {
        case 'amount':
          steps = [{ ...good, amount: 2 }];
          expected = { code: 'bad-step', field: `${at}.amount` };
          break;
        case 'amountResigned':
          steps = [sign({ ...unsigned, amount: 2 })];
          expected = { code: 'bad-step', field: `${at}.amount` };
          break;
        case 'payeeKey':
          steps = [sign({ ...unsigned, payeeKey: equalBytes(challenge.payeeKey, f.others.key) ? f.d.card.receivingIdentity.keyPair.publicKey : f.others.key })];
          expected = { code: 'wrong-payee', field: `${at}.payeeKey` };
          break;
        case 'nonce':
          steps = [{ ...good, nonce: flip(good.nonce, byte, bit) }];
          expected = { code: 'bad-step', field: `${at}.nonce` };
          break;
        case 'from':
          steps = [{ ...good, from: flip(good.from, byte, bit) }];
          expected = { code: 'bad-step', field: `${at}.from` };
          break;
        case 'sig':
          steps = [{ ...good, sig: flip(good.sig, byte, bit) }];
          expected = { code: 'bad-step', field: `${at}.sig` };
          break;
        case 'otherSigner':
          steps = [sign(unsigned, f.e.card.receivingIdentity.keyPair.secretKey)];
          expected = { code: 'bad-step', field: `${at}.sig` };
          break;
        case 'missing':
          steps = [];
          expected = { code: 'bad-step', field: 'steps' };
          break;
        case 'extra':
          steps = [good, good];
          expected = { code: 'bad-step', field: 'steps' };
          break;
      }
      throwsExactly(() => acceptSteps(w.verifier, parts, lots, challenge, steps), expected);
      if (atBank) throwsExactly(() => payer.bank.deposit(w.verifier, payer.account, parts, lots, challenge, steps), expected);
      assert.deepEqual(balances(f), before);
      assert.deepEqual(w.banks.map((b) => b.pendingRecords), [0, 0]);
    }),
    { numRuns: RUNS, includeErrorInReport: true },
  );
  w.close();
});

// ---------------------------------------------------------------------------------------------------------------
// The issuer.

interface Deposited {
  readonly record: TransactionRecord;
  readonly bank: number;
}

/** Deposits what `u` holds and takes it back out of the bank as the batch it would return. */
function deposited(w: World, u: User): Deposited {
  w.deposit(u);
  const batch = u.bank.takeBatch(10)!;
  assert.equal(batch.records.length, 1);
  return { record: batch.records[0]!, bank: u.bank.id };
}

function storeRows(w: World): unknown {
  return {
    proposed: w.proposed.size().tables.map((t) => [t.name, t.rows]),
    archive: w.proposed.archiveSize().tables.map((t) => [t.name, t.rows]),
    baseline: w.baseline.size().rows,
    epochPruned: w.epochPruned.size().rows,
  };
}

test('issuer: a tampered record in a returned batch is rejected with its code and field, settles 0, stores unchanged', () => {
  const f = fixture();
  const { w } = f;
  const rb = deposited(w, f.b); // [A->B, B->bank]
  const targets = [deposited(w, f.c), deposited(w, f.d), deposited(w, f.a)]; // 3, 4 and 1 steps
  // B's record comes back first: the issuer now holds A->B, so the others arrive with a known prefix.
  assert.deepEqual(w.issuer.processReturn({ bank: rb.bank, batch: 0, records: [rb.record] }, w.now).statuses, ['credited']);
  const known = (serial: bigint, s: TransferStep) => w.proposed.lot(serial, stepId(s)) !== undefined;
  const rows = storeRows(w);
  let batchNo = 100;

  fc.assert(
    fc.property(fc.nat({ max: 2 }), recordTamper, fc.boolean(), (k, t, wrongBank) => {
      const target = targets[k]!;
      const tampered = tamper(target.record, t, f.others);
      fc.pre(tampered !== undefined);
      // A corrupted signature on a coin or step the issuer already holds, checked, is not looked at: ids are over
      // signed parts, so the record is the genuine one (see the test below).
      fc.pre(t.kind !== 'coin.issuerSig');
      fc.pre(!(t.kind === 'step.sig' && tampered.fault.on === 'step' && known(target.record.coin.serial, target.record.chain[tampered.fault.index]!)));
      const bank = wrongBank ? 1 - target.bank : target.bank;
      const depositKey = w.banks[bank]!.depositKey.publicKey;
      const r = w.issuer.processReturn({ bank, batch: batchNo++, records: [tampered.record] }, w.now);
      assert.deepEqual(r.statuses, ['rejected']);
      assert.equal(r.errors.length, 1);
      const { code, field } = r.errors[0]!.error;
      assert.deepEqual({ code, field }, issuerExpects(tampered, depositKey));
      assert.equal(r.settled, 0);
      assert.deepEqual(r.detections, []);
      assert.deepEqual(storeRows(w), rows);
    }),
    // The world is shared between runs, so a wrongly accepted record changes what later runs see: report the
    // first failure as it happened rather than shrink against a changed world.
    { numRuns: RUNS, includeErrorInReport: true, endOnFailure: true },
  );

  // The genuine records are still good afterwards, and tampering after they are in changes nothing either.
  const batch: ReturnBatch = { bank: 0, batch: 1, records: [targets[0]!.record, targets[2]!.record] };
  assert.deepEqual(w.issuer.processReturn(batch, w.now).statuses, ['credited', 'credited']);
  assert.deepEqual(w.issuer.processReturn({ bank: 1, batch: 1, records: [targets[1]!.record] }, w.now).statuses, ['credited']);
  assert.equal(w.proposed.coin(targets[0]!.record.coin.serial)?.archived, true, "A's coin is fully back");
  const after = storeRows(w);
  for (const kind of recordKinds) {
    for (const target of targets) {
      const tampered = tamper(target.record, { kind, at: 1, byte: 3, bit: 1 }, f.others);
      if (tampered === undefined) continue;
      const r = w.issuer.processReturn({ bank: target.bank, batch: batchNo++, records: [tampered.record] }, w.now);
      assert.notEqual(r.statuses[0], 'credited', kind);
      assert.equal(r.settled, 0);
      assert.deepEqual(storeRows(w), after);
    }
  }
  w.close();
});

test('issuer: a genuine chain under another genuine coin is rejected even when the issuer already holds the chain', () => {
  // The links of steps the issuer already holds must still be checked: otherwise a deposit whose earlier steps
  // are known can be filed under any other outstanding coin, settling against the wrong serial.
  const f = fixture();
  const { w } = f;
  const rb = deposited(w, f.b);
  const rc = deposited(w, f.c); // [A->B, B->C, C->bank]
  w.issuer.processReturn({ bank: rb.bank, batch: 0, records: [rb.record] }, w.now);
  const rows = storeRows(w);
  const swapped = { coin: f.others.coin, chain: rc.record.chain };
  const r = w.issuer.processReturn({ bank: rc.bank, batch: 1, records: [swapped] }, w.now);
  assert.deepEqual(r.statuses, ['rejected']);
  assert.deepEqual({ code: r.errors[0]!.error.code, field: r.errors[0]!.error.field }, { code: 'bad-step', field: 'records[0].chain[0].from' });
  assert.equal(r.settled, 0);
  assert.deepEqual(storeRows(w), rows);
  assert.equal(w.proposed.coin(f.others.coin.serial)?.returned, 0);
  w.close();
});

test('issuer: corrupted signatures on the coin and a step it already holds leave the genuine record, credited once', () => {
  // The issuer's positive list vouches for its own coins and the steps it has checked (hash.ts: ids are over
  // signed parts), so such a record is the genuine one; its stored copies keep the valid signatures for proofs.
  const f = fixture();
  const { w } = f;
  const rb = deposited(w, f.b);
  const rc = deposited(w, f.c);
  w.issuer.processReturn({ bank: rb.bank, batch: 0, records: [rb.record] }, w.now);
  const corrupted = open(rc.record);
  corrupted.coin.issuerSig = flip(corrupted.coin.issuerSig, 9, 2);
  corrupted.chain[0]!.sig = flip(corrupted.chain[0]!.sig, 0, 0);
  const first = w.issuer.processReturn({ bank: rc.bank, batch: 1, records: [corrupted] }, w.now);
  assert.deepEqual(first.statuses, ['credited']);
  assert.equal(first.settled, 100);
  const again = w.issuer.processReturn({ bank: rc.bank, batch: 2, records: [rc.record] }, w.now);
  assert.deepEqual(again.statuses, ['duplicate']);
  assert.equal(again.settled, 0);
  w.close();
});
