// Key suites for the protocol benchmark that wrap a real one. A *counting* suite tallies every signature
// operation by the role whose key it uses and whether that key is fresh (first use in this process: a parse and,
// for BLS, the Miller-loop lines are paid) or hot (cached by the scheme), so a flow's signature-only cost is summed
// from what the protocol really calls, not from a reading of its code. A *stub* suite does no cryptography at all
// (every signature verifies), so timing a flow on it measures the protocol's own work: encoding, hashing, SQLite.

import { createHash } from 'node:crypto';
import type { BlindSignatureScheme, KeyPair, SignatureScheme } from '../../protocol/crypto/scheme.ts';
import { keyOf } from '../../protocol/hash.ts';
import type { KeySuite } from '../../protocol/suite.ts';

export type Role = keyof KeySuite;
export type SignatureOp = 'keygen' | 'sign' | 'verify' | 'blind' | 'blindSign' | 'finalize';
/** keygen has no key to be fresh or hot: it is listed as `new`. */
export type KeyState = 'new' | 'fresh' | 'hot';

/** `role op state`, e.g. `card verify fresh`: one kind of signature operation, timed on its own for the bound. */
export type OpClass = `${Role} ${SignatureOp} ${KeyState}`;

export function opClass(role: Role, op: SignatureOp, state: KeyState): OpClass {
  return `${role} ${op} ${state}`;
}

export function parseOpClass(c: OpClass): { role: Role; op: SignatureOp; state: KeyState } {
  const [role, op, state] = c.split(' ') as [Role, SignatureOp, KeyState];
  return { role, op, state };
}

/**
 * Counts operations by class. Freshness is per scheme and per half of the key pair, as the schemes' key caches
 * are: RA, issuer and cards on one scheme share its cache, so the RA key seen once is hot for every later check.
 */
export class OpTally {
  private readonly seen = new Set<string>();
  private counts = new Map<OpClass, number>();

  note(role: Role, op: SignatureOp, scheme: string, half: 'public' | 'secret' | null, key?: Uint8Array): void {
    let state: KeyState = 'new';
    if (half !== null && key !== undefined) {
      const k = `${scheme}/${half}/${keyOf(key)}`;
      state = this.seen.has(k) ? 'hot' : 'fresh';
      this.seen.add(k);
    }
    const c = opClass(role, op, state);
    this.counts.set(c, (this.counts.get(c) ?? 0) + 1);
  }

  /** The counts since the last take, and a fresh start (keys seen stay seen). */
  take(): Map<OpClass, number> {
    const out = this.counts;
    this.counts = new Map();
    return out;
  }
}

function countingSignature(role: Role, s: SignatureScheme, tally: OpTally): SignatureScheme {
  return {
    id: s.id,
    backend: s.backend,
    name: s.name,
    publicKeySize: s.publicKeySize,
    secretKeySize: s.secretKeySize,
    signatureSize: s.signatureSize,
    keygen(seed) {
      tally.note(role, 'keygen', s.name, null);
      return s.keygen(seed);
    },
    sign(secretKey, message) {
      tally.note(role, 'sign', s.name, 'secret', secretKey);
      return s.sign(secretKey, message);
    },
    verify(publicKey, message, signature) {
      tally.note(role, 'verify', s.name, 'public', publicKey);
      return s.verify(publicKey, message, signature);
    },
  };
}

function countingBlind(s: BlindSignatureScheme, tally: OpTally): BlindSignatureScheme {
  return {
    id: s.id,
    backend: s.backend,
    name: s.name,
    publicKeySize: s.publicKeySize,
    signatureSize: s.signatureSize,
    blindedMessageSize: s.blindedMessageSize,
    inverseSize: s.inverseSize,
    keygen(seed) {
      tally.note('bank', 'keygen', s.name, null);
      return s.keygen(seed);
    },
    blind(publicKey, message, random) {
      tally.note('bank', 'blind', s.name, 'public', publicKey);
      return s.blind(publicKey, message, random);
    },
    prepare: (message, random) => s.prepare(message, random),
    blindPrepared(publicKey, preparedMessage, random) {
      tally.note('bank', 'blind', s.name, 'public', publicKey);
      return s.blindPrepared(publicKey, preparedMessage, random);
    },
    blindSign(secretKey, blindedMessage) {
      tally.note('bank', 'blindSign', s.name, 'secret', secretKey);
      return s.blindSign(secretKey, blindedMessage);
    },
    finalize(publicKey, state, blindSignature) {
      tally.note('bank', 'finalize', s.name, 'public', publicKey);
      return s.finalize(publicKey, state, blindSignature);
    },
    verify(publicKey, preparedMessage, signature) {
      tally.note('bank', 'verify', s.name, 'public', publicKey);
      return s.verify(publicKey, preparedMessage, signature);
    },
  };
}

/** The same schemes, each call tallied in `tally`. */
export function countingSuite(suite: KeySuite, tally: OpTally): KeySuite {
  return {
    ra: countingSignature('ra', suite.ra, tally),
    issuer: countingSignature('issuer', suite.issuer, tally),
    bank: countingBlind(suite.bank, tally),
    card: countingSignature('card', suite.card, tally),
  };
}

/** `length` bytes of SHA-256 counter stream over the seed: distinct seeds, distinct stub keys. */
function expand(seed: Uint8Array, label: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let offset = 0, i = 0; offset < length; offset += 32, i++) {
    const block = createHash('sha256').update(label).update(seed).update(String(i)).digest();
    out.set(block.subarray(0, Math.min(32, length - offset)), offset);
  }
  return out;
}

function stubKeys(seed: Uint8Array, publicKeySize: number, secretKeySize: number): KeyPair {
  return { publicKey: expand(seed, 'public', publicKeySize), secretKey: expand(seed, 'secret', secretKeySize) };
}

function stubSignature(s: SignatureScheme): SignatureScheme {
  const signature = new Uint8Array(s.signatureSize);
  return {
    id: s.id,
    backend: s.backend,
    name: `${s.name} (stub)`,
    publicKeySize: s.publicKeySize,
    secretKeySize: s.secretKeySize,
    signatureSize: s.signatureSize,
    keygen: (seed) => stubKeys(seed, s.publicKeySize, s.secretKeySize),
    sign: () => signature.slice(),
    verify: () => true,
  };
}

function stubBlind(s: BlindSignatureScheme): BlindSignatureScheme {
  const signature = new Uint8Array(s.signatureSize);
  return {
    id: s.id,
    backend: s.backend,
    name: `${s.name} (stub)`,
    publicKeySize: s.publicKeySize,
    signatureSize: s.signatureSize,
    keygen: (seed) => stubKeys(seed, s.publicKeySize, 32),
    // No prefix: the prepared message is the message, so the issuance request carries an empty prefix.
    blindedMessageSize: s.blindedMessageSize,
    inverseSize: s.inverseSize,
    blind: (_publicKey, message) => ({ blindedMessage: message, inverse: new Uint8Array(0), preparedMessage: message }),
    prepare: (message) => message,
    blindPrepared: (_publicKey, message) => ({ blindedMessage: message, inverse: new Uint8Array(0), preparedMessage: message }),
    blindSign: () => signature.slice(),
    finalize: () => signature.slice(),
    verify: () => true,
  };
}

/** Same key and signature sizes, no cryptography: every signature is zeros and verifies. */
export function stubSuite(suite: KeySuite): KeySuite {
  return { ra: stubSignature(suite.ra), issuer: stubSignature(suite.issuer), bank: stubBlind(suite.bank), card: stubSignature(suite.card) };
}
