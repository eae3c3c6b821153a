// RSA blind signatures exactly as RFC 9474 (RSABSSA-SHA384-PSS-{Randomized,Deterministic}): the bank's blind key
// for a denomination signs the user's public key without seeing it, and the unblinded result is an ordinary
// RSASSA-PSS signature that the issuer checks with node:crypto alone (PROTOCOL.md, Withdraw (i) and (ii)).
//
// Where the work runs: the user's Prepare/Blind/Finalize are bigint arithmetic here (r^-1 and products mod n)
// but for r^e, which is OpenSSL's raw public-key operation (publicEncrypt with RSA_NO_PADDING); the bank's
// BlindSign is the raw private-key exponentiation done natively with CRT by OpenSSL (privateDecrypt with
// RSA_NO_PADDING), because it is the cost a bank's throughput is made of. Verification is node's RSASSA-PSS
// verify, so nothing here can make a signature look valid that a plain PSS verifier would refuse.
//
// Encodings (fixed sizes, no DER): public key = n, big-endian, modulus_len bytes, with e = 65537 fixed;
// secret key = p || q, each modulus_len/2 bytes, p > q for keys from keygen; everything else is derived.
// Randomness is drawn from the caller's RandomBytes in this order: the 32-byte message prefix (randomized
// variant only), the 48-byte PSS salt, then modulus_len bytes per blinding-factor candidate. The RFC 9474
// vectors are replayed through the public API by feeding exactly those bytes. (RFC 9474 §7.4 advises against
// letting callers supply these values; the simulator needs it for reproducible runs, and its stream is seeded
// per user, never chosen by the bank.)

import { constants, createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt, verify as nodeVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { shortLived } from '../../bytes.ts';
import { equalBytes } from '../../hash.ts';
import type { BlindingState, BlindItem, BlindSignatureScheme, KeyPair, RandomBytes } from '../scheme.ts';
import { bigintToBytes, bitLength, bytesToBigint, gcd, modInv, modInvAll } from './bigint.ts';
import { BoundedCache } from './cache.ts';
import { BlindSignatureError } from './errors.ts';
import type { BlindStep } from './errors.ts';
import { emsaPssEncodeSha384 } from './pss.ts';
import { encodeRsaKeyPair, generateRsaPrimes, rsaPrivateKeyFromPrimes } from './rsa-keygen.ts';

export type RsaBlindVariant = 'RSABSSA-SHA384-PSS-Randomized' | 'RSABSSA-SHA384-PSS-Deterministic';

/** RFC 9474 §5: both PSS variants use a salt as long as the SHA-384 digest. */
export const RSA_BLIND_SALT_LENGTH = 48;
/** RFC 9474 §4.1 PrepareRandomize: msg_prefix = random(32). */
export const RSA_BLIND_PREFIX_LENGTH = 32;
export const RSA_BLIND_DEFAULT_MODULUS_BITS = 2048;
/**
 * A RandomBytes that keeps giving r = 0, r >= n or r sharing a factor with n is broken, not unlucky (for an
 * honest source each retry fails with probability < 1/2): stop instead of looping for ever.
 */
const MAX_BLINDING_ATTEMPTS = 64;

export interface RsaBlindScheme extends BlindSignatureScheme {
  readonly id: 'rsa-blind';
  readonly backend: 'native';
  readonly variant: RsaBlindVariant;
  readonly modulusBits: number;
  /** p || q: modulus_len bytes. */
  readonly secretKeySize: number;
  blindPreparedAll(publicKey: Uint8Array, items: readonly BlindItem[]): BlindingState[];
}

interface ParsedPublicKey {
  readonly n: bigint;
  readonly key: KeyObject;
}

/** A blinding factor r in [1, n), with the modulus_len bytes it was drawn as. */
interface BlindingFactor {
  readonly value: bigint;
  readonly bytes: Uint8Array;
}

interface ParsedSecretKey {
  readonly n: bigint;
  readonly key: KeyObject;
}

// Shared by every instance: a key's parse does not depend on the variant, and lengths keep sizes apart.
// Sized for a national run: 50 banks x denominations x live epochs, each key parsed once.
const publicKeys = new BoundedCache<ParsedPublicKey>(4096);
const secretKeys = new BoundedCache<ParsedSecretKey>(4096);

const b64url = (x: bigint, length: number): string => Buffer.from(bigintToBytes(x, length)).toString('base64url');

/**
 * An RSABSSA scheme for one variant and modulus size. The registry uses 2048-bit keys; other sizes exist for
 * the RFC 9474 vectors (4096-bit) and keep the size in the name, so two sizes never share a name.
 */
export function createRsaBlindScheme(
  variant: RsaBlindVariant,
  modulusBits: number = RSA_BLIND_DEFAULT_MODULUS_BITS,
): RsaBlindScheme {
  if (variant !== 'RSABSSA-SHA384-PSS-Randomized' && variant !== 'RSABSSA-SHA384-PSS-Deterministic') {
    throw new RangeError(`rsa-blind: unknown variant '${String(variant)}'`);
  }
  if (!Number.isInteger(modulusBits) || modulusBits % 16 !== 0 || modulusBits < 2048 || modulusBits > 4096) {
    throw new RangeError(`rsa-blind: modulus size ${modulusBits} not supported (2048..4096, multiple of 16)`);
  }
  const randomized = variant === 'RSABSSA-SHA384-PSS-Randomized';
  const modulusBytes = modulusBits / 8;
  const sizeSuffix = modulusBits === RSA_BLIND_DEFAULT_MODULUS_BITS ? '' : `/${modulusBits}`;
  const name = `rsa-blind:${variant}${sizeSuffix}@native`;
  const fail = (step: BlindStep, field: string, reason: ConstructorParameters<typeof BlindSignatureError>[3], detail = '', cause?: unknown): never => {
    throw new BlindSignatureError(name, step, field, reason, detail, cause === undefined ? undefined : { cause });
  };

  const parsePublicKey = (publicKey: Uint8Array, step: BlindStep): ParsedPublicKey => {
    if (!(publicKey instanceof Uint8Array) || publicKey.length !== modulusBytes) {
      return fail(step, 'publicKey', 'wrong-length', `expected ${modulusBytes} bytes`);
    }
    return publicKeys.getOrCreate(publicKey, (bytes) => {
      const n = bytesToBigint(bytes);
      // Exactly modulusBits bits and odd: anything else is not an RSA modulus of this scheme's size.
      if (bitLength(n) !== modulusBits || (n & 1n) === 0n) return fail(step, 'publicKey', 'invalid-key', 'not an odd modulus of the scheme size');
      try {
        const key = createPublicKey({ key: { kty: 'RSA', n: b64url(n, modulusBytes), e: 'AQAB' }, format: 'jwk' });
        return { n, key };
      } catch (cause) {
        return fail(step, 'publicKey', 'invalid-key', 'rejected by node:crypto', cause);
      }
    });
  };

  const parseSecretKey = (secretKey: Uint8Array): ParsedSecretKey => {
    if (!(secretKey instanceof Uint8Array) || secretKey.length !== modulusBytes) {
      return fail('blindSign', 'secretKey', 'wrong-length', `expected ${modulusBytes} bytes (p || q)`);
    }
    return secretKeys.getOrCreate(secretKey, (bytes) => {
      const half = modulusBytes / 2;
      const p = bytesToBigint(bytes.subarray(0, half));
      const q = bytesToBigint(bytes.subarray(half));
      const parts = rsaPrivateKeyFromPrimes(p, q);
      if (parts === undefined || bitLength(parts.n) !== modulusBits || (p & q & 1n) === 0n) {
        return fail('blindSign', 'secretKey', 'invalid-key', 'p, q do not form an RSA key of the scheme size');
      }
      const half64 = (x: bigint): string => b64url(x, half);
      try {
        const key = createPrivateKey({
          key: {
            kty: 'RSA',
            n: b64url(parts.n, modulusBytes),
            e: 'AQAB',
            d: b64url(parts.d, modulusBytes),
            p: half64(parts.p),
            q: half64(parts.q),
            dp: half64(parts.dp),
            dq: half64(parts.dq),
            qi: half64(parts.qi),
          },
          format: 'jwk',
        });
        return { n: parts.n, key };
      } catch (cause) {
        return fail('blindSign', 'secretKey', 'invalid-key', 'rejected by node:crypto', cause);
      }
    });
  };

  const drawRandom = (random: RandomBytes, length: number): Uint8Array => {
    const bytes = random(length);
    if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
      return fail('blind', 'random', 'bad-random', `asked for ${length} bytes`);
    }
    return bytes;
  };

  // RSAVP1 (RFC 8017 §5.2.2) by node:crypto: x^e mod n for x < n, written as modulus_len bytes.
  const rsaPublic = (key: KeyObject, x: Uint8Array): Uint8Array => {
    try {
      return publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, x);
    } catch (cause) {
      return fail('blind', 'publicKey', 'invalid-key', 'native RSA operation failed', cause);
    }
  };

  // RSASSA-PSS-VERIFY (RFC 8017 §8.1.2) by node:crypto: the issuer's check is the ordinary one.
  const pssVerify = (key: KeyObject, message: Uint8Array, signature: Uint8Array): boolean => {
    try {
      return nodeVerify(
        'sha384',
        message,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: RSA_BLIND_SALT_LENGTH },
        signature,
      );
    } catch {
      return false;
    }
  };

  const notCoprime = (): never => fail('blind', 'message', 'invalid-input', 'encoded message not coprime to n');

  // Blind's first draw: the PSS salt, and m, the encoded message as an integer.
  const encodeForBlind = (preparedMessage: Uint8Array, random: RandomBytes): bigint => {
    if (!(preparedMessage instanceof Uint8Array)) return fail('blind', 'message', 'invalid-input', 'not a Uint8Array');
    const salt = drawRandom(random, RSA_BLIND_SALT_LENGTH);
    // RFC 9474 §4.2 writes EMSA-PSS-ENCODE(msg, bit_len(n)); RSASSA-PSS (RFC 8017 §8.1.1) encodes with
    // modBits - 1, and the result must verify as plain PSS (and match the vectors), so modBits - 1 it is.
    return bytesToBigint(emsaPssEncodeSha384(preparedMessage, modulusBits - 1, salt));
  };

  // r = random_integer_uniform(1, n) by rejection sampling: one draw, undefined if rejected. The top byte is
  // masked to n's bit length so that a draw is accepted with probability > 1/2.
  const topBits = modulusBits % 8 === 0 ? 8 : modulusBits % 8;
  const drawBlindingFactor = (n: bigint, random: RandomBytes): BlindingFactor | undefined => {
    const bytes = drawRandom(random, modulusBytes).slice();
    bytes[0] = (bytes[0] ?? 0) & (0xff >> (8 - topBits));
    const value = bytesToBigint(bytes);
    return value === 0n || value >= n ? undefined : { value, bytes };
  };

  // Blind's last steps once (m r)^-1 is known: inv = r^-1 = m (m r)^-1, and z = m r^e mod n.
  const finishBlind = (key: KeyObject, n: bigint, m: bigint, r: Uint8Array, mrInverse: bigint, preparedMessage: Uint8Array): BlindingState => {
    const inv = (m * mrInverse) % n;
    // r^e mod n = RSAVP1(pk, r), natively: the same OpenSSL call the bank's self-check uses, 4x faster than
    // square-and-multiply on bigints. r is modulus_len bytes, and below n.
    const z = (m * bytesToBigint(rsaPublic(key, r))) % n;
    return { blindedMessage: bigintToBytes(z, modulusBytes), inverse: bigintToBytes(inv, modulusBytes), preparedMessage };
  };

  const scheme: RsaBlindScheme = Object.freeze({
    id: 'rsa-blind',
    backend: 'native',
    name,
    variant,
    modulusBits,
    publicKeySize: modulusBytes,
    secretKeySize: modulusBytes,
    signatureSize: modulusBytes,
    blindedMessageSize: modulusBytes,
    inverseSize: modulusBytes,

    keygen(seed: Uint8Array): KeyPair {
      let primes: { p: bigint; q: bigint };
      try {
        primes = generateRsaPrimes(seed, modulusBits);
      } catch (cause) {
        return fail('keygen', 'seed', 'wrong-length', cause instanceof Error ? cause.message : '', cause);
      }
      // Fresh arrays every call: the memo holds the primes, callers may do what they like with the bytes.
      return encodeRsaKeyPair(primes.p, primes.q, modulusBits);
    },

    // RFC 9474 §4.1 Prepare + §4.2 Blind. The key is checked first, so a bad key fails before any draw.
    blind(publicKey: Uint8Array, message: Uint8Array, random: RandomBytes): BlindingState {
      parsePublicKey(publicKey, 'blind');
      // Through `scheme`, not `this`: a wrapper that copies these methods must not reroute the two halves.
      return scheme.blindPrepared(publicKey, scheme.prepare(message, random), random);
    },

    // RFC 9474 §4.1 PrepareRandomize (a 32-byte random prefix) or PrepareIdentity.
    prepare(message: Uint8Array, random: RandomBytes): Uint8Array {
      if (!(message instanceof Uint8Array)) return fail('blind', 'message', 'invalid-input', 'not a Uint8Array');
      if (!randomized) return message.slice();
      // Kept for one withdrawal (blind, then finalize): from a slab, since prefix and message pass 64 bytes.
      const preparedMessage = shortLived(RSA_BLIND_PREFIX_LENGTH + message.length);
      preparedMessage.set(drawRandom(random, RSA_BLIND_PREFIX_LENGTH), 0);
      preparedMessage.set(message, RSA_BLIND_PREFIX_LENGTH);
      return preparedMessage;
    },

    // RFC 9474 §4.2 Blind.
    blindPrepared(publicKey: Uint8Array, preparedMessage: Uint8Array, random: RandomBytes): BlindingState {
      const { n, key } = parsePublicKey(publicKey, 'blind');
      const m = encodeForBlind(preparedMessage, random);
      for (let attempt = 0; attempt < MAX_BLINDING_ATTEMPTS; attempt++) {
        const r = drawBlindingFactor(n, random);
        if (r === undefined) continue;
        // One inverse answers both RFC checks (m coprime to n, r invertible) and gives r^-1 = m (m r)^-1: m r is
        // invertible exactly when m and r both are, and only a failure needs to know which one it was. A separate
        // gcd(m, n) up front was a quarter of blind's time.
        const mrInverse = modInv((m * r.value) % n, n);
        if (mrInverse === undefined) {
          if (gcd(m, n) !== 1n) return notCoprime();
          continue; // RFC 9474 "blinding error": SHOULD retry.
        }
        return finishBlind(key, n, m, r.bytes, mrInverse, preparedMessage);
      }
      // A message not coprime to n is the input's fault, whatever the draws were, as when it was checked before
      // drawing r (which a refused message now costs: the draws above are taken from the stream either way).
      if (gcd(m, n) !== 1n) return notCoprime();
      return fail('blind', 'random', 'blinding-failed', `no invertible r in ${MAX_BLINDING_ATTEMPTS} draws`);
    },

    // Blind of several messages under one key, each as blindPrepared would (same draws and bytes), with one
    // modular inverse for all (modInvAll): the inverse was half of a blind's time. A wallet withdrawing
    // several coins at once can do the same.
    blindPreparedAll(publicKey: Uint8Array, items: readonly BlindItem[]): BlindingState[] {
      const { n, key } = parsePublicKey(publicKey, 'blind');
      const drawn = items.map(({ preparedMessage, random }) => {
        const taken: Uint8Array[] = [];
        const recording: RandomBytes = (length) => {
          const bytes = random(length);
          taken.push(bytes);
          return bytes;
        };
        const m = encodeForBlind(preparedMessage, recording);
        let r: BlindingFactor | undefined;
        for (let attempt = 0; attempt < MAX_BLINDING_ATTEMPTS && r === undefined; attempt++) r = drawBlindingFactor(n, recording);
        return { m, r, taken };
      });
      const products = drawn.map(({ m, r }) => (r === undefined ? 0n : (m * r.value) % n));
      const inverses = modInvAll(products, n);
      if (inverses === undefined) {
        // Some m r has no inverse (or no r was in range): the rare path. Each item again, one by one, its own
        // draws replayed first, so the retries and errors are exactly blindPrepared's.
        return items.map(({ preparedMessage, random }, i) => scheme.blindPrepared(publicKey, preparedMessage, replaying(drawn[i]!.taken, random)));
      }
      return drawn.map(({ m, r }, i) => finishBlind(key, n, m, r!.bytes, inverses[i]!, items[i]!.preparedMessage));
    },

    // RFC 9474 §4.3 BlindSign, with the private-key operation done natively.
    blindSign(secretKey: Uint8Array, blindedMessage: Uint8Array): Uint8Array {
      const { n, key } = parseSecretKey(secretKey);
      if (!(blindedMessage instanceof Uint8Array) || blindedMessage.length !== modulusBytes) {
        return fail('blindSign', 'blindedMessage', 'wrong-length', `expected ${modulusBytes} bytes`);
      }
      // RSASP1 "message representative out of range": OpenSSL would refuse too, but with an opaque error.
      if (bytesToBigint(blindedMessage) >= n) return fail('blindSign', 'blindedMessage', 'out-of-range', 'not below n');
      let s: Uint8Array;
      let check: Uint8Array;
      try {
        s = leftPad(privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, blindedMessage), modulusBytes);
        // Steps 3-4: m' = RSAVP1(pk, s) must equal m. Guards against a fault in the CRT computation, which
        // would otherwise hand the user a value that factors n (Boneh-DeMillo-Lipton).
        check = leftPad(publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, s), modulusBytes);
      } catch (cause) {
        return fail('blindSign', 'secretKey', 'signing-failed', 'native RSA operation failed', cause);
      }
      if (!equalBytes(check, blindedMessage)) {
        return fail('blindSign', 'secretKey', 'signing-failed', "s^e mod n != m: the key's primes are wrong");
      }
      return s;
    },

    // RFC 9474 §4.4 Finalize.
    finalize(publicKey: Uint8Array, state: BlindingState, blindSignature: Uint8Array): Uint8Array {
      const { n, key } = parsePublicKey(publicKey, 'finalize');
      if (!(blindSignature instanceof Uint8Array) || blindSignature.length !== modulusBytes) {
        return fail('finalize', 'blindSignature', 'wrong-length', `expected ${modulusBytes} bytes`);
      }
      if (!(state.inverse instanceof Uint8Array) || state.inverse.length !== modulusBytes) {
        return fail('finalize', 'state.inverse', 'wrong-length', `expected ${modulusBytes} bytes`);
      }
      const inv = bytesToBigint(state.inverse);
      if (inv === 0n || inv >= n) return fail('finalize', 'state.inverse', 'out-of-range', 'not in [1, n)');
      const z = bytesToBigint(blindSignature);
      const signature = bigintToBytes((z * inv) % n, modulusBytes);
      if (!pssVerify(key, state.preparedMessage, signature)) {
        return fail('finalize', 'blindSignature', 'invalid-signature', 'unblinded signature does not verify');
      }
      return signature;
    },

    // RFC 9474 §4.5: plain RSASSA-PSS verification over the prepared message.
    verify(publicKey: Uint8Array, preparedMessage: Uint8Array, signature: Uint8Array): boolean {
      if (!(signature instanceof Uint8Array) || signature.length !== modulusBytes) return false;
      if (!(preparedMessage instanceof Uint8Array)) return false;
      let parsed: ParsedPublicKey;
      try {
        parsed = parsePublicKey(publicKey, 'finalize');
      } catch {
        return false;
      }
      return pssVerify(parsed.key, preparedMessage, signature);
    },
  });
  return scheme;
}

/** A RandomBytes that hands out `taken` again first, then goes on with `random`. */
function replaying(taken: readonly Uint8Array[], random: RandomBytes): RandomBytes {
  let next = 0;
  return (length) => (next < taken.length ? taken[next++]! : random(length));
}

/** OpenSSL returns modulus_len bytes for raw RSA, but the RFC's int_to_bytes width is the contract: enforce it. */
function leftPad(bytes: Uint8Array, length: number): Uint8Array {
  if (bytes.length === length) return new Uint8Array(bytes);
  if (bytes.length > length) throw new RangeError('raw RSA output longer than the modulus');
  const out = new Uint8Array(length);
  out.set(bytes, length - bytes.length);
  return out;
}

/** RSABSSA-SHA384-PSS-Randomized, 2048-bit keys: the default `rsa-blind` (RFC 9474 §5 recommends randomized). */
export const rsaBlindRandomized: RsaBlindScheme = createRsaBlindScheme('RSABSSA-SHA384-PSS-Randomized');
/**
 * RSABSSA-SHA384-PSS-Deterministic, 2048-bit keys. RFC 9474 §5 and §7.3 allow identity preparation for
 * high-entropy messages; the message here is a freshly generated user public key, so it qualifies.
 */
export const rsaBlindDeterministic: RsaBlindScheme = createRsaBlindScheme('RSABSSA-SHA384-PSS-Deterministic');
