// The one error the blind schemes throw. It names the scheme, the protocol step and the input that was wrong, so
// a withdrawal that fails can be reported by cause: a bank answer that does not verify (`invalid-signature`
// in finalize) is the bank's fault or an attack, while a bad key or length is a caller's bug.
// `verify` never throws (see BlindSignatureScheme): there, every one of these causes is just `false`.

export type BlindStep = 'keygen' | 'blind' | 'blindSign' | 'finalize';

export type BlindFailure =
  /** A byte string has the wrong length (RFC 9474 "unexpected input size"). */
  | 'wrong-length'
  /** A public or secret key does not decode to a usable key. */
  | 'invalid-key'
  /** An integer is not below the modulus / group order (RFC 9474 "message representative out of range"). */
  | 'out-of-range'
  /** The encoded message is unusable (RFC 9474 "invalid input": not coprime to n; BLS: not a valid G1 point). */
  | 'invalid-input'
  /** No usable blinding factor could be drawn (RFC 9474 "blinding error"). */
  | 'blinding-failed'
  /** The signer's own result failed its check (RFC 9474 "signing failure": a fault or a broken key). */
  | 'signing-failed'
  /** The unblinded signature does not verify (RFC 9474 "invalid signature"): the bank's answer is bad. */
  | 'invalid-signature'
  /** The RandomBytes source returned the wrong number of bytes. */
  | 'bad-random';

export class BlindSignatureError extends Error {
  override readonly name = 'BlindSignatureError';
  constructor(
    /** The scheme's registry name, e.g. `rsa-blind:RSABSSA-SHA384-PSS-Randomized@native`. */
    readonly scheme: string,
    readonly step: BlindStep,
    /** The argument at fault: `publicKey`, `secretKey`, `message`, `blindedMessage`, `blindSignature`, `state.inverse`, `random`. */
    readonly field: string,
    readonly reason: BlindFailure,
    detail = '',
    options?: { cause?: unknown },
  ) {
    super(`${scheme} ${step}: ${field}: ${reason}${detail === '' ? '' : ` (${detail})`}`, options);
  }
}
