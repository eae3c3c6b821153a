// Boldyreva's blind BLS signature (PKC 2003, §5) on BLS12-381 in the min-sig orientation of the plain
// `bls12-381` scheme: signatures in G1 (48 bytes compressed), public keys in G2 (96 bytes), messages hashed to
// G1 with the standard short-signature DST (BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_, what noble's
// shortSignatures.hash uses). The user sends H(m)*r, the bank returns (H(m)*r)*sk, the user multiplies by
// r^-1 and holds H(m)*sk: exactly the plain BLS signature on m, which the issuer checks with plain BLS verify.
// Against RSA-blind the trade is 48-byte signatures and 96-byte keys for pairing-cost verification.
//
// Encodings: public key = compressed G2 point; secret key = 32-byte big-endian scalar in [1, q) (noble's);
// blinded message and blind signature = compressed G1 points. Randomness: 48 bytes per blinding-factor
// candidate, reduced mod q (bias below 2^-128), zero rejected.

import { bls12_381 } from '@noble/curves/bls12-381.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import type { BlindingState, BlindSignatureScheme, KeyPair, RandomBytes } from '../scheme.ts';
import { BoundedCache } from './cache.ts';
import { BlindSignatureError } from './errors.ts';
import type { BlindFailure, BlindStep } from './errors.ts';

const short = bls12_381.shortSignatures;
const G1 = bls12_381.G1.Point;
const G2 = bls12_381.G2.Point;
/** The prime order q of G1, G2 and the scalar field. */
const ORDER = bls12_381.fields.Fr.ORDER;
const Fr = bls12_381.fields.Fr;
type G1Point = ReturnType<typeof G1.fromBytes>;
type G2Point = ReturnType<typeof G2.fromBytes>;

export const BLS_BLIND_PUBLIC_KEY_SIZE = 96;
export const BLS_BLIND_SECRET_KEY_SIZE = 32;
export const BLS_BLIND_SIGNATURE_SIZE = 48;
/** 16 bytes beyond q's 32 make the reduction mod q statistically uniform. */
const BLINDING_DRAW_LENGTH = 48;
/** An honest source yields r = 0 with probability 2^-255: repeated zeros mean a broken RandomBytes. */
const MAX_BLINDING_ATTEMPTS = 8;
const HKDF_SALT = utf8ToBytes('ecashsim/bls-blind/keygen/v1');
const MIN_SEED_LENGTH = 16;

const NAME = 'bls-blind@noble';

export interface BlsBlindScheme extends BlindSignatureScheme {
  readonly id: 'bls-blind';
  readonly backend: 'noble';
  readonly secretKeySize: number;
}

const fail = (step: BlindStep, field: string, reason: BlindFailure, detail = '', cause?: unknown): never => {
  throw new BlindSignatureError(NAME, step, field, reason, detail, cause === undefined ? undefined : { cause });
};

// Decompressing a G2 key costs a square root in Fp2 and a subgroup check: do it once per key.
const publicKeys = new BoundedCache<G2Point>(64);

function parsePublicKey(publicKey: Uint8Array, step: BlindStep): G2Point {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== BLS_BLIND_PUBLIC_KEY_SIZE) {
    return fail(step, 'publicKey', 'wrong-length', `expected ${BLS_BLIND_PUBLIC_KEY_SIZE} bytes`);
  }
  return publicKeys.getOrCreate(publicKey, (bytes) => {
    let point: G2Point;
    try {
      point = G2.fromBytes(bytes);
      point.assertValidity();
    } catch (cause) {
      return fail(step, 'publicKey', 'invalid-key', 'not a G2 point in the prime-order subgroup', cause);
    }
    // The identity would make every signature the identity: a key that signs everything.
    if (point.is0()) return fail(step, 'publicKey', 'invalid-key', 'identity point');
    return point;
  });
}

/** A G1 point from the wire: on the curve, in the subgroup (no small-subgroup tricks on the bank), not the identity. */
function parseG1(bytes: Uint8Array, step: BlindStep, field: string, reason: BlindFailure): G1Point {
  if (!(bytes instanceof Uint8Array) || bytes.length !== BLS_BLIND_SIGNATURE_SIZE) {
    return fail(step, field, 'wrong-length', `expected ${BLS_BLIND_SIGNATURE_SIZE} bytes`);
  }
  let point: G1Point;
  try {
    point = G1.fromBytes(bytes);
    point.assertValidity();
  } catch (cause) {
    return fail(step, field, reason, 'not a G1 point in the prime-order subgroup', cause);
  }
  if (point.is0()) return fail(step, field, reason, 'identity point');
  return point;
}

function parseScalar(bytes: Uint8Array, step: BlindStep, field: string): bigint {
  if (!(bytes instanceof Uint8Array) || bytes.length !== BLS_BLIND_SECRET_KEY_SIZE) {
    return fail(step, field, 'wrong-length', `expected ${BLS_BLIND_SECRET_KEY_SIZE} bytes`);
  }
  const x = bytesToNumberBE(bytes);
  if (x === 0n || x >= ORDER) return fail(step, field, 'out-of-range', 'scalar not in [1, q)');
  return x;
}

export const blsBlind: BlsBlindScheme = Object.freeze({
  id: 'bls-blind',
  backend: 'noble',
  name: NAME,
  publicKeySize: BLS_BLIND_PUBLIC_KEY_SIZE,
  secretKeySize: BLS_BLIND_SECRET_KEY_SIZE,
  signatureSize: BLS_BLIND_SIGNATURE_SIZE,
  /** The blinded message is a point of the signature's group. */
  blindedMessageSize: BLS_BLIND_SIGNATURE_SIZE,
  inverseSize: BLS_BLIND_SECRET_KEY_SIZE,

  keygen(seed: Uint8Array): KeyPair {
    if (!(seed instanceof Uint8Array) || seed.length < MIN_SEED_LENGTH) {
      return fail('keygen', 'seed', 'wrong-length', `expected at least ${MIN_SEED_LENGTH} bytes`);
    }
    // HKDF-SHA256 of the seed to the 48 bytes noble's keygen reduces mod q (a per-scheme salt, so the same
    // seed gives unrelated keys in the plain and the blind BLS schemes).
    const ikm = expand(sha256, extract(sha256, seed, HKDF_SALT), utf8ToBytes('secret key'), short.lengths.seed ?? 48);
    const { secretKey, publicKey } = short.keygen(ikm);
    return { publicKey: publicKey.toBytes(true), secretKey };
  },

  blind(publicKey: Uint8Array, message: Uint8Array, random: RandomBytes): BlindingState {
    // Through `blsBlind`, not `this`: a wrapper that copies these methods must not reroute the two halves.
    return blsBlind.blindPrepared(publicKey, blsBlind.prepare(message, random), random);
  },

  /** Blind BLS signs the message itself: nothing to draw. */
  prepare(message: Uint8Array, _random: RandomBytes): Uint8Array {
    if (!(message instanceof Uint8Array)) return fail('blind', 'message', 'invalid-input', 'not a Uint8Array');
    return message.slice();
  },

  blindPrepared(publicKey: Uint8Array, message: Uint8Array, random: RandomBytes): BlindingState {
    // The key is not needed to blind, but checking it here fails a withdrawal before the account is debited.
    parsePublicKey(publicKey, 'blind');
    if (!(message instanceof Uint8Array)) return fail('blind', 'message', 'invalid-input', 'not a Uint8Array');
    const hashed = short.hash(message);
    for (let attempt = 0; attempt < MAX_BLINDING_ATTEMPTS; attempt++) {
      const raw = random(BLINDING_DRAW_LENGTH);
      if (!(raw instanceof Uint8Array) || raw.length !== BLINDING_DRAW_LENGTH) {
        return fail('blind', 'random', 'bad-random', `asked for ${BLINDING_DRAW_LENGTH} bytes`);
      }
      const r = bytesToNumberBE(raw) % ORDER;
      if (r === 0n) continue;
      return {
        blindedMessage: hashed.multiply(r).toBytes(true),
        inverse: numberToBytesBE(Fr.inv(r), BLS_BLIND_SECRET_KEY_SIZE),
        preparedMessage: message.slice(),
      };
    }
    return fail('blind', 'random', 'blinding-failed', `r = 0 in ${MAX_BLINDING_ATTEMPTS} draws`);
  },

  blindSign(secretKey: Uint8Array, blindedMessage: Uint8Array): Uint8Array {
    const sk = parseScalar(secretKey, 'blindSign', 'secretKey');
    const point = parseG1(blindedMessage, 'blindSign', 'blindedMessage', 'invalid-input');
    return point.multiply(sk).toBytes(true);
  },

  finalize(publicKey: Uint8Array, state: BlindingState, blindSignature: Uint8Array): Uint8Array {
    const pk = parsePublicKey(publicKey, 'finalize');
    const rInverse = parseScalar(state.inverse, 'finalize', 'state.inverse');
    const blinded = parseG1(blindSignature, 'finalize', 'blindSignature', 'invalid-signature');
    const signature = blinded.multiply(rInverse);
    // e(sigma, g2) == e(H(m), pk): the bank's answer is checked before the user relies on it.
    let valid = false;
    try {
      valid = short.verify(signature, short.hash(state.preparedMessage), pk);
    } catch {
      valid = false;
    }
    if (!valid) return fail('finalize', 'blindSignature', 'invalid-signature', 'pairing check failed');
    return short.Signature.toBytes(signature);
  },

  // Plain BLS short-signature verification: nothing about blinding is visible in the result.
  verify(publicKey: Uint8Array, preparedMessage: Uint8Array, signature: Uint8Array): boolean {
    try {
      if (!(signature instanceof Uint8Array) || signature.length !== BLS_BLIND_SIGNATURE_SIZE) return false;
      if (!(preparedMessage instanceof Uint8Array)) return false;
      const pk = parsePublicKey(publicKey, 'finalize');
      return short.verify(signature, short.hash(preparedMessage), pk);
    } catch {
      return false;
    }
  },
});
