// A validated scenario as the model's parameters: words become numbers (`never` -> Infinity, `all` -> every
// agent), and random fraud rates become incident times drawn from the run's own fraud streams, so the
// schedule is part of the seeded run like everything else.
import { DAY, streams } from '../engine/index.ts';
import type { FraudSpec as ModelFraud, ModelConfig } from '../model/config.ts';
import type { Scenario } from './schema.ts';

/** Coins that never expire still need a u32 expiry: a century is beyond any run. */
const CENTURY = 100 * 365 * DAY;
/** How long after expiry the issuer still takes a coin's records (the refresh window's tail). */
const EXPIRY_GRACE = DAY;
/** A breached card spends for at most this long; the blocklist usually stops it first. */
const HIT_AND_RUN_SPREE = DAY;

export function toModelConfig(s: Scenario): ModelConfig {
  const b = s.behaviour;
  const disaster = s.connectivity.disaster;
  const fraudStreams = streams(s.seed);
  return {
    name: s.name,
    seed: s.seed,
    duration: s.duration,
    users: s.population.users,
    shops: s.population.shops,
    banks: s.population.banks,
    initialBalance: initialBalance(s),
    keys: { ra: s.keys.ra, issuer: s.keys.issuer, bank: s.keys.bank, card: s.keys.card },
    signatures: s.signatures,
    withdrawal: {
      interval: b.withdrawal.interval,
      amount: b.withdrawal.amount,
      denominations: b.withdrawal.denominations,
      topUpBelow: b.withdrawal.topUpBelow,
      freshKey: b.withdrawal.freshKeyPerWithdrawal,
    },
    payments: {
      perUserPerDay: b.payments.perUserPerDay,
      basketMedian: b.payments.basket.median,
      basketSigma: b.payments.basket.sigma,
      shopZipf: b.payments.shopZipf,
      shopsPerUser: b.payments.shopsPerUser === 'all' ? 0 : b.payments.shopsPerUser,
      p2pShare: b.payments.p2pShare,
      meanChain: b.payments.meanChain,
    },
    shopDepositInterval: b.shops.depositInterval,
    bankReturnInterval: b.banks.returnInterval,
    batchMax: b.banks.batchMax,
    issuerDelay: b.banks.processingDelay,
    coins: {
      lifetime: b.coins.expiry === 'never' ? CENTURY : b.coins.expiry,
      refreshBefore: b.coins.expiry === 'never' ? 0 : b.coins.refreshBefore,
      grace: EXPIRY_GRACE,
      epochLength: s.keys.bankEpoch,
      archiveRetention: Infinity,
    },
    connectivity: {
      offlineShare: s.connectivity.dailyOffline.share,
      offlineHours: s.connectivity.dailyOffline.hours,
      offlineShops: s.connectivity.offlineShops,
      ...(disaster === undefined
        ? {}
        : { disaster: { start: disaster.start, duration: disaster.duration, share: disaster.region === 'all' ? 1 : disaster.region } }),
    },
    policy: {
      detection: s.policy.detection,
      offline: s.policy.offline,
      maxChain: s.policy.maxChain,
      offlineLimit: s.policy.offlineLimit === 'none' ? Infinity : s.policy.offlineLimit,
      blocklistSync: s.policy.blocklistSync,
      onlineCheckAbove: s.policy.onlineCheckAbove === 'never' ? Infinity : s.policy.onlineCheckAbove,
    },
    fraud: s.fraud.map((f, i): ModelFraud => {
      // A random rate becomes Poisson incident times over the run, from this entry's own stream.
      let at: number[] = [];
      if (f.at !== undefined) at = [f.at];
      else if (f.rate !== undefined) {
        const rng = fraudStreams.get(`fraud:${i}:schedule`);
        for (let t = rng.exponential(f.rate / DAY); t < s.duration; t += rng.exponential(f.rate / DAY)) at.push(t);
      }
      return {
        kind: f.type,
        at,
        count: f.count,
        payees: f.type === 'double-spend' ? f.payees : 2,
        offlineFirst: f.type === 'double-spend' ? f.offlineFirst : true,
        spree: HIT_AND_RUN_SPREE,
        position: f.type === 'chain-overspend' ? f.position : 1,
        target: f.type === 'tampered-coin' ? f.target : 'coin',
        bank: f.type === 'replayed-deposit' ? f.bank : 'same',
      };
    }),
    sampleInterval: s.outputs.sampleInterval,
    events: s.outputs.events,
  };
}

/**
 * Opening balance per user: enough for every routine withdrawal over the run and then some, so accounts do
 * not run dry and silently stop a user paying (the scenario asks about the protocol, not about poverty).
 */
function initialBalance(s: Scenario): number {
  const withdrawals = Math.ceil(s.duration / s.behaviour.withdrawal.interval) + 1;
  const spend = Math.ceil((s.duration / DAY) * s.behaviour.payments.perUserPerDay * s.behaviour.payments.basket.median * 3);
  return Math.max(withdrawals * s.behaviour.withdrawal.amount, spend) * 2;
}
