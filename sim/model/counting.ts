// Signature operations counted per role and per scheme operation, so a run reports signatures signed and
// verified per second, and the benchmark can weigh each kind of operation by its scheme's raw rate. Wraps the
// suite; the protocol never knows.
import type { BlindSignatureScheme, SignatureScheme } from '../../protocol/crypto/scheme.ts';
import type { KeySuite } from '../../protocol/suite.ts';

export interface SignatureCounts {
  signed: number;
  verified: number;
  blindSigned: number;
  /** Calls by `<scheme name> <operation>`, e.g. `ed25519@native verify`, `rsa-blind blind`. */
  byOperation: Record<string, number>;
}

export function zeroSignatureCounts(): SignatureCounts {
  return { signed: 0, verified: 0, blindSigned: 0, byOperation: {} };
}

function tally(c: SignatureCounts, key: string): void {
  c.byOperation[key] = (c.byOperation[key] ?? 0) + 1;
}

function counted(s: SignatureScheme, c: SignatureCounts): SignatureScheme {
  const k = { keygen: `${s.name} keygen`, sign: `${s.name} sign`, verify: `${s.name} verify` };
  return {
    ...s,
    sign: (sk, m) => {
      c.signed++;
      tally(c, k.sign);
      return s.sign(sk, m);
    },
    verify: (pk, m, sig) => {
      c.verified++;
      tally(c, k.verify);
      return s.verify(pk, m, sig);
    },
    keygen: (seed) => {
      tally(c, k.keygen);
      return s.keygen(seed);
    },
  };
}

function countedBlind(s: BlindSignatureScheme, c: SignatureCounts): BlindSignatureScheme {
  const k = { keygen: `${s.name} keygen`, blind: `${s.name} blind`, blindSign: `${s.name} blindSign`, finalize: `${s.name} finalize`, verify: `${s.name} verify` };
  return {
    ...s,
    keygen: (seed) => {
      tally(c, k.keygen);
      return s.keygen(seed);
    },
    blind: (pk, m, r) => {
      tally(c, k.blind);
      return s.blind(pk, m, r);
    },
    blindSign: (sk, m) => {
      c.blindSigned++;
      tally(c, k.blindSign);
      return s.blindSign(sk, m);
    },
    finalize: (pk, st, sig) => {
      c.verified++;
      tally(c, k.finalize);
      return s.finalize(pk, st, sig);
    },
    verify: (pk, m, sig) => {
      c.verified++;
      tally(c, k.verify);
      return s.verify(pk, m, sig);
    },
  };
}

export function countingSuite(suite: KeySuite, counts: SignatureCounts): KeySuite {
  return {
    ra: counted(suite.ra, counts),
    issuer: counted(suite.issuer, counts),
    card: counted(suite.card, counts),
    bank: countedBlind(suite.bank, counts),
  };
}
