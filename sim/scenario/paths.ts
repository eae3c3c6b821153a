// Paths into a scenario: `policy.detection`, `fraud[2].payees` (or `fraud.2.payees`). Error messages print
// them, sweeps name a parameter by one, and the schema itself is walked by one to tell whether a path exists
// and which keys an object allows, so "did you mean" suggestions come from the schema, not a second list.

import { z } from 'zod';

export type PathSegment = string | number;

/** Segments of a dotted path; `fraud[2].payees` and `fraud.2.payees` both give ['fraud', 2, 'payees']. */
export function parsePath(text: string): PathSegment[] | undefined {
  if (!/^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\.\d+|\[\d+\])*$/.test(text)) return undefined;
  const out: PathSegment[] = [];
  for (const [, name, index] of text.matchAll(/([A-Za-z_][\w-]*)|(\d+)/g)) out.push(name ?? Number(index));
  return out;
}

/** The printed form of a path: `fraud[2].payees`; the empty path (the whole file) prints as `(top level)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out === '' ? '(top level)' : out;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path`, or undefined when any step is missing. */
export function getAt(root: unknown, path: readonly PathSegment[]): unknown {
  let node = root;
  for (const seg of path) {
    if (typeof seg === 'number' ? !Array.isArray(node) : !isPlainObject(node)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[seg];
  }
  return node;
}

/**
 * A copy of `root` with `value` at `path`. A plain-object value is merged into the object already there (so a
 * sweep over `keys` may write just `{card: p256}`); anything else replaces it. Only the objects along the path
 * are copied; the rest is shared.
 */
export function withValueAt(root: unknown, path: readonly PathSegment[], value: unknown): unknown {
  if (path.length === 0) return isPlainObject(root) && isPlainObject(value) ? mergeDeep(root, value) : value;
  const [head, ...rest] = path as [PathSegment, ...PathSegment[]];
  if (typeof head === 'number') {
    const copy = Array.isArray(root) ? [...(root as unknown[])] : [];
    copy[head] = withValueAt(copy[head], rest, value);
    return copy;
  }
  const copy: Record<string, unknown> = isPlainObject(root) ? { ...root } : {};
  copy[head] = withValueAt(copy[head], rest, value);
  return copy;
}

function mergeDeep(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? mergeDeep(b, v) : v;
  }
  return out;
}

/** What the schema says is at a path: an object (with its keys), a list, or a single value. */
export type SchemaNode =
  | { kind: 'object'; keys: string[]; schema: z.ZodType }
  | { kind: 'array'; schema: z.ZodType }
  | { kind: 'value'; schema: z.ZodType };

/** Strips the wrappers that do not change what a path points to: defaults, optionals, pipes, refinements. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable) {
      s = s.def.innerType as z.ZodType;
    } else if (s instanceof z.ZodPipe) {
      s = s.def.in as z.ZodType;
    } else {
      return s;
    }
  }
}

function describe(schema: z.ZodType): SchemaNode {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject) return { kind: 'object', keys: Object.keys(s.shape), schema: s };
  if (s instanceof z.ZodArray) return { kind: 'array', schema: s };
  return { kind: 'value', schema: s };
}

/**
 * The schema node at `path`, or undefined if the schema has no such path. Inside a discriminated union (the
 * fraud list) the member is chosen by the discriminator in `value`, the data at the same path, when given.
 */
export function schemaAt(root: z.ZodType, path: readonly PathSegment[], value?: unknown): SchemaNode | undefined {
  let schema = unwrap(root);
  let data = value;
  for (const seg of path) {
    schema = pickUnionMember(schema, data);
    if (typeof seg === 'number') {
      if (!(schema instanceof z.ZodArray)) return undefined;
      schema = unwrap(schema.def.element as z.ZodType);
      data = Array.isArray(data) ? data[seg] : undefined;
    } else {
      if (!(schema instanceof z.ZodObject)) return undefined;
      const field = (schema.shape as Record<string, z.ZodType | undefined>)[seg];
      if (field === undefined) return undefined;
      schema = unwrap(field);
      data = isPlainObject(data) ? data[seg] : undefined;
    }
  }
  return describe(pickUnionMember(schema, data));
}

function pickUnionMember(schema: z.ZodType, data: unknown): z.ZodType {
  if (!(schema instanceof z.ZodDiscriminatedUnion)) return schema;
  const key = schema.def.discriminator;
  const tag = isPlainObject(data) ? data[key] : undefined;
  for (const option of schema.def.options as z.ZodType[]) {
    const member = unwrap(option);
    if (!(member instanceof z.ZodObject)) continue;
    const literal = unwrap((member.shape as Record<string, z.ZodType>)[key]!);
    if (literal instanceof z.ZodLiteral && literal.def.values.includes(tag as never)) return member;
  }
  return schema;
}

/** Every path the schema defines (objects and their fields, not into lists), for "did you mean" suggestions. */
export function allPaths(root: z.ZodType, prefix: PathSegment[] = []): string[] {
  const node = describe(root);
  if (node.kind !== 'object') return prefix.length === 0 ? [] : [formatPath(prefix)];
  const s = node.schema as z.ZodObject;
  const out: string[] = prefix.length === 0 ? [] : [formatPath(prefix)];
  for (const [key, field] of Object.entries(s.shape as Record<string, z.ZodType>)) out.push(...allPaths(field, [...prefix, key]));
  return out;
}
