// The issuer's three SQLite stores alone (protocol/store/): how many writes per second each takes, batched in
// transactions as the issuer batches them and one transaction per write, in memory and on a WAL file. Inputs are
// synthetic coins and steps of real sizes, built before the clock starts.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '../../protocol/hash.ts';
import { coinId, stepId } from '../../protocol/ids.ts';
import { Coin, TransferStep } from '../../protocol/messages.ts';
import { BaselineStore } from '../../protocol/store/baseline.ts';
import { EpochPrunedStore } from '../../protocol/store/epoch-pruned.ts';
import { ProposedStore } from '../../protocol/store/proposed.ts';
import { formatRate, formatTable, type TableStyle } from './table.ts';

const VALUE = 1000;

export interface StoreWriteSettings {
  /** Writes per operation kind and store variant (a tenth of them one per transaction), rounds (the best is kept), writes per transaction. */
  readonly sqliteOps: number;
  readonly sqliteRounds: number;
  readonly sqliteBatch: number;
}

/** Best of the rounds: on a shared machine a round only ever runs slower than the stores can, never faster. */
function best(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : Math.max(...xs);
}

export interface SqliteRow {
  readonly store: 'proposed' | 'baseline' | 'epoch-pruned';
  readonly operation: string;
  /** Rows written per operation (an UPDATE counts as a row written). */
  readonly rowsPerOp: number;
  /** Operations per second: in memory batched, on a WAL file batched, on a WAL file one transaction per op. */
  readonly memoryBatched: number;
  readonly fileBatched: number;
  readonly fileAutocommit: number;
}

interface SyntheticCoin {
  readonly coin: Coin;
  readonly encoded: Uint8Array;
  readonly id: Uint8Array;
  readonly requestId: Uint8Array;
  readonly step: Uint8Array;
  readonly stepId: Uint8Array;
}

function syntheticCoins(n: number): SyntheticCoin[] {
  const bytes = (label: string, i: number, length: number): Uint8Array => {
    const h = sha256(new TextEncoder().encode(`${label}:${i}`));
    return new Uint8Array(length).map((_, j) => h[j % 32]!);
  };
  return Array.from({ length: n }, (_, i) => {
    const coin: Coin = { serial: BigInt(i + 1), value: VALUE, epoch: 0, expiry: 1e6, holderKey: bytes('key', i, 32), issuerSig: bytes('sig', i, 64) };
    const id = coinId(coin);
    const step: TransferStep = { from: id, amount: VALUE, payeeKey: bytes('payee', i, 32), nonce: bytes('nonce', i, 16), sig: bytes('step', i, 64) };
    return { coin, encoded: Coin.encode(coin), id, requestId: bytes('request', i, 32), step: TransferStep.encode(step), stepId: stepId(step) };
  });
}

type Variant = 'memoryBatched' | 'fileBatched' | 'fileAutocommit';

/** ops/s of `op` over every coin, in transactions of `batch` ops or one per op. */
function timeWrites(coins: readonly SyntheticCoin[], batch: number, transaction: (<T>(fn: () => T) => T) | null, op: (c: SyntheticCoin) => void): number {
  const t0 = performance.now();
  if (transaction === null) for (const c of coins) op(c);
  else {
    for (let i = 0; i < coins.length; i += batch) {
      const slice = coins.slice(i, i + batch);
      transaction(() => {
        for (const c of slice) op(c);
      });
    }
  }
  return (coins.length / (performance.now() - t0)) * 1000;
}

export function measureSqlite(settings: StoreWriteSettings): SqliteRow[] {
  const all = syntheticCoins(settings.sqliteOps);
  // A commit per op is slow enough that a tenth of the ops gives as steady a rate.
  const few = all.slice(0, Math.max(1, Math.ceil(all.length / 10)));
  const dir = mkdtempSync(join(tmpdir(), 'ecashsim-bench-'));
  const rates = new Map<string, Map<Variant, number[]>>();
  const add = (name: string, variant: Variant, rate: number): void => {
    const byVariant = rates.get(name) ?? new Map<Variant, number[]>();
    byVariant.set(variant, [...(byVariant.get(variant) ?? []), rate]);
    rates.set(name, byVariant);
  };
  try {
    for (let round = 0; round < settings.sqliteRounds; round++) {
      for (const variant of ['memoryBatched', 'fileBatched', 'fileAutocommit'] as const) {
        const path = (name: string): string => (variant === 'memoryBatched' ? ':memory:' : join(dir, `${name}-${round}-${variant}.db`));
        const batched = variant !== 'fileAutocommit';
        const coins = batched ? all : few;
        const proposed = new ProposedStore(path('proposed'));
        const baseline = new BaselineStore(path('baseline'));
        const epochPruned = new EpochPrunedStore(path('epoch-pruned'));
        try {
          const tx = <S extends { transaction<T>(fn: () => T): T }>(s: S) => (batched ? <T>(fn: () => T) => s.transaction(fn) : null);
          add('proposed issue', variant, timeWrites(coins, settings.sqliteBatch, tx(proposed), (c) => {
            proposed.redeem(0, c.requestId);
            proposed.issue(c.coin, c.encoded, c.id);
          }));
          add('proposed step', variant, timeWrites(coins, settings.sqliteBatch, tx(proposed), (c) => {
            proposed.addStep(c.stepId, c.coin.serial, VALUE, c.step, c.id, false);
          }));
          const returned = (c: SyntheticCoin) => ({ id: c.stepId, serial: c.coin.serial, epoch: 0, amount: VALUE, at: 0 });
          add('baseline deposit', variant, timeWrites(coins, settings.sqliteBatch, tx(baseline), (c) => baseline.returned(returned(c))));
          for (const c of coins) epochPruned.issued(c.coin);
          add('epoch-pruned deposit', variant, timeWrites(coins, settings.sqliteBatch, tx(epochPruned), (c) => epochPruned.returned(returned(c))));
        } finally {
          proposed.close();
          baseline.close();
          epochPruned.close();
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const described: Record<string, Pick<SqliteRow, 'store' | 'operation' | 'rowsPerOp'>> = {
    'proposed issue': { store: 'proposed', operation: 'issue (redeemed request, coin, root lot)', rowsPerOp: 3 },
    'proposed step': { store: 'proposed', operation: "step (lot, parent's spent sum)", rowsPerOp: 2 },
    'baseline deposit': { store: 'baseline', operation: 'deposit (negative list)', rowsPerOp: 1 },
    'epoch-pruned deposit': { store: 'epoch-pruned', operation: 'deposit (per-epoch list)', rowsPerOp: 1 },
  };
  return [...rates].map(([name, byVariant]) => {
    const m = (v: Variant): number => best(byVariant.get(v) ?? []);
    return { ...described[name]!, memoryBatched: m('memoryBatched'), fileBatched: m('fileBatched'), fileAutocommit: m('fileAutocommit') };
  });
}

export function formatSqlite(rows: readonly SqliteRow[], batch: number, style: TableStyle = 'plain'): string {
  return formatTable(
    [
      { header: 'store' },
      { header: 'operation' },
      { header: 'rows', align: 'right' },
      { header: `memory, ${batch}/tx ops/s`, align: 'right' },
      { header: `WAL file, ${batch}/tx ops/s`, align: 'right' },
      { header: 'WAL file, 1/tx ops/s', align: 'right' },
    ],
    rows.map((r) => [r.store, r.operation, String(r.rowsPerOp), formatRate(r.memoryBatched), formatRate(r.fileBatched), formatRate(r.fileAutocommit)]),
    style,
  );
}
