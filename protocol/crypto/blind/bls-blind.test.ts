// Boldyreva blind BLS: the unblinded signature must be exactly the plain min-sig BLS signature on the message,
// so the issuer needs nothing but noble's ordinary short-signature verify.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { bytesToNumberBE } from '@noble/curves/utils.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { blsBlind as scheme } from './bls-blind.ts';
import { BlindSignatureError } from './errors.ts';
import { flipBit, seededRandom } from './testing.ts';

const short = bls12_381.shortSignatures;
const message = utf8ToBytes('user public key for the issuance request');
const keys = scheme.keygen(new Uint8Array(32).fill(0x03));

function isBlindError(reason: string, field?: string): (e: unknown) => boolean {
  return (e: unknown) => e instanceof BlindSignatureError && e.reason === reason && (field === undefined || e.field === field);
}

function run(label: string): { state: ReturnType<typeof scheme.blind>; blindSig: Uint8Array; sig: Uint8Array } {
  const state = scheme.blind(keys.publicKey, message, seededRandom(label));
  const blindSig = scheme.blindSign(keys.secretKey, state.blindedMessage);
  return { state, blindSig, sig: scheme.finalize(keys.publicKey, state, blindSig) };
}

describe(scheme.name, () => {
  it('has the min-sig sizes: 96-byte G2 keys, 32-byte scalars, 48-byte G1 signatures', () => {
    assert.equal(scheme.publicKeySize, 96);
    assert.equal(scheme.secretKeySize, 32);
    assert.equal(scheme.signatureSize, 48);
    assert.equal(keys.publicKey.length, 96);
    assert.equal(keys.secretKey.length, 32);
  });

  it('keygen: same seed, identical keys; another seed, another key; short seeds refused', () => {
    assert.deepEqual(scheme.keygen(new Uint8Array(32).fill(0x03)), keys);
    assert.notDeepEqual(scheme.keygen(new Uint8Array(32).fill(0x04)).secretKey, keys.secretKey);
    assert.deepEqual(short.getPublicKey(keys.secretKey).toBytes(true), keys.publicKey);
    assert.throws(() => scheme.keygen(new Uint8Array(15)), isBlindError('wrong-length', 'seed'));
  });

  it('round trip: blind -> blindSign -> finalize -> verify', () => {
    const { state, sig } = run('round trip');
    assert.equal(sig.length, 48);
    assert.deepEqual(state.preparedMessage, message);
    assert.equal(scheme.verify(keys.publicKey, message, sig), true);
  });

  it('the unblinded signature is the plain BLS short signature and verifies with noble', () => {
    const { sig } = run('plain');
    const hashed = short.hash(message);
    assert.equal(short.verify(sig, hashed, keys.publicKey), true);
    assert.equal(bytesToHex(sig), bytesToHex(short.Signature.toBytes(short.sign(hashed, keys.secretKey))));
    // The standard G1 short-signature DST, not a private one.
    const viaDst = bls12_381.G1.hashToCurve(message, { DST: 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_' });
    assert.equal(hashed.equals(viaDst), true);
  });

  it('the bank sees neither the message nor its hash, and two blindings of it look unrelated', () => {
    const { state } = run('what the bank sees');
    const hashed = short.hash(message).toBytes(true);
    assert.notEqual(bytesToHex(state.blindedMessage), bytesToHex(hashed));
    assert.equal(bytesToHex(state.blindedMessage).includes(bytesToHex(message)), false);
    const other = scheme.blind(keys.publicKey, message, seededRandom('another withdrawal'));
    assert.notEqual(bytesToHex(other.blindedMessage), bytesToHex(state.blindedMessage));
    // The secret unblinding data is r^-1 mod q, a scalar in [1, q).
    const inv = bytesToNumberBE(state.inverse);
    assert.ok(inv > 0n && inv < bls12_381.fields.Fr.ORDER);
  });

  it('reproduces: the same random stream gives the same state and signature', () => {
    const a = run('reproducible');
    const b = run('reproducible');
    assert.deepEqual(a.state, b.state);
    assert.deepEqual(a.sig, b.sig);
  });

  it('a flipped bit in key, message or signature fails verification', () => {
    const { sig } = run('bit flips');
    for (const bit of [0, 2, 5, 200, 767]) {
      assert.equal(scheme.verify(flipBit(keys.publicKey, bit), message, sig), false, `key bit ${bit}`);
    }
    for (const bit of [0, 2, 100, 383]) {
      assert.equal(scheme.verify(keys.publicKey, message, flipBit(sig, bit)), false, `sig bit ${bit}`);
    }
    for (const bit of [0, message.length * 8 - 1]) {
      assert.equal(scheme.verify(keys.publicKey, flipBit(message, bit), sig), false, `message bit ${bit}`);
    }
  });

  it('wrong lengths and malformed points make verify return false, not throw', () => {
    const { sig } = run('lengths');
    assert.equal(scheme.verify(keys.publicKey, message, sig.subarray(1)), false);
    assert.equal(scheme.verify(keys.publicKey, message, new Uint8Array(49)), false);
    assert.equal(scheme.verify(keys.publicKey, message, new Uint8Array(48)), false);
    assert.equal(scheme.verify(keys.publicKey.subarray(1), message, sig), false);
    assert.equal(scheme.verify(new Uint8Array(96), message, sig), false);
    // Compressed encodings of the identity: a key or signature that "signs everything" must not pass.
    const infinity = (len: number): Uint8Array => {
      const b = new Uint8Array(len);
      b[0] = 0xc0;
      return b;
    };
    assert.equal(scheme.verify(infinity(96), message, infinity(48)), false);
    assert.equal(scheme.verify(keys.publicKey, message, infinity(48)), false);
  });

  it('finalize throws a typed error when the blind signature is tampered with or from another key', () => {
    const { state, blindSig } = run('tamper');
    // Another valid G1 point (the blinded message itself, i.e. a bank that did not sign).
    assert.throws(() => scheme.finalize(keys.publicKey, state, state.blindedMessage), isBlindError('invalid-signature', 'blindSignature'));
    // A bit flip: either not a point any more or a different point; both are refused.
    assert.throws(() => scheme.finalize(keys.publicKey, state, flipBit(blindSig, 300)), isBlindError('invalid-signature', 'blindSignature'));
    const other = scheme.keygen(new Uint8Array(32).fill(0x05));
    assert.throws(
      () => scheme.finalize(keys.publicKey, state, scheme.blindSign(other.secretKey, state.blindedMessage)),
      isBlindError('invalid-signature', 'blindSignature'),
    );
    assert.throws(() => scheme.finalize(keys.publicKey, state, blindSig.subarray(1)), isBlindError('wrong-length', 'blindSignature'));
  });

  it('blindSign refuses non-points, the identity, and bad secret keys with typed errors', () => {
    const { state } = run('bank input');
    assert.throws(() => scheme.blindSign(keys.secretKey, new Uint8Array(48)), isBlindError('invalid-input', 'blindedMessage'));
    const identity = new Uint8Array(48);
    identity[0] = 0xc0;
    assert.throws(() => scheme.blindSign(keys.secretKey, identity), isBlindError('invalid-input', 'blindedMessage'));
    assert.throws(() => scheme.blindSign(keys.secretKey, state.blindedMessage.subarray(1)), isBlindError('wrong-length', 'blindedMessage'));
    assert.throws(() => scheme.blindSign(new Uint8Array(32), state.blindedMessage), isBlindError('out-of-range', 'secretKey'));
    assert.throws(() => scheme.blindSign(new Uint8Array(32).fill(0xff), state.blindedMessage), isBlindError('out-of-range', 'secretKey'));
    assert.throws(() => scheme.blindSign(keys.secretKey.subarray(1), state.blindedMessage), isBlindError('wrong-length', 'secretKey'));
  });

  it('blind refuses bad keys, a short RandomBytes, and a stream of zeros', () => {
    assert.throws(() => scheme.blind(new Uint8Array(96), message, seededRandom('x')), isBlindError('invalid-key', 'publicKey'));
    assert.throws(() => scheme.blind(keys.publicKey.subarray(1), message, seededRandom('x')), isBlindError('wrong-length', 'publicKey'));
    assert.throws(() => scheme.blind(keys.publicKey, message, () => new Uint8Array(3)), isBlindError('bad-random', 'random'));
    assert.throws(() => scheme.blind(keys.publicKey, message, (len) => new Uint8Array(len)), isBlindError('blinding-failed', 'random'));
  });
});
