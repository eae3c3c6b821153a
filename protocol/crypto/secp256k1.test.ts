import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { SignatureSchemeError } from './errors.ts';
import { secp256k1Noble } from './secp256k1.ts';
import { testSeed } from './testing.ts';

const ORDER = secp256k1.Point.Fn.ORDER;
const message = new TextEncoder().encode('secp256k1 message');

describe('secp256k1 (ECDSA)', () => {
  const { publicKey, secretKey } = secp256k1Noble.keygen(testSeed('secp256k1'));

  it('signs deterministically (RFC 6979) with a low s', () => {
    const signature = secp256k1Noble.sign(secretKey, message);
    assert.deepEqual(secp256k1Noble.sign(secretKey, message), signature);
    assert.ok(bytesToNumberBE(signature.subarray(32)) <= ORDER >> 1n);
    assert.equal(secp256k1Noble.verify(publicKey, message, signature), true);
  });

  it('agrees with an independent SHA-256 prehash: the signature is over sha256(message)', () => {
    const signature = secp256k1Noble.sign(secretKey, message);
    assert.equal(secp256k1.verify(signature, sha256(message), publicKey, { prehash: false }), true);
  });

  it('refuses the malleated twin (r, n - s): low S is enforced, unlike p256', () => {
    const signature = secp256k1Noble.sign(secretKey, message);
    const s = bytesToNumberBE(signature.subarray(32));
    const twin = Uint8Array.of(...signature.subarray(0, 32), ...numberToBytesBE(ORDER - s, 32));
    assert.equal(secp256k1Noble.verify(publicKey, message, twin), false);
  });

  it('refuses an uncompressed key', () => {
    const signature = secp256k1Noble.sign(secretKey, message);
    assert.equal(secp256k1Noble.verify(secp256k1.getPublicKey(secretKey, false), message, signature), false);
  });

  it('refuses to sign with 0 or a scalar >= n', () => {
    for (const bad of [new Uint8Array(32), numberToBytesBE(ORDER, 32)]) {
      assert.throws(
        () => secp256k1Noble.sign(bad, message),
        (e: unknown) => e instanceof SignatureSchemeError && e.reason === 'invalid-key',
      );
    }
  });
});
