// Test helpers shared by the blind-scheme tests: fixed random streams (tests must reproduce like runs do) and
// a bit flipper for tamper tests. Not imported by the schemes themselves.

import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import type { RandomBytes } from '../scheme.ts';

/** A deterministic RandomBytes: HKDF-SHA256 blocks under `label`, one block per call. */
export function seededRandom(label: string): RandomBytes {
  const prk = extract(sha256, utf8ToBytes(label));
  let counter = 0;
  return (length: number) => {
    const info = new Uint8Array(4);
    new DataView(info.buffer).setUint32(0, counter++);
    return expand(sha256, prk, info, length);
  };
}

/** A RandomBytes that hands out exactly these chunks in order, failing loudly on any other request. */
export function replayRandom(chunks: readonly Uint8Array[]): RandomBytes {
  const queue = [...chunks];
  return (length: number) => {
    const next = queue.shift();
    if (next === undefined) throw new Error(`replayRandom: asked for ${length} bytes after the last chunk`);
    if (next.length !== length) throw new Error(`replayRandom: asked for ${length} bytes, next chunk has ${next.length}`);
    return next.slice();
  };
}

/** A copy of `bytes` with bit `bit` (0 = most significant bit of byte 0) inverted. */
export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  const index = Math.floor(bit / 8);
  out[index] = (out[index] ?? 0) ^ (0x80 >> (bit % 8));
  return out;
}
