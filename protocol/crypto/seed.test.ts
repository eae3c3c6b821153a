import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { p256 } from '@noble/curves/nist.js';
import { getMinHashLength } from '@noble/curves/abstract/modular.js';
import { SignatureSchemeError } from './errors.ts';
import { deriveKeyBytes, deriveScalar, MIN_SEED_LENGTH, requireSeed } from './seed.ts';
import { testSeed } from './testing.ts';

describe('seed: HKDF-SHA256 key material', () => {
  const seed = testSeed('seed tests');

  it("is RFC 5869 HKDF-SHA256 with the fixed salt and the scheme id as info (noble's HKDF the reference)", () => {
    const expected = hkdf(sha256, seed, new TextEncoder().encode('ecashsim/signature/keygen/v1'), new TextEncoder().encode('ed25519'), 32);
    assert.deepEqual(deriveKeyBytes(seed, 'ed25519', 32), expected);
  });

  it('repeats for the same seed and scheme, and differs between schemes and seeds', () => {
    assert.deepEqual(deriveKeyBytes(seed, 'p256', 32), deriveKeyBytes(seed, 'p256', 32));
    assert.notDeepEqual(deriveKeyBytes(seed, 'p256', 32), deriveKeyBytes(seed, 'secp256k1', 32));
    assert.notDeepEqual(deriveKeyBytes(seed, 'p256', 32), deriveKeyBytes(testSeed('other'), 'p256', 32));
  });

  it("derives scalars exactly as noble's seeded keygen reduces its seed (so either can be the reference)", () => {
    const order = p256.Point.Fn.ORDER;
    const material = deriveKeyBytes(seed, 'p256', getMinHashLength(order));
    assert.deepEqual(deriveScalar(seed, 'p256', order), p256.keygen(material).secretKey);
    const q = bls12_381.fields.Fr.ORDER;
    const blsMaterial = deriveKeyBytes(seed, 'bls12-381', getMinHashLength(q));
    assert.deepEqual(deriveScalar(seed, 'bls12-381', q), bls12_381.shortSignatures.keygen(blsMaterial).secretKey);
  });

  it('refuses seeds shorter than MIN_SEED_LENGTH, or not bytes, with a typed error', () => {
    assert.doesNotThrow(() => requireSeed('x@y', new Uint8Array(MIN_SEED_LENGTH)));
    for (const bad of [new Uint8Array(MIN_SEED_LENGTH - 1), 'seed', undefined]) {
      assert.throws(
        () => requireSeed('x@y', bad),
        (e: unknown) => e instanceof SignatureSchemeError && e.field === 'seed' && e.step === 'keygen' && e.scheme === 'x@y',
      );
    }
  });
});
