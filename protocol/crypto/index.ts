// The ordinary signature schemes, by the names scenario files and result tables use: `id@backend`, or the bare
// `id` for the default backend (the fastest native library that has the scheme, since that is what a deployment
// would run: libsodium for Ed25519, node:crypto for P-256; noble otherwise). A name printed in a results table
// therefore always reads back to the same scheme.

import type { SignatureScheme } from './scheme.ts';
import { blsNoble } from './bls.ts';
import { ed25519Native, ed25519Noble, ed25519Sodium } from './ed25519.ts';
import { p256Native, p256Noble } from './p256.ts';
import { schnorrNoble } from './schnorr.ts';
import { secp256k1Noble } from './secp256k1.ts';

export { blsNoble } from './bls.ts';
export type { BlsScheme } from './bls.ts';
export { ed25519Native, ed25519Noble, ed25519Sodium } from './ed25519.ts';
export type { Ed25519Scheme } from './ed25519.ts';
export { SignatureSchemeError } from './errors.ts';
export type { SignatureFailure, SignatureStep } from './errors.ts';
export { KeyCache } from './key-cache.ts';
export { p256Native, p256Noble } from './p256.ts';
export type { P256Scheme } from './p256.ts';
export { schnorrNoble } from './schnorr.ts';
export type { SchnorrScheme } from './schnorr.ts';
export { secp256k1Noble } from './secp256k1.ts';
export type { Secp256k1Scheme } from './secp256k1.ts';
export { MIN_SEED_LENGTH } from './seed.ts';

/** Every scheme and backend; for each id the default backend comes first. */
export const signatureSchemes: readonly SignatureScheme[] = Object.freeze([
  ed25519Sodium,
  ed25519Native,
  ed25519Noble,
  p256Native,
  p256Noble,
  secp256k1Noble,
  schnorrNoble,
  blsNoble,
]);

const byName = new Map<string, SignatureScheme>();
for (const scheme of signatureSchemes) {
  byName.set(scheme.name, scheme);
  // The first backend listed for an id is its default.
  if (!byName.has(scheme.id)) byName.set(scheme.id, scheme);
}

/** The scheme for `id` (default backend) or `id@backend`; throws naming the known names otherwise. */
export function getSignatureScheme(name: string): SignatureScheme {
  const scheme = byName.get(name);
  if (scheme === undefined) {
    throw new Error(`unknown signature scheme '${name}' (known: ${[...byName.keys()].sort().join(', ')})`);
  }
  return scheme;
}
