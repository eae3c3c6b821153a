// The blind signature schemes a bank can withdraw with, by the names scenario files use. `rsa-blind` alone means
// the randomized RFC 9474 variant (the RFC's recommendation); the deterministic one must be asked for by name.
// Full names (`id:variant@backend`) are accepted too, so a name printed in a results table reads back.

import type { BlindSignatureScheme } from '../scheme.ts';
import { blsBlind } from './bls-blind.ts';
import { rsaBlindDeterministic, rsaBlindRandomized } from './rsa-blind.ts';

export { BlindSignatureError } from './errors.ts';
export type { BlindFailure, BlindStep } from './errors.ts';
export { blsBlind } from './bls-blind.ts';
export type { BlsBlindScheme } from './bls-blind.ts';
export { createRsaBlindScheme, rsaBlindDeterministic, rsaBlindRandomized } from './rsa-blind.ts';
export type { RsaBlindScheme, RsaBlindVariant } from './rsa-blind.ts';

/** Every blind scheme, the default (`rsa-blind`, randomized) first. */
export const blindSchemes: readonly BlindSignatureScheme[] = Object.freeze([rsaBlindRandomized, rsaBlindDeterministic, blsBlind]);

const aliases: ReadonlyMap<string, BlindSignatureScheme> = new Map<string, BlindSignatureScheme>([
  ['rsa-blind', rsaBlindRandomized],
  ['rsa-blind:RSABSSA-SHA384-PSS-Randomized', rsaBlindRandomized],
  ['rsa-blind:RSABSSA-SHA384-PSS-Deterministic', rsaBlindDeterministic],
  ['bls-blind', blsBlind],
  ...blindSchemes.map((s) => [s.name, s] as const),
]);

/** The scheme for a short id, an `id:variant`, or a full name; throws naming the known names otherwise. */
export function getBlindScheme(name: string): BlindSignatureScheme {
  const scheme = aliases.get(name);
  if (scheme === undefined) {
    throw new Error(`unknown blind signature scheme '${name}' (known: ${[...aliases.keys()].join(', ')})`);
  }
  return scheme;
}
