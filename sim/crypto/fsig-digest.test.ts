// The F_SIG digest tells apart what it must: another key, another message, the same bytes split differently
// between key and message, and a change in any byte or in the length.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fsigDigest } from './fsig-digest.ts';

test('a digest is a whole number of at most 53 bits, the same for the same key and message', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 300 }), (key, message) => {
      const d = fsigDigest(key, message);
      assert.ok(Number.isSafeInteger(d) && d >= 0, String(d));
      assert.equal(fsigDigest(Uint8Array.from(key), Uint8Array.from(message)), d);
    }),
  );
});

test('changing, adding or removing any byte of key or message changes the digest', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (key, message, at, delta) => {
      const d = fsigDigest(key, message);
      const k = Uint8Array.from(key);
      k[at % k.length]! ^= delta;
      assert.notEqual(fsigDigest(k, message), d, 'key byte');
      const m = Uint8Array.from(message);
      m[at % m.length]! ^= delta;
      assert.notEqual(fsigDigest(key, m), d, 'message byte');
      assert.notEqual(fsigDigest(key, Uint8Array.of(...message, 0)), d, 'message with a zero byte more');
      assert.notEqual(fsigDigest(key, message.subarray(1)), d, 'message a byte shorter');
    }),
  );
});

test('the same bytes split differently between key and message give another digest', () => {
  const bytes = Uint8Array.from({ length: 96 }, (_, i) => i * 7);
  const seen = new Set<number>();
  for (let split = 0; split <= bytes.length; split++) seen.add(fsigDigest(bytes.subarray(0, split), bytes.subarray(split)));
  assert.equal(seen.size, bytes.length + 1);
});

test('no two of 200,000 distinct 32-byte keys over one message share a digest', () => {
  const message = new Uint8Array(120).fill(0x5a);
  const key = new Uint8Array(32).fill(0xa5);
  const seen = new Set<number>();
  for (let i = 0; i < 200_000; i++) {
    // Keys that differ in a few bits of one word, as sequential ids would: the weakest case for a hash.
    key[8] = i & 0xff;
    key[9] = (i >>> 8) & 0xff;
    key[10] = i >>> 16;
    seen.add(fsigDigest(key, message));
  }
  assert.equal(seen.size, 200_000);
});
