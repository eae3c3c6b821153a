import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { kept, Scratch, shortLived } from './bytes.ts';

test('shortLived gives zeroed arrays of the size asked, none sharing a byte with another', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 400 }), (sizes) => {
      const arrays = sizes.map((n) => shortLived(n));
      arrays.forEach((a, i) => {
        assert.equal(a.length, sizes[i]);
        assert.ok(a.every((b) => b === 0));
      });
      // Fill each with its own index, then check no later fill overwrote an earlier array.
      arrays.forEach((a, i) => a.fill(i % 251));
      arrays.forEach((a, i) => assert.ok(a.every((b) => b === i % 251), `array ${i} (${a.length} bytes) was overwritten`));
    }),
    { numRuns: 50 },
  );
});

test('small and large requests get buffers of their own; the rest share slabs', () => {
  assert.equal(shortLived(64).buffer.byteLength, 64);
  assert.equal(shortLived(4096).buffer.byteLength, 4096);
  const a = shortLived(88);
  const b = shortLived(88);
  assert.equal(a.buffer, b.buffer);
  assert.equal(a.byteOffset % 8, 0);
  assert.equal(b.byteOffset % 8, 0);
});

test('Scratch.hold copies small arrays into one reused buffer and passes larger ones through', () => {
  const scratch = new Scratch();
  const a = Uint8Array.of(1, 2, 3);
  const held = scratch.hold(a);
  assert.deepEqual([...held], [1, 2, 3]);
  assert.notEqual(held, a);
  assert.equal(held.buffer.byteLength, 64);
  // The next use overwrites the first: a scratch is for one call at a time.
  scratch.hold(Uint8Array.of(9, 9, 9, 9));
  assert.deepEqual([...held], [9, 9, 9]);
  const big = new Uint8Array(65).fill(5);
  assert.equal(scratch.hold(big), big);
  assert.equal(scratch.hold(new Uint8Array(64).fill(4)).length, 64);
});

test('kept copies bytes into slabs of its own, apart from what shortLived hands out', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 200 }), (inputs) => {
      const originals = inputs.map((b) => b.slice());
      const copies = inputs.map((b) => kept(b));
      const young = shortLived(88);
      copies.forEach((c, i) => {
        assert.deepEqual(c, originals[i]);
        assert.notEqual(c.buffer, young.buffer);
      });
      // Scribbling on the inputs and on a young array leaves every kept copy as it was.
      inputs.forEach((b) => b.fill(0xee));
      young.fill(0xee);
      copies.forEach((c, i) => assert.deepEqual(c, originals[i]));
    }),
    { numRuns: 50 },
  );
  const a = kept(new Uint8Array(32).fill(1));
  const b = kept(new Uint8Array(32).fill(2));
  assert.equal(a.buffer, b.buffer, 'small kept arrays share a slab');
  assert.equal(b.byteOffset % 8, 0);
  assert.ok(a.every((x) => x === 1) && b.every((x) => x === 2));
});
