// Where a batch of signature jobs runs: inline on the main thread (`--threads 1`), or with N threads, on N - 1
// piscina workers and the main thread, which takes its share while it would otherwise wait for a batch (help).
// Either way the results come back in job order and are the same bytes, so the simulation cannot tell which
// thread ran them; only the wall time differs.
import { Piscina } from 'piscina';
import { runJobs } from './jobs.ts';
import { BatchResults } from './results.ts';
import { AnswerWriter, SharedBatch, type JobBatch } from './wire.ts';
import { workerEntry, type WorkerEntry } from './worker-entry.ts';
import { runClaims, type Task } from './worker-task.ts';

export interface Executor {
  /** Threads doing signature work, the main thread counted. */
  readonly threads: number;
  /** Results in job order. The batch is read before this returns, so it can be cleared and refilled at once. */
  run(batch: JobBatch): Promise<BatchResults>;
  /**
   * Runs, on the calling thread and before returning, the jobs of a batch `run` returned as `running` that no
   * thread has taken yet: called by the main thread just before it waits for that batch.
   */
  help?(running: Promise<BatchResults>): void;
  /**
   * Waits for every answer still due from the workers: for a batch the main thread ran to the end alone, `run`
   * resolves without waiting for the workers to say they found nothing, and a worker that died meanwhile is
   * counted (retried) only once its answer is in.
   */
  answered?(): Promise<void>;
  close(): Promise<void>;
  /** Tasks lost with a dead worker; their jobs then ran on the main thread. */
  readonly retried: number;
  /** Jobs the main thread ran: all of them inline, its share at barriers (and a dead worker's) with a pool. */
  readonly mainThreadJobs: number;
}

export class InlineExecutor implements Executor {
  readonly threads = 1;
  readonly retried = 0;
  mainThreadJobs = 0;
  async run(batch: JobBatch): Promise<BatchResults> {
    this.mainThreadJobs += batch.length;
    return BatchResults.of(runJobs(batch.jobs()));
  }
  async close(): Promise<void> {}
}

export interface PoolOptions {
  /** Threads doing signature work: the main thread and threads - 1 workers (at least 2). */
  readonly threads: number;
  /** Test hook: the task with this sequence number kills its worker the first time it is sent. */
  readonly crashTask?: number;
  /** Test hook: the workers' entry instead of the bundle (worker-entry.ts). */
  readonly entry?: WorkerEntry;
  /** Test hook: tasks lost in a row before the pool counts as broken (default MAX_LOST_IN_A_ROW). */
  readonly maxLostInARow?: number;
}

/**
 * Tasks a worker holds at once (piscina's concurrentTasksPerWorker); a worker that dies takes them all down.
 * Tasks past that wait in piscina's queue, which only moves when the main thread yields: a long event that
 * streams its jobs (SignatureWork.stream, the issuer checking a bank's return: some 45 batches) would leave the
 * worker idle once it had run the first few.
 */
const TASKS_PER_WORKER = 64;
/**
 * Tasks lost in a row, with none answered between them, before the pool counts as broken (a worker file that
 * will not load, a crash on every task) and the run stops: three workers' deaths, each with all it held.
 */
const MAX_LOST_IN_A_ROW = 3 * TASKS_PER_WORKER;

/** The smallest shared buffer made for a batch (a 64-job batch of verifications takes about 13 KB). */
const MIN_SHARED_BYTES = 64 * 1024;
/** Shared buffers kept for reuse: a few more than the batches in flight at once outside a stream. */
const MAX_SPARES = 8;

/** A batch being run: its shared jobs, and the results placed so far. */
interface Running {
  readonly batch: SharedBatch;
  readonly results: BatchResults;
  /** Every result is in and every worker has answered: the shared buffer may hold another batch. */
  done: boolean;
  /** Resolves when the main thread has run every job of the batch itself (help). */
  readonly ranHere: Promise<'ran here'>;
  readonly ranAll: () => void;
}

export class PoolExecutor implements Executor {
  readonly threads: number;
  retried = 0;
  mainThreadJobs = 0;
  private readonly workers: number;
  private readonly pool: Promise<Piscina>;
  /** The pool, once it is made. */
  private ready: Piscina | undefined;
  private sent = 0;
  private readonly crashTask: number | undefined;
  private readonly running = new WeakMap<Promise<BatchResults>, Running>();
  private lostInARow = 0;
  private readonly maxLostInARow: number;
  /** Shared buffers of batches every thread is done with, for the next batches (spare). */
  private readonly spares: SharedArrayBuffer[] = [];
  /** The workers' answers still due for batches the main thread ran alone (collect). */
  private readonly late = new Set<Promise<void>>();
  /**
   * The pool's own error, once it reports one: a worker that cannot start (its file will not load). piscina
   * rejects the task at hand, and any task after it would wait forever, so every batch waiting then fails.
   */
  private failure: Error | undefined;
  /** Rejects the batches waiting now, when the pool breaks (brokenWhileWaiting). */
  private readonly waiting = new Set<(e: Error) => void>();

  constructor(o: PoolOptions) {
    if (!Number.isInteger(o.threads) || o.threads < 2) throw new RangeError(`a pool needs 2 threads or more (the main thread and a worker), got ${o.threads}`);
    this.threads = o.threads;
    this.workers = o.threads - 1;
    this.crashTask = o.crashTask;
    this.maxLostInARow = o.maxLostInARow ?? MAX_LOST_IN_A_ROW;
    // The pool starts once its workers' entry is bundled (worker-entry.ts), while the main thread goes on.
    this.pool = (o.entry === undefined ? workerEntry() : Promise.resolve(o.entry)).then((entry) => {
      const pool = new Piscina({
        filename: entry.filename,
        execArgv: entry.execArgv,
        minThreads: this.workers,
        maxThreads: this.workers,
        // Workers stay up for the whole run: starting one costs far more than a batch.
        idleTimeout: 60_000,
        // Tasks go to a worker as soon as they are sent, not when the main thread hands it the next: the main
        // thread runs the simulation without yielding to its event loop, so a worker holding one task at a
        // time sat idle between its task and the next barrier (the main thread waited 7.6 s of a 16.5 s run
        // instead of 5.0; npm run bench -- sim).
        concurrentTasksPerWorker: TASKS_PER_WORKER,
        // Each task as a message event of its own. With Atomics (piscina's default) a worker reads every task
        // queued for it in one go and runs them all before the first one's answer is posted (each answer
        // waits in a microtask behind the later tasks' work), so the main thread, waiting for the oldest
        // batch, waited for every batch sent after it as well: 255 ms at once at the start of the bench's
        // 2-thread run.
        atomics: 'disabled',
      });
      pool.on('error', (e: unknown) => this.breakPool(new Error(`crypto workers: the pool failed: ${e instanceof Error ? e.message : String(e)}`)));
      this.ready = pool;
      return pool;
    });
  }

  /**
   * Every worker gets a task on the same shared batch and claims jobs from it until none are left (worker-task.ts);
   * the main thread claims from it too when it helps. A worker that dies takes its claimed jobs' results with
   * it: those jobs, and only those, then run on the main thread. The jobs are pure: the same bytes either way.
   */
  run(batch: JobBatch): Promise<BatchResults> {
    const shared = batch.share(this.spare(batch.sharedBytes));
    let ranAll: () => void = () => {};
    const ranHere = new Promise<'ran here'>((resolve) => (ranAll = () => resolve('ran here')));
    const r: Running = { batch: new SharedBatch(shared), results: new BatchResults(batch.length), done: false, ranHere, ranAll };
    const results = this.collect(shared, r);
    this.running.set(results, r);
    return results;
  }

  help(running: Promise<BatchResults>): void {
    const r = this.running.get(running);
    if (r === undefined || r.done) return;
    const answer = new AnswerWriter();
    runClaims(r.batch, answer);
    if (answer.jobs > 0) this.mainThreadJobs += r.results.place(answer.done());
    // Results are placed from a worker's answer only once every task has answered, so a full batch now is one
    // the main thread ran alone: the workers (still starting, or busy with an older batch) claimed nothing.
    if (r.results.placed === r.results.length) r.ranAll();
  }

  private runHere(r: Running, from: number, to: number): void {
    const answer = new AnswerWriter();
    answer.claim(from, runJobs(r.batch.jobs(from, to)));
    this.mainThreadJobs += r.results.place(answer.done());
  }

  private async collect(shared: SharedArrayBuffer, r: Running): Promise<BatchResults> {
    // A pool that cannot start (no worker file, flags a worker refuses) is the run's error, not a dead worker.
    const sendAll = (pool: Piscina) =>
      // A batch already claimed to the end has nothing for a worker, which may still be starting: no task.
      Promise.allSettled(Array.from({ length: r.batch.allClaimed ? 0 : this.workers }, () => this.send(pool, { batch: shared })));
    // With the pool up, the tasks are posted now, not in a microtask: a batch sent in the middle of a long event
    // (stream()) reaches the workers then, not once the main thread is back from the event.
    const answering = this.ready !== undefined ? sendAll(this.ready) : this.pool.then(sendAll);
    // The main thread may run the whole batch while it waits (help): then it need not wait for the workers to
    // answer that they found nothing left, which at the start of a run means waiting for them to start.
    const broken = this.brokenWhileWaiting();
    const answers = await Promise.race([answering, r.ranHere, broken.promise]).finally(broken.done);
    if (answers === 'ran here') {
      const late = answering.then(
        (a) => {
          this.lateAnswers(a);
          this.release(r, shared);
        },
        () => {},
      );
      this.late.add(late);
      void late.then(() => this.late.delete(late));
      // One turn of the event loop: the main thread runs the simulation without yielding, and a batch it ran
      // alone lands through microtasks only, so without this the pool would never come up (its bundle is
      // checked with asynchronous I/O, its workers report through the loop) and the main thread would run
      // every batch alone.
      await new Promise<void>((resolve) => setImmediate(resolve));
      return r.results;
    }
    let died: unknown;
    for (const a of answers) {
      if (a.status === 'fulfilled') {
        r.results.place(a.value);
        this.lostInARow = 0;
        continue;
      }
      // A job's own failure comes back as a result, never as a rejection: a rejection means the worker died
      // (out of memory, a crash in native code), or could not start.
      died = a.reason;
      const broken = this.taskLost(died);
      if (broken !== undefined) throw broken;
    }
    // Every job was claimed before the last task ended, and the main thread's claims ran as it made them: a
    // gap is a dead worker's.
    const missing = r.results.gaps();
    if (missing.length > 0 && died === undefined) throw new Error(`crypto workers left ${missing.length} job ranges of a batch unrun`);
    for (const [from, to] of missing) this.runHere(r, from, to);
    this.release(r, shared);
    return r.results;
  }

  private breakPool(e: Error): void {
    this.failure ??= e;
    for (const reject of this.waiting) reject(this.failure);
    this.waiting.clear();
  }

  /**
   * A promise that rejects if the pool breaks before `done` is called. Not one promise for the pool's life: each
   * Promise.race against a promise that never settles leaves a reaction on it, which holds the race's result,
   * so every batch's answers stayed reachable to the end of the run.
   */
  private brokenWhileWaiting(): { promise: Promise<never>; done: () => void } {
    let reject: (e: Error) => void = () => {};
    const promise = new Promise<never>((_, r) => (reject = r));
    promise.catch(() => {});
    if (this.failure !== undefined) reject(this.failure);
    else this.waiting.add(reject);
    return { promise, done: () => this.waiting.delete(reject) };
  }

  /**
   * A shared buffer for a batch of `bytes`: a spare one if one is big enough, else a new one rounded up to a
   * power of two, so that it fits later batches. A new SharedArrayBuffer is zeroed memory the main thread then
   * writes page by page; batches come every few milliseconds while the issuer streams a return.
   */
  private spare(bytes: number): SharedArrayBuffer {
    const i = this.spares.findIndex((b) => b.byteLength >= bytes);
    if (i >= 0) return this.spares.splice(i, 1)[0]!;
    return new SharedArrayBuffer(Math.max(MIN_SHARED_BYTES, 2 ** Math.ceil(Math.log2(bytes))));
  }

  /** Once every thread is done with a batch, its buffer may hold another. */
  private release(r: Running, shared: SharedArrayBuffer): void {
    r.done = true;
    if (this.spares.length < MAX_SPARES) this.spares.push(shared);
  }

  /**
   * The answers to a batch the main thread ran alone: every one must be empty, as the batch was claimed to the end
   * before the workers looked. A worker that died meanwhile lost nothing; it counts toward a broken pool all the
   * same.
   */
  private lateAnswers(answers: readonly PromiseSettledResult<Uint8Array>[]): void {
    for (const a of answers) {
      if (a.status === 'rejected') {
        const broken = this.taskLost(a.reason);
        if (broken !== undefined) this.breakPool(broken);
      } else if (BatchResults.count(a.value) > 0) {
        // A bug in the claiming; the batch it belongs to has landed, so it stops the next one.
        this.breakPool(new Error('crypto workers: a worker ran jobs of a batch the main thread had run to the end'));
      }
    }
  }

  /** Counts a task lost with a dead worker; past too many in a row, the error that stops the run. */
  private taskLost(reason: unknown): Error | undefined {
    this.retried++;
    if (++this.lostInARow < this.maxLostInARow) return undefined;
    return new Error(`crypto workers: ${this.lostInARow} tasks lost in a row, none answered: ${reason instanceof Error ? reason.message : String(reason)}`);
  }

  /** The task's answer, packed (AnswerWriter). */
  private async send(pool: Piscina, t: Task): Promise<Uint8Array> {
    const seq = this.sent++;
    const task: Task = seq === this.crashTask ? { ...t, crash: true } : t;
    return (await pool.run(task)) as Uint8Array;
  }

  async answered(): Promise<void> {
    while (this.late.size > 0) await Promise.all(this.late);
  }

  async close(): Promise<void> {
    // A pool that never started has nothing to close, and its error is the run's, raised where a batch waited.
    const pool = await this.pool.catch(() => undefined);
    await pool?.close({ force: true });
  }
}

export function makeExecutor(threads: number, o: Omit<PoolOptions, 'threads'> = {}): Executor {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a whole number >= 1, got ${threads}`);
  return threads === 1 ? new InlineExecutor() : new PoolExecutor({ threads, ...o });
}
