// The canonical encoding. Everything the protocol signs, sends or stores (certificates, coins, transfer steps,
// issuance requests, deposit records, return batches) is turned into bytes here, and in one way only: a
// signature is over bytes, so two encodings of one value would be two different things signed.
//
// FORMAT (this comment is the spec)
//   message      = tag field*            tag: 1 byte, then the fields in declaration order; no names, no padding
//   tag          0x01..0xff, one per message type, unique program-wide (the registry throws at module load on
//                a reuse). Checked on decode. A nested message carries its own tag, so a Step cannot be read
//                where a Coin is expected. 0x00 is reserved for signed parts; 0xf0..0xff are left to tests
//                by convention, so a test can load the protocol's messages next to its own.
//   u8 u16 u32   1/2/4 bytes big-endian; JS number, integer, 0..2^n-1 (-0 refused: it would decode as +0)
//   u64          8 bytes big-endian; JS bigint, 0n..2^64-1 (a number is refused, not converted)
//   bytes(max)   u16 length, then that many bytes; length <= max <= 65535, enforced on encode and decode.
//                u16 not u32: every byte string here is a key, a nonce or a name, all far under 64 KiB
//                (a 4096-bit RSA key is ~550 bytes), and stored records are what the database-size figures
//                count, so two bytes a field are worth saving. One width for every max means raising a max
//                never moves a byte of existing encodings.
//   fixed(n)     exactly n bytes, no prefix (fixed-size signatures, hashes); n >= 1
//   list(k, max) u32 count, then count elements of kind k (any kind, nested messages included); count <= max.
//                u32 because a bank's return batch is a scenario parameter that may pass 65 535 records.
//   no optional  There is no optional kind: a presence byte is one more way to write "nothing" (and a field
//                that is sometimes absent is usually a different message). Use list(k, 1) or bytes(max) of
//                length 0 where a value may be missing.
//   signed part  0x00 || tag || mask || the fields not left out, each as in `message`.
//                mask: ceil(fields/8) bytes, bit 7 of byte 0 = first field, set = field left out.
//                0x00 is never a tag, so signed bytes never parse as a message (and no message is bytes some
//                key signed); the tag separates message types; the mask makes each choice of omitted fields its
//                own domain, so a countersignature over "all but sig2" can never equal a signature over "all
//                but sig1 and sig2". Nested messages inside a signed part are encoded whole, signatures included.
//
// DECODING accepts exactly the bytes `encode` produces: decode(encode(x)) deep-equals x, and for every b that
// decodes, encode(decode(b)) equals b byte for byte. It refuses, always with DecodeError { messageType, field
// (dotted path, e.g. `chain[3].amount`), offset, reason }: truncation ('truncated'), bytes after the top-level
// message ('trailing-bytes'), a length over the max ('too-long'), a count over the max ('too-many'), a wrong
// tag at any depth ('bad-tag'), a non-Uint8Array input ('not-bytes'). It throws nothing else.
// Decoded byte fields are subarray views that ALIAS THE INPUT: copy them (`.slice()`) to keep them past a
// buffer you will reuse.
//
// ENCODING measures first (validating every value, EncodeError { messageType, field, reason } on the first
// bad one), then writes into one preallocated Uint8Array: a fresh one per message from `encode`, the caller's
// from `encodeInto` (batches, pages: saves the ~1 µs a fresh array over 64 bytes costs). Properties not in the
// schema are ignored.

export { message } from './message.ts';
export type { Message, Schema, Unsigned, ValueOf } from './message.ts';
export { bytes, fixed, list, u8, u16, u32, u64, MAX_U8, MAX_U16, MAX_U32, MAX_U64 } from './fields.ts';
export type { Field, Infer } from './fields.ts';
export { DecodeError, EncodeError, SchemaError } from './errors.ts';
export type { DecodeReason, EncodeReason } from './errors.ts';
export { SIGNED_PART_MARKER, peekTag, registeredByTag, registeredMessages } from './registry.ts';
