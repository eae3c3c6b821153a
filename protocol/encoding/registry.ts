// The tag registry: one byte per message type, unique across the whole program. A message module that reuses
// a tag fails when it is loaded, not when two kinds of record are first confused in a long simulation run.
import { DecodeError, SchemaError } from './errors.ts';
import type { Message } from './message.ts';

type Registered = Message<unknown>;

/**
 * First byte of every signed part (see index.ts). No message may use it as its tag, so bytes that were
 * signed can never be read back as a message, nor a message passed off as bytes that were signed.
 */
export const SIGNED_PART_MARKER = 0x00;

const byTag = new Map<number, Registered>();
const byName = new Map<string, Registered>();

export function register(codec: Registered): void {
  const { name, tag } = codec;
  if (!Number.isInteger(tag) || tag <= SIGNED_PART_MARKER || tag > 0xff) {
    throw new SchemaError(name, '', `tag must be an integer in 0x01..0xff (0x00 marks signed parts), got ${String(tag)}`);
  }
  const sameTag = byTag.get(tag);
  if (sameTag !== undefined) {
    throw new SchemaError(name, '', `tag 0x${tag.toString(16).padStart(2, '0')} is already ${sameTag.name}'s`);
  }
  if (byName.has(name)) throw new SchemaError(name, '', 'a message with this name is already registered');
  byTag.set(tag, codec);
  byName.set(name, codec);
}

/** The tag of an encoded message, for dispatching before a full decode. Throws DecodeError only. */
export function peekTag(bytes: Uint8Array): number {
  if (!(bytes instanceof Uint8Array)) throw new DecodeError('(any)', '', 0, 'not-bytes');
  if (bytes.length === 0) throw new DecodeError('(any)', '', 0, 'truncated', 'no tag byte');
  return bytes[0]!;
}

/** The registered message type with this tag, if any. */
export function registeredByTag(tag: number): Registered | undefined {
  return byTag.get(tag);
}

/** Every registered message type, in tag order: the table a reader of the wire format wants. */
export function registeredMessages(): readonly Registered[] {
  return [...byTag.values()].sort((a, b) => a.tag - b.tag);
}
