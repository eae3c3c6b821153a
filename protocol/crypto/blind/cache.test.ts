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

  it('tells apart keys that share their last 16 bytes, and follows a caller that reuses its buffer', () => {
    const cache = new BoundedCache<string>(4);
    const a = new Uint8Array(256).fill(7);
    const b = a.slice();
    b[0] = 8; // same tail, different key
    let made = 0;
    const make = (bytes: Uint8Array): string => {
      made++;
      return `key-${bytes[0]}`;
    };
    assert.equal(cache.getOrCreate(a, make), 'key-7');
    assert.equal(cache.getOrCreate(b, make), 'key-8');
    assert.equal(cache.getOrCreate(a, make), 'key-7');
    assert.equal(made, 3);
    // The cache keeps its own copy: overwriting the caller's bytes changes nothing cached.
    const wire = a.slice();
    assert.equal(cache.getOrCreate(wire, make), 'key-7');
    wire[0] = 9;
    assert.equal(cache.getOrCreate(a, make), 'key-7');
    assert.equal(made, 3);
    assert.equal(cache.size, 1);
  });

  it('gives every short key an entry of its own', () => {
    const cache = new BoundedCache<number>(300);
    for (let i = 0; i < 256; i++) cache.getOrCreate(Uint8Array.of(i, 0, 0), (bytes) => bytes[0]!);
    assert.equal(cache.size, 256);
    for (let i = 0; i < 256; i++) assert.equal(cache.getOrCreate(Uint8Array.of(i, 0, 0), () => -1), i);
  });
});
