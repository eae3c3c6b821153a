// The one error the protocol's steps throw on bad input: a typed `code` a caller (payee, bank, issuer, the
// fuzz harness) can count, and the `field` of the message that was wrong. Decoding errors from the encoding
// are a separate type (DecodeError) and are never converted: they already name the field.

export type RejectCode =
  | 'bad-certificate' // RA signature over the payer's key does not verify
  | 'bad-coin' // issuer signature over the coin does not verify (forged or tampered coin)
  | 'bad-step' // a transfer step's signature, link or amount is wrong (tampered chain or balance)
  | 'wrong-payee' // the last step does not name who is presenting or depositing it
  | 'chain-too-long' // over the policy's maximum chain length
  | 'expired' // the coin expired
  | 'insufficient-value' // the card does not hold that much of that coin (before-the-fact defence)
  | 'offline-limit' // the card's offline limit would be exceeded
  | 'bad-request' // an issuance request's bank signature does not verify
  | 'unknown-key' // a bank or epoch key the receiver does not have (e.g. an expired epoch)
  | 'replayed-request' // an issuance request already redeemed
  | 'insufficient-funds' // a bank account cannot cover a withdrawal
  | 'unknown-account'
  | 'duplicate-deposit' // a record this bank already credited
  | 'blocklisted' // a payer key on the payee's blocklist
  | 'bad-proof'; // an overspending proof the RA refuses

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    readonly code: RejectCode,
    /** Dotted path of the offending field, e.g. `chain[2].sig`, or '' for the message as a whole. */
    readonly field: string,
    detail = '',
  ) {
    super(`${code}${field === '' ? '' : ` at ${field}`}${detail === '' ? '' : `: ${detail}`}`);
  }
}

export function reject(code: RejectCode, field = '', detail = ''): never {
  throw new ProtocolError(code, field, detail);
}
