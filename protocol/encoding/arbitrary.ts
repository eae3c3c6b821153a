// fast-check arbitraries derived from a schema, for property tests of any message type (this folder's and the
// protocol's). Test-only: it imports fast-check, a devDependency, so runtime code must never import it.
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import {
  KIND_BYTES,
  KIND_FIXED,
  KIND_LIST,
  KIND_MESSAGE,
  KIND_U16,
  KIND_U32,
  KIND_U64,
  KIND_U8,
  MAX_U64,
} from './fields.ts';
import type { AnyField, Field } from './fields.ts';

export interface ArbitraryLimits {
  /** Longest list generated, whatever the schema allows: keeps nested lists from exploding. Default 4. */
  readonly maxListLength?: number;
}

/** Any valid value of the field kind or message: every one must encode. */
export function arbitraryOf<T>(field: Field<T>, limits: ArbitraryLimits = {}): Arbitrary<T> {
  return build(field as AnyField, limits.maxListLength ?? 4) as Arbitrary<T>;
}

function build(field: AnyField, maxList: number): Arbitrary<unknown> {
  switch (field.kind) {
    case KIND_U8:
    case KIND_U16:
    case KIND_U32:
      return fc.integer({ min: 0, max: field.max });
    case KIND_U64:
      return fc.bigInt({ min: 0n, max: MAX_U64 });
    case KIND_BYTES:
      return fc.uint8Array({ maxLength: field.max });
    case KIND_FIXED:
      return fc.uint8Array({ minLength: field.length, maxLength: field.length });
    case KIND_LIST:
      return fc.array(build(field.element, maxList), { maxLength: Math.min(field.max, maxList) });
    case KIND_MESSAGE: {
      const model: { [name: string]: Arbitrary<unknown> } = {};
      field.layout.names.forEach((name, i) => {
        model[name] = build(field.layout.fields[i]!, maxList);
      });
      // Decoded messages are ordinary objects; a null prototype would make deep-equality fail for no reason.
      return fc.record(model, { noNullPrototype: true });
    }
  }
}
