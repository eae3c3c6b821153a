// One run of the model: build, schedule, run, and collect what results.json needs. No file I/O here
// (sim/run.ts writes), so a test can run a model in memory.
import { performance } from 'node:perf_hooks';
import { streams } from './engine/index.ts';
import type { ModelConfig } from './model/config.ts';
import { scheduleFrauds } from './model/fraud.ts';
import { Model } from './model/model.ts';
import type { StorePaths } from './model/parties.ts';
import { buildResults, type Results } from './model/results.ts';

export interface SimulateOptions {
  /** SQLite files for the three stores; in memory when omitted. */
  readonly paths?: StorePaths;
  readonly onProgress?: (simTime: number, model: Model) => void;
  readonly shouldStop?: () => boolean;
  readonly threads?: number;
  readonly versions?: Record<string, string>;
}

export interface Simulated {
  readonly model: Model;
  readonly results: Results;
  readonly complete: boolean;
}

const IN_MEMORY: StorePaths = { proposed: ':memory:', baseline: ':memory:', epochPruned: ':memory:' };

export function simulate(cfg: ModelConfig, o: SimulateOptions = {}): Simulated {
  const started = performance.now();
  const model = new Model(cfg, streams(cfg.seed), o.paths ?? IN_MEMORY);
  model.start();
  scheduleFrauds(model);
  const complete = model.run((t) => o.onProgress?.(t, model), o.shouldStop);
  const results = buildResults(model, {
    scenario: cfg.name,
    seed: cfg.seed,
    versions: o.versions ?? {},
    wallSeconds: (performance.now() - started) / 1000,
    threads: o.threads ?? 1,
    partial: !complete,
  });
  return { model, results, complete };
}
