// One run of the model: build, schedule, run, and collect what results.json needs. No file I/O here
// (sim/run.ts writes), so a test can run a model in memory.
import { performance } from 'node:perf_hooks';
import { makeExecutor, type Executor } from './crypto/executor.ts';
import { streams } from './engine/index.ts';
import type { ModelConfig } from './model/config.ts';
import { scheduleFrauds } from './model/fraud.ts';
import { Model } from './model/model.ts';
import type { StorePaths } from './model/parties.ts';
import { buildResults, type Results, type WallProgress } from './model/results.ts';
import { limitHeapGrowth } from './heap.ts';

export interface SimulateOptions {
  /** SQLite files for the three stores; in memory when omitted. */
  readonly paths?: StorePaths;
  readonly onProgress?: (simTime: number, model: Model) => void;
  readonly shouldStop?: () => boolean;
  /**
   * Threads doing signature work: 1 runs it on the main thread; N runs it on N - 1 worker threads and the main
   * thread, which takes its share while it waits for a batch. Results are the same.
   */
  readonly threads?: number;
  /** Signature jobs per batch (default DEFAULT_BATCH_SIZE). */
  readonly batchSize?: number;
  /** Batches in flight before a barrier waits (sim/crypto/signature-work.ts; default 2). */
  readonly depth?: number;
  /** An executor to use instead of making one from `threads` (tests: a pool that crashes a worker). */
  readonly executor?: Executor;
  readonly versions?: Record<string, string>;
}

export interface Simulated {
  readonly model: Model;
  readonly results: Results;
  readonly complete: boolean;
}

/** Jobs per batch: `npm run bench -- sim --batch` measures the choice (see README, Speed). */
export const DEFAULT_BATCH_SIZE = 4096;

const IN_MEMORY: StorePaths = { proposed: ':memory:', baseline: ':memory:', epochPruned: ':memory:' };

export async function simulate(cfg: ModelConfig, o: SimulateOptions = {}): Promise<Simulated> {
  limitHeapGrowth();
  const started = performance.now();
  const threads = o.executor?.threads ?? o.threads ?? 1;
  const executor = o.executor ?? makeExecutor(threads);
  try {
    const model = new Model(cfg, streams(cfg.seed), o.paths ?? IN_MEMORY, { executor, batchSize: o.batchSize ?? DEFAULT_BATCH_SIZE, depth: o.depth });
    model.start();
    scheduleFrauds(model);
    const progress: WallProgress = { t: [], wallSeconds: [], payments: [], signaturesSigned: [] };
    const complete = await model.run((t) => {
      const s = model.parties.signatures;
      progress.t.push(t);
      progress.wallSeconds.push(Math.round(performance.now() - started) / 1000);
      progress.payments.push(model.counts.payments);
      progress.signaturesSigned.push(s.signed + s.blindSigned);
      o.onProgress?.(t, model);
    }, o.shouldStop);
    const results = buildResults(model, {
      scenario: cfg.name,
      seed: cfg.seed,
      versions: o.versions ?? {},
      wallSeconds: (performance.now() - started) / 1000,
      threads,
      partial: !complete,
      retried: executor.retried,
      mainThreadJobs: executor.mainThreadJobs,
      progress,
    });
    return { model, results, complete };
  } finally {
    if (o.executor === undefined) await executor.close();
  }
}
