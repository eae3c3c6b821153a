// The size reader's thread (see size-reader.ts): one read-only connection per store. For each request it opens a
// read transaction on every store, says so through the shared flags (from then on the main thread may commit
// again), measures the snapshot it holds, and posts the readings.
import { type MessagePort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { readSizes, type Db, type SizeReading, type SizeSpec } from '../../protocol/store/sqlite.ts';

export interface StoreToRead {
  readonly path: string;
  readonly spec: SizeSpec;
}

export interface ReaderData {
  readonly stores: readonly StoreToRead[];
  /** Int32 flags: [SNAPSHOT] the last request whose read transactions are open, [DONE] the last one posted. */
  readonly flags: SharedArrayBuffer;
  readonly port: MessagePort;
}

export type ReaderReply = { readonly ticket: number; readonly readings: readonly SizeReading[] } | { readonly ticket: number; readonly error: string };

export const SNAPSHOT = 0;
export const DONE = 1;
/** Written to both flags when the reader failed: the main thread stops instead of waiting. */
export const FAILED = -1;

/** Returns the handler of one request; the connections open at the first (the stores exist by then). */
export function startReader(data: ReaderData): (ticket: number) => void {
  const flags = new Int32Array(data.flags);
  let dbs: Db[] | undefined;
  const signal = (slot: number, value: number) => {
    Atomics.store(flags, slot, value);
    Atomics.notify(flags, slot);
  };
  return (ticket) => {
    try {
      dbs ??= data.stores.map((s) => new Database(s.path, { readonly: true, fileMustExist: true }));
      // A deferred BEGIN takes its snapshot at the first read: after this loop every store is pinned to what
      // the main thread last committed, whatever it commits next.
      for (const db of dbs) {
        db.exec('BEGIN');
        db.prepare('SELECT COUNT(*) FROM sqlite_schema').pluck().get();
      }
      signal(SNAPSHOT, ticket);
      const readings = dbs.map((db, i) => readSizes(db, data.stores[i]!.spec));
      for (const db of dbs) db.exec('COMMIT');
      data.port.postMessage({ ticket, readings } satisfies ReaderReply);
      signal(DONE, ticket);
    } catch (e) {
      data.port.postMessage({ ticket, error: e instanceof Error ? e.message : String(e) } satisfies ReaderReply);
      signal(SNAPSHOT, FAILED);
      signal(DONE, FAILED);
    }
  };
}
