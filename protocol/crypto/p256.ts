// ECDSA over NIST P-256 with SHA-256 (FIPS 186-5): the scheme a card's secure element would most likely have in
// hardware. Two backends on one wire format, so each verifies what the other signs:
//
// - public key = 33-byte compressed SEC1 point (02/03 || x): keys sit in every certificate, coin and transfer
//   step, so the 32 bytes saved over the uncompressed form show up in every database-size figure;
// - secret key = 32-byte big-endian scalar in [1, n);
// - signature = 64-byte r || s (IEEE P1363; node:crypto `dsaEncoding: 'ieee-p1363'`, noble `format: 'compact'`),
//   never DER, so that sizes are fixed.
//
// Plain ECDSA, no low-S rule: OpenSSL neither produces nor demands low S, so noble signs with `lowS: false`
// (exactly RFC 6979, as its vectors are printed) and verifies with `lowS: false` (accepts OpenSSL's high-S half).
// Both backends therefore accept the same set of signatures, malleated (r, n - s) included.
//
// Signatures differ by backend: noble's are deterministic (RFC 6979), OpenSSL's use a fresh random k (node
// exposes no deterministic ECDSA). Both verify everywhere, but only p256@noble repeats signature bytes from run to
// run, which matters to anything that hashes a signature (a transfer chain's hash does).

import { createECDH, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { bytesToNumberBE } from '@noble/curves/utils.js';
import type { Backend, KeyPair, SignatureScheme } from './scheme.ts';
import { requireBytes, SignatureSchemeError } from './errors.ts';
import { KeyCache } from './key-cache.ts';
import { asBytes, hexBytes, privateKeyFromRaw, publicKeyFromRaw } from './native-keys.ts';
import { deriveScalar, requireSeed } from './seed.ts';

export const P256_PUBLIC_KEY_SIZE = 33;
export const P256_SECRET_KEY_SIZE = 32;
export const P256_SIGNATURE_SIZE = 64;

const ORDER = p256.Point.Fn.ORDER;

// id-ecPublicKey with namedCurve prime256v1 (RFC 5480). The PKCS #8 form carries an RFC 5915 ECPrivateKey with
// the scalar only (no optional public key): OpenSSL derives the public point itself.
const SPKI_HEADER = hexBytes('3039301306072a8648ce3d020106082a8648ce3d030107032200');
const PKCS8_HEADER = hexBytes('3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420');

export interface P256Scheme extends SignatureScheme {
  readonly id: 'p256';
}

const sizes = {
  id: 'p256',
  publicKeySize: P256_PUBLIC_KEY_SIZE,
  secretKeySize: P256_SECRET_KEY_SIZE,
  signatureSize: P256_SIGNATURE_SIZE,
} as const;

const name = (backend: Backend): string => `p256@${backend}`;

/** Shape check shared by both backends, before the bytes are used as a cache key. */
function checkSignInput(scheme: string, secretKey: Uint8Array, message: Uint8Array): void {
  requireBytes(scheme, 'sign', 'secretKey', secretKey, P256_SECRET_KEY_SIZE);
  requireBytes(scheme, 'sign', 'message', message);
}

/** OpenSSL happily imports and signs with 0 or a scalar >= n, so the range is checked here for both backends. */
function checkScalar(scheme: string, secretKey: Uint8Array): void {
  const d = bytesToNumberBE(secretKey);
  if (d === 0n || d >= ORDER) throw new SignatureSchemeError(scheme, 'sign', 'secretKey', 'invalid-key', 'scalar not in [1, n)');
}

/** Shape checks shared by both backends: noble alone would also take 65-byte uncompressed keys. */
function wellFormed(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  return (
    publicKey instanceof Uint8Array &&
    publicKey.length === P256_PUBLIC_KEY_SIZE &&
    (publicKey[0] === 0x02 || publicKey[0] === 0x03) &&
    message instanceof Uint8Array &&
    signature instanceof Uint8Array &&
    signature.length === P256_SIGNATURE_SIZE
  );
}

// The options objects are built once per key: node:crypto takes the key and the encoding together.
interface NativeKey {
  readonly key: KeyObject;
  readonly dsaEncoding: 'ieee-p1363';
}
const nativePublicKeys = new KeyCache<NativeKey>(4096);
const nativeSecretKeys = new KeyCache<NativeKey>(256);

export const p256Native: P256Scheme = Object.freeze({
  ...sizes,
  backend: 'native',
  name: name('native'),

  keygen(seed: Uint8Array): KeyPair {
    requireSeed(name('native'), seed);
    const secretKey = deriveScalar(seed, 'p256', ORDER);
    // ECDH is node's one raw-scalar entry point; it computes d*G natively and encodes it compressed.
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(secretKey);
    return { publicKey: new Uint8Array(ecdh.getPublicKey(null, 'compressed')), secretKey };
  },

  sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
    const scheme = name('native');
    checkSignInput(scheme, secretKey, message);
    const key = nativeSecretKeys.getOrCreate(secretKey, (raw) => {
      checkScalar(scheme, raw);
      return { key: privateKeyFromRaw(PKCS8_HEADER, raw), dsaEncoding: 'ieee-p1363' };
    });
    return asBytes(nodeSign('sha256', message, key));
  },

  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    if (!wellFormed(publicKey, message, signature)) return false;
    try {
      const key = nativePublicKeys.getOrCreate(publicKey, (raw) => ({
        // OpenSSL decompresses the point and refuses an x with no point on the curve.
        key: publicKeyFromRaw(SPKI_HEADER, raw),
        dsaEncoding: 'ieee-p1363',
      }));
      return nodeVerify('sha256', message, key, signature);
    } catch {
      return false;
    }
  },
});

export const p256Noble: P256Scheme = Object.freeze({
  ...sizes,
  backend: 'noble',
  name: name('noble'),

  keygen(seed: Uint8Array): KeyPair {
    requireSeed(name('noble'), seed);
    const secretKey = deriveScalar(seed, 'p256', ORDER);
    return { publicKey: p256.getPublicKey(secretKey, true), secretKey };
  },

  sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
    checkSignInput(name('noble'), secretKey, message);
    checkScalar(name('noble'), secretKey);
    // Every option spelled out: noble v2's defaults (prehash on, low-S on, compact) are not all what we want.
    return p256.sign(message, secretKey, { prehash: true, lowS: false, format: 'compact', extraEntropy: false });
  },

  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    if (!wellFormed(publicKey, message, signature)) return false;
    try {
      return p256.verify(signature, message, publicKey, { prehash: true, lowS: false, format: 'compact' });
    } catch {
      return false;
    }
  },
});
