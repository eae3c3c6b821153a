import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ed25519 } from '@noble/curves/ed25519.js';
import fc from 'fast-check';
import { ED25519_SMALL_ORDER_Y, ed25519Native, ed25519Noble, ed25519Sodium, isStrictPublicKey } from './ed25519.ts';
import { SignatureSchemeError } from './errors.ts';
import { hex, testSeed } from './testing.ts';

// RFC 8032 §7.1, TEST 1 (empty message) and TEST 2 (one byte).
const RFC8032 = [
  {
    name: 'TEST 1',
    secretKey: hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'),
    publicKey: hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'),
    message: new Uint8Array(0),
    signature: hex(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    ),
  },
  {
    name: 'TEST 2',
    secretKey: hex('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb'),
    publicKey: hex('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c'),
    message: hex('72'),
    signature: hex(
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
    ),
  },
];

describe('ed25519: RFC 8032 vectors on every backend', () => {
  for (const scheme of [ed25519Sodium, ed25519Native, ed25519Noble]) {
    for (const v of RFC8032) {
      it(`${scheme.name} signs ${v.name} exactly and verifies it`, () => {
        assert.deepEqual(scheme.sign(v.secretKey, v.message), v.signature);
        assert.equal(scheme.verify(v.publicKey, v.message, v.signature), true);
      });
    }
  }
});

describe('ed25519: the three backends are one scheme', () => {
  it('derive the same key pair and make byte-identical (deterministic) signatures', () => {
    const seed = testSeed('ed25519 cross');
    const a = ed25519Native.keygen(seed);
    const b = ed25519Noble.keygen(seed);
    const c = ed25519Sodium.keygen(seed);
    assert.deepEqual(a, b);
    assert.deepEqual(c, b);
    const message = new TextEncoder().encode('transfer step');
    const signature = ed25519Noble.sign(b.secretKey, message);
    assert.deepEqual(ed25519Native.sign(a.secretKey, message), signature);
    assert.deepEqual(ed25519Sodium.sign(c.secretKey, message), signature);
  });

  it('return plain Uint8Arrays, not Buffers', () => {
    for (const scheme of [ed25519Sodium, ed25519Native]) {
      const { publicKey, secretKey } = scheme.keygen(testSeed('ed25519 types'));
      const signature = scheme.sign(secretKey, new Uint8Array(3));
      for (const bytes of [publicKey, secretKey, signature]) assert.equal(Object.getPrototypeOf(bytes), Uint8Array.prototype);
    }
  });

  it('all refuse small-order keys (canonical or not), which under OpenSSL alone would "sign" every message', () => {
    // A = R = (0, 1) and S = 0 satisfies R = S*B - k*A for every message k: OpenSSL's own check accepts it.
    const message = new TextEncoder().encode('anything');
    const forged = new Uint8Array(64);
    forged[0] = 1;
    const p = 2n ** 255n - 19n;
    // Each y, and its non-canonical twin y + p where that still fits in 255 bits (y = 0 and y = 1).
    const encodings = [...ED25519_SMALL_ORDER_Y].flatMap((y) => (y + p < 2n ** 255n ? [y, y + p] : [y]));
    assert.equal(encodings.length, 7);
    for (const y of encodings) {
      for (const signBit of [false, true]) {
        const key = encodePoint(y, signBit);
        for (const scheme of [ed25519Sodium, ed25519Native, ed25519Noble]) {
          assert.equal(scheme.verify(key, message, forged), false, `${scheme.name} y=${y.toString(16)} sign=${signBit}`);
        }
      }
    }
  });

  it('the small-order list is complete: its y values carry exactly the 8 torsion points', () => {
    let points = 0;
    for (const y of ED25519_SMALL_ORDER_Y) {
      for (const signBit of [false, true]) {
        let point;
        try {
          point = ed25519.Point.fromBytes(encodePoint(y, signBit));
        } catch {
          continue; // x = 0 has no negative: (y, sign 1) does not decode
        }
        assert.equal(point.isSmallOrder(), true);
        points++;
      }
    }
    assert.equal(points, 8);
  });

  it('throw a typed error for a secret key of the wrong length', () => {
    for (const scheme of [ed25519Sodium, ed25519Native, ed25519Noble]) {
      assert.throws(
        () => scheme.sign(new Uint8Array(31), new Uint8Array(1)),
        (e: unknown) => e instanceof SignatureSchemeError && e.field === 'secretKey' && e.reason === 'wrong-length',
      );
    }
  });
});

describe('isStrictPublicKey', () => {
  const p = 2n ** 255n - 19n;
  /** The definition, on y as a number. */
  const reference = (key: Uint8Array): boolean => {
    let y = 0n;
    for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(key[i]! & (i === 31 ? 0x7f : 0xff));
    return y < p && !ED25519_SMALL_ORDER_Y.has(y);
  };
  // Around every boundary: p and its neighbours, 2^255 - 1, each small-order y and its neighbours, each with
  // either sign bit; then random keys.
  const edges = [p - 1n, p, p + 1n, p + 18n, 2n ** 255n - 1n, ...[...ED25519_SMALL_ORDER_Y].flatMap((y) => [y - 1n, y, y + 1n, y + p])]
    .filter((y) => y >= 0n && y < 2n ** 255n)
    .flatMap((y) => [encodePoint(y, false), encodePoint(y, true)]);

  it('is the definition on y, at every boundary and on random keys', () => {
    for (const key of edges) assert.equal(isStrictPublicKey(key), reference(key), `key ${Buffer.from(key).toString('hex')}`);
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (key) => isStrictPublicKey(key) === reference(key)));
  });

  it('refuses a key that is not 32 bytes', () => {
    assert.equal(isStrictPublicKey(new Uint8Array(31).fill(9)), false);
  });
});

/** RFC 8032 point encoding of y (little-endian) with the sign bit of x in the top bit. */
function encodePoint(y: bigint, signBit: boolean): Uint8Array {
  const out = new Uint8Array(32);
  let rest = y;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  if (signBit) out[31] = (out[31] ?? 0) | 0x80;
  return out;
}
