// The proposed store's own operations, below the issuer: a coin's lots live under its serial (the key is
// (serial, id)), a step raises its parent's spent sum, archiving moves a coin with all its lots, and a coin's
// bytes can be written again only where the coin is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Coin } from '../messages.ts';
import { ProposedStore } from './proposed.ts';

const id = (n: number) => new Uint8Array(32).fill(n);

function coin(serial: number): Coin {
  return { serial: BigInt(serial), value: 1000, epoch: 0, expiry: 86_400, holderKey: id(200), issuerSig: new Uint8Array(64) };
}

/** Two coins: serial 1 with root lot 1 and steps 11 (300) and 12 (200) from it, serial 2 with root lot 2. */
function store(): ProposedStore {
  const s = new ProposedStore();
  s.issue(coin(1), new Uint8Array(120).fill(1), id(1));
  s.issue(coin(2), new Uint8Array(120).fill(2), id(2));
  assert.equal(s.addStep(id(11), 1n, 300, new Uint8Array([11]), id(1), false), 300);
  assert.equal(s.addStep(id(12), 1n, 200, new Uint8Array([12]), id(1), false), 500, "the parent's spent sum");
  return s;
}

test("a lot is found under its own coin's serial only", () => {
  const s = store();
  assert.equal(s.hasLot(1n, id(11), false), true);
  assert.equal(s.hasLot(2n, id(11), false), false, "another coin's serial");
  assert.equal(s.hasLot(1n, id(11), true), false, 'not archived');
  assert.deepEqual(s.lot(1n, id(11)), { id: id(11), serial: 1n, amount: 300, spent: 0, step: new Uint8Array([11]), archived: false });
  assert.equal(s.lot(2n, id(11)), undefined);
  assert.deepEqual(
    s.lotsOf(1n).map((l) => [l.id[0], l.spent]),
    [
      [1, 500],
      [11, 0],
      [12, 0],
    ],
  );
  assert.throws(() => s.addStep(id(13), 2n, 100, new Uint8Array([13]), id(11), false), /parent lot missing/, "a parent under another coin's serial");
  assert.throws(() => s.addStep(id(11), 1n, 100, new Uint8Array([11]), id(1), false), /UNIQUE/, 'a lot stored twice');
});

test('archiving moves a coin with all its lots; its bytes are rewritten where it is', () => {
  const s = store();
  s.archive(1n, 3600);
  assert.equal(s.hasLot(1n, id(12), false), false);
  assert.equal(s.hasLot(1n, id(12), true), true);
  assert.equal(s.coin(1n)?.archived, true);
  assert.equal(s.addStep(id(21), 1n, 50, new Uint8Array([21]), id(12), true), 50, 'a late step joins the archived tree');
  assert.deepEqual(s.lotsOf(1n).map((l) => l.id[0]).sort(), [1, 11, 12, 21]);
  assert.deepEqual(s.lotsOf(2n).map((l) => l.id[0]), [2], "the other coin's lots stay live");

  s.rewriteCoin(1n, new Uint8Array(120).fill(9));
  s.rewriteCoin(2n, new Uint8Array(120).fill(8));
  // SQLite hands blobs back as Buffers: compare the bytes.
  assert.deepEqual(new Uint8Array(s.coin(1n)!.coin), new Uint8Array(120).fill(9), 'archived');
  assert.deepEqual(new Uint8Array(s.coin(2n)!.coin), new Uint8Array(120).fill(8), 'live');
  assert.throws(() => s.rewriteCoin(3n, new Uint8Array(120)), /no coin 3 to rewrite/);
});

test('inside a group commit, an operation that throws rolls back alone: the group and later operations stand', () => {
  const s = store();
  s.beginGroup();
  s.transaction(() => s.addStep(id(13), 1n, 100, new Uint8Array([13]), id(11), false));
  assert.throws(() =>
    s.transaction(() => {
      s.addStep(id(14), 1n, 50, new Uint8Array([14]), id(12), false);
      throw new Error('refused after a write');
    }),
  );
  s.transaction(() => s.addStep(id(15), 1n, 25, new Uint8Array([15]), id(12), false));
  s.commitGroup();
  assert.equal(s.hasLot(1n, id(13), false), true);
  assert.equal(s.hasLot(1n, id(14), false), false, 'rolled back');
  assert.equal(s.lot(1n, id(12))?.spent, 25, "the refused step's spend is undone too");
  assert.equal(s.transaction(() => 7), 7, "the operation's result comes back");
});
