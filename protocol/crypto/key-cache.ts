// A bounded memo for parsed keys. Turning raw key bytes into something the library can use (a node:crypto
// KeyObject, a decompressed and subgroup-checked BLS point) costs as much as a verification or more, and the same
// few keys (the RA's, the issuer's) are used for nearly every check, so parse each key once. Bounded because a run
// has millions of user keys, each used a handful of times: those must age out instead of piling up.
//
// Two generations instead of a true LRU: a hit in `current` is a single Map lookup (no delete-and-reinsert on the
// hot path); when `current` fills it becomes `previous` and the old `previous` is dropped, and a hit in `previous`
// moves the entry back to `current`. So a key in steady use never leaves, and at most 2 * capacity entries live.
import { keyOf } from '../hash.ts';

export class KeyCache<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('KeyCache: capacity must be an integer >= 1');
  }

  /** The cached value for these bytes, or `make(bytes)` stored first. If `make` throws, nothing is stored. */
  getOrCreate(bytes: Uint8Array, make: (bytes: Uint8Array) => V): V {
    const key = keyOf(bytes);
    const hit = this.current.get(key);
    if (hit !== undefined) return hit;
    const old = this.previous.get(key);
    const value = old !== undefined ? old : make(bytes);
    if (this.current.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
    return value;
  }

  /** Entries held in both generations (for tests and memory accounting). */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  clear(): void {
    this.current.clear();
    this.previous.clear();
  }
}

