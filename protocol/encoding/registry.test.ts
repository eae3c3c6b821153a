// Schemas that could not be encoded one way (or that reuse a tag) are refused when defined, and dispatch by
// tag works before a full decode.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecodeError, SchemaError, bytes, fixed, list, message, peekTag, registeredByTag, registeredMessages, u8, u32 } from './index.ts';
import type { Field } from './index.ts';
import { Coin, Step, sampleCoin, sampleStep } from './test-fixtures.ts';

function schemaFails(f: () => unknown, pattern: RegExp): void {
  assert.throws(f, (e: unknown) => e instanceof SchemaError && pattern.test(e.message));
}

test('a second message with an existing tag is refused at definition, naming the owner', () => {
  schemaFails(() => message('Impostor', Coin.tag, { x: u8 }), /already TestCoin's/);
  assert.equal(registeredByTag(Coin.tag), Coin);
});

test('a second message with an existing name is refused', () => {
  schemaFails(() => message('TestCoin', 0xfe, { x: u8 }), /already registered/);
  assert.equal(registeredByTag(0xfe), undefined);
});

test('tag 0x00 (signed parts) and tags outside a byte are refused', () => {
  schemaFails(() => message('TagZero', 0x00, {}), /0x00 marks signed parts/);
  schemaFails(() => message('TagBig', 0x100, {}), /0x01\.\.0xff/);
  schemaFails(() => message('TagFraction', 1.5, {}), /0x01\.\.0xff/);
});

test('field kinds with impossible bounds are refused', () => {
  schemaFails(() => bytes(65536), /bytes\(max\)/);
  schemaFails(() => bytes(-1), /bytes\(max\)/);
  schemaFails(() => fixed(0), /fixed\(length\)/);
  schemaFails(() => list(u8, 2 ** 32), /list\(max\)/);
  schemaFails(() => list({} as Field<number>, 3), /list element/);
});

test('field names must be identifiers, kinds must be field kinds (a forgotten call is named)', () => {
  schemaFails(() => message('IndexKey', 0xfd, { b: u8, 1: u8 }), /IndexKey\.1: field names must be identifiers/);
  schemaFails(() => message('Uncalled', 0xfd, { key: bytes as unknown as Field<Uint8Array> }), /Uncalled\.key: .*call it/);
  schemaFails(() => message('', 0xfd, {}), /needs a name/);
  assert.equal(registeredByTag(0xfd), undefined);
});

test('peekTag reads the first byte for dispatch, and refuses empty input with DecodeError', () => {
  const bytes = [Coin.encode(sampleCoin), Step.encode(sampleStep(0))];
  assert.deepStrictEqual(
    bytes.map((b) => registeredByTag(peekTag(b))?.name),
    ['TestCoin', 'TestStep'],
  );
  assert.throws(() => peekTag(new Uint8Array(0)), (e: unknown) => e instanceof DecodeError && e.reason === 'truncated');
  assert.throws(() => peekTag(null as unknown as Uint8Array), (e: unknown) => e instanceof DecodeError && e.reason === 'not-bytes');
});

test('registeredMessages lists every type once, in tag order', () => {
  const late = message('TestLate', 0xfc, { n: u32 });
  const tags = registeredMessages().map((m) => m.tag);
  assert.deepStrictEqual(tags, [...tags].sort((a, b) => a - b));
  assert.equal(new Set(tags).size, tags.length);
  assert.ok(registeredMessages().includes(late));
});
