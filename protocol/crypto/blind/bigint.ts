// Modular arithmetic on bigints for the RSA blind scheme: blinding (r^e mod n), unblinding (r^-1 mod n) and
// key generation. Only the bank's private exponentiation is done natively (node:crypto, with CRT); everything
// here runs on the user's side or once per key, where a portable and readable implementation is worth more
// than speed. None of it is constant-time: the simulator measures protocol costs, it does not guard real keys.

/** OS2IP (RFC 8017 §4.2): big-endian bytes to a non-negative integer. */
export function bytesToBigint(bytes: Uint8Array): bigint {
  let x = 0n;
  for (const b of bytes) x = (x << 8n) | BigInt(b);
  return x;
}

/** I2OSP (RFC 8017 §4.1): a non-negative integer to exactly `length` big-endian bytes; throws if it does not fit. */
export function bigintToBytes(x: bigint, length: number): Uint8Array {
  if (x < 0n) throw new RangeError('bigintToBytes: negative integer');
  const out = new Uint8Array(length);
  let v = x;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new RangeError(`bigintToBytes: integer too large for ${length} bytes`);
  return out;
}

/** bit_len(n) of RFC 9474 §3: the number of bits needed to write a non-negative integer (0 for 0). */
export function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** a mod m in [0, m), also for negative a. */
export function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

/** base^exp mod m by left-to-right square-and-multiply; exp >= 0, m >= 1. */
export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  if (m <= 0n) throw new RangeError('modPow: modulus must be positive');
  if (exp < 0n) throw new RangeError('modPow: negative exponent');
  if (m === 1n) return 0n;
  const b = mod(base, m);
  let result = 1n;
  for (const bit of exp.toString(2)) {
    result = (result * result) % m;
    if (bit === '1') result = (result * b) % m;
  }
  return result;
}

export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** a^-1 mod m by the extended Euclidean algorithm, or undefined when gcd(a, m) != 1 (RFC 9474 inverse_mod). */
export function modInv(a: bigint, m: bigint): bigint | undefined {
  if (m <= 1n) return undefined;
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return oldR === 1n ? mod(oldS, m) : undefined;
}
