import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyCache } from './key-cache.ts';

const key = (n: number): Uint8Array => Uint8Array.of(n >> 8, n & 0xff);

describe('KeyCache', () => {
  it('parses each key once while it stays in use', () => {
    const cache = new KeyCache<number>(4);
    let calls = 0;
    const make = (b: Uint8Array): number => (calls++, b[1] ?? 0);
    for (let i = 0; i < 10; i++) assert.equal(cache.getOrCreate(key(7), make), 7);
    assert.equal(calls, 1);
  });

  it('tells keys apart by every byte, including views into a larger buffer', () => {
    const cache = new KeyCache<string>(8);
    const backing = Uint8Array.of(1, 2, 3, 4);
    assert.equal(cache.getOrCreate(backing.subarray(0, 2), () => 'a'), 'a');
    assert.equal(cache.getOrCreate(backing.subarray(2, 4), () => 'b'), 'b');
    assert.equal(cache.getOrCreate(Uint8Array.of(1, 2), () => 'c'), 'a');
    assert.equal(cache.getOrCreate(Uint8Array.of(0x80, 0xff), () => 'd'), 'd');
    assert.equal(cache.getOrCreate(Uint8Array.of(0x80, 0xfe), () => 'e'), 'e');
  });

  it('stays bounded under a stream of distinct keys, and keeps a key in steady use', () => {
    const capacity = 16;
    const cache = new KeyCache<number>(capacity);
    let hotParses = 0;
    for (let i = 0; i < 1000; i++) {
      cache.getOrCreate(key(i + 1), () => i);
      cache.getOrCreate(key(0), () => (hotParses++, -1));
      assert.ok(cache.size <= 2 * capacity);
    }
    assert.equal(hotParses, 1);
  });

  it('stores nothing when parsing throws', () => {
    const cache = new KeyCache<number>(4);
    assert.throws(() => cache.getOrCreate(key(1), () => { throw new Error('bad key'); }), /bad key/);
    assert.equal(cache.size, 0);
    assert.equal(cache.getOrCreate(key(1), () => 5), 5);
  });

  it('refuses a capacity below 1', () => {
    assert.throws(() => new KeyCache(0), RangeError);
    assert.throws(() => new KeyCache(1.5), RangeError);
  });
});
