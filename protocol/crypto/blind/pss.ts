// EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with SHA-384 and MGF1-SHA-384, the encoding every RSABSSA-SHA384 variant
// of RFC 9474 uses. The user runs it before blinding, so it cannot be left to node:crypto (which only pads
// inside its own private-key operation); verification, by contrast, is node's ordinary RSASSA-PSS verify.
// The salt is an argument, not drawn here, so the RFC 9474 vectors' salt can be fed in and runs reproduce.
// SHA-384 itself is node's: seven digests per encoding at 2048 bits, 2.5x faster than @noble/hashes' each.

import { hash } from 'node:crypto';

const sha384 = (data: Uint8Array): Uint8Array => hash('sha384', data, 'buffer');

export const PSS_HASH_LENGTH = 48;

/** MGF1 (RFC 8017 §B.2.1) with SHA-384. */
export function mgf1Sha384(seed: Uint8Array, maskLength: number): Uint8Array {
  const out = new Uint8Array(maskLength);
  const block = new Uint8Array(seed.length + 4);
  block.set(seed, 0);
  for (let counter = 0, offset = 0; offset < maskLength; counter++, offset += PSS_HASH_LENGTH) {
    new DataView(block.buffer).setUint32(seed.length, counter);
    const digest = sha384(block);
    out.set(digest.subarray(0, Math.min(PSS_HASH_LENGTH, maskLength - offset)), offset);
  }
  return out;
}

/**
 * EMSA-PSS-ENCODE(M, emBits) with the given salt. Returns EM of ceil(emBits / 8) bytes.
 * Throws a RangeError ("encoding error" in RFC 8017) if emBits is too small for the hash and salt.
 */
export function emsaPssEncodeSha384(message: Uint8Array, emBits: number, salt: Uint8Array): Uint8Array {
  const hLen = PSS_HASH_LENGTH;
  const sLen = salt.length;
  const emLen = Math.ceil(emBits / 8);
  if (emLen < hLen + sLen + 2) throw new RangeError(`EMSA-PSS-ENCODE: encoding error (emBits ${emBits} too small)`);
  const mHash = sha384(message);
  const mPrime = new Uint8Array(8 + hLen + sLen);
  mPrime.set(mHash, 8);
  mPrime.set(salt, 8 + hLen);
  const h = sha384(mPrime);
  // DB = PS || 0x01 || salt, where PS is zeros: only the 0x01 and the salt need writing.
  const dbLen = emLen - hLen - 1;
  const db = new Uint8Array(dbLen);
  db[dbLen - sLen - 1] = 0x01;
  db.set(salt, dbLen - sLen);
  const mask = mgf1Sha384(h, dbLen);
  for (let i = 0; i < dbLen; i++) db[i] = (db[i] ?? 0) ^ (mask[i] ?? 0);
  // Clear the leftmost 8*emLen - emBits bits so that EM, read as an integer, is below the modulus.
  const unusedBits = 8 * emLen - emBits;
  db[0] = (db[0] ?? 0) & (0xff >> unusedBits);
  const em = new Uint8Array(emLen);
  em.set(db, 0);
  em.set(h, dbLen);
  em[emLen - 1] = 0xbc;
  return em;
}
