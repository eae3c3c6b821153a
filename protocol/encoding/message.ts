// `message(name, tag, fields)`: compiles a schema once, registers its tag, and returns the codec the protocol
// modules use for everything they sign, send or store.
import { EncodeError, SchemaError } from './errors.ts';
import { decodeMessage } from './decode.ts';
import { measureMessage, toEncodeError, writeFields, writeMessage } from './encode.ts';
import { KIND_MESSAGE, describe, isField, minSize } from './fields.ts';
import type { AnyField, Field, Infer, Layout, MessageField } from './fields.ts';
import { SIGNED_PART_MARKER, register } from './registry.ts';
import { shortLived } from '../bytes.ts';

/** A schema: field names to field kinds, in the order they are encoded. */
export type Schema = { readonly [name: string]: Field<unknown> };

/** The JavaScript value a schema describes. */
export type ValueOf<S extends Schema> = { readonly [K in keyof S]: Infer<S[K]> };

/** A value before it is signed: the fields a signed part leaves out may be absent (and are ignored if present). */
export type Unsigned<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

export interface Message<T> extends MessageField<T> {
  readonly name: string;
  readonly tag: number;
  readonly fieldNames: readonly string[];
  /**
   * Tag, then every field in declaration order, in a Uint8Array of its own (safe to keep, transfer or post to
   * a worker). Throws EncodeError naming the field.
   */
  encode(value: T): Uint8Array;
  /**
   * The same bytes, for a caller that drops them at once (a store's write, a hash): a long message is a view into
   * a shared slab (protocol/bytes.ts), not an ArrayBuffer of its own. slice() it to keep it.
   */
  encodeShortLived(value: T): Uint8Array;
  /**
   * The same bytes written into `out` at `offset`; returns the offset after them. For batches and pages: a
   * fresh Uint8Array over 64 bytes lives off the V8 heap and costs ~1 µs to allocate and collect (measured;
   * about 20x a <=64-byte one), so writing many messages into one buffer saves that per message. Nothing is
   * written unless the whole message is valid and fits (else EncodeError, reason 'no-room').
   */
  encodeInto(value: T, out: Uint8Array, offset?: number): number;
  /** The exact inverse of `encode`; byte fields alias `bytes`. Throws DecodeError only. */
  decode(bytes: Uint8Array): T;
  /** `encode(value).length` without building the bytes: what a stored record costs. Throws EncodeError. */
  encodedSize(value: T): number;
  /**
   * The bytes to sign: SIGNED_PART_MARKER, tag, a bit mask of the fields left out, then the other fields as
   * `encode` writes them. Name every signature field the signature cannot cover (its own, and any made after).
   * Made to be signed, hashed or checked and dropped, so a long one is a view into a shared slab (protocol/bytes.ts):
   * slice() it to keep it past that, and never transfer its buffer.
   */
  signedPart<K extends keyof T & string>(value: Unsigned<T, NoInfer<K>>, ...omit: [K, ...K[]]): Uint8Array;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const ownArray = (size: number): Uint8Array => new Uint8Array(size);

class MessageCodec<T> implements Message<T> {
  readonly kind = KIND_MESSAGE;
  readonly name: string;
  readonly tag: number;
  readonly fieldNames: readonly string[];

  constructor(readonly layout: Layout) {
    this.name = layout.name;
    this.tag = layout.tag;
    this.fieldNames = layout.names;
  }

  encode(value: T): Uint8Array {
    return this.encodeIntoNew(value, ownArray);
  }

  encodeShortLived(value: T): Uint8Array {
    return this.encodeIntoNew(value, shortLived);
  }

  private encodeIntoNew(value: T, allocate: (size: number) => Uint8Array): Uint8Array {
    const layout = this.layout;
    let size: number;
    try {
      size = measureMessage(layout, value, null);
    } catch (e) {
      throw toEncodeError(layout.name, e);
    }
    const out = allocate(size);
    writeMessage(layout, value as Record<string, unknown>, out, 0);
    return out;
  }

  encodeInto(value: T, out: Uint8Array, offset = 0): number {
    const layout = this.layout;
    if (!(out instanceof Uint8Array) || !Number.isInteger(offset) || offset < 0 || offset > out.length) {
      throw new EncodeError(layout.name, '', 'no-room', `offset ${String(offset)} is not inside the output`);
    }
    let size: number;
    try {
      size = measureMessage(layout, value, null);
    } catch (e) {
      throw toEncodeError(layout.name, e);
    }
    if (size > out.length - offset) {
      throw new EncodeError(layout.name, '', 'no-room', `needs ${size} bytes, ${out.length - offset} left`);
    }
    return writeMessage(layout, value as Record<string, unknown>, out, offset);
  }

  decode(bytes: Uint8Array): T {
    return decodeMessage(this.layout, bytes) as T;
  }

  encodedSize(value: T): number {
    try {
      return measureMessage(this.layout, value, null);
    } catch (e) {
      throw toEncodeError(this.layout.name, e);
    }
  }

  signedPart<K extends keyof T & string>(value: Unsigned<T, NoInfer<K>>, ...omit: [K, ...K[]]): Uint8Array {
    const layout = this.layout;
    const names = layout.names;
    if (omit.length === 0) {
      throw new EncodeError(layout.name, '', 'unknown-field', 'signedPart needs the signature field(s) to leave out');
    }
    const mask: boolean[] = new Array<boolean>(names.length).fill(false);
    for (const field of omit) {
      const i = names.indexOf(field);
      if (i < 0) throw new EncodeError(layout.name, String(field), 'unknown-field', `${layout.name} has no such field`);
      mask[i] = true;
    }
    const maskBytes = (names.length + 7) >>> 3;
    let size: number;
    try {
      size = 1 + maskBytes + measureMessage(layout, value, mask);
    } catch (e) {
      throw toEncodeError(layout.name, e);
    }
    const out = shortLived(size);
    out[0] = SIGNED_PART_MARKER;
    out[1] = layout.tag;
    for (let i = 0; i < names.length; i++) {
      if (mask[i] === true) out[2 + (i >>> 3)]! |= 0x80 >>> (i & 7);
    }
    writeFields(layout, value as Record<string, unknown>, out, 2 + maskBytes, mask);
    return out;
  }
}

/**
 * Defines a message type. `tag` is its one-byte domain separator (0x01..0xff, unique program-wide; registering
 * a used tag throws SchemaError at module load). Field order is the order of `fields`' keys.
 */
export function message<const S extends Schema>(name: string, tag: number, fields: S): Message<ValueOf<S>> {
  if (typeof name !== 'string' || name === '') throw new SchemaError('', '', 'a message needs a name');
  if (typeof fields !== 'object' || fields === null) throw new SchemaError(name, '', 'fields must be an object');
  const names: string[] = [];
  const kinds: AnyField[] = [];
  for (const key of Object.keys(fields)) {
    // Integer-like keys would be enumerated before the others whatever order they were written in, so the
    // written order would silently stop being the encoded order.
    if (!IDENTIFIER.test(key) || key === '__proto__') {
      throw new SchemaError(name, key, 'field names must be identifiers (declaration order is encoding order)');
    }
    const kind: unknown = fields[key];
    if (!isField(kind)) {
      const hint = typeof kind === 'function' ? ' (call it: bytes(max), fixed(n), list(kind, max))' : '';
      throw new SchemaError(name, key, `not a field kind: ${describe(kind)}${hint}`);
    }
    names.push(key);
    kinds.push(kind);
  }
  let least = 1;
  for (const kind of kinds) least += minSize(kind);
  const layout: Layout = Object.freeze({
    name,
    tag,
    names: Object.freeze(names),
    fields: Object.freeze(kinds),
    minSize: least,
  });
  const codec = new MessageCodec<ValueOf<S>>(layout);
  register(codec as Message<unknown>);
  return codec;
}
