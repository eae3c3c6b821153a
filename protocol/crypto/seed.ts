// Deterministic key material. A scenario names a seed per party, and every backend of a scheme must turn it into
// the same key pair, so that swapping `ed25519@native` for `ed25519@noble` changes the timings and nothing else.
// HKDF-SHA256 (RFC 5869) of the seed, with the scheme id as `info`: one seed gives unrelated keys in different
// schemes, and the salt keeps these keys apart from any other HKDF use of the same seed (the blind schemes use
// their own salt).

import { getMinHashLength, mapHashToField } from '@noble/curves/abstract/modular.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { SignatureSchemeError } from './errors.ts';
import { hkdfSha256 } from './hkdf.ts';
import type { SignatureSchemeId } from './scheme.ts';

const SALT = utf8ToBytes('ecashsim/signature/keygen/v1');
/** 128 bits: a shorter seed would be the weakest link of every key derived from it. */
export const MIN_SEED_LENGTH = 16;

/** Throws a keygen error naming `scheme` unless `seed` is a Uint8Array of at least MIN_SEED_LENGTH bytes. */
export function requireSeed(scheme: string, seed: unknown): asserts seed is Uint8Array {
  if (!(seed instanceof Uint8Array) || seed.length < MIN_SEED_LENGTH) {
    throw new SignatureSchemeError(scheme, 'keygen', 'seed', 'wrong-length', `expected at least ${MIN_SEED_LENGTH} bytes`);
  }
}

/**
 * `length` bytes of key material for `scheme` from `seed` (the seed must already have passed requireSeed), by
 * hkdf.ts: a national run makes a key for every registration, on the simulation's thread.
 */
export function deriveKeyBytes(seed: Uint8Array, scheme: SignatureSchemeId, length: number): Uint8Array {
  return hkdfSha256(seed, SALT, INFO[scheme], length);
}

const INFO: Readonly<Record<SignatureSchemeId, Uint8Array>> = {
  ed25519: utf8ToBytes('ed25519'),
  p256: utf8ToBytes('p256'),
  secp256k1: utf8ToBytes('secp256k1'),
  'schnorr-secp256k1': utf8ToBytes('schnorr-secp256k1'),
  'bls12-381': utf8ToBytes('bls12-381'),
};

/**
 * A secret scalar in [1, order) as `order`'s byte length, big-endian. HKDF gives 8+ bytes more than the order needs
 * and the reduction is FIPS 186-5 A.4.1 style (what noble's seeded keygen does), so the bias is below 2^-64 and no
 * output is ever rejected: the derivation cannot loop or fail for any seed.
 */
export function deriveScalar(seed: Uint8Array, scheme: SignatureSchemeId, order: bigint): Uint8Array {
  return mapHashToField(deriveKeyBytes(seed, scheme, getMinHashLength(order)), order);
}
