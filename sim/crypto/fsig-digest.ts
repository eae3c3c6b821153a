// F_SIG's record of a signature (signature-work.ts) is a digest of the key that made it and the message it signs,
// compared when the signature is presented. The digest needs no resistance to attack: the simulator draws no
// adversarial collisions, and every answer it gives is checked by the real scheme before the run ends, which
// stops the run if the two ever differ. What it needs is to be cheap: a national week takes 10 million of them
// on the main thread. SHA-256 through node:crypto cost about 3.8 µs each there (copying key and message into one
// buffer, the call into OpenSSL, a string for the result), 3% of that thread's time.
//
// This is MurmurHash3's 32-bit block function run as two lanes with different seeds over the key's length, the
// key, the message's length and the message, finished with its avalanche step: 53 bits, a number V8 stores in
// 16 bytes. Two honest (key, message) pairs collide with odds of 2^-53; the real check behind every answer turns
// even that into a stopped run, never a wrong figure.

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function block(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Both lanes absorb `bytes` little-endian, 4 at a time; the tail is zero-padded (the lengths tell tails apart). */
function absorb(lanes: Lanes, bytes: Uint8Array): void {
  let { a, b } = lanes;
  const n = bytes.length;
  a = block(a, n);
  b = block(b, n);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    a = block(a, k);
    b = block(b, k);
  }
  if (i < n) {
    let k = 0;
    for (let s = 0; i < n; i++, s += 8) k |= bytes[i]! << s;
    a = block(a, k);
    b = block(b, k);
  }
  lanes.a = a;
  lanes.b = b;
}

interface Lanes {
  a: number;
  b: number;
}

const lanes: Lanes = { a: 0, b: 0 };

/** 53 bits of the key's length, the key, the message's length and the message. */
export function fsigDigest(publicKey: Uint8Array, message: Uint8Array): number {
  lanes.a = 0x2545f491;
  lanes.b = 0x9e3779b9 | 0;
  absorb(lanes, publicKey);
  absorb(lanes, message);
  return avalanche(lanes.a) * 2 ** 21 + (avalanche(lanes.b) >>> 11);
}
