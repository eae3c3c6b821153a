// Message types used only by this folder's tests. Tags 0xf0..0xff are kept for tests by convention, so a test
// that also loads the protocol's real messages never collides with them in the registry.
import { bytes, fixed, list, message, u8, u16, u32, u64 } from './index.ts';
import type { Infer } from './index.ts';

/** Every integer width, for exact byte vectors. */
export const Ints = message('TestInts', 0xf0, { a8: u8, a16: u16, a32: u32, a64: u64 });
export type Ints = Infer<typeof Ints>;

export const Step = message('TestStep', 0xf1, {
  amount: u32,
  payee: bytes(64),
  nonce: fixed(16),
  sig: fixed(8),
});
export type Step = Infer<typeof Step>;

/** The shape the protocol's coin will have. */
export const Coin = message('TestCoin', 0xf2, {
  serial: u64,
  value: u32,
  epoch: u16,
  holderKey: bytes(133),
  expiry: u32,
  issuerSig: fixed(64),
});
export type Coin = Infer<typeof Coin>;

/** Every kind at once: a nested message, a list of messages, lists of scalars, of byte strings, of lists. */
export const DepositRecord = message('TestRecord', 0xf3, {
  coin: Coin,
  chain: list(Step, 8),
  flags: list(u8, 3),
  keys: list(bytes(4), 2),
  grid: list(list(u16, 2), 2),
  serials: list(u64, 2),
  last: u8,
});
export type DepositRecord = Infer<typeof DepositRecord>;

export const Empty = message('TestEmpty', 0xf4, {});

/** Two signatures, the second over the first: the case the signed part's omission mask exists for. */
export const CounterSigned = message('TestCounterSigned', 0xf5, { body: u32, sig1: fixed(4), sig2: fixed(4) });
export type CounterSigned = Infer<typeof CounterSigned>;

/** Same fields as CounterSigned under another tag: its signed parts must differ. */
export const CounterSignedTwin = message('TestCounterSignedTwin', 0xf6, { body: u32, sig1: fixed(4), sig2: fixed(4) });

/** Nine fields, so the omission mask takes two bytes. */
export const Wide = message('TestWide', 0xf7, {
  f0: u8, f1: u8, f2: u8, f3: u8, f4: u8, f5: u8, f6: u8, f7: u8, sig: fixed(2),
});

export function filled(length: number, byte: number): Uint8Array {
  return new Uint8Array(length).fill(byte);
}

export function sampleStep(i: number): Step {
  return { amount: 100 + i, payee: filled(3 + i, 0x50 + i), nonce: filled(16, 0x60 + i), sig: filled(8, 0x70 + i) };
}

export const sampleCoin: Coin = {
  serial: 0x0102030405060708n,
  value: 5000,
  epoch: 7,
  holderKey: filled(33, 0xaa),
  expiry: 1_900_000_000,
  issuerSig: filled(64, 0xbb),
};

export const sampleRecord: DepositRecord = {
  coin: sampleCoin,
  chain: [sampleStep(0), sampleStep(1), sampleStep(2)],
  flags: [1, 255],
  keys: [new Uint8Array(0), filled(4, 9)],
  grid: [[1, 65535], []],
  serials: [0n, 0xffff_ffff_ffff_ffffn],
  last: 42,
};
