// BIP-340 Schnorr signatures over secp256k1: x-only 32-byte public keys and 64-byte signatures, linear (so a
// future MuSig or batch check is possible), and a point of comparison with ECDSA on the same curve.
//
// Encodings: public key = 32-byte x coordinate (BIP-340); secret key = 32-byte big-endian scalar in [1, n);
// signature = 64-byte R.x || s. Messages of any length (BIP-340 as amended for variable-length messages).
//
// Auxiliary randomness is 32 zero bytes, always. BIP-340 recommends fresh aux bytes only as a hedge against
// side channels and fault attacks on real hardware, which a simulator has no use for; the nonce stays secret
// (it is a tagged hash of the secret key, the public key and the message), and signing becomes a function of key
// and message, so runs reproduce byte for byte. Zero aux is also what BIP-340's test vector 0 uses.

import { schnorr } from '@noble/curves/secp256k1.js';
import { bytesToNumberBE } from '@noble/curves/utils.js';
import type { KeyPair, SignatureScheme } from './scheme.ts';
import { requireBytes, SignatureSchemeError } from './errors.ts';
import { deriveScalar, requireSeed } from './seed.ts';

export const SCHNORR_PUBLIC_KEY_SIZE = 32;
export const SCHNORR_SECRET_KEY_SIZE = 32;
export const SCHNORR_SIGNATURE_SIZE = 64;

const NAME = 'schnorr-secp256k1@noble';
const ORDER = schnorr.Point.Fn.ORDER;
const ZERO_AUX = new Uint8Array(32);

export interface SchnorrScheme extends SignatureScheme {
  readonly id: 'schnorr-secp256k1';
  readonly backend: 'noble';
}

export const schnorrNoble: SchnorrScheme = Object.freeze({
  id: 'schnorr-secp256k1',
  backend: 'noble',
  name: NAME,
  publicKeySize: SCHNORR_PUBLIC_KEY_SIZE,
  secretKeySize: SCHNORR_SECRET_KEY_SIZE,
  signatureSize: SCHNORR_SIGNATURE_SIZE,

  keygen(seed: Uint8Array): KeyPair {
    requireSeed(NAME, seed);
    // Kept as derived, not negated to an even-Y key: BIP-340 signing negates internally when it must.
    const secretKey = deriveScalar(seed, 'schnorr-secp256k1', ORDER);
    return { publicKey: schnorr.getPublicKey(secretKey), secretKey };
  },

  sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
    requireBytes(NAME, 'sign', 'secretKey', secretKey, SCHNORR_SECRET_KEY_SIZE);
    requireBytes(NAME, 'sign', 'message', message);
    const d = bytesToNumberBE(secretKey);
    if (d === 0n || d >= ORDER) throw new SignatureSchemeError(NAME, 'sign', 'secretKey', 'invalid-key', 'scalar not in [1, n)');
    // noble verifies its own signature before returning it (a fault check), so this costs a sign and a verify.
    return schnorr.sign(message, secretKey, ZERO_AUX);
  },

  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    // noble's verify throws, rather than returns false, on wrong lengths: check them first.
    if (
      !(publicKey instanceof Uint8Array) ||
      publicKey.length !== SCHNORR_PUBLIC_KEY_SIZE ||
      !(message instanceof Uint8Array) ||
      !(signature instanceof Uint8Array) ||
      signature.length !== SCHNORR_SIGNATURE_SIZE
    ) {
      return false;
    }
    try {
      return schnorr.verify(signature, message, publicKey);
    } catch {
      return false;
    }
  },
});
