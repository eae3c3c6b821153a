// Ed25519 (RFC 8032), pure EdDSA: what the RA, the issuer and the cards sign with by default. Three backends that
// must agree byte for byte: Ed25519 signing is deterministic, so the same key and message give the same
// signature on each, and keys derive from the seed alone (32 HKDF bytes are the RFC 8032 secret key as is).
//
// - sodium (the default): libsodium through sodium-native. It takes raw keys, so nothing is parsed per key, and
//   its verify is 1.6x OpenSSL's (npm run bench -- crypto).
// - native: node:crypto (OpenSSL), which takes keys only as JWK or DER: a parse per key not in its cache.
// - noble: pure JavaScript, the reference the other two are checked against.
//
// Encodings: public key = 32-byte RFC 8032 point encoding; secret key = the 32-byte RFC 8032 seed; signature =
// 64-byte R || S.
//
// Verification strictness: noble runs with zip215: false (RFC 8032 / FIPS 186-5: canonical encodings, no
// small-order public keys). OpenSSL alone accepts a small-order key: with A = (0, 1), R = (0, 1) and S = 0 it
// verifies *every* message (observed on Node 20, OpenSSL 3.0), so a user who registered such a key could deny
// any transfer step "it" signed and the fraud proof would name nobody. The native and sodium backends therefore
// refuse the same keys noble does (non-canonical y, or one of the 8 small-order points) before the library sees
// them (libsodium refuses those keys itself too). What remains different is only reachable with crafted
// signatures carrying a small-order component (noble checks the cofactored equation, OpenSSL and libsodium the
// cofactorless one, and libsodium also refuses a small-order R); no honest party produces those, and all three
// accept every honest signature.

import { createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import sodium from 'sodium-native';
import { Scratch } from '../bytes.ts';
import type { Backend, KeyPair, SignatureScheme } from './scheme.ts';
import { requireBytes } from './errors.ts';
import { KeyCache } from './key-cache.ts';
import { asBytes } from './native-keys.ts';
import { deriveKeyBytes, requireSeed } from './seed.ts';

export const ED25519_PUBLIC_KEY_SIZE = 32;
export const ED25519_SECRET_KEY_SIZE = 32;
export const ED25519_SIGNATURE_SIZE = 64;

/** Ed25519 on either backend; `backend` says which library does the curve arithmetic. */
export interface Ed25519Scheme extends SignatureScheme {
  readonly id: 'ed25519';
}

function checkSignInput(name: string, secretKey: Uint8Array, message: Uint8Array): void {
  requireBytes(name, 'sign', 'secretKey', secretKey, ED25519_SECRET_KEY_SIZE);
  requireBytes(name, 'sign', 'message', message);
}

/** Shape checks shared by both backends, so that they refuse exactly the same malformed input. */
function wellFormed(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  return (
    publicKey instanceof Uint8Array &&
    publicKey.length === ED25519_PUBLIC_KEY_SIZE &&
    message instanceof Uint8Array &&
    signature instanceof Uint8Array &&
    signature.length === ED25519_SIGNATURE_SIZE
  );
}

const sizes = {
  id: 'ed25519',
  publicKeySize: ED25519_PUBLIC_KEY_SIZE,
  secretKeySize: ED25519_SECRET_KEY_SIZE,
  signatureSize: ED25519_SIGNATURE_SIZE,
} as const;

const name = (backend: Backend): string => `ed25519@${backend}`;

/** The RFC 8032 secret key of a seed: the same 32 bytes on every backend. */
function secretKeyFrom(backend: Backend, seed: Uint8Array): Uint8Array {
  requireSeed(name(backend), seed);
  return deriveKeyBytes(seed, 'ed25519', ED25519_SECRET_KEY_SIZE);
}

const FIELD_PRIME = 2n ** 255n - 19n;
/**
 * The y coordinates of the 8 points of small order (the torsion subgroup): (0, 1); (0, -1); (+-sqrt(-1), 0); and
 * four order-8 points (+-x, +-Y8). A key is one of them iff its y is in this set; the test checks the list is complete.
 */
export const ED25519_SMALL_ORDER_Y: ReadonlySet<bigint> = new Set([
  0n,
  1n,
  FIELD_PRIME - 1n,
  0x7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7n,
  FIELD_PRIME - 0x7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7n,
]);

/** y as 32 little-endian bytes, the encoding's top bit (the sign of x) clear. */
const yBytes = (y: bigint): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => Number((y >> BigInt(8 * i)) & 0xffn));
const SMALL_ORDER_ENCODINGS = [...ED25519_SMALL_ORDER_Y].map(yBytes);

/**
 * The key checks noble's strict decoding makes and OpenSSL does not: canonical y (< p), not of small order. On
 * the bytes as they are: building y as a bigint made some 70 bigints a call, 3.5 KB of garbage for every
 * verification (an allocation profile of `npm run bench -- sim`, where they were a third of what the signature
 * work allocated).
 */
export function isStrictPublicKey(publicKey: Uint8Array): boolean {
  if (publicKey.length !== 32) return false;
  // y >= p = 2^255 - 19 exactly when y's bytes are ed ff .. ff 7f or above, little-endian: top byte 7f, the 30
  // between ff, the lowest ed or more.
  let top = (publicKey[31]! & 0x7f) === 0x7f;
  for (let i = 30; top && i >= 1; i--) top = publicKey[i] === 0xff;
  if (top && publicKey[0]! >= 0xed) return false;
  for (const small of SMALL_ORDER_ENCODINGS) {
    let same = (publicKey[31]! & 0x7f) === small[31];
    for (let i = 0; same && i < 31; i++) same = publicKey[i] === small[i];
    if (same) return false;
  }
  return true;
}

// Many user keys, each seen a few times, plus a few hot ones (RA, issuer): see KeyCache.
const nativePublicKeys = new KeyCache<KeyObject>(4096);
const nativeSecretKeys = new KeyCache<KeyObject>(256);
// JWK, not DER: under OpenSSL 3.0 a DER import costs ~450 µs (private) and ~107 µs (public) against ~46 and
// ~16 µs as JWK (measured by the crypto benchmark's author), and a payee meets a new user key in most payments.
// Node requires `x` in a private JWK but derives the public half from `d`; the placeholder is never used.
const b64url = (raw: Uint8Array): string => Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64url');
const X_PLACEHOLDER = b64url(new Uint8Array(32));
const nativePrivateKey = (raw: Uint8Array): KeyObject =>
  createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: b64url(raw), x: X_PLACEHOLDER }, format: 'jwk' });
const nativePublicKey = (raw: Uint8Array): KeyObject => createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(raw) }, format: 'jwk' });

export const ed25519Native: Ed25519Scheme = Object.freeze({
  ...sizes,
  backend: 'native',
  name: name('native'),

  keygen(seed: Uint8Array): KeyPair {
    const secretKey = secretKeyFrom('native', seed);
    // The key just made is the one about to sign (a card signs right after it registers): cache it now.
    const privateKey = nativeSecretKeys.getOrCreate(secretKey, nativePrivateKey);
    // createPublicKey of a private KeyObject derives the public half from d.
    const { x } = createPublicKey(privateKey).export({ format: 'jwk' });
    return { publicKey: Uint8Array.from(Buffer.from(x ?? '', 'base64url')), secretKey };
  },

  sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
    checkSignInput(name('native'), secretKey, message);
    // Every 32-byte string is a valid Ed25519 secret key, so OpenSSL has nothing to refuse here.
    return asBytes(nodeSign(null, message, nativeSecretKeys.getOrCreate(secretKey, nativePrivateKey)));
  },

  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    if (!wellFormed(publicKey, message, signature)) return false;
    try {
      const key = nativePublicKeys.getOrCreate(publicKey, (raw) => {
        if (!isStrictPublicKey(raw)) throw new Error('non-canonical or small-order Ed25519 key');
        return nativePublicKey(raw);
      });
      return nodeVerify(null, message, key, signature);
    } catch {
      return false;
    }
  },
});

// libsodium reads and writes through ArrayBuffers, and a fresh key or signature (64 bytes or fewer, so on V8's
// heap) handed to it as it is would first be moved off the heap, a malloc each (protocol/bytes.ts). Small inputs
// go in through scratch copies; outputs come out through scratch into fresh arrays.
const seedIn = new Scratch();
const publicIn = new Scratch();
const messageIn = new Scratch();
const signatureIn = new Scratch();
const publicOut = new Uint8Array(new ArrayBuffer(ED25519_PUBLIC_KEY_SIZE));
const signatureOut = new Uint8Array(new ArrayBuffer(ED25519_SIGNATURE_SIZE));

// libsodium signs with the 64-byte expanded key (seed || public key), which costs a scalar multiplication to make:
// cached like OpenSSL's parsed keys, for the few keys that sign often (the RA, the issuer, the banks' deposit keys).
const sodiumSecretKeys = new KeyCache<Uint8Array>(256);
const sodiumExpand = (secretKey: Uint8Array): Uint8Array => {
  // Kept in the cache and read by every signing with this key: off V8's heap from the start.
  const expanded = new Uint8Array(new ArrayBuffer(64));
  sodium.crypto_sign_seed_keypair(publicOut, expanded, seedIn.hold(secretKey));
  return expanded;
};

export const ed25519Sodium: Ed25519Scheme = Object.freeze({
  ...sizes,
  backend: 'sodium',
  name: name('sodium'),

  keygen(seed: Uint8Array): KeyPair {
    const secretKey = secretKeyFrom('sodium', seed);
    // The key just made is the one about to sign (a card signs right after it registers): cache it now.
    const expanded = sodiumSecretKeys.getOrCreate(secretKey, sodiumExpand);
    return { publicKey: expanded.slice(ED25519_SECRET_KEY_SIZE), secretKey };
  },

  sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
    checkSignInput(name('sodium'), secretKey, message);
    sodium.crypto_sign_detached(signatureOut, messageIn.hold(message), sodiumSecretKeys.getOrCreate(secretKey, sodiumExpand));
    return signatureOut.slice();
  },

  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    if (!wellFormed(publicKey, message, signature) || !isStrictPublicKey(publicKey)) return false;
    try {
      return sodium.crypto_sign_verify_detached(signatureIn.hold(signature), messageIn.hold(message), publicIn.hold(publicKey));
    } catch {
      return false;
    }
  },
});

export const ed25519Noble: Ed25519Scheme = Object.freeze({
  ...sizes,
  backend: 'noble',
  name: name('noble'),

  keygen(seed: Uint8Array): KeyPair {
    const secretKey = secretKeyFrom('noble', seed);
    return { publicKey: ed25519.getPublicKey(secretKey), secretKey };
  },

  sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
    checkSignInput(name('noble'), secretKey, message);
    return ed25519.sign(message, secretKey);
  },

  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    if (!wellFormed(publicKey, message, signature)) return false;
    try {
      return ed25519.verify(signature, message, publicKey, { zip215: false });
    } catch {
      return false;
    }
  },
});
