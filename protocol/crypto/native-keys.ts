// Raw key bytes <-> node:crypto KeyObjects. node:crypto takes keys only as DER, PEM or JWK, so a raw key becomes
// DER by prepending the fixed header of its SubjectPublicKeyInfo (RFC 5280) or PKCS #8 (RFC 5208) structure: for
// a given curve and key size the header never varies, which is cheaper and simpler than a general DER encoder.

import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** A public KeyObject from `header || raw` (SPKI). Throws if OpenSSL refuses the key. */
export function publicKeyFromRaw(spkiHeader: Uint8Array, raw: Uint8Array): KeyObject {
  return createPublicKey({ key: concat(spkiHeader, raw), format: 'der', type: 'spki' });
}

/** A private KeyObject from `header || raw` (PKCS #8). Throws if OpenSSL refuses the key. */
export function privateKeyFromRaw(pkcs8Header: Uint8Array, raw: Uint8Array): KeyObject {
  return createPrivateKey({ key: concat(pkcs8Header, raw), format: 'der', type: 'pkcs8' });
}

/**
 * A plain Uint8Array over a Buffer's bytes. The interface promises Uint8Array, and a Buffer differs where it
 * matters (`slice` shares memory, deepStrictEqual against a Uint8Array fails). node:crypto's sign and export
 * results own their ArrayBuffer, so viewing them costs no copy and keeps no pool slab alive.
 */
export function asBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

export function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

function concat(a: Uint8Array, b: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
