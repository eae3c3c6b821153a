// BLS short signatures on BLS12-381 (Boneh-Lynn-Shacham; the "minimal-signature-size" variant of
// draft-irtf-cfrg-bls-signature): 48-byte signatures in G1, 96-byte public keys in G2, messages hashed to G1
// with the basic-scheme DST BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_ (noble's shortSignatures). The smallest
// signatures here, which matters for a coin whose transfer chain carries one per step, paid for with pairings.
//
// Encodings: public key = compressed G2 point; secret key = 32-byte big-endian scalar in [1, q); signature =
// compressed G1 point. Keys are derived with this project's HKDF (seed.ts), not the draft's KeyGen, so that every
// scheme derives keys the same way.
//
// Speed: one verification is two Miller loops and a final exponentiation. The G2 side of each loop (the line
// coefficients) depends only on the key, so it is computed once per key and cached with the parsed key: measured
// at about a quarter of a verification, paid once for the RA's or the issuer's key instead of every time.

import { bls12_381 } from '@noble/curves/bls12-381.js';
import { bytesToNumberBE, concatBytes } from '@noble/curves/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import type { KeyPair, SignatureScheme, SignedMessage } from './scheme.ts';
import { requireBytes, SignatureSchemeError } from './errors.ts';
import { KeyCache } from './key-cache.ts';
import { deriveScalar, requireSeed } from './seed.ts';

export const BLS_PUBLIC_KEY_SIZE = 96;
export const BLS_SECRET_KEY_SIZE = 32;
export const BLS_SIGNATURE_SIZE = 48;

const NAME = 'bls12-381@noble';
const short = bls12_381.shortSignatures;
const G1 = bls12_381.G1.Point;
const G2 = bls12_381.G2.Point;
const Fp12 = bls12_381.fields.Fp12;
const ORDER = bls12_381.fields.Fr.ORDER;
type G1Point = ReturnType<typeof G1.fromBytes>;
type G2Point = ReturnType<typeof G2.fromBytes>;
type Precompute = ReturnType<typeof bls12_381.utils.calcPairingPrecomputes>;

/** A public key ready for pairing: its point, and the Miller-loop lines of its negation. */
interface PreparedKey {
  readonly point: G2Point;
  readonly negatedLines: Precompute;
}

/** The generator's lines, for the e(signature, G2) side of every check. */
const generatorLines: Precompute = bls12_381.utils.calcPairingPrecomputes(G2.BASE);

// About 47 KB per key (measured): 128 per generation bounds it near 12 MB, far more than the few hot keys
// (RA, issuer, banks) that benefit.
const preparedKeys = new KeyCache<PreparedKey>(128);

/** Throws on any key that is not a non-identity point of the G2 subgroup (callers turn that into `false`). */
function prepareKey(bytes: Uint8Array): PreparedKey {
  const point = G2.fromBytes(bytes);
  point.assertValidity();
  // The identity would be a key under which the identity signs every message.
  if (point.is0()) throw new Error('identity public key');
  return { point, negatedLines: bls12_381.utils.calcPairingPrecomputes(point.negate()) };
}

/** A signature from the wire, on the curve and in the subgroup (no small-subgroup tricks), or undefined. */
function parseSignature(bytes: Uint8Array): G1Point | undefined {
  try {
    const point = short.Signature.fromBytes(bytes);
    point.assertValidity();
    // An honest signature is sk * H(m) with both non-zero in a prime-order group, so never the identity.
    return point.is0() ? undefined : point;
  } catch {
    return undefined;
  }
}

function wellFormed(publicKey: unknown, message: unknown, signature: unknown): boolean {
  return (
    publicKey instanceof Uint8Array &&
    publicKey.length === BLS_PUBLIC_KEY_SIZE &&
    message instanceof Uint8Array &&
    signature instanceof Uint8Array &&
    signature.length === BLS_SIGNATURE_SIZE
  );
}

/** prod e(P_i, Q_i) == 1 over the given G1 points and G2 line tables; identity G1 terms contribute 1 and are skipped. */
function pairingProductIsOne(terms: readonly (readonly [G1Point, Precompute])[]): boolean {
  const pairs: [Precompute, bigint, bigint][] = [];
  for (const [p, lines] of terms) {
    if (p.is0()) continue;
    const { x, y } = p.toAffine();
    pairs.push([lines, x, y]);
  }
  return Fp12.eql(Fp12.finalExponentiate(bls12_381.millerLoopBatch(pairs)), Fp12.ONE);
}

// Weights for batch verification (below): 128 bits each, from a hash of the whole batch.
const BATCH_TAG = utf8ToBytes('ecashsim/bls12-381/verifyBatch/v1');
const WEIGHT_BYTES = 16;

function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

/**
 * One weight per item, fixed by everything in the batch (Fiat-Shamir): a sender who wants a bad item to pass must
 * choose its bytes before it can know the weights, and each try succeeds with probability 2^-128.
 */
function batchWeights(items: readonly SignedMessage[]): bigint[] {
  const transcript = sha256.create().update(BATCH_TAG).update(u32(items.length));
  for (const { publicKey, message, signature } of items) {
    // Keys and signatures have fixed sizes (checked before this); only the message needs its length framed.
    transcript.update(publicKey).update(u32(message.length)).update(message).update(signature);
  }
  const seed = transcript.digest();
  return items.map((_, i) => {
    const r = bytesToNumberBE(sha256(concatBytes(seed, u32(i))).subarray(0, WEIGHT_BYTES));
    return r === 0n ? 1n : r;
  });
}

export interface BlsScheme extends SignatureScheme {
  readonly id: 'bls12-381';
  readonly backend: 'noble';
  verifyBatch(items: readonly SignedMessage[]): boolean;
}

export const blsNoble: BlsScheme = Object.freeze({
  id: 'bls12-381',
  backend: 'noble',
  name: NAME,
  publicKeySize: BLS_PUBLIC_KEY_SIZE,
  secretKeySize: BLS_SECRET_KEY_SIZE,
  signatureSize: BLS_SIGNATURE_SIZE,

  keygen(seed: Uint8Array): KeyPair {
    requireSeed(NAME, seed);
    const secretKey = deriveScalar(seed, 'bls12-381', ORDER);
    return { publicKey: short.getPublicKey(secretKey).toBytes(true), secretKey };
  },

  sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
    requireBytes(NAME, 'sign', 'secretKey', secretKey, BLS_SECRET_KEY_SIZE);
    requireBytes(NAME, 'sign', 'message', message);
    // noble reduces an out-of-range scalar mod q instead of refusing it; a key of 0 would sign with the identity.
    const d = bytesToNumberBE(secretKey);
    if (d === 0n || d >= ORDER) throw new SignatureSchemeError(NAME, 'sign', 'secretKey', 'invalid-key', 'scalar not in [1, q)');
    return short.Signature.toBytes(short.sign(short.hash(message), secretKey));
  },

  // e(H(m), -pk) * e(signature, G2) == 1, i.e. e(signature, G2) == e(H(m), pk).
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    if (!wellFormed(publicKey, message, signature)) return false;
    try {
      const key = preparedKeys.getOrCreate(publicKey, prepareKey);
      const sig = parseSignature(signature);
      if (sig === undefined) return false;
      const hashed = short.hash(message);
      return pairingProductIsOne([
        [hashed, key.negatedLines],
        [sig, generatorLines],
      ]);
    } catch {
      return false;
    }
  },

  /**
   * True only if every item's signature verifies on its own, checked as one weighted aggregate:
   * e(sum r_i S_i, G2) == prod over keys pk of e(sum_{i: pk_i = pk} r_i H(m_i), pk).
   * Without the weights r_i (plain aggregation) two wrong signatures S_1 + X and S_2 - X would pass together,
   * which breaks the interface's promise; with them, a batch holding any invalid item passes with probability
   * 2^-128. Items under the same key share one Miller loop, so a batch of one issuer's coins costs two loops and one
   * final exponentiation plus per-item hashing and two 128-bit multiplications. Repeated messages are fine: each item
   * is still checked on its own, and no aggregate signature is ever formed, so rogue keys have nothing to attack.
   * An empty batch is vacuously true, like `items.every(verify)`.
   */
  verifyBatch(items: readonly SignedMessage[]): boolean {
    if (!Array.isArray(items)) return false;
    if (items.length === 0) return true;
    if (items.length === 1) {
      const only = items[0] as SignedMessage;
      return blsNoble.verify(only.publicKey, only.message, only.signature);
    }
    try {
      for (const item of items) if (!wellFormed(item.publicKey, item.message, item.signature)) return false;
      const weights = batchWeights(items);
      let signatureSum = G1.ZERO;
      // Keyed by the prepared object: the cache returns one object per key bytes, so equal keys group together.
      const hashSums = new Map<PreparedKey, G1Point>();
      for (let i = 0; i < items.length; i++) {
        const { publicKey, message, signature } = items[i] as SignedMessage;
        const r = weights[i] as bigint;
        const key = preparedKeys.getOrCreate(publicKey, prepareKey);
        const sig = parseSignature(signature);
        if (sig === undefined) return false;
        // multiplyUnsafe: variable time is fine, nothing here is secret.
        signatureSum = signatureSum.add(sig.multiplyUnsafe(r));
        const weighted = short.hash(message).multiplyUnsafe(r);
        hashSums.set(key, (hashSums.get(key) ?? G1.ZERO).add(weighted));
      }
      const terms: [G1Point, Precompute][] = [[signatureSum, generatorLines]];
      for (const [key, sum] of hashSums) terms.push([sum, key.negatedLines]);
      return pairingProductIsOne(terms);
    } catch {
      return false;
    }
  },
});
