// SHA-256 for every id in the protocol (coin and lot ids, request ids). node:crypto's native hash; ids are
// over the signed part of a message, never over a signature, so a malleated signature (ECDSA's s -> n - s)
// cannot give one payment two ids and make an honest payer look like a double spender.
import { createHash, hash } from 'node:crypto';

export function sha256(...parts: readonly Uint8Array[]): Uint8Array {
  // One part (most ids): the one-shot hash() skips the Hash object, 1.5x faster on a 150-byte signed part.
  if (parts.length === 1) return new Uint8Array(hash('sha256', parts[0]!, 'buffer'));
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return new Uint8Array(h.digest());
}

/**
 * Map key for ids and keys: one char per byte (latin1), cheaper than hex. Built with fromCharCode, not by a
 * Buffer over `bytes.buffer`: 0.21 against 0.54 µs for 32 bytes, and reading `.buffer` makes V8 move a small
 * array's bytes off its heap into an ArrayBuffer of their own (a malloc and an object more).
 */
export function keyOf(bytes: Uint8Array): string {
  if (bytes.length <= CHUNK) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  let out = '';
  for (let i = 0; i < bytes.length; i += CHUNK) out += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  return out;
}

/** Bytes per fromCharCode call: far below the engine's limit on arguments. */
const CHUNK = 4096;

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
