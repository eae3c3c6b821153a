import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { keyOf, sha256 } from './hash.ts';

const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

test('keyOf is one char per byte, for short, long (past one fromCharCode chunk) and offset views', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 10_000 }), fc.nat(), (bytes, cut) => {
      assert.equal(keyOf(bytes), latin1(bytes));
      const start = bytes.length === 0 ? 0 : cut % bytes.length;
      assert.equal(keyOf(bytes.subarray(start)), latin1(bytes.subarray(start)));
    }),
    { numRuns: 200 },
  );
});

test('keyOf is one char per byte for 32 bytes (its own path), whole arrays and views alike', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 32, maxLength: 48 }), fc.nat(), (bytes, cut) => {
      const view = bytes.subarray(cut % (bytes.length - 31), (cut % (bytes.length - 31)) + 32);
      assert.equal(view.length, 32);
      assert.equal(keyOf(view), latin1(view));
      assert.equal(keyOf(view.slice()), latin1(view));
    }),
    { numRuns: 300 },
  );
});

test('keyOf tells apart arrays that differ in one byte or in length', () => {
  const a = new Uint8Array(4097).fill(7);
  const b = a.slice();
  b[4096] = 8;
  assert.notEqual(keyOf(a), keyOf(b));
  assert.notEqual(keyOf(a), keyOf(a.subarray(0, 4096)));
  assert.equal(keyOf(a).length, 4097);
});

test('sha256 of parts is SHA-256 of their concatenation, in a fresh array each time', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 3000 }), { maxLength: 4 }), (parts) => {
      const expected = createHash('sha256');
      for (const p of parts) expected.update(p);
      const got = sha256(...parts);
      assert.deepEqual(got, new Uint8Array(expected.digest()));
      // The result is the caller's: the next hash does not overwrite it.
      const again = got.slice();
      sha256(new Uint8Array(5000).fill(1));
      assert.deepEqual(got, again);
    }),
    { numRuns: 200 },
  );
});
