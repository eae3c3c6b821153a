// Properties every registered scheme and backend must have, run over the registry so that a scheme added later is
// covered without writing anything new: sizes, reproducible keys, cross-backend agreement, tamper refusal, and
// `verify` returning false (never throwing) on malformed input.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getSignatureScheme, SignatureSchemeError, signatureSchemes } from './index.ts';
import type { SignatureScheme } from './scheme.ts';
import { bitsToFlip, flipBit, testSeed } from './testing.ts';

const message = new TextEncoder().encode('IMES 1997: coin 42, 1000 yen, holder changes');

describe('registry', () => {
  it('lists every id and backend once, under `id@backend`', () => {
    const names = signatureSchemes.map((s) => s.name);
    assert.deepEqual(names, [
      'ed25519@sodium',
      'ed25519@native',
      'ed25519@noble',
      'p256@native',
      'p256@noble',
      'secp256k1@noble',
      'schnorr-secp256k1@noble',
      'bls12-381@noble',
    ]);
    for (const s of signatureSchemes) assert.equal(s.name, `${s.id}@${s.backend}`);
  });

  it('resolves full names, and bare ids to the default backend (a native library where there is one)', () => {
    for (const s of signatureSchemes) assert.equal(getSignatureScheme(s.name), s);
    assert.equal(getSignatureScheme('ed25519').name, 'ed25519@sodium');
    assert.equal(getSignatureScheme('p256').name, 'p256@native');
    assert.equal(getSignatureScheme('secp256k1').name, 'secp256k1@noble');
    assert.equal(getSignatureScheme('schnorr-secp256k1').name, 'schnorr-secp256k1@noble');
    assert.equal(getSignatureScheme('bls12-381').name, 'bls12-381@noble');
  });

  it('throws naming the unknown name and the known ones', () => {
    assert.throws(() => getSignatureScheme('secp256k1@native'), (e: unknown) => {
      assert.ok(e instanceof Error);
      assert.match(e.message, /'secp256k1@native'/);
      assert.match(e.message, /ed25519@noble/);
      assert.match(e.message, /bls12-381/);
      return true;
    });
    assert.throws(() => getSignatureScheme(''), /unknown signature scheme/);
  });

  it('only BLS offers verifyBatch', () => {
    for (const s of signatureSchemes) assert.equal(typeof s.verifyBatch === 'function', s.id === 'bls12-381', s.name);
  });
});

for (const scheme of signatureSchemes) {
  describe(`${scheme.name}: conformance`, () => {
    const keys = scheme.keygen(testSeed(`conformance ${scheme.id}`));
    const signature = scheme.sign(keys.secretKey, message);

    it('has the sizes it declares', () => {
      assert.equal(keys.publicKey.length, scheme.publicKeySize);
      assert.equal(keys.secretKey.length, scheme.secretKeySize);
      assert.equal(signature.length, scheme.signatureSize);
      for (const bytes of [keys.publicKey, keys.secretKey, signature]) assert.ok(bytes instanceof Uint8Array);
    });

    it('derives the same keys from the same seed every time, and different keys from another seed', () => {
      assert.deepEqual(scheme.keygen(testSeed(`conformance ${scheme.id}`)), keys);
      assert.notDeepEqual(scheme.keygen(testSeed(`conformance ${scheme.id} (other)`)).publicKey, keys.publicKey);
    });

    it('verifies its own signature, over the empty message too', () => {
      assert.equal(scheme.verify(keys.publicKey, message, signature), true);
      const empty = new Uint8Array(0);
      assert.equal(scheme.verify(keys.publicKey, empty, scheme.sign(keys.secretKey, empty)), true);
    });

    it('refuses a flipped bit in the public key, the message or the signature', () => {
      for (const bit of bitsToFlip(keys.publicKey.length)) {
        assert.equal(scheme.verify(flipBit(keys.publicKey, bit), message, signature), false, `public key bit ${bit}`);
      }
      for (const bit of bitsToFlip(message.length)) {
        assert.equal(scheme.verify(keys.publicKey, flipBit(message, bit), signature), false, `message bit ${bit}`);
      }
      for (const bit of bitsToFlip(signature.length)) {
        assert.equal(scheme.verify(keys.publicKey, message, flipBit(signature, bit)), false, `signature bit ${bit}`);
      }
    });

    it("refuses another key's signature", () => {
      const other = scheme.keygen(testSeed(`conformance ${scheme.id} (other)`));
      assert.equal(scheme.verify(other.publicKey, message, signature), false);
    });

    it('returns false, never throws, on wrong lengths, empty input and non-bytes', () => {
      const variants = (bytes: Uint8Array): Uint8Array[] => [
        new Uint8Array(0),
        bytes.subarray(0, bytes.length - 1),
        Uint8Array.of(...bytes, 0),
        Uint8Array.of(0, ...bytes),
        new Uint8Array(bytes.length),
      ];
      for (const publicKey of variants(keys.publicKey)) assert.equal(scheme.verify(publicKey, message, signature), false);
      for (const bad of variants(signature)) assert.equal(scheme.verify(keys.publicKey, message, bad), false);
      const notBytes = [undefined, null, 'text', 42, [1, 2, 3], {}] as unknown as Uint8Array[];
      for (const junk of notBytes) {
        assert.equal(scheme.verify(junk, message, signature), false);
        assert.equal(scheme.verify(keys.publicKey, junk, signature), false);
        assert.equal(scheme.verify(keys.publicKey, message, junk), false);
      }
    });

    it('accepts a signature held in a view into a larger buffer', () => {
      const backing = new Uint8Array(signature.length + 8);
      backing.set(signature, 5);
      const keyBacking = new Uint8Array(keys.publicKey.length + 3);
      keyBacking.set(keys.publicKey, 3);
      const view = backing.subarray(5, 5 + signature.length);
      assert.equal(scheme.verify(keyBacking.subarray(3), message, view), true);
    });

    it('throws a typed error naming the field for a bad seed or secret key', () => {
      assert.throws(
        () => scheme.keygen(new Uint8Array(8)),
        (e: unknown) => e instanceof SignatureSchemeError && e.scheme === scheme.name && e.field === 'seed',
      );
      assert.throws(
        () => scheme.sign(keys.secretKey.subarray(1), message),
        (e: unknown) => e instanceof SignatureSchemeError && e.field === 'secretKey' && e.reason === 'wrong-length',
      );
      assert.throws(
        () => scheme.sign(keys.secretKey, 'text' as unknown as Uint8Array),
        (e: unknown) => e instanceof SignatureSchemeError && e.field === 'message',
      );
    });
  });
}

describe('backends of one scheme are interchangeable', () => {
  const byId = new Map<string, SignatureScheme[]>();
  for (const s of signatureSchemes) byId.set(s.id, [...(byId.get(s.id) ?? []), s]);

  for (const [id, backends] of byId) {
    if (backends.length < 2) continue;
    it(`${id}: same keys from the same seed, and each backend verifies what every other signs`, () => {
      const seed = testSeed(`interchange ${id}`);
      const pairs = backends.map((b) => b.keygen(seed));
      for (const pair of pairs) assert.deepEqual(pair, pairs[0]);
      const { publicKey, secretKey } = pairs[0] as (typeof pairs)[number];
      for (const signer of backends) {
        const signature = signer.sign(secretKey, message);
        for (const verifier of backends) {
          assert.equal(verifier.verify(publicKey, message, signature), true, `${signer.name} -> ${verifier.name}`);
          assert.equal(verifier.verify(publicKey, flipBit(message, 1), signature), false, `${signer.name} -> ${verifier.name}`);
        }
      }
    });
  }
});
