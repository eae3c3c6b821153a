import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { hkdfSha256 } from './hkdf.ts';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
/** The bytes from `a` to `b` inclusive, as RFC 5869's vectors write their inputs. */
const run = (a: number, b: number) => Uint8Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('hkdf: RFC 5869 HKDF-SHA256 over libsodium', () => {
  it('gives the RFC 5869 appendix A test vectors (A.1 basic, A.2 longer than a block, A.3 no salt or info)', () => {
    const ikm = new Uint8Array(22).fill(0x0b);
    assert.deepEqual(
      hkdfSha256(ikm, run(0x00, 0x0c), run(0xf0, 0xf9), 42),
      hex('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865'),
    );
    assert.deepEqual(
      hkdfSha256(run(0x00, 0x4f), run(0x60, 0xaf), run(0xb0, 0xff), 82),
      hex(
        'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87',
      ),
    );
    assert.deepEqual(
      hkdfSha256(ikm, new Uint8Array(0), new Uint8Array(0), 42),
      hex('8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8'),
    );
  });

  it("agrees with noble's HKDF for any input, salt (past a block too), info and length", () => {
    const bytes = (max: number) => fc.uint8Array({ maxLength: max });
    fc.assert(
      fc.property(bytes(100), bytes(150), bytes(80), fc.integer({ min: 0, max: 200 }), (ikm, salt, info, length) => {
        assert.deepEqual(hkdfSha256(ikm, salt, info, length), hkdf(sha256, ikm, salt, info, length));
      }),
    );
  });

  it('returns fresh bytes each call, not its scratch', () => {
    const a = hkdfSha256(run(1, 32), run(2, 9), run(3, 5), 32);
    const copy = a.slice();
    hkdfSha256(run(9, 40), run(2, 9), run(3, 5), 32);
    assert.deepEqual(a, copy);
  });

  it('refuses a length HKDF-SHA256 cannot give', () => {
    for (const bad of [-1, 1.5, 255 * 32 + 1]) assert.throws(() => hkdfSha256(run(1, 16), new Uint8Array(0), new Uint8Array(0), bad), /HKDF-SHA256 gives 0 to 8160 bytes/);
  });
});
