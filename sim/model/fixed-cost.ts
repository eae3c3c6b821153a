// `signatures: fixed-cost`: for studies where only the database's shape matters (90 days of a population),
// every scheme is replaced by a keyed hash of the same sizes, so keys, coins, steps and records are exactly as
// large as with real signatures but cost microseconds. NOT secure: the "secret" key equals the public key, so
// anyone can forge; the run's results say `signatures: fixed-cost` and only honest-path figures (database
// size, counts) carry over to real signatures. Tampering is still caught: the hash covers the message.
import { createHash } from 'node:crypto';
import type { BlindSignatureScheme, KeyPair, SignatureScheme } from '../../protocol/crypto/scheme.ts';
import type { KeySuite } from '../../protocol/suite.ts';

function tag(size: number, ...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0, block = 0; i < size; block++) {
    const h = createHash('sha256').update(new Uint8Array([block]));
    for (const p of parts) h.update(p);
    const d = h.digest();
    out.set(d.subarray(0, Math.min(d.length, size - i)), i);
    i += d.length;
  }
  return out;
}

function keys(size: number, seed: Uint8Array): KeyPair {
  const key = tag(size, new TextEncoder().encode('fixed-cost key'), seed);
  return { publicKey: key, secretKey: key };
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function fixedSignature(s: SignatureScheme): SignatureScheme {
  return {
    ...s,
    name: `${s.name}+fixed-cost`,
    keygen: (seed) => keys(s.publicKeySize, seed),
    sign: (sk, m) => tag(s.signatureSize, sk, m),
    verify: (pk, m, sig) => equal(tag(s.signatureSize, pk, m), sig),
    verifyBatch: (items) => items.every((i) => equal(tag(s.signatureSize, i.publicKey, i.message), i.signature)),
  };
}

function fixedBlind(s: BlindSignatureScheme): BlindSignatureScheme {
  return {
    ...s,
    name: `${s.name}+fixed-cost`,
    keygen: (seed) => keys(s.publicKeySize, seed),
    blind: (_pk, m) => ({ blindedMessage: m, inverse: new Uint8Array(0), preparedMessage: m }),
    prepare: (m) => m,
    blindPrepared: (_pk, m) => ({ blindedMessage: m, inverse: new Uint8Array(0), preparedMessage: m }),
    blindSign: (sk, m) => tag(s.signatureSize, sk, m),
    finalize: (pk, st, sig) => {
      if (!equal(tag(s.signatureSize, pk, st.preparedMessage), sig)) throw new Error(`${s.name}+fixed-cost: bad blind signature`);
      return sig;
    },
    verify: (pk, m, sig) => equal(tag(s.signatureSize, pk, m), sig),
  };
}

export function fixedCostSuite(suite: KeySuite): KeySuite {
  return { ra: fixedSignature(suite.ra), issuer: fixedSignature(suite.issuer), card: fixedSignature(suite.card), bank: fixedBlind(suite.bank) };
}
