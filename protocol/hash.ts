// SHA-256 for every id in the protocol (coin and lot ids, request ids), by libsodium. Ids are over the signed
// part of a message, never over a signature, so a malleated signature (ECDSA's s -> n - s) cannot give one
// payment two ids and make an honest payer look like a double spender.
import sodium from 'sodium-native';

// Scratch, reused, in ArrayBuffers of their own. Native code reads a typed array through its ArrayBuffer, and a
// fresh array of 64 bytes or fewer lives on V8's heap, so handing one over first moves its bytes off the heap (a
// malloc, about 1 µs; protocol/bytes.ts); node:crypto's hash() then allocates its result off the heap as well.
// Copying the parts into one scratch input and the digest out into a fresh 32-byte array costs neither: 0.5-0.7
// µs against 1.5 (npm run bench -- bytes).
let input = new Uint8Array(new ArrayBuffer(1024));
const digest = new Uint8Array(new ArrayBuffer(32));

/** SHA-256 of the parts concatenated, in a 32-byte array of its own. */
export function sha256(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  if (input.length < length) input = new Uint8Array(new ArrayBuffer(Math.max(length, 2 * input.length)));
  let at = 0;
  for (const part of parts) {
    input.set(part, at);
    at += part.length;
  }
  sodium.crypto_hash_sha256(digest, input.subarray(0, length));
  return digest.slice();
}

/**
 * Map key for ids and keys: one char per byte (latin1), cheaper than hex. Built with fromCharCode, not by a
 * Buffer over `bytes.buffer`: 0.21 against 0.54 µs for 32 bytes, and reading `.buffer` makes V8 move a small
 * array's bytes off its heap into an ArrayBuffer of their own (a malloc and an object more).
 */
export function keyOf(bytes: Uint8Array): string {
  if (bytes.length === 32) return keyOf32(bytes);
  if (bytes.length <= CHUNK) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  let out = '';
  for (let i = 0; i < bytes.length; i += CHUNK) out += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  return out;
}

/**
 * keyOf for 32 bytes (ids and keys: nearly every call), as 32 arguments. `apply` first copies the bytes into an
 * array of arguments, about 270 bytes of garbage per key (npm run bench -- bytes).
 */
function keyOf32(b: Uint8Array): string {
  return String.fromCharCode(
    b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!, b[6]!, b[7]!, b[8]!, b[9]!, b[10]!, b[11]!, b[12]!, b[13]!, b[14]!, b[15]!,
    b[16]!, b[17]!, b[18]!, b[19]!, b[20]!, b[21]!, b[22]!, b[23]!, b[24]!, b[25]!, b[26]!, b[27]!, b[28]!, b[29]!, b[30]!, b[31]!,
  );
}

/** Bytes per fromCharCode call: far below the engine's limit on arguments. */
const CHUNK = 4096;

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
