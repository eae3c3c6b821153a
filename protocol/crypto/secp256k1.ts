// ECDSA over secp256k1 with SHA-256: the Bitcoin curve, here as a point of comparison with P-256 (same sizes,
// different library paths). noble only: node:crypto has the curve but OpenSSL builds may drop it, and a scheme
// that exists on some machines would make benchmark tables incomparable.
//
// Encodings: public key = 33-byte compressed SEC1 point; secret key = 32-byte big-endian scalar in [1, n);
// signature = 64-byte r || s. Low S is enforced both ways (BIP-62 / libsecp256k1 convention, noble's default):
// with a single backend there is no OpenSSL to stay compatible with, and it makes signatures non-malleable.
// RFC 6979 nonces without extra entropy, so signing is deterministic.

import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { KeyPair, SignatureScheme } from './scheme.ts';
import { requireBytes, SignatureSchemeError } from './errors.ts';
import { deriveScalar, requireSeed } from './seed.ts';

export const SECP256K1_PUBLIC_KEY_SIZE = 33;
export const SECP256K1_SECRET_KEY_SIZE = 32;
export const SECP256K1_SIGNATURE_SIZE = 64;

const NAME = 'secp256k1@noble';
const ORDER = secp256k1.Point.Fn.ORDER;

export interface Secp256k1Scheme extends SignatureScheme {
  readonly id: 'secp256k1';
  readonly backend: 'noble';
}

export const secp256k1Noble: Secp256k1Scheme = Object.freeze({
  id: 'secp256k1',
  backend: 'noble',
  name: NAME,
  publicKeySize: SECP256K1_PUBLIC_KEY_SIZE,
  secretKeySize: SECP256K1_SECRET_KEY_SIZE,
  signatureSize: SECP256K1_SIGNATURE_SIZE,

  keygen(seed: Uint8Array): KeyPair {
    requireSeed(NAME, seed);
    const secretKey = deriveScalar(seed, 'secp256k1', ORDER);
    return { publicKey: secp256k1.getPublicKey(secretKey, true), secretKey };
  },

  sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
    requireBytes(NAME, 'sign', 'secretKey', secretKey, SECP256K1_SECRET_KEY_SIZE);
    requireBytes(NAME, 'sign', 'message', message);
    if (!secp256k1.utils.isValidSecretKey(secretKey)) {
      throw new SignatureSchemeError(NAME, 'sign', 'secretKey', 'invalid-key', 'scalar not in [1, n)');
    }
    return secp256k1.sign(message, secretKey, { prehash: true, lowS: true, format: 'compact', extraEntropy: false });
  },

  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    if (
      !(publicKey instanceof Uint8Array) ||
      publicKey.length !== SECP256K1_PUBLIC_KEY_SIZE ||
      !(message instanceof Uint8Array) ||
      !(signature instanceof Uint8Array) ||
      signature.length !== SECP256K1_SIGNATURE_SIZE
    ) {
      return false;
    }
    try {
      return secp256k1.verify(signature, message, publicKey, { prehash: true, lowS: true, format: 'compact' });
    } catch {
      return false;
    }
  },
});
