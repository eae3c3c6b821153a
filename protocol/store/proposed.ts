// The paper's issuer database (section 3(4), 4(6)): a positive list of outstanding coins with the records
// returned so far for each, deleted to an archive once a coin's full value has come back. Its live part tracks
// the money in circulation, not history. The issuer works on this store directly: it is the database the
// issuer's decisions are made from, not a shadow of it.
import type { Coin } from '../messages.ts';
import { measure, SqliteStore, type SizeSpec, type StoreSize } from './sqlite.ts';
import type { IssuedCoin, IssuerStore, ReturnedRecord } from './store.ts';

/** A node of a coin's transfer tree: the coin itself (step null) or the lot one step gave its payee. */
export interface LotRow {
  readonly id: Uint8Array;
  readonly serial: bigint;
  readonly amount: number;
  /** Sum of the amounts of the known steps that spend from this lot. */
  readonly spent: number;
  /** The encoded TransferStep, or null for the coin's root lot. */
  readonly step: Uint8Array | null;
}

export interface CoinRow {
  readonly serial: bigint;
  readonly value: number;
  readonly epoch: number;
  readonly expiry: number;
  /** Sum of deposited amounts returned so far (the paper's rule compares it with the value). */
  readonly returned: number;
  readonly coin: Uint8Array;
  readonly archived: boolean;
}

const LIVE_TABLES = ['coin', 'lot', 'redeemed', 'fraud'] as const;
const ARCHIVE_TABLES = ['archive_coin', 'archive_lot'] as const;
/** Value issued and not yet returned (nor expired): what the live tables stand for. */
const OUTSTANDING_VALUE = 'SELECT COALESCE(SUM(MAX(value - returned, 0)), 0) AS v FROM coin';

export class ProposedStore extends SqliteStore implements IssuerStore {
  readonly kind = 'proposed';
  readonly sizeSpec: SizeSpec = { groups: { live: LIVE_TABLES, archive: ARCHIVE_TABLES }, values: { outstandingValue: OUTSTANDING_VALUE } };
  private readonly s;

  constructor(path = ':memory:') {
    super(path);
    this.db.defaultSafeIntegers(false);
    // Lots are keyed by coin first: a coin's lots, and so a returned step and the parent whose spent sum it
    // raises, share the coin's pages, and a coin's tree is one range for lotsOf and archive(). Keyed by the
    // lot's hash alone, every step landed on a random page of a growing tree, and a serial index came on top.
    for (const prefix of ['', 'archive_']) {
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS ${prefix}coin (
          serial INTEGER PRIMARY KEY, value INTEGER NOT NULL, epoch INTEGER NOT NULL, expiry INTEGER NOT NULL,
          returned INTEGER NOT NULL, coin BLOB NOT NULL${prefix === '' ? '' : ', archived_at INTEGER NOT NULL'});
        CREATE TABLE IF NOT EXISTS ${prefix}lot (
          id BLOB NOT NULL, serial INTEGER NOT NULL, amount INTEGER NOT NULL, spent INTEGER NOT NULL, step BLOB,
          PRIMARY KEY (serial, id)
        ) WITHOUT ROWID;`);
    }
    this.db.exec(`
      CREATE INDEX IF NOT EXISTS coin_expiry ON coin (expiry);
      CREATE INDEX IF NOT EXISTS archive_coin_at ON archive_coin (archived_at);
      CREATE TABLE IF NOT EXISTS redeemed (epoch INTEGER NOT NULL, id BLOB NOT NULL, PRIMARY KEY (epoch, id)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS fraud (
        lot BLOB NOT NULL, rule TEXT NOT NULL, serial INTEGER NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (lot, rule)
      ) WITHOUT ROWID;`);
    const db = this.db;
    this.s = {
      insertCoin: db.prepare('INSERT INTO coin (serial, value, epoch, expiry, returned, coin) VALUES (?, ?, ?, ?, 0, ?)'),
      insertLot: db.prepare('INSERT INTO lot (id, serial, amount, spent, step) VALUES (?, ?, ?, 0, ?)'),
      insertArchiveLot: db.prepare('INSERT INTO archive_lot (id, serial, amount, spent, step) VALUES (?, ?, ?, 0, ?)'),
      rewriteCoin: db.prepare('UPDATE coin SET coin = ? WHERE serial = ?'),
      rewriteArchivedCoin: db.prepare('UPDATE archive_coin SET coin = ? WHERE serial = ?'),
      getCoin: db.prepare('SELECT serial, value, epoch, expiry, returned, coin, 0 AS archived FROM coin WHERE serial = ?'),
      getArchivedCoin: db.prepare(
        'SELECT serial, value, epoch, expiry, returned, coin, 1 AS archived FROM archive_coin WHERE serial = ?',
      ),
      getLot: db.prepare('SELECT id, serial, amount, spent, step FROM lot WHERE serial = ? AND id = ?'),
      getArchivedLot: db.prepare('SELECT id, serial, amount, spent, step FROM archive_lot WHERE serial = ? AND id = ?'),
      hasLot: db.prepare('SELECT 1 FROM lot WHERE serial = ? AND id = ?').pluck(),
      hasArchivedLot: db.prepare('SELECT 1 FROM archive_lot WHERE serial = ? AND id = ?').pluck(),
      addSpent: db.prepare('UPDATE lot SET spent = spent + ? WHERE serial = ? AND id = ? RETURNING spent'),
      addArchivedSpent: db.prepare('UPDATE archive_lot SET spent = spent + ? WHERE serial = ? AND id = ? RETURNING spent'),
      addReturned: db.prepare('UPDATE coin SET returned = returned + ? WHERE serial = ? RETURNING returned'),
      addArchivedReturned: db.prepare('UPDATE archive_coin SET returned = returned + ? WHERE serial = ? RETURNING returned'),
      archiveCoin: db.prepare(
        'INSERT INTO archive_coin SELECT serial, value, epoch, expiry, returned, coin, ? FROM coin WHERE serial = ?',
      ),
      archiveLots: db.prepare(
        'INSERT INTO archive_lot (id, serial, amount, spent, step) SELECT id, serial, amount, spent, step FROM lot WHERE serial = ?',
      ),
      deleteCoin: db.prepare('DELETE FROM coin WHERE serial = ?'),
      deleteLots: db.prepare('DELETE FROM lot WHERE serial = ?'),
      expiring: db.prepare('SELECT serial FROM coin WHERE expiry <= ?'),
      prunable: db.prepare('SELECT serial FROM archive_coin WHERE archived_at <= ?'),
      pruneLots: db.prepare('DELETE FROM archive_lot WHERE serial = ?'),
      pruneCoin: db.prepare('DELETE FROM archive_coin WHERE serial = ?'),
      lotsOf: db.prepare('SELECT id, serial, amount, spent, step FROM lot WHERE serial = ?'),
      archivedLotsOf: db.prepare('SELECT id, serial, amount, spent, step FROM archive_lot WHERE serial = ?'),
      redeem: db.prepare('INSERT OR IGNORE INTO redeemed (epoch, id) VALUES (?, ?)'),
      dropRedeemed: db.prepare('DELETE FROM redeemed WHERE epoch = ?'),
      fraud: db.prepare('INSERT OR IGNORE INTO fraud (lot, rule, serial, at) VALUES (?, ?, ?, ?)'),
      outstandingCoins: db.prepare('SELECT COUNT(*) AS n FROM coin'),
      outstanding: db.prepare(OUTSTANDING_VALUE),
    };
  }

  // --- IssuerStore: the proposed store is written by the issuer's own calls below, so these are no-ops. ---
  issued(_coin: IssuedCoin): void {}
  returned(_record: ReturnedRecord): void {}
  advance(_now: number): void {}
  lostValue(): number {
    return 0;
  }

  /** Live part (what detection needs) and archive (the paper's backup media) measured separately. */
  size(): StoreSize {
    return measure(this.db, LIVE_TABLES);
  }

  archiveSize(): StoreSize {
    return measure(this.db, ARCHIVE_TABLES);
  }

  // --- The issuer's working operations. Byte arguments are read during the call only (SQLite copies them). ---
  issue(coin: Coin, encoded: Uint8Array, rootId: Uint8Array): void {
    this.s.insertCoin.run(coin.serial, coin.value, coin.epoch, coin.expiry, encoded);
    this.s.insertLot.run(this.blob(0, rootId), coin.serial, coin.value, null);
  }

  /** Writes a coin's bytes again (same length: its real signature over a stand-in), live or archived. */
  rewriteCoin(serial: bigint, encoded: Uint8Array): void {
    if (this.s.rewriteCoin.run(encoded, serial).changes === 0 && this.s.rewriteArchivedCoin.run(encoded, serial).changes === 0) {
      throw new Error(`proposed store: no coin ${serial} to rewrite`);
    }
  }

  coin(serial: bigint): CoinRow | undefined {
    const row = (this.s.getCoin.get(serial) ?? this.s.getArchivedCoin.get(serial)) as (Omit<CoinRow, 'archived' | 'serial'> & { serial: number; archived: number }) | undefined;
    return row === undefined ? undefined : { ...row, serial: BigInt(row.serial), archived: row.archived === 1 };
  }

  lot(serial: bigint, id: Uint8Array): (LotRow & { archived: boolean }) | undefined {
    const live = this.s.getLot.get(serial, this.blob(0, id)) as RawLot | undefined;
    if (live !== undefined) return { ...toLot(live), archived: false };
    const old = this.s.getArchivedLot.get(serial, this.blob(0, id)) as RawLot | undefined;
    return old === undefined ? undefined : { ...toLot(old), archived: true };
  }

  /**
   * Whether a coin's lot is in the live tables (or, `archived`, in the archive): one b-tree probe, nothing read
   * back. A coin's lots are always where its row is (archive() moves them together), so a caller that knows the
   * coin's row probes one table, not both.
   */
  hasLot(serial: bigint, id: Uint8Array, archived: boolean): boolean {
    return (archived ? this.s.hasArchivedLot : this.s.hasLot).get(serial, this.blob(0, id)) !== undefined;
  }

  /** Records a new step's lot and adds its amount to its parent's spent sum; returns the parent's new sum. */
  addStep(id: Uint8Array, serial: bigint, amount: number, step: Uint8Array, parent: Uint8Array, archived: boolean): number {
    (archived ? this.s.insertArchiveLot : this.s.insertLot).run(this.blob(0, id), serial, amount, step);
    const row = (archived ? this.s.addArchivedSpent : this.s.addSpent).get(amount, serial, this.blob(1, parent)) as { spent: number } | undefined;
    if (row === undefined) throw new Error('parent lot missing: the issuer must check links before addStep');
    return row.spent;
  }

  addReturned(serial: bigint, amount: number, archived: boolean): number {
    const row = (archived ? this.s.addArchivedReturned : this.s.addReturned).get(amount, serial) as { returned: number };
    return row.returned;
  }

  /** Moves a coin and its tree out of the live tables (fully returned, or expired). */
  archive(serial: bigint, now: number): void {
    this.s.archiveCoin.run(Math.floor(now), serial);
    this.s.archiveLots.run(serial);
    this.s.deleteLots.run(serial);
    this.s.deleteCoin.run(serial);
  }

  /** Outstanding coins whose expiry (plus the caller's grace) has passed. */
  expiring(cutoff: number): bigint[] {
    return (this.s.expiring.all(cutoff) as { serial: number }[]).map((r) => BigInt(r.serial));
  }

  /** Drops archived coins archived at or before `cutoff`; returns how many. */
  pruneArchive(cutoff: number): number {
    const serials = this.s.prunable.all(cutoff) as { serial: number }[];
    for (const { serial } of serials) {
      this.s.pruneLots.run(serial);
      this.s.pruneCoin.run(serial);
    }
    return serials.length;
  }

  /** Every known lot of a coin, live and archived, for tracing. */
  lotsOf(serial: bigint): LotRow[] {
    return [...(this.s.lotsOf.all(serial) as RawLot[]), ...(this.s.archivedLotsOf.all(serial) as RawLot[])].map(toLot);
  }

  /** False if this issuance request was already redeemed in its epoch. */
  redeem(epoch: number, id: Uint8Array): boolean {
    return this.s.redeem.run(epoch, this.blob(0, id)).changes > 0;
  }

  dropRedeemed(epoch: number): void {
    this.s.dropRedeemed.run(epoch);
  }

  /** Value issued and not yet returned (nor expired): what the live tables stand for. */
  outstandingValue(): number {
    return (this.s.outstanding.get() as { v: number }).v;
  }

  outstandingCoins(): number {
    return (this.s.outstandingCoins.get() as { n: number }).n;
  }

  /** True the first time a lot is flagged under a rule. */
  flag(lot: Uint8Array, rule: string, serial: bigint, now: number): boolean {
    return this.s.fraud.run(this.blob(0, lot), rule, serial, Math.floor(now)).changes > 0;
  }
}

interface RawLot {
  id: Uint8Array;
  serial: number;
  amount: number;
  spent: number;
  step: Uint8Array | null;
}

function toLot(r: RawLot): LotRow {
  return { id: new Uint8Array(r.id), serial: BigInt(r.serial), amount: r.amount, spent: r.spent, step: r.step === null ? null : new Uint8Array(r.step) };
}
