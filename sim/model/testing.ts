// A small, complete model config for tests: a week of 60 users and 8 shops with every kind of fraud.
import { DAY, HOUR } from '../engine/index.ts';
import type { ModelConfig } from './config.ts';

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
    withdrawal: { denominations: [10_000, 1_000, 100], topUpBelow: 2_000, target: 10_000 },
    payments: { perUserPerDay: 3, basketMedian: 800, basketSigma: 0.8, shopZipf: 1.0, p2pShare: 0.2 },
    shopDepositInterval: DAY,
    bankReturnInterval: 6 * HOUR,
    batchMax: 500,
    coins: { lifetime: 30 * DAY, refreshBefore: 2 * DAY, grace: DAY, epochLength: 30 * DAY, archiveRetention: Infinity },
    connectivity: { offlineShare: 0.3, offlineHours: 6 },
    policy: { detection: 'tree', offline: 'full', maxChain: 4, offlineLimit: Infinity, blocklistSync: HOUR },
    fraud: [
      { kind: 'double-spend', at: [1 * DAY, 3 * DAY], payees: 3, spree: 0 },
      { kind: 'chain-overspend', at: [2 * DAY], payees: 2, spree: 0 },
      { kind: 'card-breach', at: [4 * DAY], payees: 1, spree: 2 * HOUR },
      { kind: 'tampered-coin', at: [1.5 * DAY], payees: 1, spree: 0 },
      { kind: 'forged-coin', at: [2.5 * DAY], payees: 1, spree: 0 },
      { kind: 'replayed-request', at: [3.5 * DAY], payees: 1, spree: 0 },
      { kind: 'replayed-deposit', at: [4.5 * DAY], payees: 1, spree: 0 },
    ],
    sampleInterval: 6 * HOUR,
    events: false,
    ...over,
  };
}
