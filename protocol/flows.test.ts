// The protocol's flows end to end on the real key schemes: withdraw, pay, transfer, deposit, return.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { World } from './testing.ts';
import { ProtocolError } from './errors.ts';

function settle(w: World) {
  return w.returnAll();
}

test('withdraw, pay, transfer and deposit: the coin is deleted once its value is back, money is conserved', () => {
  const w = new World({ users: 4 });
  const [a, b, c, d] = [w.user(0), w.user(1), w.user(2), w.user(3)];
  const coin = w.withdraw(a, 1000);
  assert.equal(coin.value, 1000);
  assert.equal(a.card.balance, 1000);
  w.pay(a, b, 300);
  w.pay(b, c, 200); // transfer of received value: chain of two
  w.pay(a, d, 700);
  assert.equal(w.moneyOnCards() + w.moneyInAccounts(), w.created);
  for (const u of [b, c, d]) w.deposit(u);
  assert.equal(w.moneyOnCards() + w.moneyInAccounts(), w.created);
  const results = settle(w);
  assert.deepEqual(results.flatMap((r) => r.statuses), ['credited', 'credited', 'credited']);
  assert.equal(results.flatMap((r) => r.detections).length, 0);
  assert.equal(w.proposed.coin(coin.serial)?.archived, true, 'fully returned coin leaves the live tables');
  assert.equal(w.proposed.size().tables.find((t) => t.name === 'coin')?.rows, 0);
  assert.equal(w.baseline.size().rows, 3, 'baseline keeps every deposit');
  w.close();
});

test('a breached card that pays the same lot twice is detected and traced to its holder under both rules', () => {
  const w = new World({ users: 3 });
  const [a, b, c] = [w.user(0), w.user(1), w.user(2)];
  w.withdraw(a, 1000);
  const lot = [...a.card.lots.values()][0]!;
  a.card.breached = true;
  w.pay(a, b, 800, a.card.offer(800, { lot }));
  w.pay(a, c, 800, a.card.offer(800, { lot }));
  w.deposit(b);
  w.deposit(c);
  const detections = settle(w).flatMap((r) => r.detections);
  assert.deepEqual(detections.map((d) => d.rule).sort(), ['paper', 'tree']);
  for (const d of detections) {
    assert.ok(d.proof);
    const { name } = w.ra.reveal(w.verifier, d.proof);
    assert.equal(name, a.name);
  }
  w.close();
});

test('the tree rule sees an overspend the sum rule misses while an honest sibling has not returned', () => {
  const w = new World({ users: 5 });
  const [a, b, c, d, e] = [w.user(0), w.user(1), w.user(2), w.user(3), w.user(4)];
  w.withdraw(a, 1000);
  w.pay(a, b, 500);
  w.pay(a, e, 500); // e holds its half and does not deposit yet
  const lot = [...b.card.lots.values()][0]!;
  b.card.breached = true;
  w.pay(b, c, 500, b.card.offer(500, { lot }));
  w.pay(b, d, 500, b.card.offer(500, { lot }));
  w.deposit(c);
  w.deposit(d);
  let detections = settle(w).flatMap((r) => r.detections);
  assert.deepEqual(detections.map((x) => x.rule), ['tree']);
  assert.equal(w.ra.reveal(w.verifier, detections[0]!.proof!).name, b.name);
  w.deposit(e);
  detections = settle(w).flatMap((r) => r.detections);
  assert.deepEqual(detections.map((x) => x.rule), ['paper'], 'the sum rule finds it once the sibling returns');
  assert.equal(w.ra.reveal(w.verifier, detections[0]!.proof!).name, b.name);
  w.close();
});

test('an honest card refuses to overspend; a replayed issuance request is refused; a batch returned twice credits nothing', () => {
  const w = new World({ users: 2 });
  const [a, b] = [w.user(0), w.user(1)];
  w.withdraw(a, 500);
  const lot = [...a.card.lots.values()][0]!;
  w.pay(a, b, 400);
  assert.throws(() => a.card.offer(200, { lot }), (e) => e instanceof ProtocolError && e.code === 'insufficient-value');
  w.deposit(b);
  const batch = b.bank.takeBatch(10)!;
  const first = w.issuer.processReturn(batch, 0);
  const again = w.issuer.processReturn(batch, 0);
  assert.equal(first.settled, 400);
  assert.equal(again.settled, 0);
  assert.deepEqual(again.statuses, ['duplicate']);
  w.close();
});
