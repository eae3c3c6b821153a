// The key schemes a deployment uses, one per role: a scenario file names them and the protocol never
// hard-codes one, so the same workload can be run on each scheme and compared.
import { getBlindScheme } from './crypto/blind/index.ts';
import { getSignatureScheme } from './crypto/index.ts';
import type { BlindSignatureScheme, SignatureScheme } from './crypto/scheme.ts';

export interface KeySuite {
  /** Registration authority: signs certificates. */
  readonly ra: SignatureScheme;
  /** Issuer: signs coins. */
  readonly issuer: SignatureScheme;
  /** Banks: blind-sign issuance requests, one key per (denomination, epoch). */
  readonly bank: BlindSignatureScheme;
  /** IC cards and bank deposit keys: sign transfer steps. */
  readonly card: SignatureScheme;
}

export interface KeySuiteNames {
  readonly ra: string;
  readonly issuer: string;
  readonly bank: string;
  readonly card: string;
}

export function keySuite(names: KeySuiteNames): KeySuite {
  return {
    ra: getSignatureScheme(names.ra),
    issuer: getSignatureScheme(names.issuer),
    bank: getBlindScheme(names.bank),
    card: getSignatureScheme(names.card),
  };
}

export const defaultSuiteNames: KeySuiteNames = { ra: 'ed25519', issuer: 'ed25519', bank: 'rsa-blind', card: 'ed25519' };
