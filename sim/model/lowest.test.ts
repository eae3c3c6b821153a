import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { lowest } from './lowest.ts';

test('lowest(k) is the first k of a stable sort by key, keys computed once each in input order', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 60 }), fc.nat({ max: 70 }), (keys, k) => {
      const items = keys.map((key, index) => ({ key, index }));
      const seen: number[] = [];
      const got = lowest(items, k, (x) => {
        seen.push(x.index);
        return x.key;
      });
      const sorted = [...items].sort((a, b) => a.key - b.key).slice(0, k);
      assert.deepEqual(got, sorted);
      assert.deepEqual(seen, items.map((x) => x.index));
    }),
    { numRuns: 500 },
  );
});
