// Where a batch of signature jobs runs: inline on the main thread (`--threads 1`), or shared by the workers of a
// piscina pool of worker threads. Either way the results come back in job order and are the same bytes, so the
// simulation cannot tell which ran them; only the wall time differs.
import { Piscina } from 'piscina';
import { runJobs, type JobResult } from './jobs.ts';
import { unpackClaims, type Claim, type JobBatch } from './wire.ts';
import { workerEntry } from './worker-entry.ts';
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
  /** Test hook: the task with this sequence number kills its worker the first time it is sent. */
  readonly crashTask?: number;
}

/** How often a batch's jobs lost to a dead worker are sent again before the run gives up. */
const MAX_ATTEMPTS = 3;

export class PoolExecutor implements Executor {
  readonly threads: number;
  retried = 0;
  private readonly pool: Promise<Piscina>;
  private sent = 0;
  private readonly crashTask: number | undefined;

  constructor(o: PoolOptions) {
    this.threads = o.threads;
    this.crashTask = o.crashTask;
    // The pool starts once its workers' entry is bundled (worker-entry.ts), while the main thread goes on.
    this.pool = workerEntry().then(
      (entry) =>
        new Piscina({
          filename: entry.filename,
          execArgv: entry.execArgv,
          minThreads: o.threads,
          maxThreads: o.threads,
          // Workers stay up for the whole run: starting one costs far more than a batch.
          idleTimeout: 60_000,
          // Tasks go to a worker as soon as they are sent, not when the main thread hands it the next: the main
          // thread runs the simulation without yielding to its event loop, so a worker holding one task at a
          // time sat idle between its task and the next barrier (the main thread waited 7.6 s of a 16.5 s run
          // instead of 5.0; npm run bench -- sim).
          concurrentTasksPerWorker: 8,
        }),
    );
  }

  /**
   * Every worker gets a task on the same shared batch and claims jobs from it until none are left (worker-task.ts).
   * A worker that dies takes its claimed jobs' results with it: those jobs, and only those, are sent again. The
   * jobs are pure, so running them again gives the same bytes.
   */
  async run(batch: JobBatch): Promise<JobResult[]> {
    const shared = batch.share();
    const results: (JobResult | undefined)[] = new Array(batch.length);
    let tasks: Task[] = Array.from({ length: this.threads }, () => ({ batch: shared }));
    for (let attempt = 1; ; attempt++) {
      const answers = await Promise.allSettled(tasks.map((t) => this.send(t)));
      let died: unknown;
      for (const a of answers) {
        if (a.status === 'fulfilled') place(results, a.value);
        else {
          died = a.reason;
          this.retried++;
        }
      }
      const missing = gaps(results);
      if (missing.length === 0) return results as JobResult[];
      if (died === undefined) throw new Error(`crypto workers left ${missing.length} job ranges of a batch unrun`);
      if (attempt >= MAX_ATTEMPTS) {
        throw new Error(`crypto worker failed ${attempt} times on a batch of ${batch.length} jobs: ${died instanceof Error ? died.message : String(died)}`);
      }
      // A job's own failure comes back as a result, never as a rejection: a rejection means the worker died
      // (out of memory, a crash in native code).
      tasks = [{ batch: shared, ranges: missing }];
    }
  }

  private async send(t: Task): Promise<Claim[]> {
    const seq = this.sent++;
    const task: Task = seq === this.crashTask ? { ...t, crash: true } : t;
    return unpackClaims((await (await this.pool).run(task)) as Uint8Array);
  }

  async close(): Promise<void> {
    await (await this.pool).close({ force: true });
  }
}

/** Puts a task's results in job order; a job answered twice is a bug in the claiming, not something to paper over. */
function place(results: (JobResult | undefined)[], claims: readonly Claim[]): void {
  for (const { from, results: rs } of claims) {
    if (from + rs.length > results.length) throw new Error(`crypto workers: results for jobs [${from}, ${from + rs.length}) of a batch of ${results.length}`);
    for (let k = 0; k < rs.length; k++) {
      if (results[from + k] !== undefined) throw new Error(`crypto workers: job ${from + k} of a batch was answered twice`);
      results[from + k] = rs[k];
    }
  }
}

/** The [from, to) ranges of jobs still without a result. */
function gaps(results: readonly (JobResult | undefined)[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < results.length; i++) {
    if (results[i] !== undefined) continue;
    const from = i;
    while (i < results.length && results[i] === undefined) i++;
    out.push([from, i]);
  }
  return out;
}

export function makeExecutor(threads: number, o: Omit<PoolOptions, 'threads'> = {}): Executor {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a whole number >= 1, got ${threads}`);
  return threads === 1 ? new InlineExecutor() : new PoolExecutor({ threads, ...o });
}
