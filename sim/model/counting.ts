// Signature operations counted per role, so a run reports signatures signed and verified per second, and
// the benchmark can compare them with the schemes' raw rates. Wraps the suite; the protocol never knows.
import type { BlindSignatureScheme, SignatureScheme } from '../../protocol/crypto/scheme.ts';
import type { KeySuite } from '../../protocol/suite.ts';

export interface SignatureCounts {
  signed: number;
  verified: number;
  blindSigned: number;
}

function counted(s: SignatureScheme, c: SignatureCounts): SignatureScheme {
  return {
    ...s,
    sign: (sk, m) => {
      c.signed++;
      return s.sign(sk, m);
    },
    verify: (pk, m, sig) => {
      c.verified++;
      return s.verify(pk, m, sig);
    },
    keygen: (seed) => s.keygen(seed),
  };
}

function countedBlind(s: BlindSignatureScheme, c: SignatureCounts): BlindSignatureScheme {
  return {
    ...s,
    keygen: (seed) => s.keygen(seed),
    blind: (pk, m, r) => s.blind(pk, m, r),
    blindSign: (sk, m) => {
      c.blindSigned++;
      return s.blindSign(sk, m);
    },
    finalize: (pk, st, sig) => {
      c.verified++;
      return s.finalize(pk, st, sig);
    },
    verify: (pk, m, sig) => {
      c.verified++;
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
