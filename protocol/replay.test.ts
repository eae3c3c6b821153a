// Replays: an issuance request redeemed twice, a deposit sent twice, a batch returned twice or cut off and
// retried. Each is refused or recognised by id, and changes nothing: no second coin, no second credit, no row.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ProtocolError, type RejectCode } from './errors.ts';
import { keyOf } from './hash.ts';
import { stepId } from './ids.ts';
import { Coin, TransactionRecord, type PaymentPart } from './messages.ts';
import { checkOffer } from './payment.ts';
import { World, type User } from './testing.ts';

// One seed for every run, so CI is reproducible; FC_SEED=<n> explores others (a failure prints its seed).
fc.configureGlobal({ seed: Number(process.env['FC_SEED'] ?? 20261124) });

function throwsExactly(fn: () => unknown, code: RejectCode, field: string): void {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof ProtocolError, `expected ProtocolError, got ${String(err)}`);
    assert.deepEqual({ code: err.code, field: err.field }, { code, field });
    return true;
  });
}

function flip(bytes: Uint8Array, byte: number, bit: number): Uint8Array {
  const out = bytes.slice();
  out[byte % out.length]! ^= 1 << bit;
  return out;
}

function rows(w: World): unknown {
  return {
    proposed: w.proposed.size().tables.map((t) => [t.name, t.rows]),
    archive: w.proposed.archiveSize().tables.map((t) => [t.name, t.rows]),
    baseline: w.baseline.size().rows,
    epochPruned: w.epochPruned.size().rows,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Issuance requests.

test('a replayed issuance request is refused and issues no second coin, before and after the coin is back', () => {
  const w = new World({ users: 2 });
  const [a, b] = [w.user(0), w.user(1)];
  const r = w.redemption(a, 1000);
  w.redeem(a, r);
  const issued = w.issuer.issuedCount;
  const before = rows(w);
  throwsExactly(() => w.issuer.redeem(r, w.now), 'replayed-request', 'request');
  throwsExactly(() => w.redeem(a, r), 'replayed-request', 'request');
  assert.equal(w.issuer.issuedCount, issued);
  assert.deepEqual(rows(w), before);
  assert.equal(a.card.balance, 1000, 'the refused replay put nothing on the card');

  // Once the coin is spent and fully returned it leaves the outstanding table; the request stays redeemed.
  w.pay(a, b, 1000);
  w.deposit(b);
  w.returnAll();
  assert.equal(w.proposed.coin(1n)?.archived, true);
  throwsExactly(() => w.issuer.redeem(r, w.now), 'replayed-request', 'request');
  assert.equal(w.issuer.issuedCount, issued);
  w.close();
});

test('a tampered issuance request is refused: raised denomination, forged bank signature, another key, forged certificate', () => {
  const w = new World({ users: 2 });
  const [a, b] = [w.user(0), w.user(1)];
  w.withdraw(a, 1000); // the bank's key for 1000 exists, so raising 100 to 1000 fails on the signature alone
  const r = w.redemption(a, 100);
  const before = { rows: rows(w), issued: w.issuer.issuedCount };
  throwsExactly(() => w.issuer.redeem({ ...r, request: { ...r.request, denomination: 1000 } }, w.now), 'bad-request', 'request.bankSig');
  throwsExactly(() => w.issuer.redeem({ ...r, request: { ...r.request, bankSig: flip(r.request.bankSig, 17, 4) } }, w.now), 'bad-request', 'request.bankSig');
  throwsExactly(() => w.issuer.redeem({ ...r, request: { ...r.request, bank: 1 } }, w.now), 'bad-request', 'request.bankSig');
  throwsExactly(() => w.issuer.redeem({ ...r, certificate: b.card.receivingIdentity.certificate }, w.now), 'bad-request', 'request.userKey');
  throwsExactly(
    () => w.issuer.redeem({ ...r, certificate: { ...r.certificate, raSig: flip(r.certificate.raSig, 3, 0) } }, w.now),
    'bad-certificate',
    'certificate.raSig',
  );
  throwsExactly(() => w.issuer.redeem({ ...r, request: { ...r.request, bank: 7 } }, w.now), 'unknown-key', 'request');
  assert.deepEqual({ rows: rows(w), issued: w.issuer.issuedCount }, before);
  assert.equal(w.redeem(a, r).value, 100, 'the genuine request is still good');
  w.close();
});

test('key rotation: a retired epoch refuses its requests, replayed or new, though its redeemed set is dropped', () => {
  const w = new World({ users: 2 });
  const a = w.user(0);
  const redeemed = w.redemption(a, 1000);
  w.redeem(a, redeemed);
  const unredeemed = w.redemption(a, 1000);
  const redeemedRows = () => w.proposed.size().tables.find((t) => t.name === 'redeemed')!.rows;
  assert.equal(redeemedRows(), 1);

  w.epoch = 1;
  w.retireEpoch(0);
  assert.equal(redeemedRows(), 0, "the retired epoch's redeemed set is gone");
  const issued = w.issuer.issuedCount;
  throwsExactly(() => w.issuer.redeem(redeemed, w.now), 'unknown-key', 'request');
  throwsExactly(() => w.issuer.redeem(unredeemed, w.now), 'unknown-key', 'request');
  assert.equal(w.issuer.issuedCount, issued);

  // The bank no longer signs under the retired epoch's keys, so nobody is debited for a request it cannot use.
  const balance = a.bank.balance(a.account);
  throwsExactly(() => a.bank.blindKey(1000, 0), 'unknown-key', 'epoch');
  throwsExactly(() => a.bank.withdraw(a.account, 1000, 0, new Uint8Array(256)), 'unknown-key', 'epoch');
  assert.equal(a.bank.balance(a.account), balance);
  assert.equal(w.withdraw(a, 1000).epoch, 1, 'the current epoch withdraws as before');
  w.close();
});

// ---------------------------------------------------------------------------------------------------------------
// Deposits at the bank.

interface DepositCall {
  readonly parts: PaymentPart[];
  readonly challenge: ReturnType<User['bank']['depositChallenge']>;
  readonly steps: ReturnType<User['card']['sign']>;
}

function signDeposit(w: World, u: User, parts: PaymentPart[], challenge = u.bank.depositChallenge(w.random)): DepositCall {
  return { parts, challenge, steps: u.card.sign(parts, challenge, true) };
}

function bankDeposit(w: World, u: User, call: DepositCall): number {
  const lots = checkOffer(w.verifier, call.parts, { now: w.now });
  return u.bank.deposit(w.verifier, u.account, call.parts, lots, call.challenge, call.steps);
}

function partsOf(u: User): PaymentPart[] {
  return [...u.card.lots.values()].map((l) => ({ certificate: l.identity.certificate, record: l.record, amount: l.remaining }));
}

test('the bank refuses a replayed deposit, and a refused deposit credits and queues nothing', () => {
  const w = new World({ users: 2 });
  const [a, b] = [w.user(0), w.user(1)];
  w.withdraw(a, 1000);
  w.pay(a, b, 300);
  w.pay(a, b, 200);
  const [first, second] = partsOf(b) as [PaymentPart, PaymentPart];
  const state = () => ({ balance: b.bank.balance(b.account), pending: b.bank.pendingRecords, card: b.card.balance });

  const call = signDeposit(w, b, [first]);
  assert.equal(bankDeposit(w, b, call), 300);
  let before = state();
  throwsExactly(() => bankDeposit(w, b, call), 'duplicate-deposit', 'steps[0]');
  assert.deepEqual(state(), before);

  // A retry that carries the credited part again after a new one, under the same challenge: refused as a whole.
  const retry = signDeposit(w, b, [second], call.challenge);
  const mixed = { parts: [second, first], challenge: call.challenge, steps: [retry.steps[0]!, call.steps[0]!] };
  before = state();
  throwsExactly(() => bankDeposit(w, b, mixed), 'duplicate-deposit', 'steps[1]');
  assert.deepEqual(state(), before, 'nothing of the refused deposit is credited or queued');
  // ... so the new part, sent alone under that challenge, is still credited once.
  assert.equal(bankDeposit(w, b, retry), 200);

  // One step offered twice in the same deposit: the same id, credited once at most.
  w.pay(a, b, 100);
  const third = partsOf(b).find((p) => p.amount === 100)!;
  const twice = signDeposit(w, b, [{ ...third, amount: 50 }, { ...third, amount: 50 }]);
  assert.equal(keyOf(stepId(twice.steps[0]!)), keyOf(stepId(twice.steps[1]!)));
  before = state();
  throwsExactly(() => bankDeposit(w, b, twice), 'duplicate-deposit', 'steps[1]');
  assert.deepEqual(state(), before);

  // An already-built record through the fraud injector's door.
  const record = b.bank.takeBatch(10)!.records[0]!;
  before = state();
  throwsExactly(() => b.bank.depositRecord(w.verifier, b.account, record), 'duplicate-deposit', 'record');
  assert.deepEqual(state(), before);
  w.close();
});

// ---------------------------------------------------------------------------------------------------------------
// Returns at the issuer.

test('a batch returned twice, a batch cut off and retried, a record twice in one batch, a record at the wrong bank', () => {
  const w = new World({ users: 4 });
  const [a, b, c, d] = [w.user(0), w.user(1), w.user(2), w.user(3)];
  w.withdraw(a, 1000);
  w.pay(a, b, 400);
  w.pay(a, d, 600);
  w.pay(b, c, 100);
  for (const u of [b, c, d]) w.deposit(u); // b, d at bank 1; c at bank 0
  const atOne = w.banks[1]!.takeBatch(10)!;
  const atZero = w.banks[0]!.takeBatch(10)!;
  assert.equal(atOne.records.length, 2);

  const cut = { ...atOne, records: atOne.records.slice(0, 1) };
  const first = w.issuer.processReturn(cut, w.now);
  assert.deepEqual(first.statuses, ['credited']);
  const retried = w.issuer.processReturn(atOne, w.now);
  assert.deepEqual(retried.statuses, ['duplicate', 'credited']);
  assert.equal(first.settled + retried.settled, 300 + 600);
  const before = rows(w);
  const again = w.issuer.processReturn(atOne, w.now);
  assert.deepEqual(again.statuses, ['duplicate', 'duplicate']);
  assert.equal(again.settled, 0);
  assert.deepEqual(rows(w), before);

  const wrongBank = w.issuer.processReturn({ ...atZero, bank: 1 }, w.now);
  assert.deepEqual(wrongBank.statuses, ['rejected']);
  assert.equal(wrongBank.errors[0]!.error.code, 'wrong-payee');
  assert.deepEqual(rows(w), before);
  const twice = w.issuer.processReturn({ ...atZero, records: [atZero.records[0]!, atZero.records[0]!] }, w.now);
  assert.deepEqual(twice.statuses, ['credited', 'duplicate']);
  assert.equal(twice.settled, 100);
  assert.equal(w.proposed.coin(1n)?.archived, true, 'the whole coin is back exactly once');
  w.close();
});

/**
 * The same deposits, with a double spend among them, built once. The world is deterministic from its label, so a
 * fresh world that withdraws the same coins in the same order issues the very same coins, and these records are
 * valid there too: each run can return them into an issuer that has seen none.
 */
function depositedRecords(): { records: { bank: number; record: TransactionRecord }[]; coins: Uint8Array[] } {
  const w = new World({ users: 4 });
  const [a, b, c, d] = [w.user(0), w.user(1), w.user(2), w.user(3)];
  const coins = [w.withdraw(a, 1000), w.withdraw(c, 1000)].map((coin) => Coin.encode(coin));
  w.pay(a, b, 500);
  w.pay(b, c, 200);
  const lot = [...b.card.lots.values()][0]!;
  b.card.breached = true;
  w.pay(b, d, 400, b.card.offer(400, { lot })); // b's lot of 500 signed away 200 + 400
  w.pay(c, d, 700);
  for (const u of [a, b, c, d]) w.deposit(u);
  const records = w.banks.flatMap((bank) => bank.takeBatch(100)!.records.map((record) => ({ bank: bank.id, record })));
  w.close();
  return { records, coins };
}

test('returning any records any number of times, in any batches and order, credits each record once', () => {
  const { records, coins } = depositedRecords();
  const total = records.reduce((s, r) => s + r.record.chain[r.record.chain.length - 1]!.amount, 0);
  const fresh = (): World => {
    const w = new World({ users: 4 });
    const again = [w.withdraw(w.user(0), 1000), w.withdraw(w.user(2), 1000)].map((coin) => Coin.encode(coin));
    assert.deepEqual(again, coins, 'the same world issues the same coins');
    return w;
  };
  // What returning each record once, in deposit order, leaves behind.
  const once = fresh();
  for (const r of records) once.issuer.processReturn({ bank: r.bank, batch: 0, records: [r.record] }, 0);
  const reference = rows(once);
  once.close();

  const batches = fc.array(fc.array(fc.nat({ max: records.length - 1 }), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 });
  fc.assert(
    fc.property(batches, (picks) => {
      const w = fresh();
      try {
        const credited = new Set<string>();
        let settled = 0;
        const send = (indices: readonly number[], n: number) => {
          // A batch goes to one bank: split the picks by the bank that holds each record.
          for (const bank of [0, 1]) {
            const mine = indices.filter((i) => records[i]!.bank === bank);
            if (mine.length === 0) continue;
            const r = w.issuer.processReturn({ bank, batch: n, records: mine.map((i) => records[i]!.record) }, n);
            mine.forEach((i, j) => {
              const id = keyOf(TransactionRecord.encode(records[i]!.record));
              assert.equal(r.statuses[j], credited.has(id) ? 'duplicate' : 'credited');
              credited.add(id);
            });
            settled += r.settled;
          }
        };
        picks.forEach((p, n) => send(p, n));
        // Then everything, as a bank would once its retries are over.
        send(records.map((_, i) => i), picks.length);
        assert.equal(settled, total, 'each record settled exactly once');
        assert.deepEqual(rows(w), reference);
      } finally {
        w.close();
      }
    }),
    { numRuns: 30, includeErrorInReport: true },
  );
});

test('sanity: the records above include the double spend, detected under both rules', () => {
  const { records } = depositedRecords();
  const w = new World({ users: 4 });
  w.withdraw(w.user(0), 1000);
  w.withdraw(w.user(2), 1000);
  const rules = records.flatMap((r) => w.issuer.processReturn({ bank: r.bank, batch: 0, records: [r.record] }, 0).detections.map((d) => d.rule));
  assert.deepEqual(rules.sort(), ['paper', 'tree']);
  w.close();
});
