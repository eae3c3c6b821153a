// Expanding a scenario's sweep into single runs (OMNeT++'s iteration variables and repetitions). Replication r of
// every sweep value shares one seed, so two values are compared on the same random workload (common random
// numbers) and their difference is the parameter's effect, not noise; replication 0 uses the scenario's own
// seed, so a scenario without a sweep runs with exactly the seed it names.

import { createHash } from 'node:crypto';
import { ScenarioError, describeIssue } from './errors.ts';
import { isPlainObject } from './paths.ts';
import { sweepVariant } from './schema.ts';
import type { Scenario } from './schema.ts';

export interface ScenarioRun {
  /** The scenario of this run: the sweep value applied, `sweep` removed, `seed` set to `seed`. */
  readonly scenario: Scenario;
  /** The sweep point, e.g. `policy.detection=tree`; `base` when there is no sweep. */
  readonly label: string;
  /** `label` made safe as a directory name, unique within the sweep. */
  readonly slug: string;
  /** Index of the sweep value (0 when there is no sweep). */
  readonly point: number;
  /** 0-based replication index. */
  readonly replication: number;
  readonly seed: number;
}

/** The seed of replication `r` of a scenario seeded `base`: `base` itself for r = 0, else a 48-bit hash. */
export function replicationSeed(base: number, r: number): number {
  if (r === 0) return base;
  const digest = createHash('sha256').update(`ecashsim.replication\0${base}\0${r}`).digest();
  return digest.readUIntBE(0, 6);
}

/** One run per (sweep value, replication), values in file order, replications in order within each value. */
export function expandSweep(scenario: Scenario): ScenarioRun[] {
  const sweep = scenario.sweep;
  const replications = sweep?.replications ?? 1;
  const points: Array<{ scenario: Scenario; label: string }> = [];
  if (sweep?.parameter !== undefined && sweep.values !== undefined) {
    const parameter = sweep.parameter;
    sweep.values.forEach((value, i) => {
      const variant = sweepVariant(scenario, parameter, value);
      if (!variant.success) {
        // Only reachable with a Scenario that did not come from the schema; validation checks every value.
        const problems = variant.error.issues.flatMap((issue) => describeIssue(issue, undefined));
        throw new ScenarioError(`${scenario.name} (sweep value ${i})`, problems);
      }
      points.push({ scenario: variant.data, label: `${parameter}=${formatValue(value)}` });
    });
  } else {
    points.push({ scenario: { ...scenario, sweep: undefined }, label: 'base' });
  }

  const slugs = uniqueSlugs(points.map((p) => p.label));
  const runs: ScenarioRun[] = [];
  points.forEach((p, point) => {
    for (let replication = 0; replication < replications; replication++) {
      const seed = replicationSeed(scenario.seed, replication);
      runs.push({ scenario: { ...p.scenario, seed }, label: p.label, slug: slugs[point]!, point, replication, seed });
    }
  });
  return runs;
}

/** A sweep value as a label shows it: `tree`, `30d`, `{card: p256, bank: bls-blind}`. */
function formatValue(value: unknown): string {
  if (isPlainObject(value)) return `{${Object.entries(value).map(([k, v]) => `${k}: ${formatValue(v)}`).join(', ')}}`;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  return String(value);
}

function uniqueSlugs(labels: readonly string[]): string[] {
  const used = new Set<string>();
  return labels.map((label) => {
    const base =
      label
        .replace(/\[(\d+)\]/g, '.$1')
        .replace(/[{}[\]\s]+/g, '')
        .replace(/[^A-Za-z0-9._=,-]+/g, '_')
        .replace(/^[._]+/, '')
        .slice(0, 80) || 'value';
    let slug = base;
    for (let n = 2; used.has(slug); n++) slug = `${base}-${n}`;
    used.add(slug);
    return slug;
  });
}
