// The issuer's stores are real SQLite databases (better-sqlite3), so their sizes are what a deployment would
// pay: bytes are SQLite's own page counts (dbstat), indexes included, not an estimate from row widths.
import Database from 'better-sqlite3';
import { Scratch } from '../bytes.ts';

export type Db = Database.Database;

export interface TableSize {
  readonly name: string;
  readonly rows: number;
  /** Bytes of the table's pages plus its indexes' pages. */
  readonly bytes: number;
}

export interface StoreSize {
  readonly tables: readonly TableSize[];
  readonly rows: number;
  readonly bytes: number;
}

/**
 * Page cache of a store file, in KiB, unless the store asks for another: a national week's proposed store grows to
 * ~400 MB, written all over as returns come back for random coins, and SQLite's default 2 MiB re-read most
 * pages it touched from the OS.
 */
const DEFAULT_CACHE_KIB = 64 * 1024;

/**
 * Page cache of the deposit lists (baseline, epoch-pruned), in KiB. Each grows by one insert per returned record,
 * to 47 MB in a national week: a 64 MiB cache ended up holding all of it, about 95 MB of the process's memory
 * for the two, where a page missing from a smaller cache comes back from the OS's file cache in microseconds.
 */
export const LIST_CACHE_KIB = 16 * 1024;
/**
 * WAL pages before an automatic checkpoint (default 1,000): a page committed again before then reaches the
 * database file once.
 */
const WAL_CHECKPOINT_PAGES = 10_000;

/**
 * Opens a store database: a file or `:memory:`. A file is in WAL mode, so a killed run leaves it consistent,
 * with `synchronous = OFF`: a write SQLite has handed to the OS survives the process being killed, and only an
 * OS crash or power cut could lose or tear the last commits, which for a simulation's output is a run to redo.
 * With `synchronous = NORMAL` every checkpoint waited for an fsync on the simulation's thread.
 */
export function openDb(path: string, cacheKiB = DEFAULT_CACHE_KIB): Db {
  const db = new Database(path);
  if (path !== ':memory:') {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.pragma(`cache_size = -${cacheKiB}`);
    db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
  }
  return db;
}

/**
 * What every issuer store does the same way with its database: open it, run a transaction, commit in groups,
 * close it.
 *
 * Group commit: everything from `beginGroup` to `commitGroup` is one transaction, each store operation's own
 * transaction nesting in it as a savepoint (better-sqlite3 does so by itself), so a refused operation still
 * rolls back alone. The simulator commits in groups, as an issuer's database would batch its commits: a commit
 * per coin made the WAL writes a sizeable part of a run. Either is a no-op when there is nothing to do.
 */
export abstract class SqliteStore {
  protected readonly db: Db;
  /**
   * One transaction function for every call, the work passed in: better-sqlite3's db.transaction(fn) builds four
   * wrapper functions and defines five properties on each, per call, and the issuer runs three (its store and
   * two mirrors) for every returned record.
   */
  private readonly runInTransaction: (fn: () => unknown) => unknown;
  /** What a size sample reads from this store (see readSizes). */
  abstract readonly sizeSpec: SizeSpec;

  /** `path`: the store's file, or `:memory:`; `cacheKiB`: its page cache (see DEFAULT_CACHE_KIB). */
  constructor(
    readonly path: string,
    cacheKiB = DEFAULT_CACHE_KIB,
  ) {
    this.db = openDb(path, cacheKiB);
    this.runInTransaction = this.db.transaction((fn: () => unknown) => fn());
  }

  /**
   * `bytes` to bind as a BLOB parameter, held in scratch slot `slot` (one per parameter of a statement). An id
   * is a fresh 32-byte array on V8's heap, and better-sqlite3 reads a bound array through its ArrayBuffer:
   * bound as it is, its bytes would first be moved off the heap, a malloc and about 1 µs, several times the
   * b-tree probe it is for (protocol/bytes.ts). SQLite copies what is bound (SQLITE_TRANSIENT), so the scratch
   * is free again as soon as the statement has run.
   */
  protected blob(slot: 0 | 1, bytes: Uint8Array): Uint8Array {
    return this.blobScratch[slot].hold(bytes);
  }

  private readonly blobScratch = [new Scratch(), new Scratch()] as const;

  /** True when the store lives in memory: no other connection, and so no other thread, can read it. */
  get inMemory(): boolean {
    return this.path === ':memory:';
  }

  /** This store's sample, read on its own connection (a read on another connection: sim/model/size-reader.ts). */
  readSizes(): SizeReading {
    return readSizes(this.db, this.sizeSpec);
  }

  transaction<T>(fn: () => T): T {
    return this.runInTransaction(fn) as T;
  }

  beginGroup(): void {
    if (!this.db.inTransaction) this.db.exec('BEGIN');
  }

  commitGroup(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
  }

  close(): void {
    this.db.close();
  }
}

/**
 * What a sample reads from one store: named groups of tables, each measured as one StoreSize from a single pass
 * over the file's pages, and named single-number queries. Plain data, so a reader on another thread can be told
 * what to read.
 */
export interface SizeSpec {
  readonly groups: Readonly<Record<string, readonly string[]>>;
  /** SQL returning one row with one number, by name. */
  readonly values?: Readonly<Record<string, string>>;
}

export interface SizeReading {
  readonly groups: Readonly<Record<string, StoreSize>>;
  readonly values: Readonly<Record<string, number>>;
}

/** Rows a query returned, each an array of its columns (better-sqlite3's raw mode). */
export type QueryRows = readonly (readonly unknown[])[];

/**
 * Bytes of every table's pages, its indexes' included, from one pass over the file. dbstat's aggregate mode
 * sums each b-tree inside SQLite instead of returning a row per page: the same figures, about twice as fast on
 * a national run's few hundred MB, which the simulator measures every sample.
 */
const PAGE_BYTES = `SELECT m.tbl_name, SUM(s.pgsize) FROM dbstat s JOIN sqlite_schema m ON m.name = s.name
  WHERE s.aggregate = TRUE GROUP BY m.tbl_name`;

function tablesOf(spec: SizeSpec): string[] {
  return [...new Set(Object.values(spec.groups).flat())];
}

/**
 * The statements a reading of `spec` runs, in order: page bytes by table, each table's row count, each value.
 * Plain SQL, so the reader thread (sim/model/size-reader-thread.mjs) runs them without loading this module.
 */
export function sizeQueries(spec: SizeSpec): string[] {
  return [PAGE_BYTES, ...tablesOf(spec).map((t) => `SELECT COUNT(*) FROM ${t}`), ...Object.values(spec.values ?? {})];
}

/**
 * Each connection's size statements, prepared once: a run samples every hour, and preparing the dbstat join
 * again each time was a sixth of a sample's time on the main thread (a CPU profile of the benchmark's workload).
 */
const prepared = new WeakMap<Db, Map<string, Database.Statement>>();

/** Runs statements in order, each giving all its rows (raw). */
export function runQueries(db: Db, queries: readonly string[]): QueryRows[] {
  let statements = prepared.get(db);
  if (statements === undefined) prepared.set(db, (statements = new Map()));
  return queries.map((sql) => {
    let statement = statements.get(sql);
    if (statement === undefined) statements.set(sql, (statement = db.prepare(sql).raw()));
    return statement.all() as unknown[][];
  });
}

/** A reading from the rows sizeQueries(spec) returned, in its order. */
export function sizeReading(spec: SizeSpec, answers: readonly QueryRows[]): SizeReading {
  const tables = tablesOf(spec);
  const number = (rows: QueryRows | undefined, what: string): number => {
    const v = rows?.[0]?.[0];
    if (typeof v !== 'number') throw new Error(`size reading: ${what} gave ${JSON.stringify(rows)}, not a number`);
    return v;
  };
  if (answers.length !== 1 + tables.length + Object.keys(spec.values ?? {}).length) {
    throw new Error(`size reading: ${answers.length} answers for the ${sizeQueries(spec).length} queries`);
  }
  const bytes = new Map(answers[0]!.map(([tbl, b]) => [tbl as string, b as number]));
  const rows = new Map(tables.map((t, i) => [t, number(answers[1 + i], `COUNT(*) FROM ${t}`)]));
  const groups: Record<string, StoreSize> = {};
  for (const [name, members] of Object.entries(spec.groups)) {
    const sizes = members.map((t) => ({ name: t, rows: rows.get(t)!, bytes: bytes.get(t) ?? 0 }));
    groups[name] = { tables: sizes, rows: sizes.reduce((s, t) => s + t.rows, 0), bytes: sizes.reduce((s, t) => s + t.bytes, 0) };
  }
  const values: Record<string, number> = {};
  Object.keys(spec.values ?? {}).forEach((name, i) => (values[name] = number(answers[1 + tables.length + i], name)));
  return { groups, values };
}

export function readSizes(db: Db, spec: SizeSpec): SizeReading {
  return sizeReading(spec, runQueries(db, sizeQueries(spec)));
}

/** Rows and bytes of each named table (an index's pages count towards the table it indexes). */
export function measure(db: Db, tables: readonly string[]): StoreSize {
  return readSizes(db, { groups: { tables } }).groups['tables']!;
}
