// What a run measures: counters, the time series of the issuer's stores, and the per-fraud ground truth
// scored against what the issuer detected. Written out by sim/run.ts as results.json and timeseries.csv.
import type { StoreSize } from '../../protocol/store/sqlite.ts';
import type { FraudKind } from './config.ts';

export interface Counts {
  withdrawals: number;
  coinsIssued: number;
  valueIssued: number;
  payments: number;
  transfers: number;
  paymentValue: number;
  declined: number;
  refused: number;
  deposits: number;
  depositValue: number;
  refreshes: number;
  returnBatches: number;
  recordsReturned: number;
  recordsDuplicate: number;
  recordsRejected: number;
  settledValue: number;
  expiredCoins: number;
  expiredValue: number;
}

export function zeroCounts(): Counts {
  return {
    withdrawals: 0,
    coinsIssued: 0,
    valueIssued: 0,
    payments: 0,
    transfers: 0,
    paymentValue: 0,
    declined: 0,
    refused: 0,
    deposits: 0,
    depositValue: 0,
    refreshes: 0,
    returnBatches: 0,
    recordsReturned: 0,
    recordsDuplicate: 0,
    recordsRejected: 0,
    settledValue: 0,
    expiredCoins: 0,
    expiredValue: 0,
  };
}

/** One injected fraud and what became of it. Times are sim seconds; null where it never happened. */
export interface FraudRecord {
  readonly id: number;
  readonly kind: FraudKind;
  readonly culprit: string;
  readonly start: number;
  /** Serials of the coins the fraud touched. */
  readonly serials: Set<bigint>;
  /** First fraudulent payment accepted by a payee. */
  firstPayment: number | null;
  paymentsAccepted: number;
  /** Payments a payee refused (blocklist, bad signature, replay): the defences working. */
  refused: number;
  refusedBy: Record<string, number>;
  /** Value payees accepted beyond what the culprit held: the fraud's loss. */
  loss: number;
  lossAfterDetection: number;
  detected: { paper: number | null; tree: number | null };
  /** Time the RA revealed the name (under the policy's rule), and the name. */
  revealed: number | null;
  named: string | null;
  blocklisted: number | null;
}

export interface Sample {
  readonly t: number;
  readonly proposed: StoreSize;
  readonly archive: StoreSize;
  readonly baseline: StoreSize;
  readonly epochPruned: StoreSize;
  readonly outstandingValue: number;
  readonly epochPrunedLost: number;
  readonly detected: number;
  readonly loss: number;
  readonly payments: number;
}

export const TIMESERIES_COLUMNS = [
  't',
  'day',
  'proposed_rows',
  'proposed_bytes',
  'archive_rows',
  'archive_bytes',
  'baseline_rows',
  'baseline_bytes',
  'epoch_pruned_rows',
  'epoch_pruned_bytes',
  'epoch_pruned_lost_value',
  'outstanding_value',
  'detected_frauds',
  'loss',
  'payments',
] as const;

export function sampleRow(s: Sample): (string | number)[] {
  return [
    s.t,
    +(s.t / 86400).toFixed(4),
    s.proposed.rows,
    s.proposed.bytes,
    s.archive.rows,
    s.archive.bytes,
    s.baseline.rows,
    s.baseline.bytes,
    s.epochPruned.rows,
    s.epochPruned.bytes,
    s.epochPrunedLost,
    s.outstandingValue,
    s.detected,
    s.loss,
    s.payments,
  ];
}
