// A small, complete model config for tests: a week of 60 users and 8 shops with every kind of fraud.
import { DAY, HOUR } from '../engine/index.ts';
import type { FraudKind, FraudSpec, ModelConfig } from './config.ts';

export function fraud(kind: FraudKind, at: number[], over: Partial<FraudSpec> = {}): FraudSpec {
  return { kind, at, count: 1, payees: 2, offlineFirst: true, spree: 2 * HOUR, position: 1, target: 'coin', bank: 'same', ...over };
}

export function smallConfig(over: Partial<ModelConfig> = {}): ModelConfig {
  return {
    name: 'test-small',
    seed: 7,
    duration: 7 * DAY,
    users: 60,
    shops: 8,
    banks: 2,
    initialBalance: 200_000,
    keys: { ra: 'ed25519', issuer: 'ed25519', bank: 'rsa-blind', card: 'ed25519' },
    signatures: 'real',
    withdrawal: { interval: 7 * DAY, amount: 10_000, denominations: [10_000, 1_000, 100], topUpBelow: 2_000, freshKey: true },
    payments: { perUserPerDay: 3, basketMedian: 800, basketSigma: 0.8, shopZipf: 1.0, shopsPerUser: 0, p2pShare: 0.2, meanChain: 1.5 },
    shopDepositInterval: DAY,
    bankReturnInterval: 6 * HOUR,
    batchMax: 500,
    issuerDelay: 0,
    coins: { lifetime: 30 * DAY, refreshBefore: 2 * DAY, grace: DAY, epochLength: 30 * DAY, archiveRetention: Infinity },
    connectivity: { offlineShare: 0.3, offlineHours: 6, offlineShops: 0.25 },
    policy: { detection: 'tree', offline: 'full', maxChain: 4, offlineLimit: Infinity, blocklistSync: HOUR, onlineCheckAbove: Infinity },
    fraud: [
      fraud('double-spend', [1 * DAY, 3 * DAY], { payees: 3 }),
      fraud('chain-overspend', [2 * DAY], { payees: 2, position: 2 }),
      fraud('card-breach', [4 * DAY], { spree: 2 * HOUR }),
      fraud('tampered-coin', [1.5 * DAY], { target: 'coin' }),
      fraud('tampered-coin', [1.6 * DAY], { target: 'balance' }),
      fraud('forged-coin', [2.5 * DAY]),
      fraud('replayed-request', [3.5 * DAY]),
      fraud('replayed-deposit', [4.5 * DAY], { bank: 'same' }),
      fraud('replayed-deposit', [4.6 * DAY], { bank: 'other' }),
    ],
    sampleInterval: 6 * HOUR,
    events: false,
    ...over,
  };
}
