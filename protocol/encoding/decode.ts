// Decoding with a cursor over the caller's Uint8Array. Every read is bounds-checked against `end` before it
// happens, so no RangeError can occur; the only exception that leaves here is Fail,
// which the message codec turns into a DecodeError with the dotted field path.
//
// Byte fields are `subarray` views: they alias the input, and writing into the input changes them. Decoding
// millions of records then costs no copies; a caller that keeps a field past the input's life should copy it.
import { DecodeError, Fail, joinPath } from './errors.ts';
import {
  KIND_BYTES,
  KIND_FIXED,
  KIND_LIST,
  KIND_MESSAGE,
  KIND_U16,
  KIND_U32,
  KIND_U64,
  KIND_U8,
} from './fields.ts';
import type { AnyField, Layout } from './fields.ts';

export class Reader {
  pos = 0;
  readonly end: number;
  constructor(readonly buf: Uint8Array) {
    this.end = buf.length;
  }
}

function need(r: Reader, n: number, what: string): void {
  if (r.end - r.pos < n) throw new Fail('truncated', r.pos, `${what} needs ${n} bytes, ${r.end - r.pos} left`);
}

function hex(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
}

export function readMessage(layout: Layout, r: Reader): Record<string, unknown> {
  need(r, 1, 'tag');
  const tag = r.buf[r.pos]!;
  if (tag !== layout.tag) {
    throw new Fail('bad-tag', r.pos, `expected ${hex(layout.tag)} (${layout.name}), got ${hex(tag)}`);
  }
  r.pos++;
  const names = layout.names;
  const fields = layout.fields;
  const out: Record<string, unknown> = {};
  let i = 0;
  try {
    for (; i < fields.length; i++) out[names[i]!] = readField(fields[i]!, r);
  } catch (e) {
    if (e instanceof Fail) e.path.push(names[i]!);
    throw e;
  }
  return out;
}

function readField(field: AnyField, r: Reader): unknown {
  const b = r.buf;
  const p = r.pos;
  switch (field.kind) {
    case KIND_U8:
      need(r, 1, 'u8');
      r.pos = p + 1;
      return b[p]!;
    case KIND_U16:
      need(r, 2, 'u16');
      r.pos = p + 2;
      return (b[p]! << 8) | b[p + 1]!;
    case KIND_U32:
      need(r, 4, 'u32');
      r.pos = p + 4;
      // Multiply, not shift, for the top byte: `<< 24` would go negative above 2^31.
      return b[p]! * 0x100_0000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
    case KIND_U64: {
      need(r, 8, 'u64');
      r.pos = p + 8;
      // By hand rather than DataView.getBigUint64: no DataView per message, and serials and amounts are
      // mostly under 2^32, where one BigInt conversion suffices (measured ~3x faster).
      const hi = b[p]! * 0x100_0000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
      const lo = b[p + 4]! * 0x100_0000 + ((b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!);
      return hi === 0 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo);
    }
    case KIND_BYTES: {
      need(r, 2, 'length prefix');
      const length = (b[p]! << 8) | b[p + 1]!;
      if (length > field.max) throw new Fail('too-long', p, `length ${length}, at most ${field.max}`);
      r.pos = p + 2;
      need(r, length, 'byte string');
      r.pos = p + 2 + length;
      return b.subarray(p + 2, p + 2 + length);
    }
    case KIND_FIXED:
      need(r, field.length, `fixed(${field.length})`);
      r.pos = p + field.length;
      return b.subarray(p, p + field.length);
    case KIND_LIST: {
      need(r, 4, 'count');
      const count = b[p]! * 0x100_0000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
      if (count > field.max) throw new Fail('too-many', p, `count ${count}, at most ${field.max}`);
      r.pos = p + 4;
      // Every element takes at least one byte, so a count the input cannot hold is refused before
      // anything is allocated: a 5-byte input cannot make us build a billion-entry array.
      const least = count * field.elementMinSize;
      if (least > r.end - r.pos) {
        throw new Fail('truncated', r.pos, `${count} elements need at least ${least} bytes, ${r.end - r.pos} left`);
      }
      const out: unknown[] = [];
      let i = 0;
      try {
        for (; i < count; i++) out.push(readField(field.element, r));
      } catch (e) {
        if (e instanceof Fail) e.path.push(`[${i}]`);
        throw e;
      }
      return out;
    }
    case KIND_MESSAGE:
      return readMessage(field.layout, r);
  }
}

/** Decodes one whole message: anything after it is an error, so each value has exactly one encoding. */
export function decodeMessage(layout: Layout, input: unknown): Record<string, unknown> {
  if (!(input instanceof Uint8Array)) {
    throw new DecodeError(layout.name, '', 0, 'not-bytes', `expected a Uint8Array, got ${typeof input}`);
  }
  try {
    const r = new Reader(input);
    const value = readMessage(layout, r);
    if (r.pos !== r.end) throw new Fail('trailing-bytes', r.pos, `${r.end - r.pos} bytes after the message`);
    return value;
  } catch (e) {
    if (e instanceof Fail) {
      throw new DecodeError(layout.name, joinPath(e.path), e.offset, e.reason as DecodeError['reason'], e.detail);
    }
    // Unreachable by construction (every read is checked above); kept so the promise "DecodeError only" holds
    // even if a future edit slips, while `cause` still shows the bug.
    throw new DecodeError(layout.name, '', 0, 'internal', String(e), { cause: e });
  }
}
