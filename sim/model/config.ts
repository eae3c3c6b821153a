// The model's own parameters, fully resolved (seconds, yen, counts): what a scenario file turns into after
// validation and defaults (sim/scenario/), and what the agents read. Kept apart from the file format so the
// model never parses strings and a test can build one directly.
import type { KeySuiteNames } from '../../protocol/suite.ts';

export type FraudKind =
  | 'double-spend'
  | 'card-breach'
  | 'chain-overspend'
  | 'tampered-coin'
  | 'forged-coin'
  | 'replayed-request'
  | 'replayed-deposit';

export interface FraudSpec {
  readonly kind: FraudKind;
  /** Sim times the attack starts; random times are drawn by the scenario layer from the fraud stream. */
  readonly at: readonly number[];
  /** double-spend / chain-overspend: payees the same value is paid at. */
  readonly payees: number;
  /** card-breach: how long the attacker keeps spending (hit and run). */
  readonly spree: number;
}

export interface ModelConfig {
  readonly name: string;
  readonly seed: string | number;
  readonly duration: number;
  readonly users: number;
  readonly shops: number;
  readonly banks: number;
  /** Each user's opening bank balance (yen). */
  readonly initialBalance: number;
  readonly keys: KeySuiteNames;
  readonly withdrawal: {
    readonly denominations: readonly number[];
    /** A user online with less than this on the card tops up to `target`. */
    readonly topUpBelow: number;
    readonly target: number;
  };
  readonly payments: {
    readonly perUserPerDay: number;
    /** Basket (yen): lognormal with this median and log-sd. */
    readonly basketMedian: number;
    readonly basketSigma: number;
    readonly shopZipf: number;
    /** Share of payments that go to another user rather than a shop. */
    readonly p2pShare: number;
  };
  readonly shopDepositInterval: number;
  readonly bankReturnInterval: number;
  readonly batchMax: number;
  readonly coins: {
    readonly lifetime: number;
    /** Lots whose coin expires within this are refreshed (deposited and replaced) when online. */
    readonly refreshBefore: number;
    /** After expiry, how long the issuer still accepts a coin's records before archiving it as expired. */
    readonly grace: number;
    /** Bank blind-key epoch length. */
    readonly epochLength: number;
    /** How long the issuer keeps the archive of fully returned coins (Infinity: for ever). */
    readonly archiveRetention: number;
  };
  readonly connectivity: {
    /** Share of users and shops that have a daily offline spell, and its length. */
    readonly offlineShare: number;
    readonly offlineHours: number;
    /** Nobody in the share reaches a bank or the issuer from `start` for `duration`. */
    readonly disaster?: { readonly start: number; readonly duration: number; readonly share: number };
  };
  readonly policy: {
    /** The rule the issuer acts on (names the culprit, publishes the blocklist); both are always measured. */
    readonly detection: 'paper' | 'tree';
    /** staged: value received offline must go online before it is spent again; full: re-spend offline. */
    readonly offline: 'staged' | 'full';
    readonly maxChain: number;
    /** Most a card pays between online syncs (Infinity: no limit). */
    readonly offlineLimit: number;
    /** How often an online agent fetches the blocklist. */
    readonly blocklistSync: number;
  };
  readonly fraud: readonly FraudSpec[];
  readonly sampleInterval: number;
  readonly events: boolean;
}
