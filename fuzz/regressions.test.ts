// The mutants that broke the oracle when the harness was first run, each against the fix it led to:
//   a serial past 2^63 threw a RangeError out of the issuer's store (issuer.ts refuses it as bad-coin);
//   Bank.depositRecord credited a forged record (it now checks the record like any payee);
//   a payee accepted one lot offered twice for more than it holds (checkOffer sums the parts of a lot).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Bank } from '../protocol/bank.ts';
import { ProtocolError } from '../protocol/errors.ts';
import { sha256 } from '../protocol/hash.ts';
import { checkOffer } from '../protocol/payment.ts';
import { ReturnBatch, type TransactionRecord } from '../protocol/messages.ts';
import { buildCorpus } from './corpus.ts';
import { rolledBack, WriteCounter } from './targets.ts';

const c = buildCorpus('fuzz-regressions');
const w = c.world;
const writes = new WriteCounter(w);
after(() => w.close());

function refused(fn: () => unknown, code: string, field: string): void {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof ProtocolError, `expected ProtocolError, got ${String(e)}`);
    assert.deepEqual({ code: e.code, field: e.field }, { code, field });
    return true;
  });
}

test('issuer: a record whose serial is 2^63 or more is refused as bad-coin; the rest of its batch is settled', () => {
  const batch = ReturnBatch.decode(c.freshBatches[0]!);
  for (const serial of [2n ** 63n, 2n ** 64n - 1n, 2n ** 63n + 5n]) {
    rolledBack(w, () => {
      const records = batch.records.map((r, i) => (i === 0 ? { ...r, coin: { ...r.coin, serial } } : r));
      const before = writes.count;
      const result = w.issuer.processReturn({ ...batch, records }, w.now);
      assert.equal(result.statuses[0], 'rejected');
      assert.deepEqual({ code: result.errors[0]!.error.code, field: result.errors[0]!.error.field }, { code: 'bad-coin', field: 'records[0].coin.serial' });
      assert.deepEqual(result.statuses.slice(1), records.slice(1).map(() => 'credited'));
      const rest = records.slice(1).reduce((s, r) => s + r.chain[r.chain.length - 1]!.amount, 0);
      assert.equal(result.settled, rest);
      assert.ok(writes.count > before);
    });
  }
});

test('bank: a finished record is credited only if it checks, for its own amount, once', () => {
  const ex = c.deposits.find((d) => d.records.length >= 1)!;
  const fresh = (): Bank => {
    const proto = w.banks[ex.bank]!;
    const bank = new Bank({ id: proto.id, suite: w.suite, seed: sha256(new TextEncoder().encode('regression')), depositKey: proto.depositKey });
    bank.open(ex.account, 0);
    return bank;
  };
  const record = ex.records[0]!;
  const last = record.chain.length - 1;
  const raised: TransactionRecord = { ...record, chain: record.chain.map((s, i) => (i === last ? { ...s, amount: s.amount * 2 } : s)) };
  const forgedCoin: TransactionRecord = { ...record, coin: { ...record.coin, value: record.coin.value * 2 } };
  const bank = fresh();
  refused(() => bank.depositRecord(w.verifier, ex.account, raised), 'bad-step', `record.chain[${last}].sig`);
  refused(() => bank.depositRecord(w.verifier, ex.account, forgedCoin), 'bad-coin', 'record.coin.issuerSig');
  refused(() => bank.depositRecord(w.verifier, ex.account, { ...record, chain: record.chain.slice(0, last) }), 'wrong-payee', 'record.chain');
  assert.equal(bank.balance(ex.account), 0);
  assert.equal(bank.pendingRecords, 0);
  assert.equal(bank.depositRecord(w.verifier, ex.account, record), record.chain[last]!.amount);
  refused(() => bank.depositRecord(w.verifier, ex.account, record), 'duplicate-deposit', 'record');
  assert.equal(bank.balance(ex.account), record.chain[last]!.amount);
  assert.equal(bank.pendingRecords, 1);
});

test('payee: one lot offered twice for more than it holds is refused; within what it holds it is not', () => {
  const part = c.payments.find((p) => p.parts.length === 1 && p.lots[0]!.amount >= 2)!.parts[0]!;
  const held = checkOffer(w.verifier, [part])[0]!.amount;
  refused(() => checkOffer(w.verifier, [{ ...part, amount: held }, { ...part, amount: 1 }]), 'insufficient-value', 'parts[1].amount');
  refused(() => checkOffer(w.verifier, [part, part, part].map((p) => ({ ...p, amount: Math.ceil(held / 2) }))), 'insufficient-value', `parts[${held % 2 === 0 ? 2 : 1}].amount`);
  const half = Math.floor(held / 2);
  assert.equal(checkOffer(w.verifier, [{ ...part, amount: half }, { ...part, amount: held - half }]).length, 2);
});
