import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { blsNoble } from './bls.ts';
import { SignatureSchemeError } from './errors.ts';
import type { SignedMessage } from './scheme.ts';
import { testSeed } from './testing.ts';

const short = bls12_381.shortSignatures;
const G1 = bls12_381.G1.Point;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

// Kept small: every item costs a hash to G1 and pairings, tens of milliseconds each.
const alice = blsNoble.keygen(testSeed('bls alice'));
const bob = blsNoble.keygen(testSeed('bls bob'));
const signed = (key: typeof alice, text: string): SignedMessage => {
  const message = utf8(text);
  return { publicKey: key.publicKey, message, signature: blsNoble.sign(key.secretKey, message) };
};
const batch: SignedMessage[] = [signed(alice, 'coin 1'), signed(alice, 'coin 2'), signed(bob, 'coin 3')];

describe('bls12-381 (min-sig): single signatures', () => {
  it("agrees with noble's own pairing check (the cached-lines path computes the same equation)", () => {
    const item = batch[0] as SignedMessage;
    assert.equal(short.verify(item.signature, short.hash(item.message), item.publicKey), true);
    assert.equal(blsNoble.verify(item.publicKey, item.message, item.signature), true);
    assert.equal(short.verify(item.signature, short.hash(utf8('coin 9')), item.publicKey), false);
    assert.equal(blsNoble.verify(item.publicKey, utf8('coin 9'), item.signature), false);
  });

  it('refuses the identity as key or signature', () => {
    const identityG2 = bls12_381.G2.Point.ZERO.toBytes(true);
    const identityG1 = G1.ZERO.toBytes(true);
    const item = batch[0] as SignedMessage;
    assert.equal(blsNoble.verify(identityG2, item.message, identityG1), false);
    assert.equal(blsNoble.verify(item.publicKey, item.message, identityG1), false);
  });

  it('refuses to sign with 0 or a scalar >= q (noble would reduce it mod q)', () => {
    for (const bad of [new Uint8Array(32), new Uint8Array(32).fill(0xff)]) {
      assert.throws(
        () => blsNoble.sign(bad, utf8('m')),
        (e: unknown) => e instanceof SignatureSchemeError && e.reason === 'invalid-key',
      );
    }
  });
});

describe('bls12-381: verifyBatch', () => {
  it('accepts a valid batch of distinct messages under two keys', () => {
    assert.equal(blsNoble.verifyBatch(batch), true);
  });

  it('refuses the batch when one message, key or signature is swapped', () => {
    const [a, b, c] = batch as [SignedMessage, SignedMessage, SignedMessage];
    assert.equal(blsNoble.verifyBatch([a, { ...b, message: utf8('coin 2 (edited)') }, c]), false);
    assert.equal(blsNoble.verifyBatch([a, b, { ...c, publicKey: alice.publicKey }]), false);
    assert.equal(blsNoble.verifyBatch([a, { ...b, signature: a.signature }, c]), false);
  });

  it('refuses two wrong signatures whose errors cancel, which plain aggregation accepts', () => {
    const [a, b] = batch as [SignedMessage, SignedMessage];
    const offset = G1.BASE.multiply(12345n);
    const aBad = { ...a, signature: short.Signature.fromBytes(a.signature).add(offset).toBytes(true) };
    const bBad = { ...b, signature: short.Signature.fromBytes(b.signature).subtract(offset).toBytes(true) };
    assert.equal(blsNoble.verify(aBad.publicKey, aBad.message, aBad.signature), false);
    assert.equal(blsNoble.verify(bBad.publicKey, bBad.message, bBad.signature), false);
    // The unweighted aggregate check is fooled: the sum of the two bad signatures is the sum of the good ones.
    const aggregate = short.aggregateSignatures([aBad.signature, bBad.signature]);
    const plain = short.verifyBatch(aggregate, [aBad, bBad].map((i) => ({ message: short.hash(i.message), publicKey: i.publicKey })));
    assert.equal(plain, true);
    assert.equal(blsNoble.verifyBatch([aBad, bBad]), false);
  });

  it('accepts the same message signed under two keys (each item is still checked on its own)', () => {
    assert.equal(blsNoble.verifyBatch([signed(alice, 'same'), signed(bob, 'same')]), true);
  });

  it('is vacuously true when empty, and equals verify for one item', () => {
    assert.equal(blsNoble.verifyBatch([]), true);
    const [a, b] = batch as [SignedMessage, SignedMessage];
    assert.equal(blsNoble.verifyBatch([a]), true);
    assert.equal(blsNoble.verifyBatch([{ ...a, message: b.message }]), false);
  });

  it('returns false, never throws, on malformed items', () => {
    const [a, b] = batch as [SignedMessage, SignedMessage];
    assert.equal(blsNoble.verifyBatch([a, { ...b, signature: b.signature.subarray(1) }]), false);
    assert.equal(blsNoble.verifyBatch([a, { ...b, publicKey: new Uint8Array(96) }]), false);
    assert.equal(blsNoble.verifyBatch([a, { ...b, message: 'coin 2' as unknown as Uint8Array }]), false);
    assert.equal(blsNoble.verifyBatch([a, null as unknown as SignedMessage]), false);
    assert.equal(blsNoble.verifyBatch('not a batch' as unknown as SignedMessage[]), false);
  });
});
