// The fast bigint helpers against plain references: Lehmer's modInv against the textbook extended Euclid
// (modInvEuclid), and the hex conversions against a byte-at-a-time OS2IP / I2OSP. Inputs lean on the places a
// Lehmer step can go wrong: RSA-sized and mixed sizes, huge quotients, long runs of quotient 1 (Fibonacci),
// values around powers of two and the 52-bit leading digits, common factors, zero and negative residues.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { bigintToBytes, bytesToBigint, modInv, modInvAll, modInvEuclid } from './bigint.ts';

// One seed for every run, so CI is reproducible; FC_SEED=<n> explores others (a failure prints its seed).
fc.configureGlobal({ seed: Number(process.env['FC_SEED'] ?? 20261124) });

const RUNS = 400;

/** A non-negative integer of up to `bits` bits, often at or near a power of two. */
function upTo(bits: number): fc.Arbitrary<bigint> {
  return fc.oneof(
    fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n }),
    fc.record({ k: fc.integer({ min: 0, max: bits }), d: fc.bigInt({ min: -3n, max: 3n }) }).map(({ k, d }) => (1n << BigInt(k)) + d),
  );
}

const width = fc.constantFrom(8, 52, 53, 64, 104, 256, 1024, 2048, 4096);
const sized = width.chain((bits) => upTo(bits));

/** Consecutive Fibonacci numbers: every quotient is 1, the longest Euclid there is for their size. */
const fibonacciPair = fc.integer({ min: 1, max: 3000 }).map((k) => {
  let [a, b] = [0n, 1n];
  for (let i = 0; i < k; i++) [a, b] = [b, a + b];
  return { a, m: b };
});

const pair: fc.Arbitrary<{ a: bigint; m: bigint }> = fc.oneof(
  fc.record({ a: sized, m: sized }),
  // RSA-sized modulus, the blind scheme's case.
  fc.record({ a: upTo(2048), m: fc.bigInt({ min: 1n << 2047n, max: (1n << 2048n) - 1n }) }),
  // A tiny residue against a large modulus: the first quotient is far wider than 52 bits.
  fc.record({ a: fc.bigInt({ min: -70000n, max: 70000n }), m: upTo(2048) }),
  // Not invertible: a common factor g >= 2.
  fc.record({ g: fc.bigInt({ min: 2n, max: 1n << 200n }), x: upTo(1024), y: upTo(1900) }).map(({ g, x, y }) => ({ a: g * x, m: g * y })),
  fibonacciPair,
  fibonacciPair.map(({ a, m }) => ({ a: m, m: a })),
  fc.record({ a: sized, m: sized }).map(({ a, m }) => ({ a: -a, m })),
);

test('modInv (Lehmer) agrees with modInvEuclid, inverses and non-invertible cases alike', () => {
  fc.assert(
    fc.property(pair, ({ a, m }) => {
      const fast = modInv(a, m);
      assert.equal(fast, modInvEuclid(a, m));
      if (fast !== undefined) assert.equal((((a % m) + m) * fast) % m, 1n);
    }),
    { numRuns: RUNS },
  );
});

test('modInv: small known values and edge cases', () => {
  assert.equal(modInv(3n, 11n), 4n);
  assert.equal(modInv(6n, 9n), undefined);
  assert.equal(modInv(0n, 7n), undefined);
  assert.equal(modInv(1n, 1n), undefined);
  assert.equal(modInv(5n, 0n), undefined);
  assert.equal(modInv(-1n, 7n), 6n);
  const m = (1n << 2048n) - 159n;
  assert.equal(modInv(1n, m), 1n);
  assert.equal(modInv(m - 1n, m), m - 1n);
  assert.equal(modInv(2n * m, m), undefined);
});

/** OS2IP and I2OSP a byte at a time, as RFC 8017 writes them. */
function referenceToBigint(bytes: Uint8Array): bigint {
  let x = 0n;
  for (const b of bytes) x = (x << 8n) | BigInt(b);
  return x;
}
function referenceToBytes(x: bigint, length: number): Uint8Array | 'too large' {
  const out = new Uint8Array(length);
  let v = x;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return v === 0n ? out : 'too large';
}

test('bytesToBigint agrees with the byte-at-a-time OS2IP', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
      assert.equal(bytesToBigint(bytes), referenceToBigint(bytes));
    }),
    { numRuns: RUNS },
  );
});

test('bigintToBytes agrees with the byte-at-a-time I2OSP, and refuses what does not fit', () => {
  fc.assert(
    fc.property(sized, fc.integer({ min: 0, max: 520 }), (x, length) => {
      const expected = referenceToBytes(x, length);
      if (expected === 'too large') assert.throws(() => bigintToBytes(x, length), RangeError);
      else assert.deepStrictEqual(bigintToBytes(x, length), expected);
    }),
    { numRuns: RUNS },
  );
  assert.deepStrictEqual(bigintToBytes(0n, 0), new Uint8Array(0));
  assert.deepStrictEqual(bigintToBytes(0xabcn, 3), Uint8Array.of(0, 0x0a, 0xbc));
  assert.throws(() => bigintToBytes(-1n, 4), RangeError);
  assert.throws(() => bigintToBytes(256n, 1), RangeError);
});

test('modInvAll: every inverse modInv gives, or undefined if any value has none', () => {
  const modulus = fc.oneof(fc.bigInt({ min: 1n << 2047n, max: (1n << 2048n) - 1n }), fc.bigInt({ min: 2n, max: 1000n }));
  fc.assert(
    fc.property(modulus, fc.array(upTo(2048), { maxLength: 12 }), (m, values) => {
      const each = values.map((v) => modInv(v, m));
      const all = modInvAll(values, m);
      if (each.every((x) => x !== undefined)) assert.deepEqual(all, each);
      else assert.equal(all, undefined);
    }),
    { numRuns: RUNS },
  );
  assert.deepEqual(modInvAll([], 7n), []);
  assert.deepEqual(modInvAll([3n, -1n, 10n], 11n), [4n, 10n, 10n]);
  assert.equal(modInvAll([3n, 22n], 11n), undefined);
});
