// The bytes benchmark compares like with like: each pair's two ways give the same answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pairs } from './bytes.ts';

test('each pair of the bytes bench computes the same thing both ways', () => {
  for (const p of pairs()) {
    const before = p.before[1]();
    const after = p.after[1]();
    if (before instanceof Uint8Array && after instanceof Uint8Array) {
      assert.equal(after.length, before.length, p.name);
      assert.deepEqual([...after], [...before], p.name);
    } else {
      assert.deepEqual(after, before, p.name);
    }
  }
});
