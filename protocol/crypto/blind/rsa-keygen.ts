// Deterministic RSA key generation from a seed, so that a scenario's bank keys are the same on every run and
// every machine (node:crypto's generateKeyPair cannot be seeded). HKDF-SHA256 expands the seed into a stream
// of candidate primes; each is sieved by small primes and then Miller-Rabin tested by OpenSSL. The key checks
// follow FIPS 186-5 Appendix A.1.3 where they matter for a simulator: top two bits set (so n has exactly the
// requested size), gcd(p - 1, e) = 1, |p - q| large, d large.
// Results are memoized per seed: a 2048-bit key still takes a tenth of a second or so.

import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { checkPrimeSync } from 'node:crypto';
import { bigintToBytes, bitLength, bytesToBigint, gcd, modInv } from './bigint.ts';
import { BoundedCache } from './cache.ts';

export const RSA_PUBLIC_EXPONENT = 65537n;

/**
 * Miller-Rabin rounds per candidate that survives the sieve. FIPS 186-5 Table B.1 asks for 5 rounds on random
 * 1024-bit candidates (4 for 1536-bit) for a 2^-100 error; 8 keeps a margin for a few milliseconds more.
 */
export const MILLER_RABIN_ROUNDS = 8;

/** Seeds shorter than this cannot carry the 112-bit strength of a 2048-bit key. */
export const MIN_SEED_LENGTH = 16;

const HKDF_SALT = utf8ToBytes('ecashsim/rsa-blind/keygen/v1');
const SMALL_PRIMES = sieve(2000).filter((p) => p !== 2);
// One bigint remainder by a product of small primes, then cheap Number remainders, instead of ~300 bigint ones.
const SMALL_PRIME_GROUPS = groupProducts(SMALL_PRIMES);
const MAX_CANDIDATES = 100_000;

export interface RsaPrivateKeyParts {
  readonly n: bigint;
  readonly e: bigint;
  readonly d: bigint;
  readonly p: bigint;
  readonly q: bigint;
  readonly dp: bigint;
  readonly dq: bigint;
  readonly qi: bigint;
}

/**
 * The CRT private key for primes p, q and e = 65537 (d = e^-1 mod lcm(p-1, q-1), FIPS 186-5 A.1.1), or
 * undefined if e is not invertible or q not invertible mod p. Does not test primality: callers that take
 * p, q from outside rely on the signer's self-check (RFC 9474 §4.3 step 4) to catch a broken key.
 */
export function rsaPrivateKeyFromPrimes(p: bigint, q: bigint): RsaPrivateKeyParts | undefined {
  const e = RSA_PUBLIC_EXPONENT;
  if (p <= 2n || q <= 2n || p === q) return undefined;
  const p1 = p - 1n;
  const q1 = q - 1n;
  const lambda = (p1 / gcd(p1, q1)) * q1;
  const d = modInv(e, lambda);
  const qi = modInv(q, p);
  if (d === undefined || qi === undefined) return undefined;
  return { n: p * q, e, d, p, q, dp: d % p1, dq: d % q1, qi };
}

const memo = new BoundedCache<{ p: bigint; q: bigint }>(32);

/**
 * The two primes (p > q, each modulusBits/2 bits, n = p*q exactly modulusBits bits) derived from the seed.
 * Same seed and size, same primes, on every run.
 */
export function generateRsaPrimes(seed: Uint8Array, modulusBits: number): { p: bigint; q: bigint } {
  if (!(seed instanceof Uint8Array) || seed.length < MIN_SEED_LENGTH) {
    throw new RangeError(`RSA keygen: seed must be a Uint8Array of at least ${MIN_SEED_LENGTH} bytes`);
  }
  if (!Number.isInteger(modulusBits) || modulusBits % 16 !== 0 || modulusBits < 1024) {
    throw new RangeError(`RSA keygen: unsupported modulus size ${modulusBits}`);
  }
  const memoKey = new Uint8Array(4 + seed.length);
  new DataView(memoKey.buffer).setUint32(0, modulusBits);
  memoKey.set(seed, 4);
  return memo.getOrCreate(memoKey, () => derivePrimes(seed, modulusBits));
}

function derivePrimes(seed: Uint8Array, modulusBits: number): { p: bigint; q: bigint } {
  const prk = extract(sha256, seed, HKDF_SALT);
  const primeBits = modulusBits / 2;
  const stream = { prk, counter: 0 };
  const first = nextPrime(stream, primeBits);
  // FIPS 186-5 A.1.3: |p - q| > 2^(nlen/2 - 100) and d > 2^(nlen/2); draw q again in the (never seen) case.
  for (;;) {
    const second = nextPrime(stream, primeBits);
    const diff = first > second ? first - second : second - first;
    if (diff <= 1n << BigInt(primeBits - 100)) continue;
    const key = rsaPrivateKeyFromPrimes(first, second);
    if (key === undefined || key.d <= 1n << BigInt(primeBits)) continue;
    if (bitLength(key.n) !== modulusBits) continue;
    return first > second ? { p: first, q: second } : { p: second, q: first };
  }
}

interface Stream {
  readonly prk: Uint8Array;
  counter: number;
}

/** HKDF-Expand block number `counter` under `label`: each candidate and each witness gets its own info string. */
function draw(stream: Stream, label: string, length: number): Uint8Array {
  const info = new Uint8Array(label.length + 4);
  info.set(utf8ToBytes(label), 0);
  new DataView(info.buffer).setUint32(label.length, stream.counter);
  stream.counter++;
  return expand(sha256, stream.prk, info, length);
}

function nextPrime(stream: Stream, bits: number): bigint {
  const bytes = bits / 8;
  for (let i = 0; i < MAX_CANDIDATES; i++) {
    const raw = draw(stream, 'candidate', bytes);
    // Top two bits set so the product of two such primes has exactly 2*bits bits; low bit set for oddness.
    raw[0] = (raw[0] ?? 0) | 0xc0;
    raw[bytes - 1] = (raw[bytes - 1] ?? 0) | 0x01;
    const candidate = bytesToBigint(raw);
    // gcd(p - 1, e) = 1 with e prime means p mod e != 1.
    if (candidate % RSA_PUBLIC_EXPONENT === 1n) continue;
    if (!passesSieve(candidate)) continue;
    if (isProbablePrime(candidate)) return candidate;
  }
  throw new Error('RSA keygen: no prime found (HKDF stream exhausted)');
}

function passesSieve(candidate: bigint): boolean {
  for (const { product, primes } of SMALL_PRIME_GROUPS) {
    const r = Number(candidate % product);
    for (const p of primes) if (r % p === 0) return false;
  }
  return true;
}

/**
 * Miller-Rabin by OpenSSL (node:crypto checkPrime): native, ~10x faster than bigint modPow here. Its witnesses
 * are OpenSSL's own random ones, but only the verdict feeds the key, and a wrong verdict has probability
 * below 2^-100, so the same seed still gives the same key.
 */
function isProbablePrime(w: bigint): boolean {
  return checkPrimeSync(w, { checks: MILLER_RABIN_ROUNDS });
}

function sieve(limit: number): number[] {
  const isComposite = new Uint8Array(limit + 1);
  const primes: number[] = [];
  for (let i = 2; i <= limit; i++) {
    if (isComposite[i] === 1) continue;
    primes.push(i);
    for (let j = i * i; j <= limit; j += i) isComposite[j] = 1;
  }
  return primes;
}

/** Packs small primes into products below 2^53 so each group's remainder is an exact Number. */
function groupProducts(primes: readonly number[]): { product: bigint; primes: number[] }[] {
  const groups: { product: bigint; primes: number[] }[] = [];
  let product = 1;
  let members: number[] = [];
  for (const p of primes) {
    if (product * p > Number.MAX_SAFE_INTEGER) {
      groups.push({ product: BigInt(product), primes: members });
      product = 1;
      members = [];
    }
    product *= p;
    members.push(p);
  }
  if (members.length > 0) groups.push({ product: BigInt(product), primes: members });
  return groups;
}

/** The fixed-size encodings the scheme uses: public key n, secret key p || q (each half the modulus). */
export function encodeRsaKeyPair(p: bigint, q: bigint, modulusBits: number): { publicKey: Uint8Array; secretKey: Uint8Array } {
  const modulusBytes = modulusBits / 8;
  const secretKey = new Uint8Array(modulusBytes);
  secretKey.set(bigintToBytes(p, modulusBytes / 2), 0);
  secretKey.set(bigintToBytes(q, modulusBytes / 2), modulusBytes / 2);
  return { publicKey: bigintToBytes(p * q, modulusBytes), secretKey };
}
