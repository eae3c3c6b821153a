// `signatures: fixed-cost`: for studies where only the database's shape matters (90 days of a population),
// every scheme is replaced by a keyed hash of the same sizes, so keys, coins, steps and records are exactly as
// large as with real signatures but cost microseconds. NOT secure: the "secret" key equals the public key, so
// anyone can forge; the run's results say `signatures: fixed-cost` and only honest-path figures (database
// size, counts) carry over to real signatures. Tampering is still caught: the hash covers the message.
import { hash } from 'node:crypto';
import { equalBytes } from '../../protocol/hash.ts';
import type { BlindSignatureScheme, KeyPair, SignatureScheme } from '../../protocol/crypto/scheme.ts';
import type { KeySuite } from '../../protocol/suite.ts';

/**
 * `size` bytes bound to every part: d = SHA-256(parts), then SHA-256(block || d) per 32 bytes. One-shot hashes
 * over a concatenation: a Hash object per block made these stand-ins cost a fifth of a fixed-cost run.
 */
function tag(size: number, ...parts: Uint8Array[]): Uint8Array {
  const d = hash('sha256', Buffer.concat(parts), 'buffer');
  const out = new Uint8Array(size);
  const input = Buffer.alloc(1 + d.length);
  d.copy(input, 1);
  for (let i = 0, block = 0; i < size; block++, i += 32) {
    input[0] = block;
    const b = hash('sha256', input, 'buffer');
    out.set(b.subarray(0, Math.min(b.length, size - i)), i);
  }
  return out;
}

function keys(size: number, seed: Uint8Array): KeyPair {
  const key = tag(size, new TextEncoder().encode('fixed-cost key'), seed);
  return { publicKey: key, secretKey: key };
}

/** A scheme's stand-in: `<name>+fixed-cost`, with its sizes. */
export function fixedSignature(s: SignatureScheme): SignatureScheme {
  return {
    ...s,
    name: `${s.name}${FIXED_COST_SUFFIX}`,
    keygen: (seed) => keys(s.publicKeySize, seed),
    sign: (sk, m) => tag(s.signatureSize, sk, m),
    verify: (pk, m, sig) => equalBytes(tag(s.signatureSize, pk, m), sig),
    verifyBatch: (items) => items.every((i) => equalBytes(tag(s.signatureSize, i.publicKey, i.message), i.signature)),
  };
}

/** A blind scheme's stand-in: `<name>+fixed-cost`, with its sizes. */
export function fixedBlind(s: BlindSignatureScheme): BlindSignatureScheme {
  return {
    ...s,
    name: `${s.name}${FIXED_COST_SUFFIX}`,
    keygen: (seed) => keys(s.publicKeySize, seed),
    blind: (_pk, m) => ({ blindedMessage: m, inverse: new Uint8Array(0), preparedMessage: m }),
    prepare: (m) => m,
    blindPrepared: (_pk, m) => ({ blindedMessage: m, inverse: new Uint8Array(0), preparedMessage: m }),
    blindSign: (sk, m) => tag(s.signatureSize, sk, m),
    finalize: (pk, st, sig) => {
      if (!equalBytes(tag(s.signatureSize, pk, st.preparedMessage), sig)) throw new Error(`${s.name}+fixed-cost: bad blind signature`);
      return sig;
    },
    verify: (pk, m, sig) => equalBytes(tag(s.signatureSize, pk, m), sig),
  };
}

/** What a stand-in scheme's name ends with. */
export const FIXED_COST_SUFFIX = '+fixed-cost';

export function fixedCostSuite(suite: KeySuite): KeySuite {
  return { ra: fixedSignature(suite.ra), issuer: fixedSignature(suite.issuer), card: fixedSignature(suite.card), bank: fixedBlind(suite.bank) };
}
