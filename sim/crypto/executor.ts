// Where a batch of signature jobs runs: inline on the main thread (`--threads 1`), or split into tasks on a
// piscina pool of worker threads. Either way the results come back in job order and are the same bytes, so the
// simulation cannot tell which ran them; only the wall time differs.
import { Piscina } from 'piscina';
import { runJobs, type JobResult } from './jobs.ts';
import { unpackResults, type JobBatch } from './wire.ts';
import type { Task } from './worker-task.ts';

export interface Executor {
  readonly threads: number;
  /** Results in job order. The batch is read before this returns, so it can be cleared and refilled at once. */
  run(batch: JobBatch): Promise<JobResult[]>;
  close(): Promise<void>;
  /** Tasks a dead worker took down and that ran again on a fresh one. */
  readonly retried: number;
}

export class InlineExecutor implements Executor {
  readonly threads = 1;
  readonly retried = 0;
  async run(batch: JobBatch): Promise<JobResult[]> {
    return runJobs(batch.jobs());
  }
  async close(): Promise<void> {}
}

export interface PoolOptions {
  readonly threads: number;
  /** Tasks per worker per batch: more evens out uneven jobs, fewer saves messages. */
  readonly tasksPerThread?: number;
  /** Test hook: the task with this sequence number kills its worker the first time it is sent. */
  readonly crashTask?: number;
}

/** How often a task whose worker died is sent again before the run gives up. */
const MAX_ATTEMPTS = 3;

export class PoolExecutor implements Executor {
  readonly threads: number;
  retried = 0;
  private readonly pool: Piscina;
  private readonly tasksPerThread: number;
  private sent = 0;
  private readonly crashTask: number | undefined;

  constructor(o: PoolOptions) {
    this.threads = o.threads;
    this.tasksPerThread = o.tasksPerThread ?? 2;
    this.crashTask = o.crashTask;
    this.pool = new Piscina({
      filename: new URL('./worker.mjs', import.meta.url).href,
      minThreads: o.threads,
      maxThreads: o.threads,
      // Workers stay up for the whole run: starting one (tsx, key parsing) costs far more than a batch.
      idleTimeout: 60_000,
      // Tasks go to a worker as soon as they are sent, not when the main thread hands it the next: the main
      // thread runs the simulation without yielding to its event loop, so a worker holding one task at a time
      // sat idle between its task and the next barrier (the main thread waited 7.6 s of a 16.5 s run instead
      // of 5.0; npm run bench -- sim).
      concurrentTasksPerWorker: 8,
    });
  }

  run(batch: JobBatch): Promise<JobResult[]> {
    const tasks = batch.cuts(this.threads * this.tasksPerThread).map(([from, to]) => batch.task(from, to));
    return Promise.all(tasks.map((task) => this.runTask(task))).then((parts) => parts.flat());
  }

  /** One task, sent again on a fresh worker if its worker dies; each attempt transfers a copy, so a retry has the bytes. */
  private async runTask(packed: Uint8Array): Promise<JobResult[]> {
    const seq = this.sent++;
    for (let attempt = 1; ; attempt++) {
      const jobs = packed.slice();
      const task: Task = { jobs, ...(seq === this.crashTask && attempt === 1 ? { crash: true } : {}) };
      try {
        const out = (await this.pool.run(task, { transferList: [jobs.buffer as ArrayBuffer] })) as Uint8Array;
        return unpackResults(out);
      } catch (e) {
        // A job's own failure comes back as a result, never as a rejection: a rejection means the worker died
        // (out of memory, a crash in native code). The jobs are pure, so running them again gives the same bytes.
        if (attempt >= MAX_ATTEMPTS) {
          throw new Error(`crypto worker failed ${attempt} times on a task of ${new DataView(packed.buffer).getUint32(0)} jobs: ${e instanceof Error ? e.message : String(e)}`);
        }
        this.retried++;
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.close({ force: true });
  }
}

export function makeExecutor(threads: number, o: Omit<PoolOptions, 'threads'> = {}): Executor {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a whole number >= 1, got ${threads}`);
  return threads === 1 ? new InlineExecutor() : new PoolExecutor({ threads, ...o });
}
