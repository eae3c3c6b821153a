// A small bounded memo for parsed keys. A bank signs thousands of withdrawals under one key and an issuer
// verifies them under a handful of keys, so re-parsing the same bytes (RSA: building a KeyObject; BLS:
// decompressing a G2 point and checking its subgroup) on every call would dominate the cost we measure.
// Bounded so that a simulation with many epochs' keys cannot grow it without limit; the oldest entry goes first.

import { bytesToHex } from '@noble/hashes/utils.js';

export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('BoundedCache: capacity must be >= 1');
  }

  /** The cached value for these bytes, or `make(bytes)` stored first. `make` may throw; nothing is stored then. */
  getOrCreate(bytes: Uint8Array, make: (bytes: Uint8Array) => V): V {
    const key = bytesToHex(bytes);
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      // Refresh recency so the keys in use stay while old epochs' keys age out.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const value = make(bytes);
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
