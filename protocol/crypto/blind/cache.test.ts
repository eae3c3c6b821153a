// The key caches must stay bounded (many epochs' keys in a long run) and never store a failed parse.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoundedCache } from './cache.ts';

describe('BoundedCache', () => {
  it('keeps at most `capacity` entries, evicting the least recently used', () => {
    const cache = new BoundedCache<number>(2);
    let made = 0;
    const make = (b: Uint8Array): number => {
      made++;
      return b[0] ?? -1;
    };
    cache.getOrCreate(Uint8Array.of(1), make);
    cache.getOrCreate(Uint8Array.of(2), make);
    cache.getOrCreate(Uint8Array.of(1), make); // hit: 1 becomes the most recent
    cache.getOrCreate(Uint8Array.of(3), make); // evicts 2
    assert.equal(cache.size, 2);
    assert.equal(made, 3);
    assert.equal(cache.getOrCreate(Uint8Array.of(1), make), 1);
    assert.equal(made, 3);
    cache.getOrCreate(Uint8Array.of(2), make);
    assert.equal(made, 4);
  });

  it('stores nothing when the parse throws', () => {
    const cache = new BoundedCache<number>(4);
    assert.throws(() => cache.getOrCreate(Uint8Array.of(9), () => { throw new Error('bad key'); }));
    assert.equal(cache.size, 0);
  });
});
