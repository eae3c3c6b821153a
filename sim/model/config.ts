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
  /** Sim times of the incidents; a scenario's random `rate` is drawn into times from the fraud stream. */
  readonly at: readonly number[];
  /** Attackers per incident. */
  readonly count: number;
  /** double-spend / chain-overspend: payees the same value is paid at. */
  readonly payees: number;
  /** double-spend: offline payees first (they cannot have synced the blocklist). */
  readonly offlineFirst: boolean;
  /** card-breach: how long the attacker keeps spending (hit and run). */
  readonly spree: number;
  /** chain-overspend: the step of the chain whose holder overspends (1 = first holder after the withdrawer). */
  readonly position: number;
  /** tampered-coin: edit the card's balance (a breached card signs more than a lot holds) or the coin itself. */
  readonly target: 'balance' | 'coin';
  /** replayed-deposit: replay at the same bank or another one. */
  readonly bank: 'same' | 'other';
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
  /** `fixed-cost`: hash stand-ins of the same sizes instead of signatures (fixed-cost.ts: database studies only). */
  readonly signatures: 'real' | 'fixed-cost';
  readonly withdrawal: {
    /** Mean time between a user's routine withdrawals. */
    readonly interval: number;
    /** Yen per withdrawal, split greedily into denominations. */
    readonly amount: number;
    readonly denominations: readonly number[];
    /** A user online with less than this spendable withdraws at once. */
    readonly topUpBelow: number;
    /** Register a fresh key before each withdrawal (the paper's unlinkability) or keep one per user. */
    readonly freshKey: boolean;
  };
  readonly payments: {
    readonly perUserPerDay: number;
    /** Basket (yen): lognormal with this median and log-sd. */
    readonly basketMedian: number;
    readonly basketSigma: number;
    readonly shopZipf: number;
    /** Distinct shops a user visits (its favourites, drawn by popularity); 0 for all. */
    readonly shopsPerUser: number;
    /** Share of payments from withdrawn value that go to another user rather than a shop. */
    readonly p2pShare: number;
    /** Received value goes to another person with probability 1 - 1/meanChain (mean person-to-person steps). */
    readonly meanChain: number;
  };
  readonly shopDepositInterval: number;
  readonly bankReturnInterval: number;
  readonly batchMax: number;
  /** From a bank's return to the issuer processing it (detections happen then). */
  readonly issuerDelay: number;
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
    /** Share of shops whose terminals sync (the blocklist) only when they deposit. */
    readonly offlineShops: number;
    /** Nobody in the share reaches a bank or the issuer from `start` for `duration`. */
    readonly disaster?: { readonly start: number; readonly duration: number; readonly share: number };
  };
  readonly policy: {
    /**
     * The rule the issuer acts on (asks the RA for the name, publishes the blocklist). Both rules are always
     * measured; `both` acts on whichever fires first.
     */
    readonly detection: 'paper' | 'tree' | 'both';
    /** staged: value received offline must go online before it is spent again; full: re-spend offline. */
    readonly offline: 'staged' | 'full';
    readonly maxChain: number;
    /** Most a card pays between online syncs (Infinity: no limit). */
    readonly offlineLimit: number;
    /** How often an online agent fetches the blocklist. */
    readonly blocklistSync: number;
    /** Payments above this need the payee online (fresh blocklist) or are refused (Infinity: never). */
    readonly onlineCheckAbove: number;
  };
  readonly fraud: readonly FraudSpec[];
  readonly sampleInterval: number;
  readonly events: boolean;
}
