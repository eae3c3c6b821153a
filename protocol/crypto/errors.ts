// The one error the ordinary signature schemes throw. Only keygen and sign throw (a bad seed or secret key is the
// caller's bug, and signing with it must stop the run loudly); `verify` never throws, since everything it reads
// may come from an attacker (see SignatureScheme), so there every one of these causes is just `false`.

export type SignatureStep = 'keygen' | 'sign';

export type SignatureFailure =
  /** A byte string has the wrong length, or is not a Uint8Array at all. */
  | 'wrong-length'
  /** A secret key decodes, but not to a usable key (a scalar of 0 or not below the group order). */
  | 'invalid-key';

export class SignatureSchemeError extends Error {
  override readonly name = 'SignatureSchemeError';
  constructor(
    /** The scheme's registry name, e.g. `p256@native`. */
    readonly scheme: string,
    readonly step: SignatureStep,
    /** The argument at fault: `seed`, `secretKey`, `message`. */
    readonly field: string,
    readonly reason: SignatureFailure,
    detail = '',
    options?: { cause?: unknown },
  ) {
    super(`${scheme} ${step}: ${field}: ${reason}${detail === '' ? '' : ` (${detail})`}`, options);
  }
}

/** Throws unless `value` is a Uint8Array (of exactly `size` bytes, when given). */
export function requireBytes(scheme: string, step: SignatureStep, field: string, value: unknown, size?: number): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new SignatureSchemeError(scheme, step, field, 'wrong-length', 'not a Uint8Array');
  if (size !== undefined && value.length !== size) {
    throw new SignatureSchemeError(scheme, step, field, 'wrong-length', `expected ${size} bytes, got ${value.length}`);
  }
}
