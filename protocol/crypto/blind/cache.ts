// A small bounded memo for parsed keys. A bank signs thousands of withdrawals under one key and an issuer
// verifies them under a handful of keys, so re-parsing the same bytes (RSA: building a KeyObject; BLS:
// decompressing a G2 point and checking its subgroup) on every call would dominate the cost we measure.
// Bounded so that a simulation with many epochs' keys cannot grow it without limit; the oldest entry goes first.
//
// Looked up by the key's last 16 bytes and confirmed against all of them: a 2048-bit RSA key is 256 bytes, and
// the hex of every byte as the Map key made each lookup 4.6x slower (npm run bench -- bytes). Two keys that
// share a tail (never by chance; a forged key could) only replace each other in the cache.
import { equalBytes, keyOf } from '../../hash.ts';

/** Bytes of a key's tail that index the cache: the low bytes of an RSA modulus or prime, random in a real key. */
const TAIL = 16;

interface Entry<V> {
  readonly bytes: Uint8Array;
  readonly value: V;
}

export class BoundedCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('BoundedCache: capacity must be >= 1');
  }

  /** The cached value for these bytes, or `make(bytes)` stored first. `make` may throw; nothing is stored then. */
  getOrCreate(bytes: Uint8Array, make: (bytes: Uint8Array) => V): V {
    const key = keyOf(bytes.length <= TAIL ? bytes : bytes.subarray(bytes.length - TAIL));
    const found = this.entries.get(key);
    if (found !== undefined && equalBytes(found.bytes, bytes)) {
      // Refresh recency so the keys in use stay while old epochs' keys age out.
      this.entries.delete(key);
      this.entries.set(key, found);
      return found.value;
    }
    const value = make(bytes);
    if (found !== undefined) this.entries.delete(key);
    else if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    // A copy: callers pass views into buffers they reuse (a worker's batch of jobs).
    this.entries.set(key, { bytes: bytes.slice(), value });
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
