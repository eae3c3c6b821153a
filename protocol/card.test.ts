// The card's holdings as the rest of the protocol sees them: an idle card has none, a spent lot is swept, and
// spending goes oldest lot first. (The card makes its containers only when it holds something: card.ts.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Card } from './card.ts';
import { World } from './testing.ts';

test('a card with no key refuses to name one; a card with no lots holds nothing', () => {
  const w = new World({ users: 1 });
  const card = new Card(w.suite.card);
  assert.throws(() => card.receivingIdentity, /no registered key/);
  assert.equal(card.identities.length, 0);
  assert.equal(card.lots.size, 0);
  assert.equal(card.balance, 0);
  card.sweep();
  assert.equal(card.lots.size, 0);
  w.close();
});

test('the latest registration receives; lots are spent oldest first and swept once spent', () => {
  const w = new World({ users: 2 });
  const [a, b] = [w.user(0), w.user(1)];
  w.withdraw(a, 300);
  w.withdraw(a, 500);
  const ids = a.card.identities;
  assert.ok(ids.length >= 2);
  assert.equal(a.card.receivingIdentity, ids[ids.length - 1]);
  const [first, second] = [...a.card.lots.values()];
  assert.deepEqual([first!.remaining, second!.remaining], [300, 500]);
  w.pay(a, b, 400); // all of the first lot, 100 of the second
  assert.deepEqual([...a.card.lots.values()].map((l) => l.remaining), [0, 400], 'a spent lot stays until swept');
  a.card.sweep();
  assert.deepEqual([...a.card.lots.values()].map((l) => l.remaining), [400]);
  w.pay(a, b, 400);
  a.card.sweep();
  assert.equal(a.card.lots.size, 0);
  assert.equal(a.card.balance, 0);
  // An emptied card takes value again.
  w.pay(b, a, 50);
  assert.equal(a.card.balance, 50);
  w.close();
});
