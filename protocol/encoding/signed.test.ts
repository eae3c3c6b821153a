// The signed part: what a signature covers must be one byte string per (type, omitted fields, value) and must
// never coincide with a message encoding or another type's signed part.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecodeError, EncodeError, SIGNED_PART_MARKER, peekTag, registeredByTag } from './index.ts';
import { Coin, CounterSigned, CounterSignedTwin, DepositRecord, Step, Wide, filled, sampleCoin, sampleRecord, sampleStep } from './test-fixtures.ts';

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

test('layout: 0x00, tag, omission mask, then the other fields exactly as encode writes them', () => {
  const step = sampleStep(0);
  const full = Step.encode(step);
  const signed = Step.signedPart(step, 'sig');
  // sig is field 3 of 4: bit 0x80 >>> 3.
  assert.equal(hex(signed), '00' + 'f1' + '10' + hex(full.subarray(1, full.length - 8)));
  assert.equal(signed[0], SIGNED_PART_MARKER);
});

test('the value may lack the omitted field (before signing) or carry it (when verifying): same bytes', () => {
  const { sig: _, ...unsigned } = sampleStep(2);
  assert.deepStrictEqual(Step.signedPart(unsigned, 'sig'), Step.signedPart(sampleStep(2), 'sig'));
  const { issuerSig: __, ...coin } = sampleCoin;
  assert.deepStrictEqual(Coin.signedPart(coin, 'issuerSig'), Coin.signedPart(sampleCoin, 'issuerSig'));
});

test('the omitted field does not affect the bytes; every other field does', () => {
  const base = Coin.signedPart(sampleCoin, 'issuerSig');
  assert.deepStrictEqual(Coin.signedPart({ ...sampleCoin, issuerSig: filled(64, 0) }, 'issuerSig'), base);
  assert.notDeepStrictEqual(Coin.signedPart({ ...sampleCoin, value: sampleCoin.value + 1 }, 'issuerSig'), base);
  assert.notDeepStrictEqual(Coin.signedPart({ ...sampleCoin, serial: sampleCoin.serial + 1n }, 'issuerSig'), base);
});

test('different omitted sets are different domains; order and repetition of names do not matter', () => {
  const x = { body: 7, sig1: filled(4, 1), sig2: filled(4, 2) };
  const bySecond = CounterSigned.signedPart(x, 'sig2');
  const byFirst = CounterSigned.signedPart(x, 'sig1', 'sig2');
  assert.equal(hex(bySecond), '00f5' + '20' + '00000007' + '01010101');
  assert.equal(hex(byFirst), '00f5' + '60' + '00000007');
  assert.deepStrictEqual(CounterSigned.signedPart(x, 'sig2', 'sig1', 'sig2'), byFirst);
  // Without the mask, leaving out sig1 or sig2 of a value whose two signatures hold the same bytes would give
  // the same `body || sig` to sign: a signature made for one role would verify for the other.
  const twins = { body: 7, sig1: filled(4, 3), sig2: filled(4, 3) };
  assert.notDeepStrictEqual(CounterSigned.signedPart(twins, 'sig1'), CounterSigned.signedPart(twins, 'sig2'));
});

test('two message types with the same fields sign different bytes', () => {
  const x = { body: 7, sig1: filled(4, 1), sig2: filled(4, 2) };
  assert.notDeepStrictEqual(CounterSigned.signedPart(x, 'sig2'), CounterSignedTwin.signedPart(x, 'sig2'));
});

test('a signed part never decodes as a message: 0x00 is no tag', () => {
  const signed = DepositRecord.signedPart(sampleRecord, 'last');
  assert.equal(peekTag(signed), SIGNED_PART_MARKER);
  assert.equal(registeredByTag(SIGNED_PART_MARKER), undefined);
  assert.throws(() => DepositRecord.decode(signed), (e: unknown) => e instanceof DecodeError && e.reason === 'bad-tag');
});

test('nested messages inside a signed part are encoded whole, their own signatures included', () => {
  const signed = DepositRecord.signedPart(sampleRecord, 'last');
  const coin = Coin.encode(sampleCoin);
  assert.equal(hex(signed.subarray(3, 3 + coin.length)), hex(coin));
});

test('more than eight fields: a two-byte mask, first field in the top bit', () => {
  const wide = { f0: 0, f1: 1, f2: 2, f3: 3, f4: 4, f5: 5, f6: 6, f7: 7, sig: filled(2, 9) };
  assert.equal(hex(Wide.signedPart(wide, 'sig')), '00f7' + '0080' + '0001020304050607');
  assert.equal(hex(Wide.signedPart(wide, 'f0', 'sig')), '00f7' + '8080' + '01020304050607');
});

test('refuses unknown field names and invalid values, naming the field', () => {
  assert.throws(
    () => Step.signedPart(sampleStep(0), 'signature' as 'sig'),
    (e: unknown) => e instanceof EncodeError && e.reason === 'unknown-field' && e.field === 'signature',
  );
  assert.throws(
    () => Step.signedPart({ ...sampleStep(0), amount: -1 }, 'sig'),
    (e: unknown) => e instanceof EncodeError && e.reason === 'out-of-range' && e.field === 'amount',
  );
  assert.throws(
    () => (Step.signedPart as (v: unknown) => Uint8Array)(sampleStep(0)),
    (e: unknown) => e instanceof EncodeError && e.reason === 'unknown-field',
  );
});
