// Properties over random values and hostile bytes: valid values round-trip exactly, and any byte string either
// decodes to a value that re-encodes to the very same bytes, or is refused with a DecodeError, nothing else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { arbitraryOf } from './arbitrary.ts';
import { DecodeError } from './index.ts';
import type { Message } from './index.ts';
import { Coin, CounterSigned, DepositRecord, Empty, Ints, Step } from './test-fixtures.ts';

// One seed for every run, so CI is reproducible; FC_SEED=<n> explores others (a failure prints its seed).
fc.configureGlobal({ seed: Number(process.env['FC_SEED'] ?? 20261124) });

const RUNS = 1000;
const codecs = [Ints, Step, Coin, DepositRecord, Empty, CounterSigned] as const;

/** The canonical-decoding property for one input: refused with DecodeError, or accepted and re-encoded exactly. */
function decodeIsCanonicalOrRefused<T>(codec: Message<T>, bytes: Uint8Array): void {
  let value: T;
  try {
    value = codec.decode(bytes);
  } catch (e) {
    if (e instanceof DecodeError) return;
    throw new Error(`decode threw something other than DecodeError: ${String(e)}`, { cause: e });
  }
  assert.deepStrictEqual(codec.encode(value), bytes);
}

type Mutation =
  | { readonly op: 'set'; readonly at: number; readonly byte: number }
  | { readonly op: 'insert'; readonly at: number; readonly byte: number }
  | { readonly op: 'delete'; readonly at: number }
  | { readonly op: 'cut'; readonly at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
);

function mutate(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let out = bytes.slice();
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % (out.length + (m.op === 'insert' ? 1 : 0));
    switch (m.op) {
      case 'set':
        if (out.length > 0) out[at] = m.byte;
        break;
      case 'insert':
        out = Uint8Array.from([...out.subarray(0, at), m.byte, ...out.subarray(at)]);
        break;
      case 'delete':
        out = Uint8Array.from([...out.subarray(0, at), ...out.subarray(at + 1)]);
        break;
      case 'cut':
        out = out.slice(0, at);
        break;
    }
  }
  return out;
}

for (const codec of codecs) {
  const values = arbitraryOf(codec as Message<unknown>);

  test(`${codec.name}: random valid values round-trip, and their size is known without encoding`, () => {
    fc.assert(
      fc.property(values, (value) => {
        const bytes = codec.encode(value as never);
        assert.equal(codec.encodedSize(value as never), bytes.length);
        const back = codec.decode(bytes);
        assert.deepStrictEqual(back, value);
        assert.deepStrictEqual(codec.encode(back as never), bytes);
      }),
      { numRuns: RUNS },
    );
  });

  test(`${codec.name}: mutated valid encodings are canonical or refused with DecodeError`, () => {
    fc.assert(
      fc.property(values, fc.array(mutation, { minLength: 1, maxLength: 4 }), (value, mutations) => {
        decodeIsCanonicalOrRefused(codec as Message<unknown>, mutate(codec.encode(value as never), mutations));
      }),
      { numRuns: RUNS },
    );
  });

  test(`${codec.name}: random bytes after the right tag are canonical or refused with DecodeError`, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (tail, tagged) => {
        const bytes = tagged ? Uint8Array.from([codec.tag, ...tail]) : tail;
        decodeIsCanonicalOrRefused(codec as Message<unknown>, bytes);
      }),
      { numRuns: RUNS },
    );
  });
}

test('signed parts of random values differ whenever the covered fields differ', () => {
  const coins = arbitraryOf(Coin);
  fc.assert(
    fc.property(coins, coins, (a, b) => {
      const same = Buffer.compare(Coin.signedPart(a, 'issuerSig'), Coin.signedPart(b, 'issuerSig')) === 0;
      const { issuerSig: _a, ...restA } = a;
      const { issuerSig: _b, ...restB } = b;
      assert.equal(same, Buffer.compare(Coin.encode({ ...restA, issuerSig: b.issuerSig }), Coin.encode(b)) === 0);
      assert.equal(same, Buffer.compare(Coin.encode({ ...restB, issuerSig: a.issuerSig }), Coin.encode(a)) === 0);
    }),
    { numRuns: RUNS },
  );
});

test('encodeShortLived gives the bytes encode gives, for every codec; values it refuses, it refuses alike', () => {
  for (const codec of codecs as readonly Message<unknown>[]) {
    fc.assert(
      fc.property(arbitraryOf(codec), (value) => {
        const own = codec.encode(value);
        // Many in a row, so slabs fill up and turn over inside one property run.
        for (let i = 0; i < 3; i++) assert.deepStrictEqual(new Uint8Array(codec.encodeShortLived(value)), own);
      }),
      { numRuns: RUNS / 4 },
    );
    assert.throws(() => codec.encodeShortLived(undefined), (e: unknown) => {
      assert.throws(() => codec.encode(undefined), (f: unknown) => String(f) === String(e));
      return true;
    });
  }
});
