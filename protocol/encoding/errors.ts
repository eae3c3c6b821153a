// The three errors of the encoding. Each names the message type and the dotted path of the field that was
// wrong, so a rejected certificate or transfer step can be reported (and counted) by cause, not by stack trace.
//
// `messageType` rather than the `message` the first sketch used: `Error.message` is the human-readable text
// every logger prints, and overwriting it with 'Coin' would hide the reason.

export type DecodeReason =
  /** The input ended inside a field (or a list's count needs more bytes than are left). */
  | 'truncated'
  /** Bytes left over after the top-level message: one encoding per value, nothing appended. */
  | 'trailing-bytes'
  /** A byte string's length prefix is over the field's maximum. */
  | 'too-long'
  /** A list's count is over the field's maximum. */
  | 'too-many'
  /** The tag byte is not the expected message type's (top level or nested). */
  | 'bad-tag'
  /** `decode` was given something other than a Uint8Array. */
  | 'not-bytes'
  /** A codec bug surfaced as an exception; kept as `cause`. Decoding promises to throw DecodeError only. */
  | 'internal';

export type EncodeReason =
  | 'missing'
  | 'wrong-type'
  | 'not-integer'
  | 'out-of-range'
  | 'wrong-length'
  | 'too-long'
  | 'too-many'
  /** `signedPart` was asked to omit a field the message does not have. */
  | 'unknown-field'
  /** `encodeInto`'s output cannot hold the message at that offset. */
  | 'no-room';

export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  constructor(
    /** The top-level message type being decoded. */
    readonly messageType: string,
    /** Dotted path from the top-level message, e.g. `chain[3].amount`; '' for the message itself. */
    readonly field: string,
    /** Byte offset in the input where the offending item starts. */
    readonly offset: number,
    readonly reason: DecodeReason,
    detail = '',
    options?: { cause?: unknown },
  ) {
    super(`${messageType}${field === '' ? '' : `.${field}`}: ${reason} at offset ${offset}${detail === '' ? '' : ` (${detail})`}`, options);
  }
}

export class EncodeError extends Error {
  override readonly name = 'EncodeError';
  constructor(
    readonly messageType: string,
    /** Dotted path from the top-level message; '' for the value itself. */
    readonly field: string,
    readonly reason: EncodeReason,
    detail = '',
  ) {
    super(`${messageType}${field === '' ? '' : `.${field}`}: ${reason}${detail === '' ? '' : ` (${detail})`}`);
  }
}

/** A schema that cannot be encoded one way only (or reuses a tag). Thrown at module load, never at run time. */
export class SchemaError extends Error {
  override readonly name = 'SchemaError';
  constructor(
    readonly messageType: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${messageType === '' ? 'schema' : messageType}${field === '' ? '' : `.${field}`}: ${detail}`);
  }
}

/**
 * Internal: thrown deep inside encode/decode and caught once per nesting level, which adds its path segment.
 * Building the path while unwinding costs nothing on the (overwhelmingly common) success path.
 */
export class Fail {
  /** Innermost segment first: `amount`, `[3]`, `chain`. */
  readonly path: string[] = [];
  constructor(
    readonly reason: DecodeReason | EncodeReason,
    readonly offset: number,
    readonly detail: string,
  ) {}
}

export function joinPath(innermostFirst: readonly string[]): string {
  let out = '';
  for (let i = innermostFirst.length - 1; i >= 0; i--) {
    const segment = innermostFirst[i]!;
    out += out === '' || segment.startsWith('[') ? segment : `.${segment}`;
  }
  return out;
}
