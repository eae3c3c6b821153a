// Round trips and exact vectors for every field kind, and every refusal with its reason and field path.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DecodeError, EncodeError, MAX_U32, MAX_U64 } from './index.ts';
import type { DecodeReason, EncodeReason, Infer } from './index.ts';
import { Coin, DepositRecord, Empty, Ints, Step, filled, sampleCoin, sampleRecord, sampleStep } from './test-fixtures.ts';

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
function fromHex(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}

function decodeFails(f: () => unknown, reason: DecodeReason, field: string, offset?: number): DecodeError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof DecodeError, `expected DecodeError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    assert.equal(e.field, field, e.message);
    if (offset !== undefined) assert.equal(e.offset, offset, e.message);
    return e;
  }
  assert.fail(`expected DecodeError ${reason} at ${field}, but decoding succeeded`);
}

function encodeFails(f: () => unknown, reason: EncodeReason, field: string): EncodeError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof EncodeError, `expected EncodeError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    assert.equal(e.field, field, e.message);
    return e;
  }
  assert.fail(`expected EncodeError ${reason} at ${field}, but encoding succeeded`);
}

/** Round trip both ways, plus encodedSize agreeing with the bytes. */
function roundTrip<T>(codec: { encode(v: T): Uint8Array; decode(b: Uint8Array): T; encodedSize(v: T): number }, value: T): Uint8Array {
  const bytes = codec.encode(value);
  assert.equal(codec.encodedSize(value), bytes.length);
  const back = codec.decode(bytes);
  assert.deepStrictEqual(back, value);
  assert.deepStrictEqual(codec.encode(back), bytes);
  return bytes;
}

describe('types', () => {
  test('Infer gives number for u8/u16/u32, bigint for u64, Uint8Array for bytes, readonly arrays for lists', () => {
    const coin: Coin = sampleCoin;
    const serial: bigint = coin.serial;
    const value: number = coin.value;
    const key: Uint8Array = coin.holderKey;
    const chain: readonly Step[] = sampleRecord.chain;
    const grid: readonly (readonly number[])[] = sampleRecord.grid;
    type CoinFromCodec = Infer<typeof Coin>;
    const same: CoinFromCodec = coin;
    // @ts-expect-error u64 fields take a bigint, not a number
    const wrong: Coin = { ...coin, serial: 1 };
    // Never called: these only have to fail to type-check.
    const typeErrors = [
      // @ts-expect-error only the message's own fields can be left out of a signed part
      () => Step.signedPart(sampleStep(0), 'nope'),
      // @ts-expect-error every field not left out must be present
      () => Step.signedPart({ amount: 1, payee: new Uint8Array(0) }, 'sig'),
      // @ts-expect-error at least one field must be named
      () => Step.signedPart(sampleStep(0)),
    ];
    assert.ok(serial && value && key && chain && grid && same && wrong && typeErrors.length === 3);
  });
});

describe('round trip', () => {
  test('exact bytes: tag, then fixed-width big-endian integers in declaration order', () => {
    const bytes = roundTrip(Ints, { a8: 0x01, a16: 0x0203, a32: 0x04050607, a64: 0x08090a0b0c0d0e0fn });
    assert.equal(hex(bytes), 'f0' + '01' + '0203' + '04050607' + '08090a0b0c0d0e0f');
  });

  test('exact bytes: u16 length before byte strings, nothing before fixed bytes', () => {
    const bytes = roundTrip(Step, { amount: 1, payee: fromHex('abcd'), nonce: filled(16, 0xee), sig: filled(8, 0x55) });
    assert.equal(hex(bytes), 'f1' + '00000001' + '0002abcd' + 'ee'.repeat(16) + '55'.repeat(8));
  });

  test('exact bytes: u32 count before lists, nested messages carry their tag', () => {
    const value = { ...sampleRecord, chain: [sampleStep(0)], flags: [], keys: [], grid: [], serials: [] };
    const bytes = roundTrip(DepositRecord, value);
    const coin = Coin.encode(sampleCoin);
    const step = Step.encode(sampleStep(0));
    assert.equal(hex(bytes), 'f3' + hex(coin) + '00000001' + hex(step) + '00000000'.repeat(4) + '2a');
  });

  test('zero values and empty byte strings', () => {
    roundTrip(Ints, { a8: 0, a16: 0, a32: 0, a64: 0n });
    roundTrip(Coin, { ...sampleCoin, serial: 0n, value: 0, epoch: 0, expiry: 0, holderKey: new Uint8Array(0) });
  });

  test('maximum values: 255, 65535, 2^32-1, 2^64-1, max-length byte strings', () => {
    const bytes = roundTrip(Ints, { a8: 255, a16: 65535, a32: MAX_U32, a64: MAX_U64 });
    assert.equal(hex(bytes), 'f0' + 'ff'.repeat(15));
    roundTrip(Coin, { ...sampleCoin, serial: 2n ** 64n - 1n, value: 2 ** 32 - 1, epoch: 65535, holderKey: filled(133, 0xff) });
  });

  test('nested message, list of messages, lists of scalars, byte strings and lists', () => {
    roundTrip(DepositRecord, sampleRecord);
  });

  test('empty lists and full lists', () => {
    roundTrip(DepositRecord, { ...sampleRecord, chain: [], flags: [], keys: [], grid: [], serials: [] });
    roundTrip(DepositRecord, {
      ...sampleRecord,
      chain: Array.from({ length: 8 }, (_, i) => sampleStep(i)),
      flags: [0, 1, 255],
      keys: [filled(4, 1), filled(4, 2)],
      grid: [[0, 1], [65535, 2]],
      serials: [MAX_U64, 1n],
    });
  });

  test('a message with no fields is its tag', () => {
    assert.equal(hex(roundTrip(Empty, {})), 'f4');
  });

  test('decoded byte fields alias the input (no copies), as documented', () => {
    const bytes = Step.encode(sampleStep(0));
    const step = Step.decode(bytes);
    assert.equal(step.sig.buffer, bytes.buffer);
    bytes[bytes.length - 1] = 0x00;
    assert.equal(step.sig[7], 0x00);
  });

  test('decodes from a view at a non-zero offset of a larger buffer', () => {
    const bytes = DepositRecord.encode(sampleRecord);
    const big = new Uint8Array(bytes.length + 13);
    big.set(bytes, 7);
    assert.deepStrictEqual(DepositRecord.decode(big.subarray(7, 7 + bytes.length)), sampleRecord);
  });

  test('encodeInto writes the same bytes at an offset and returns the end, for batching into one buffer', () => {
    const coin = Coin.encode(sampleCoin);
    const step = Step.encode(sampleStep(4));
    const page = new Uint8Array(3 + coin.length + step.length + 5).fill(0xcc);
    const afterCoin = Coin.encodeInto(sampleCoin, page, 3);
    const afterStep = Step.encodeInto(sampleStep(4), page, afterCoin);
    assert.equal(afterCoin, 3 + coin.length);
    assert.equal(afterStep, afterCoin + step.length);
    assert.equal(hex(page), 'cccccc' + hex(coin) + hex(step) + 'cc'.repeat(5));
    assert.deepStrictEqual(Step.decode(page.subarray(afterCoin, afterStep)), sampleStep(4));
  });

  test('encodeInto writes nothing when the message does not fit or is invalid', () => {
    const page = new Uint8Array(Coin.encode(sampleCoin).length + 2);
    encodeFails(() => Coin.encodeInto(sampleCoin, page, 3), 'no-room', '');
    encodeFails(() => Coin.encodeInto(sampleCoin, page, page.length + 1), 'no-room', '');
    encodeFails(() => Coin.encodeInto(sampleCoin, page, -1), 'no-room', '');
    encodeFails(() => Coin.encodeInto({ ...sampleCoin, epoch: -1 }, page, 0), 'out-of-range', 'epoch');
    assert.ok(page.every((b) => b === 0));
  });

  test('properties outside the schema are not encoded', () => {
    const extra = { ...sampleStep(1), note: 'not part of the message' };
    assert.deepStrictEqual(Step.encode(extra), Step.encode(sampleStep(1)));
  });
});

describe('decode rejects', () => {
  const valid = DepositRecord.encode(sampleRecord);

  test('every truncation of a valid encoding, with reason truncated', () => {
    for (let length = 0; length < valid.length; length++) {
      try {
        DepositRecord.decode(valid.subarray(0, length));
        assert.fail(`a ${length}-byte prefix decoded`);
      } catch (e) {
        assert.ok(e instanceof DecodeError, String(e));
        assert.equal(e.reason, 'truncated', `prefix ${length}: ${e.message}`);
        assert.equal(e.messageType, 'TestRecord');
        assert.ok(e.offset <= length, `prefix ${length}: offset ${e.offset}`);
      }
    }
  });

  test('truncation names the field being read', () => {
    decodeFails(() => DepositRecord.decode(new Uint8Array(0)), 'truncated', '', 0);
    decodeFails(() => DepositRecord.decode(valid.subarray(0, 1)), 'truncated', 'coin', 1);
    decodeFails(() => DepositRecord.decode(valid.subarray(0, 2)), 'truncated', 'coin.serial', 2);
    // Cut inside chain[0].payee's bytes but after enough input for one minimal Step, so the list's count
    // bound passes and the byte string itself runs out.
    const longPayee = DepositRecord.encode({ ...sampleRecord, chain: [{ ...sampleStep(0), payee: filled(40, 1) }] });
    const payeeBytes = 1 + Coin.encode(sampleCoin).length + 4 + 1 + 4 + 2;
    decodeFails(() => DepositRecord.decode(longPayee.subarray(0, payeeBytes + 30)), 'truncated', 'chain[0].payee', payeeBytes);
  });

  test('one trailing byte', () => {
    const longer = new Uint8Array(valid.length + 1);
    longer.set(valid);
    decodeFails(() => DepositRecord.decode(longer), 'trailing-bytes', '', valid.length);
    decodeFails(() => Empty.decode(fromHex('f400')), 'trailing-bytes', '', 1);
  });

  test('a length prefix over the maximum, top level, nested, and inside a list element', () => {
    const coin = Coin.encode({ ...sampleCoin, holderKey: filled(133, 1) });
    const lengthAt = 1 + 8 + 4 + 2;
    const over = coin.slice();
    over[lengthAt + 1] = 134;
    decodeFails(() => Coin.decode(over), 'too-long', 'holderKey', lengthAt);

    const record = DepositRecord.encode(sampleRecord);
    const nested = record.slice();
    nested[1 + lengthAt] = 0xff;
    decodeFails(() => DepositRecord.decode(nested), 'too-long', 'coin.holderKey', 1 + lengthAt);

    const steps = Step.encode(sampleStep(0)).length;
    const secondPayee = 1 + Coin.encode(sampleCoin).length + 4 + steps + 1 + 4;
    const inList = record.slice();
    inList[secondPayee] = 0;
    inList[secondPayee + 1] = 65;
    decodeFails(() => DepositRecord.decode(inList), 'too-long', 'chain[1].payee', secondPayee);
  });

  test('a list count over the maximum', () => {
    const countAt = 1 + Coin.encode(sampleCoin).length;
    const bytes = DepositRecord.encode(sampleRecord).slice();
    bytes[countAt + 3] = 9;
    decodeFails(() => DepositRecord.decode(bytes), 'too-many', 'chain', countAt);
    const inner = DepositRecord.encode({ ...sampleRecord, grid: [[1, 2]] }).slice();
    const gridCount = inner.length - 1 - (4 + 16) - 4 - 4;
    inner[gridCount + 3] = 3;
    decodeFails(() => DepositRecord.decode(inner), 'too-many', 'grid[0]', gridCount);
  });

  test('a count the remaining input cannot hold is refused before allocating', () => {
    const countAt = 1 + Coin.encode(sampleCoin).length;
    const bytes = DepositRecord.encode({ ...sampleRecord, chain: [] }).slice();
    bytes[countAt + 3] = 8;
    decodeFails(() => DepositRecord.decode(bytes), 'truncated', 'chain', countAt + 4);
  });

  test('a wrong tag at top level', () => {
    decodeFails(() => Coin.decode(Step.encode(sampleStep(0))), 'bad-tag', '', 0);
    decodeFails(() => Step.decode(Coin.encode(sampleCoin)), 'bad-tag', '', 0);
  });

  test('a wrong tag in a nested message and in a list element', () => {
    const bytes = DepositRecord.encode(sampleRecord);
    const coin = bytes.slice();
    coin[1] = Step.tag;
    decodeFails(() => DepositRecord.decode(coin), 'bad-tag', 'coin', 1);
    const step = bytes.slice();
    const secondStep = 1 + Coin.encode(sampleCoin).length + 4 + Step.encode(sampleStep(0)).length;
    step[secondStep] = Coin.tag;
    decodeFails(() => DepositRecord.decode(step), 'bad-tag', 'chain[1]', secondStep);
  });

  test('input that is not a Uint8Array', () => {
    decodeFails(() => Coin.decode('f2' as unknown as Uint8Array), 'not-bytes', '', 0);
    decodeFails(() => Coin.decode([0xf2] as unknown as Uint8Array), 'not-bytes', '', 0);
    decodeFails(() => Coin.decode(undefined as unknown as Uint8Array), 'not-bytes', '', 0);
  });
});

describe('encode rejects', () => {
  test('integers out of range, negative, fractional, -0, NaN, or of the wrong type', () => {
    const ints = { a8: 0, a16: 0, a32: 0, a64: 0n };
    encodeFails(() => Ints.encode({ ...ints, a8: 256 }), 'out-of-range', 'a8');
    encodeFails(() => Ints.encode({ ...ints, a16: 65536 }), 'out-of-range', 'a16');
    encodeFails(() => Ints.encode({ ...ints, a32: 2 ** 32 }), 'out-of-range', 'a32');
    encodeFails(() => Ints.encode({ ...ints, a32: -1 }), 'out-of-range', 'a32');
    encodeFails(() => Ints.encode({ ...ints, a32: -0 }), 'out-of-range', 'a32');
    encodeFails(() => Ints.encode({ ...ints, a32: Infinity }), 'not-integer', 'a32');
    encodeFails(() => Ints.encode({ ...ints, a16: 1.5 }), 'not-integer', 'a16');
    encodeFails(() => Ints.encode({ ...ints, a8: Number.NaN }), 'not-integer', 'a8');
    encodeFails(() => Ints.encode({ ...ints, a8: '1' as unknown as number }), 'wrong-type', 'a8');
    encodeFails(() => Ints.encode({ ...ints, a8: 1n as unknown as number }), 'wrong-type', 'a8');
  });

  test('u64 out of range or given as a number', () => {
    const ints = { a8: 0, a16: 0, a32: 0, a64: 0n };
    encodeFails(() => Ints.encode({ ...ints, a64: 2n ** 64n }), 'out-of-range', 'a64');
    encodeFails(() => Ints.encode({ ...ints, a64: -1n }), 'out-of-range', 'a64');
    encodeFails(() => Ints.encode({ ...ints, a64: 1 as unknown as bigint }), 'wrong-type', 'a64');
  });

  test('byte strings too long, fixed bytes of the wrong length, not bytes at all', () => {
    encodeFails(() => Coin.encode({ ...sampleCoin, holderKey: filled(134, 0) }), 'too-long', 'holderKey');
    encodeFails(() => Coin.encode({ ...sampleCoin, issuerSig: filled(63, 0) }), 'wrong-length', 'issuerSig');
    encodeFails(() => Coin.encode({ ...sampleCoin, issuerSig: filled(65, 0) }), 'wrong-length', 'issuerSig');
    encodeFails(() => Coin.encode({ ...sampleCoin, holderKey: [1, 2] as unknown as Uint8Array }), 'wrong-type', 'holderKey');
  });

  test('lists too long or not arrays; paths go through lists and nested messages', () => {
    const nine = Array.from({ length: 9 }, (_, i) => sampleStep(i));
    encodeFails(() => DepositRecord.encode({ ...sampleRecord, chain: nine }), 'too-many', 'chain');
    encodeFails(() => DepositRecord.encode({ ...sampleRecord, grid: [[], [1, 2, 3]] }), 'too-many', 'grid[1]');
    encodeFails(() => DepositRecord.encode({ ...sampleRecord, flags: 'x' as unknown as number[] }), 'wrong-type', 'flags');
    const badStep = { ...sampleStep(3), amount: 2 ** 32 };
    encodeFails(() => DepositRecord.encode({ ...sampleRecord, chain: [sampleStep(0), sampleStep(1), badStep] }), 'out-of-range', 'chain[2].amount');
    encodeFails(() => DepositRecord.encode({ ...sampleRecord, coin: { ...sampleCoin, value: -5 } }), 'out-of-range', 'coin.value');
    encodeFails(() => DepositRecord.encode({ ...sampleRecord, serials: [0n, 5 as unknown as bigint] }), 'wrong-type', 'serials[1]');
  });

  test('missing fields, and values that are not objects', () => {
    const { nonce: _, ...withoutNonce } = sampleStep(0);
    encodeFails(() => Step.encode(withoutNonce as Step), 'missing', 'nonce');
    encodeFails(() => DepositRecord.encode({ ...sampleRecord, coin: undefined as unknown as Coin }), 'missing', 'coin');
    encodeFails(() => DepositRecord.encode({ ...sampleRecord, chain: [null as unknown as Step] }), 'wrong-type', 'chain[0]');
    encodeFails(() => Step.encode(null as unknown as Step), 'wrong-type', '');
    encodeFails(() => Step.encode(filled(3, 0) as unknown as Step), 'wrong-type', '');
  });

  test('encodedSize validates like encode', () => {
    encodeFails(() => Coin.encodedSize({ ...sampleCoin, epoch: 70000 }), 'out-of-range', 'epoch');
  });
});
