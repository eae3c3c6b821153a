// Size samples read on another thread. A sample reads every page of each store (dbstat) and counts every
// table's rows: at the end of a national week that is 0.7 s for the 617 MB proposed file, and in the week's
// last quarter a tenth of the main thread's time. In WAL mode a second connection that begins reading right
// after a commit sees exactly that commit, whatever the run writes after it: uncommitted writes are invisible
// to it, and the next commit waits until it holds its snapshot. So the model commits, asks for a reading and
// goes on; the figures are the ones a read on the main thread at that moment gives. The reader's own page
// cache also leaves the main connection's cache as the issuer's work left it, not full of a scan's pages.
//
// Only file stores can be read this way: an in-memory database has no other connection.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { sizeQueries, sizeReading, type QueryRows, type SizeReading, type SizeSpec } from '../../protocol/store/sqlite.ts';

export interface StoreToRead {
  readonly path: string;
  readonly spec: SizeSpec;
}

/** What size-reader-thread.mjs is started with. */
interface ReaderData {
  readonly stores: readonly { readonly path: string; readonly queries: readonly string[] }[];
  /** Int32 flags: [SNAPSHOT] the last request whose read transactions are open, [DONE] the last one answered. */
  readonly flags: SharedArrayBuffer;
  readonly port: MessagePort;
}

/** Its answer to a request: each store's query rows, in the order of `stores`. */
type ReaderReply = { readonly ticket: number; readonly answers: readonly (readonly QueryRows[])[] } | { readonly ticket: number; readonly error: string };

const SNAPSHOT = 0;
const DONE = 1;
/** Written to both flags when the reader failed: the main thread stops instead of waiting. */
const FAILED = -1;

/** How long the main thread waits for the reader before it gives up: far beyond any sample's read. */
const PATIENCE_MS = 10 * 60_000;

export class SizeReader {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flags = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  /** The last request made; requests are numbered from 1. */
  private ticket = 0;
  /** The last request whose readings were taken. */
  private taken = 0;

  constructor(private readonly stores: readonly StoreToRead[]) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const workerData: ReaderData = {
      stores: stores.map((s) => ({ path: s.path, queries: sizeQueries(s.spec) })),
      flags: this.flags.buffer as SharedArrayBuffer,
      port: port2,
    };
    this.worker = new Worker(new URL('./size-reader-thread.mjs', import.meta.url), { workerData, transferList: [port2] });
    // Neither keeps the process alive: the main thread waits on the flags, not on events.
    this.worker.unref();
    this.port.unref();
  }

  /** Asks for a reading of every store as last committed. The caller calls beforeCommit() before it commits again. */
  request(): void {
    this.worker.postMessage(++this.ticket);
  }

  /** Waits (briefly, if at all) until the reader holds its snapshot of the last request: committing is then safe. */
  beforeCommit(): void {
    this.waitFor(SNAPSHOT, this.ticket);
  }

  /** Number of requests whose readings have not been taken yet. */
  get pending(): number {
    return this.ticket - this.taken;
  }

  /**
   * The readings of finished requests, oldest first, one array (one reading per store) each; with `wait`, of
   * every request made so far.
   */
  take(wait: boolean): SizeReading[][] {
    if (wait) this.waitFor(DONE, this.ticket);
    const out: SizeReading[][] = [];
    while (this.taken < this.ticket) {
      const m = receiveMessageOnPort(this.port)?.message as ReaderReply | undefined;
      if (m === undefined) break;
      if ('error' in m) throw new Error(`size reader: ${m.error}`);
      if (m.ticket !== this.taken + 1) throw new Error(`size reader: reading ${m.ticket} came when ${this.taken + 1} was due`);
      this.taken = m.ticket;
      out.push(m.answers.map((answers, i) => sizeReading(this.stores[i]!.spec, answers)));
    }
    if (wait && this.taken < this.ticket) throw new Error(`size reader: request ${this.ticket} done but its reading is missing`);
    return out;
  }

  close(): void {
    void this.worker.terminate();
    this.port.close();
  }

  private waitFor(slot: number, ticket: number): void {
    const deadline = Date.now() + PATIENCE_MS;
    for (;;) {
      const seen = Atomics.load(this.flags, slot);
      if (seen === FAILED) this.fail();
      if (seen >= ticket) return;
      if (Date.now() > deadline) throw new Error(`size reader: no answer to request ${ticket} in ${PATIENCE_MS / 1000} s`);
      Atomics.wait(this.flags, slot, seen, 1000);
    }
  }

  private fail(): never {
    for (let m = receiveMessageOnPort(this.port); m !== undefined; m = receiveMessageOnPort(this.port)) {
      const reply = m.message as ReaderReply;
      if ('error' in reply) throw new Error(`size reader: ${reply.error}`);
    }
    throw new Error('size reader: the reader thread failed');
  }
}
