// Behaviour of the 2048-bit RSA blind schemes the simulator uses: the withdrawal round trip, that the result
// is a plain RSASSA-PSS signature, what the bank gets to see, and how every bad input is refused.
// Keys are generated once per seed (keygen memoizes), so the whole file pays for two key generations.

import assert from 'node:assert/strict';
import { checkPrimeSync, constants, createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { describe, it } from 'node:test';
import { sha384 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { bigintToBytes, bytesToBigint, gcd, modInv, modInvEuclid, modPow } from './bigint.ts';
import { BlindSignatureError } from './errors.ts';
import { emsaPssEncodeSha384 } from './pss.ts';
import { rsaBlindDeterministic, rsaBlindRandomized } from './rsa-blind.ts';
import type { RsaBlindScheme } from './rsa-blind.ts';
import { generateRsaPrimes, rsaPrivateKeyFromPrimes } from './rsa-keygen.ts';
import { flipBit, replayRandom, seededRandom } from './testing.ts';

// One seed for every run, so CI is reproducible; FC_SEED=<n> explores others (a failure prints its seed).
fc.configureGlobal({ seed: Number(process.env['FC_SEED'] ?? 20261124) });

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const message = utf8ToBytes('user public key for the issuance request');

function isBlindError(reason: string, field?: string): (e: unknown) => boolean {
  return (e: unknown) => e instanceof BlindSignatureError && e.reason === reason && (field === undefined || e.field === field);
}

describe('bigint helpers', () => {
  it('modPow and modInv agree with small known values', () => {
    assert.equal(modPow(4n, 13n, 497n), 445n);
    assert.equal(modInv(3n, 11n), 4n);
    assert.equal(modInv(6n, 9n), undefined);
    assert.equal(bytesToBigint(bigintToBytes(0x0102n, 4)), 0x0102n);
    assert.deepEqual(bigintToBytes(0x0102n, 3), Uint8Array.of(0, 1, 2));
    assert.throws(() => bigintToBytes(0x010203n, 2), RangeError);
  });
});

describe('RSA keygen', () => {
  it('derives the same primes from the same seed, different ones from another seed (1024-bit for speed)', () => {
    // generateRsaPrimes memoizes; distinct seeds of the same content must still agree, so use fresh arrays.
    const a = generateRsaPrimes(new Uint8Array(32).fill(0x11), 1024);
    const b = generateRsaPrimes(new Uint8Array(32).fill(0x11), 1024);
    const c = generateRsaPrimes(new Uint8Array(32).fill(0x12), 1024);
    assert.equal(a.p, b.p);
    assert.equal(a.q, b.q);
    assert.notEqual(a.p, c.p);
    for (const x of [a.p, a.q, c.p, c.q]) assert.equal(checkPrimeSync(x, { checks: 32 }), true);
    assert.ok(a.p > a.q);
  });

  it('refuses short seeds with a typed error', () => {
    assert.throws(() => rsaBlindRandomized.keygen(new Uint8Array(8)), isBlindError('wrong-length', 'seed'));
  });
});

for (const [scheme, seedByte] of [
  [rsaBlindRandomized, 0x01],
  [rsaBlindDeterministic, 0x02],
] as const satisfies readonly (readonly [RsaBlindScheme, number])[]) {
  describe(scheme.name, () => {
    // RFC 9474 §6.2: one key per encoding option, so each variant gets its own seed.
    const seed = new Uint8Array(32).fill(seedByte);
    const keys = scheme.keygen(seed);
    const run = (label: string): { state: ReturnType<typeof scheme.blind>; blindSig: Uint8Array; sig: Uint8Array } => {
      const state = scheme.blind(keys.publicKey, message, seededRandom(label));
      const blindSig = scheme.blindSign(keys.secretKey, state.blindedMessage);
      return { state, blindSig, sig: scheme.finalize(keys.publicKey, state, blindSig) };
    };

    it('has the documented sizes: n (256 bytes), p || q (256 bytes), 256-byte signatures', () => {
      assert.equal(scheme.publicKeySize, 256);
      assert.equal(scheme.secretKeySize, 256);
      assert.equal(scheme.signatureSize, 256);
      assert.equal(keys.publicKey.length, 256);
      assert.equal(keys.secretKey.length, 256);
      assert.equal(bytesToBigint(keys.publicKey).toString(2).length, 2048);
    });

    it('keygen: same seed, identical keys, in fresh arrays', () => {
      const again = scheme.keygen(new Uint8Array(32).fill(seedByte));
      assert.deepEqual(again, keys);
      again.secretKey.fill(0);
      assert.deepEqual(scheme.keygen(seed), keys);
      const half = keys.secretKey.length / 2;
      assert.equal(
        bytesToBigint(keys.secretKey.subarray(0, half)) * bytesToBigint(keys.secretKey.subarray(half)),
        bytesToBigint(keys.publicKey),
      );
    });

    it('round trip: blind -> blindSign -> finalize -> verify', () => {
      const { state, sig } = run('round trip');
      assert.equal(sig.length, 256);
      assert.equal(scheme.verify(keys.publicKey, state.preparedMessage, sig), true);
      if (scheme.variant === 'RSABSSA-SHA384-PSS-Randomized') {
        assert.equal(state.preparedMessage.length, 32 + message.length);
        assert.deepEqual(state.preparedMessage.subarray(32), message);
      } else {
        assert.deepEqual(state.preparedMessage, message);
      }
    });

    it('the unblinded signature is a plain RSASSA-PSS (SHA-384, MGF1-SHA-384, 48-byte salt) signature', () => {
      const { state, sig } = run('plain verify');
      const key = createPublicKey({ key: { kty: 'RSA', n: b64url(keys.publicKey), e: 'AQAB' }, format: 'jwk' });
      const options = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 };
      assert.equal(nodeVerify('sha384', state.preparedMessage, options, sig), true);
      // And the other way: a signature made by node's ordinary PSS signer verifies with the scheme.
      const half = keys.secretKey.length / 2;
      const parts = rsaPrivateKeyFromPrimes(bytesToBigint(keys.secretKey.subarray(0, half)), bytesToBigint(keys.secretKey.subarray(half)));
      assert.ok(parts !== undefined);
      const jwk = (x: bigint, len: number): string => b64url(bigintToBytes(x, len));
      const privateKey = createPrivateKey({
        key: { kty: 'RSA', n: jwk(parts.n, 256), e: 'AQAB', d: jwk(parts.d, 256), p: jwk(parts.p, 128), q: jwk(parts.q, 128), dp: jwk(parts.dp, 128), dq: jwk(parts.dq, 128), qi: jwk(parts.qi, 128) },
        format: 'jwk',
      });
      const plain = nodeSign('sha384', message, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 });
      assert.equal(scheme.verify(keys.publicKey, message, plain), true);
    });

    it('the bank sees neither the message, its hash nor its PSS encoding', () => {
      const { state, sig } = run('what the bank sees');
      const blinded = bytesToHex(state.blindedMessage);
      for (const visible of [message, state.preparedMessage, sha384(message), sha384(state.preparedMessage), sig]) {
        assert.equal(blinded.includes(bytesToHex(visible)), false);
      }
      // The same message blinded twice looks unrelated: the bank cannot link two withdrawals of one key.
      const other = scheme.blind(keys.publicKey, message, seededRandom('another withdrawal'));
      assert.notEqual(bytesToHex(other.blindedMessage), blinded);
    });

    it('reproduces: the same random stream gives the same blinded message and signature', () => {
      const a = run('reproducible');
      const b = run('reproducible');
      assert.deepEqual(a.state, b.state);
      assert.deepEqual(a.sig, b.sig);
    });

    it('a flipped bit in key, message or signature fails verification', () => {
      const { state, sig } = run('bit flips');
      for (const bit of [0, 1, 1000, 2047]) {
        assert.equal(scheme.verify(flipBit(keys.publicKey, bit), state.preparedMessage, sig), false, `key bit ${bit}`);
        assert.equal(scheme.verify(keys.publicKey, state.preparedMessage, flipBit(sig, bit)), false, `sig bit ${bit}`);
      }
      for (const bit of [0, 7, state.preparedMessage.length * 8 - 1]) {
        assert.equal(scheme.verify(keys.publicKey, flipBit(state.preparedMessage, bit), sig), false, `message bit ${bit}`);
      }
    });

    it('wrong lengths and malformed inputs make verify return false, not throw', () => {
      const { state, sig } = run('lengths');
      const m = state.preparedMessage;
      assert.equal(scheme.verify(keys.publicKey, m, sig.subarray(1)), false);
      assert.equal(scheme.verify(keys.publicKey, m, new Uint8Array(257)), false);
      assert.equal(scheme.verify(keys.publicKey, m, new Uint8Array(0)), false);
      assert.equal(scheme.verify(keys.publicKey.subarray(1), m, sig), false);
      assert.equal(scheme.verify(new Uint8Array(256), m, sig), false);
      assert.equal(scheme.verify(new Uint8Array(256).fill(0xff), m, sig), false); // even: not a modulus
      assert.equal(scheme.verify(keys.publicKey, m, new Uint8Array(256).fill(0xff)), false); // >= n
      assert.equal(scheme.verify(keys.publicKey, m, new Uint8Array(256)), false);
      assert.equal(scheme.verify(keys.publicKey, new Uint8Array(0), sig), false);
    });

    it('finalize throws a typed error when the blind signature is tampered with', () => {
      const { state, blindSig } = run('tamper');
      for (const bit of [0, 100, 2047]) {
        assert.throws(
          () => scheme.finalize(keys.publicKey, state, flipBit(blindSig, bit)),
          isBlindError('invalid-signature', 'blindSignature'),
        );
      }
      assert.throws(() => scheme.finalize(keys.publicKey, state, blindSig.subarray(1)), isBlindError('wrong-length', 'blindSignature'));
      // A signature from another key (a bank answering under the wrong denomination) is refused too.
      const otherKeys = scheme === rsaBlindRandomized ? rsaBlindDeterministic.keygen(new Uint8Array(32).fill(0x02)) : rsaBlindRandomized.keygen(new Uint8Array(32).fill(0x01));
      const n = bytesToBigint(otherKeys.publicKey);
      if (bytesToBigint(state.blindedMessage) < n) {
        assert.throws(() => scheme.finalize(keys.publicKey, state, scheme.blindSign(otherKeys.secretKey, state.blindedMessage)), isBlindError('invalid-signature'));
      }
    });

    it('blindSign rejects m >= n, wrong lengths and bad keys with typed errors', () => {
      assert.throws(() => scheme.blindSign(keys.secretKey, keys.publicKey), isBlindError('out-of-range', 'blindedMessage'));
      assert.throws(() => scheme.blindSign(keys.secretKey, new Uint8Array(256).fill(0xff)), isBlindError('out-of-range', 'blindedMessage'));
      assert.throws(() => scheme.blindSign(keys.secretKey, new Uint8Array(255)), isBlindError('wrong-length', 'blindedMessage'));
      assert.throws(() => scheme.blindSign(keys.secretKey.subarray(1), new Uint8Array(256)), isBlindError('wrong-length', 'secretKey'));
      assert.throws(() => scheme.blindSign(new Uint8Array(256), new Uint8Array(256)), isBlindError('invalid-key', 'secretKey'));
    });

    it('blindSign checks its own result (RFC 9474 §4.3): a key with a wrong prime is caught', () => {
      const half = keys.secretKey.length / 2;
      const p = bytesToBigint(keys.secretKey.subarray(0, half));
      let q = bytesToBigint(keys.secretKey.subarray(half));
      // q + 2k is (almost surely) composite, so the CRT result is wrong: the self-check must notice.
      do q += 2n;
      while (rsaPrivateKeyFromPrimes(p, q) === undefined || checkPrimeSync(q));
      const broken = new Uint8Array(256);
      broken.set(bigintToBytes(p, half), 0);
      broken.set(bigintToBytes(q, half), half);
      const m = bigintToBytes(modPow(12345n, 65537n, p * q), 256);
      assert.throws(() => scheme.blindSign(broken, m), isBlindError('signing-failed', 'secretKey'));
    });

    it('blind refuses bad keys and a RandomBytes that returns the wrong length', () => {
      assert.throws(() => scheme.blind(keys.publicKey.subarray(2), message, seededRandom('x')), isBlindError('wrong-length', 'publicKey'));
      assert.throws(() => scheme.blind(new Uint8Array(256), message, seededRandom('x')), isBlindError('invalid-key', 'publicKey'));
      assert.throws(() => scheme.blind(keys.publicKey, message, () => new Uint8Array(3)), isBlindError('bad-random', 'random'));
      // A stream of zeros never yields a usable r: stop instead of looping for ever.
      assert.throws(() => scheme.blind(keys.publicKey, message, (len) => new Uint8Array(len)), isBlindError('blinding-failed', 'random'));
    });
  });
}

/**
 * RFC 9474 §4.2 Blind written out with the plain helpers (extended Euclid, square-and-multiply), for the draws
 * blind would make: blind computes r^-1 through (m r)^-1 and r^e natively, and must give the same bytes.
 */
function referenceBlind(n: bigint, preparedMessage: Uint8Array, salt: Uint8Array, r: bigint): { blindedMessage: string; inverse: string } {
  const m = bytesToBigint(emsaPssEncodeSha384(preparedMessage, 2047, salt));
  const inverse = modInvEuclid(r, n);
  assert.ok(inverse !== undefined);
  return { blindedMessage: bytesToHex(bigintToBytes((m * modPow(r, 65537n, n)) % n, 256)), inverse: bytesToHex(bigintToBytes(inverse, 256)) };
}

describe('blind against the RFC 9474 formulas', () => {
  const keys = rsaBlindRandomized.keygen(new Uint8Array(32).fill(0x01));
  const n = bytesToBigint(keys.publicKey);

  it('the same draws give the same blinded message and inverse, also after rejected draws', () => {
    const draws = fc.record({
      prefix: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      salt: fc.uint8Array({ minLength: 48, maxLength: 48 }),
      message: fc.uint8Array({ maxLength: 100 }),
      rejected: fc.array(fc.oneof(fc.constant(0n), fc.bigInt({ min: n, max: (1n << 2048n) - 1n })), { maxLength: 2 }),
      r: fc.oneof(fc.bigInt({ min: 1n, max: n - 1n }), fc.constantFrom(1n, 2n, n - 1n)),
    });
    fc.assert(
      fc.property(draws, ({ prefix, salt, message, rejected, r }) => {
        const candidates = [...rejected, r].map((x) => bigintToBytes(x, 256));
        for (const scheme of [rsaBlindRandomized, rsaBlindDeterministic]) {
          const randomized = scheme === rsaBlindRandomized;
          const prepared = randomized ? Uint8Array.from([...prefix, ...message]) : message;
          const state = scheme.blind(keys.publicKey, message, replayRandom([...(randomized ? [prefix] : []), salt, ...candidates]));
          assert.deepEqual(state.preparedMessage, prepared);
          assert.deepEqual({ blindedMessage: bytesToHex(state.blindedMessage), inverse: bytesToHex(state.inverse) }, referenceBlind(n, prepared, salt, r));
        }
      }),
      { numRuns: 40 },
    );
  });

  // A public key that is an odd 2048-bit number with the factor 3: blind cannot tell it from a modulus, and it
  // makes the two RFC failures reachable, a message not coprime to n and a blinding factor with no inverse.
  const x = (1n << 2047n) / 3n + 1001n;
  const fakeN = 3n * (x % 2n === 0n ? x + 1n : x);
  const fakeKey = bigintToBytes(fakeN, 256);
  const scheme = rsaBlindDeterministic;
  const saltWhere = (wanted: (m: bigint) => boolean): Uint8Array => {
    for (let i = 0; ; i++) {
      const salt = new Uint8Array(48).fill(i);
      if (wanted(bytesToBigint(emsaPssEncodeSha384(message, 2047, salt)))) return salt;
    }
  };
  const notCoprime = saltWhere((m) => m % 3n === 0n);
  const coprime = saltWhere((m) => gcd(m, fakeN) === 1n);
  const goodR = 0x1234567n; // not a multiple of 3, and coprime to the other factor too (checked)
  assert.equal(gcd(goodR, fakeN), 1n);
  const zeros = (salt: Uint8Array) => (length: number) => (length === 48 ? salt.slice() : new Uint8Array(length));

  it('refuses a message not coprime to n as invalid-input, whatever the blinding draws are', () => {
    assert.throws(() => scheme.blind(fakeKey, message, replayRandom([notCoprime, bigintToBytes(goodR, 256)])), isBlindError('invalid-input', 'message'));
    assert.throws(() => scheme.blind(fakeKey, message, replayRandom([notCoprime, bigintToBytes(3n * goodR, 256)])), isBlindError('invalid-input', 'message'));
    // Every draw rejected (r = 0): the message is still the input at fault, as when it was checked first.
    assert.throws(() => scheme.blind(fakeKey, message, zeros(notCoprime)), isBlindError('invalid-input', 'message'));
  });

  it('blindPreparedAll gives each message the state blindPrepared gives it from the same stream', () => {
    for (const s of [rsaBlindRandomized, rsaBlindDeterministic]) {
      const items = [1, 2, 3].map((i) => ({ preparedMessage: s.prepare(utf8ToBytes(`key ${i}`), seededRandom(`prefix ${i}`)), label: `blind ${i}` }));
      const together = s.blindPreparedAll(keys.publicKey, items.map((i) => ({ preparedMessage: i.preparedMessage, random: seededRandom(i.label) })));
      assert.deepEqual(together, items.map((i) => s.blindPrepared(keys.publicKey, i.preparedMessage, seededRandom(i.label))));
    }
  });

  it('blindPreparedAll takes the one-by-one path, draws replayed, when a blinding factor has no inverse', () => {
    const noInverseFirst = () => replayRandom([coprime, bigintToBytes(3n * goodR, 256), bigintToBytes(goodR, 256)]);
    const fine = () => replayRandom([coprime, bigintToBytes(goodR + 1n, 256)]);
    assert.equal(gcd(goodR + 1n, fakeN), 1n);
    const together = scheme.blindPreparedAll(fakeKey, [
      { preparedMessage: message, random: fine() },
      { preparedMessage: message, random: noInverseFirst() },
    ]);
    assert.deepEqual(together, [scheme.blindPrepared(fakeKey, message, fine()), scheme.blindPrepared(fakeKey, message, noInverseFirst())]);
    assert.deepEqual(bytesToHex(together[1]!.inverse), referenceBlind(fakeN, message, coprime, goodR).inverse);
    assert.throws(() => scheme.blindPreparedAll(fakeKey, [{ preparedMessage: message, random: fine() }, { preparedMessage: message, random: replayRandom([notCoprime, bigintToBytes(goodR, 256)]) }]), isBlindError('invalid-input', 'message'));
  });

  it('retries a blinding factor with no inverse, and gives up after 64 of them', () => {
    const state = scheme.blind(fakeKey, message, replayRandom([coprime, bigintToBytes(3n * goodR, 256), bigintToBytes(6n, 256), bigintToBytes(goodR, 256)]));
    assert.deepEqual({ blindedMessage: bytesToHex(state.blindedMessage), inverse: bytesToHex(state.inverse) }, referenceBlind(fakeN, message, coprime, goodR));
    const multiplesOf3 = (length: number) => (length === 48 ? coprime.slice() : bigintToBytes(3n * goodR, length));
    assert.throws(() => scheme.blind(fakeKey, message, multiplesOf3), isBlindError('blinding-failed', 'random'));
    assert.throws(() => scheme.blind(fakeKey, message, zeros(coprime)), isBlindError('blinding-failed', 'random'));
  });
});
