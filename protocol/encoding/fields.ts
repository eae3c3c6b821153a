// Field kinds: what a schema is made of. Each kind is a small frozen descriptor with a numeric `kind` so the
// encoder and decoder dispatch with one integer switch per field instead of calling a closure per field.
import { SchemaError } from './errors.ts';

declare const valueType: unique symbol;

/** A field kind whose values are `T` in JavaScript. `T` is a phantom: nothing of it exists at run time. */
export interface Field<T> {
  readonly kind: number;
  readonly [valueType]?: T;
}

/** The JavaScript type of a field kind or message: `Infer<typeof Coin>`. */
export type Infer<F> = F extends Field<infer T> ? T : never;

export const KIND_U8 = 0;
export const KIND_U16 = 1;
export const KIND_U32 = 2;
export const KIND_U64 = 3;
export const KIND_BYTES = 4;
export const KIND_FIXED = 5;
export const KIND_LIST = 6;
export const KIND_MESSAGE = 7;

/** Largest value of each width; 2^64 - 1 is a bigint because a double cannot hold it. */
export const MAX_U8 = 0xff;
export const MAX_U16 = 0xffff;
export const MAX_U32 = 0xffff_ffff;
export const MAX_U64 = 0xffff_ffff_ffff_ffffn;

/** Byte strings carry a u16 length: see the format notes in index.ts for why not u32. */
export const BYTES_PREFIX_SIZE = 2;
/** Lists carry a u32 count: a bank's return batch is a scenario parameter and may pass 65 535 records. */
export const LIST_PREFIX_SIZE = 4;

export interface IntField extends Field<number> {
  readonly kind: typeof KIND_U8 | typeof KIND_U16 | typeof KIND_U32;
  readonly size: 1 | 2 | 4;
  readonly max: number;
}
export interface U64Field extends Field<bigint> {
  readonly kind: typeof KIND_U64;
}
export interface BytesField extends Field<Uint8Array> {
  readonly kind: typeof KIND_BYTES;
  readonly max: number;
}
export interface FixedField extends Field<Uint8Array> {
  readonly kind: typeof KIND_FIXED;
  readonly length: number;
}
export interface ListField<T> extends Field<readonly T[]> {
  readonly kind: typeof KIND_LIST;
  readonly element: AnyField;
  readonly max: number;
  /** `minSize(element)`, kept so the decoder bounds a count without a call per list. */
  readonly elementMinSize: number;
}

/** A message type compiled once at definition: parallel arrays, so the hot loops index instead of iterate keys. */
export interface Layout {
  readonly name: string;
  readonly tag: number;
  readonly names: readonly string[];
  readonly fields: readonly AnyField[];
  /** Fewest bytes any encoding takes (tag included); bounds list counts against the input left. */
  readonly minSize: number;
}
export interface MessageField<T> extends Field<T> {
  readonly kind: typeof KIND_MESSAGE;
  /** Internal: the compiled schema the encoder and decoder walk. */
  readonly layout: Layout;
}

export type AnyField = IntField | U64Field | BytesField | FixedField | ListField<unknown> | MessageField<unknown>;

export const u8: IntField = Object.freeze({ kind: KIND_U8, size: 1, max: MAX_U8 });
export const u16: IntField = Object.freeze({ kind: KIND_U16, size: 2, max: MAX_U16 });
export const u32: IntField = Object.freeze({ kind: KIND_U32, size: 4, max: MAX_U32 });
export const u64: U64Field = Object.freeze({ kind: KIND_U64 });

function checkCount(what: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SchemaError('', '', `${what} must be an integer in ${min}..${max}, got ${String(value)}`);
  }
}

/** A byte string of 0..max bytes behind a u16 length prefix (keys, names, nonces). */
export function bytes(max: number): BytesField {
  checkCount('bytes(max)', max, 0, MAX_U16);
  return Object.freeze({ kind: KIND_BYTES, max });
}

/** Exactly `length` bytes with no prefix (fixed-size signatures, hashes). At least 1: see `list`. */
export function fixed(length: number): FixedField {
  // Zero-width elements would let a 4-byte count demand billions of list entries from a few input bytes.
  checkCount('fixed(length)', length, 1, 2 ** 30);
  return Object.freeze({ kind: KIND_FIXED, length });
}

/** 0..max elements behind a u32 count. Elements may be any kind, nested messages included. */
export function list<T>(element: Field<T>, max: number): ListField<T> {
  if (!isField(element)) throw new SchemaError('', '', `list element is not a field kind: ${describe(element)}`);
  checkCount('list(max)', max, 0, MAX_U32);
  return Object.freeze({ kind: KIND_LIST, element: element as AnyField, max, elementMinSize: minSize(element as AnyField) });
}

export function isField(value: unknown): value is AnyField {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return typeof kind === 'number' && Number.isInteger(kind) && kind >= KIND_U8 && kind <= KIND_MESSAGE;
}

/** Fewest bytes a value of this kind can encode to; always >= 1, which the decoder's list bound relies on. */
export function minSize(field: AnyField): number {
  switch (field.kind) {
    case KIND_U8:
    case KIND_U16:
    case KIND_U32:
      return field.size;
    case KIND_U64:
      return 8;
    case KIND_BYTES:
      return BYTES_PREFIX_SIZE;
    case KIND_FIXED:
      return field.length;
    case KIND_LIST:
      return LIST_PREFIX_SIZE;
    case KIND_MESSAGE:
      return field.layout.minSize;
  }
}

/** Short description of a bad value for error details; never prints a whole buffer. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return `${value.constructor.name}(${value.length})`;
  if (Array.isArray(value)) return `array(${value.length})`;
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'string':
      return `string(${value.length})`;
    case 'function':
      return 'function';
    default:
      return typeof value;
  }
}
