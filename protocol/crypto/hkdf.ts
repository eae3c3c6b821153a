// HKDF-SHA256 (RFC 5869) over libsodium's SHA-256, for keygen's key material (seed.ts). node:crypto's hkdfSync
// gives the same bytes, but it builds a KeyObject and runs a crypto job for every call: 11 us here, against 3 us
// for the four SHA-256 calls of a 32-byte output below (npm run bench -- crypto times a whole keygen).
import sodium from 'sodium-native';

const HASH = 32;
const BLOCK = 64;

// Scratch, reused: libsodium reads a typed array through its ArrayBuffer, and handing it a fresh small array
// would first move that array's bytes off V8's heap, a malloc per call.
const digest = new Uint8Array(HASH);
const outer = new Uint8Array(BLOCK + HASH);
const paddedKey = new Uint8Array(BLOCK);
let inner = new Uint8Array(2 * BLOCK);

/** RFC 2104 HMAC-SHA256. The result is scratch, overwritten by the next call: copy what is kept. */
function hmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  paddedKey.fill(0);
  if (key.length > BLOCK) sodium.crypto_hash_sha256(paddedKey.subarray(0, HASH), key);
  else paddedKey.set(key);
  if (inner.length < BLOCK + message.length) inner = new Uint8Array(BLOCK + message.length);
  for (let i = 0; i < BLOCK; i++) {
    inner[i] = paddedKey[i]! ^ 0x36;
    outer[i] = paddedKey[i]! ^ 0x5c;
  }
  inner.set(message, BLOCK);
  sodium.crypto_hash_sha256(digest, inner.subarray(0, BLOCK + message.length));
  outer.set(digest, BLOCK);
  sodium.crypto_hash_sha256(digest, outer);
  return digest;
}

/** `length` bytes of HKDF-SHA256 (extract, then expand) of the input key material under `salt` and `info`. */
export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > 255 * HASH) {
    throw new RangeError(`HKDF-SHA256 gives 0 to ${255 * HASH} bytes, asked for ${length}`);
  }
  // RFC 5869 2.2: an absent salt is HashLen zeros, which HMAC pads to the same block as no salt at all.
  const prk = hmac(salt, ikm).slice();
  const out = new Uint8Array(length);
  // T(i) = HMAC(PRK, T(i-1) || info || i), concatenated and cut to length.
  let t = new Uint8Array(0);
  for (let i = 1, at = 0; at < length; i++, at += HASH) {
    const message = new Uint8Array(t.length + info.length + 1);
    message.set(t);
    message.set(info, t.length);
    message[t.length + info.length] = i;
    t = hmac(prk, message).slice();
    out.set(t.subarray(0, Math.min(HASH, length - at)), at);
  }
  return out;
}
