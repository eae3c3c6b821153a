// The size reader's thread (see size-reader.ts): one read-only connection per store. For each request it opens a
// read transaction on every store, says so through the shared flags (from then on the main thread may commit
// again), runs each store's queries on the snapshot it holds, and posts the rows.
//
// Plain JavaScript with nothing of the simulator's loaded: the queries come as SQL (sizeQueries in
// protocol/store/sqlite.ts), so this thread needs neither tsx nor TypeScript. It adds about 19 MB to the
// process against 30 MB for a thread that registered tsx and loaded the TypeScript store module.
//
// The flags and messages are size-reader.ts's: flag 0 is the last request whose read transactions are open,
// flag 1 the last one answered, both -1 if the reader failed (its message says why).
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const SNAPSHOT = 0;
const DONE = 1;
const FAILED = -1;

const { stores, port } = workerData;
const flags = new Int32Array(workerData.flags);
let dbs;

function signal(slot, value) {
  Atomics.store(flags, slot, value);
  Atomics.notify(flags, slot);
}

parentPort.on('message', (ticket) => {
  try {
    dbs ??= stores.map((s) => new Database(s.path, { readonly: true, fileMustExist: true }));
    // A deferred BEGIN takes its snapshot at the first read: after this loop every store is pinned to what the
    // main thread last committed, whatever it commits next.
    for (const db of dbs) {
      db.exec('BEGIN');
      db.prepare('SELECT COUNT(*) FROM sqlite_schema').get();
    }
    signal(SNAPSHOT, ticket);
    const answers = dbs.map((db, i) => stores[i].queries.map((sql) => db.prepare(sql).raw().all()));
    for (const db of dbs) db.exec('COMMIT');
    port.postMessage({ ticket, answers });
    signal(DONE, ticket);
  } catch (e) {
    port.postMessage({ ticket, error: e instanceof Error ? e.message : String(e) });
    signal(SNAPSHOT, FAILED);
    signal(DONE, FAILED);
  }
});
