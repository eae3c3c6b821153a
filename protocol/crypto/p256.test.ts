import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { p256 } from '@noble/curves/nist.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { SignatureSchemeError } from './errors.ts';
import { p256Native, p256Noble } from './p256.ts';
import { hex, testSeed } from './testing.ts';

// RFC 6979 §A.2.5: P-256 key and its deterministic SHA-256 signatures over "sample" and "test".
const X = hex('C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721');
const UX = hex('60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6');
// Uy = 7903FE10...D4462299 is odd, hence the 03 prefix of the compressed form.
const PUBLIC_KEY = Uint8Array.of(0x03, ...UX);
const VECTORS = [
  {
    message: 'sample',
    signature: hex(
      'EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8',
    ),
  },
  {
    message: 'test',
    signature: hex(
      'F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083',
    ),
  },
];
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const ORDER = p256.Point.Fn.ORDER;

/** (r, n - s): the other valid signature for the same (r, s), what a low-S rule would refuse. */
function malleate(signature: Uint8Array): Uint8Array {
  const s = bytesToNumberBE(signature.subarray(32));
  return Uint8Array.of(...signature.subarray(0, 32), ...numberToBytesBE(ORDER - s, 32));
}

describe('p256: RFC 6979 vectors', () => {
  it('the vector key compresses to the 33-byte public key used here', () => {
    assert.deepEqual(p256.getPublicKey(X, true), PUBLIC_KEY);
  });

  for (const v of VECTORS) {
    it(`noble signs "${v.message}" exactly as RFC 6979 prints it (no low-S normalisation)`, () => {
      assert.deepEqual(p256Noble.sign(X, utf8(v.message)), v.signature);
    });
    for (const scheme of [p256Native, p256Noble]) {
      it(`${scheme.name} verifies "${v.message}", and its malleated twin (r, n - s) too`, () => {
        assert.equal(scheme.verify(PUBLIC_KEY, utf8(v.message), v.signature), true);
        assert.equal(scheme.verify(PUBLIC_KEY, utf8(v.message), malleate(v.signature)), true);
        assert.equal(scheme.verify(PUBLIC_KEY, utf8(v.message === 'test' ? 'sample' : 'test'), v.signature), false);
      });
    }
  }
});

describe('p256: native and noble on one wire format', () => {
  const seed = testSeed('p256 cross');

  it('derive identical compressed keys', () => {
    const a = p256Native.keygen(seed);
    assert.deepEqual(a, p256Noble.keygen(seed));
    assert.ok(a.publicKey[0] === 0x02 || a.publicKey[0] === 0x03);
    assert.equal(Object.getPrototypeOf(a.publicKey), Uint8Array.prototype);
  });

  it("each verifies the other's signatures, native's high-S half included", () => {
    const { publicKey, secretKey } = p256Native.keygen(seed);
    // OpenSSL's k is random, so over a few messages both halves of s are likely to turn up (the RFC 6979 vectors
    // above cover a high s deterministically); each signature must verify on noble.
    for (let i = 0; i < 8; i++) {
      const message = utf8(`coin ${i}`);
      const native = p256Native.sign(secretKey, message);
      assert.equal(native.length, 64);
      assert.equal(p256Noble.verify(publicKey, message, native), true);
      assert.equal(p256Native.verify(publicKey, message, p256Noble.sign(secretKey, message)), true);
    }
  });

  it('noble signatures repeat; native ones need not, but all verify', () => {
    const { publicKey, secretKey } = p256Noble.keygen(seed);
    const message = utf8('same message');
    assert.deepEqual(p256Noble.sign(secretKey, message), p256Noble.sign(secretKey, message));
    assert.equal(p256Noble.verify(publicKey, message, p256Native.sign(secretKey, message)), true);
  });

  it('both refuse an uncompressed key, even for a signature that matches it', () => {
    const uncompressed = p256.getPublicKey(X, false);
    for (const scheme of [p256Native, p256Noble]) {
      assert.equal(scheme.verify(uncompressed, utf8('sample'), VECTORS[0]?.signature ?? new Uint8Array()), false);
    }
  });

  it('both refuse to sign with 0 or a scalar >= n (OpenSSL alone would)', () => {
    const bad = [new Uint8Array(32), numberToBytesBE(ORDER, 32), new Uint8Array(32).fill(0xff)];
    for (const scheme of [p256Native, p256Noble]) {
      for (const secretKey of bad) {
        assert.throws(
          () => scheme.sign(secretKey, utf8('m')),
          (e: unknown) => e instanceof SignatureSchemeError && e.field === 'secretKey' && e.reason === 'invalid-key',
        );
      }
    }
  });
});
