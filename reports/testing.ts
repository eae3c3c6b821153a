// Run sets for the report's tests: every shipped scenario, shrunk to a few seconds of simulation, written to a
// directory as `ecashsim run` lays out a sweep (one directory per run, results.json with its `sweep` point). The
// shapes are the shipped ones (sweep values, fraud kinds, key schemes, disasters); only the scale is smaller.

import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeRunFiles } from '../sim/output.ts';
import type { ModelConfig } from '../sim/model/config.ts';
import { loadScenario } from '../sim/scenario/load.ts';
import { toModelConfig } from '../sim/scenario/model-config.ts';
import { expandSweep } from '../sim/scenario/sweep.ts';
import { simulate } from '../sim/simulate.ts';

export const SCENARIO_DIR = fileURLToPath(new URL('../scenarios/', import.meta.url));

export interface Shrink {
  readonly users: number;
  readonly shops: number;
  readonly banks: number;
  /** Longest simulated time; a longer scenario has its whole timeline (frauds, disasters, epochs, expiry) compressed to fit. */
  readonly days: number;
  /** At most this many replications per sweep value (two, so there is an interval to draw). */
  readonly replications: number;
  /** At most this many sweep values (the first ones), to keep slow key schemes in budget. */
  readonly values?: number;
}

export const SMALL: Shrink = { users: 12, shops: 3, banks: 2, days: 2, replications: 2 };

/** Real BLS signatures verify at ~25/s: the key-scheme comparison gets a village for a day. */
export const TINY: Shrink = { users: 6, shops: 2, banks: 2, days: 1, replications: 1 };

/** The shrink a shipped scenario gets in tests: `signatures: real` scenarios comparing slow schemes get TINY. */
export function shrinkFor(file: string): Shrink {
  return file.startsWith('key-schemes') ? TINY : SMALL;
}

const DAY = 86_400;

export function shrinkConfig(cfg: ModelConfig, s: Shrink): ModelConfig {
  const f = Math.min(1, (s.days * DAY) / cfg.duration);
  const scale = (t: number) => (Number.isFinite(t) ? t * f : t);
  const duration = cfg.duration * f;
  return {
    ...cfg,
    duration,
    users: Math.min(cfg.users, s.users),
    shops: Math.min(cfg.shops, s.shops),
    banks: Math.min(cfg.banks, s.banks),
    coins: { ...cfg.coins, lifetime: scale(cfg.coins.lifetime), refreshBefore: scale(cfg.coins.refreshBefore), epochLength: scale(cfg.coins.epochLength) },
    connectivity: {
      ...cfg.connectivity,
      ...(cfg.connectivity.disaster === undefined
        ? {}
        : { disaster: { ...cfg.connectivity.disaster, start: scale(cfg.connectivity.disaster.start), duration: scale(cfg.connectivity.disaster.duration) } }),
    },
    fraud: cfg.fraud.map((fr) => ({ ...fr, at: fr.at.map(scale) })),
    // Enough samples for a line: at least 24 over the run.
    sampleInterval: Math.min(cfg.sampleInterval, duration / 24),
  };
}

/** The shipped scenario files, by name. */
export function shippedScenarios(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort();
}

/**
 * Runs one shipped scenario (shrunk) as `ecashsim run` lays it out: `<root>/<name>/runs.json` listing the runs in
 * sweep order, one directory per run at `<slug>/rep-<r>/`, and in each results.json the runner's
 * `sweep: {label, replication}`. Returns the scenario's output directory.
 */
export async function writeScenarioRuns(file: string, root: string, shrink: Shrink = shrinkFor(file)): Promise<string> {
  const scenario = loadScenario(join(SCENARIO_DIR, file));
  const runs = expandSweep(scenario).filter((r) => r.replication < shrink.replications && (shrink.values === undefined || r.point < shrink.values));
  const out = join(root, scenario.name);
  const index = { tool: 'ecashsim', scenario: scenario.name, runs: runs.map((r) => ({ label: r.label, slug: r.slug, replication: r.replication, seed: r.seed, dir: join(r.slug, `rep-${r.replication}`) })) };
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'runs.json'), `${JSON.stringify(index, null, 2)}\n`);
  for (const [i, run] of runs.entries()) {
    const simulated = await simulate(shrinkConfig(toModelConfig(run.scenario), shrink), { versions: { ecashsim: 'test' } });
    const results = { ...simulated.results, sweep: { label: run.label, replication: run.replication } };
    writeRunFiles(join(out, index.runs[i]?.dir ?? run.slug), { results, samples: simulated.model.samples });
  }
  return out;
}
