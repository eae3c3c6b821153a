// The cache of checked signatures: a hit only for the very (id, signature) pair that was checked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VerifiedSet } from './record.ts';

const bytes = (n: number, length = 32) => new Uint8Array(length).fill(n);

test('VerifiedSet: a hit only for the pair added, whatever happens to the caller\'s array after', () => {
  const set = new VerifiedSet();
  const sig = bytes(7, 64);
  set.add(bytes(1), sig);
  assert.equal(set.has(bytes(1), bytes(7, 64)), true);
  assert.equal(set.has(bytes(1), bytes(8, 64)), false, 'another signature over the same id');
  assert.equal(set.has(bytes(2), bytes(7, 64)), false, 'the same signature over another id');
  sig.fill(9);
  assert.equal(set.has(bytes(1), bytes(7, 64)), true, 'the bytes checked, not the array handed in');
  assert.equal(set.has(bytes(1), bytes(9, 64)), false);
  set.add(bytes(1), bytes(8, 64));
  assert.equal(set.has(bytes(1), bytes(8, 64)), true, 'a newer signature over the id replaces the older');
});

test('VerifiedSet: two generations keep the entries in use and drop the rest', () => {
  const set = new VerifiedSet(2);
  set.add(bytes(1), bytes(1, 64));
  set.add(bytes(2), bytes(2, 64));
  set.add(bytes(3), bytes(3, 64)); // rotates: 1 and 2 are the previous generation
  assert.equal(set.has(bytes(1), bytes(1, 64)), true, 'a hit in the previous generation moves it back');
  set.add(bytes(4), bytes(4, 64)); // rotates again: 3 and 1 previous, 2 dropped
  assert.equal(set.has(bytes(2), bytes(2, 64)), false);
  assert.equal(set.has(bytes(1), bytes(1, 64)), true);
  assert.equal(set.has(bytes(4), bytes(4, 64)), true);
});
