// What every issuer store is fed, the same for all three so one run measures them side by side: each coin
// issued, each distinct record returned, and the passing of time (expiry, epoch and archive pruning).
import type { StoreSize } from './sqlite.ts';

export type StoreKind = 'proposed' | 'baseline' | 'epoch-pruned';

export interface IssuedCoin {
  readonly serial: bigint;
  readonly value: number;
  readonly epoch: number;
  readonly expiry: number;
}

/** A record the issuer accepted (valid, not seen before): its id is the id of its deposit step. */
export interface ReturnedRecord {
  readonly id: Uint8Array;
  readonly serial: bigint;
  readonly epoch: number;
  readonly amount: number;
  readonly at: number;
}

export interface IssuerStore {
  readonly kind: StoreKind;
  issued(coin: IssuedCoin): void;
  returned(record: ReturnedRecord): void;
  /** Time has reached `now` (sim seconds): drop what the store's policy lets it drop. */
  advance(now: number): void;
  transaction<T>(fn: () => T): T;
  /** Opens a group commit (see sqlite.ts beginGroup); `transaction` nests in it. */
  beginGroup(): void;
  /** Commits the group opened by `beginGroup`. */
  commitGroup(): void;
  size(): StoreSize;
  /** Value the store's design makes holders lose (epoch-pruned: unredeemed coins of dropped epochs). */
  lostValue(): number;
  close(): void;
}
