// Helpers shared by the signature-scheme tests. Not imported by the schemes themselves.

import { hexToBytes } from '@noble/hashes/utils.js';

/** A copy of `bytes` with bit `bit` (0 = most significant bit of byte 0) inverted. */
export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  const index = Math.floor(bit / 8);
  out[index] = (out[index] ?? 0) ^ (0x80 >> (bit % 8));
  return out;
}

/** The first, a middle and the last bit: flips at the edges catch length-prefix and sign-bit handling. */
export function bitsToFlip(length: number): number[] {
  return [0, Math.floor((length * 8) / 2) + 3, length * 8 - 1];
}

/** Hex from a vector as printed (any case, spaces allowed) to bytes. */
export function hex(text: string): Uint8Array {
  return hexToBytes(text.replace(/\s+/g, '').toLowerCase());
}

/** A fixed 32-byte seed per label, so every test run derives the same keys. */
export function testSeed(label: string): Uint8Array {
  const out = new Uint8Array(32);
  const bytes = new TextEncoder().encode(label);
  out.set(bytes.subarray(0, 32));
  out[31] = bytes.length;
  return out;
}
