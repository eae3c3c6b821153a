// A set of runs as the report compares them: by scenario, then by sweep value (replications of one value pooled
// for a confidence interval), and by key scheme when the runs differ in their keys. The simulator marks a sweep's
// runs with `sweep: {parameter, value, replication}` in results.json; a run without it is a single run.

import type { Run } from './load.ts';

export interface ValueGroup {
  /** As a legend shows it: `15m`, `4`, `ed25519`, or `base` for runs outside a sweep. */
  readonly label: string;
  /** The value when every value of the sweep is a finite number (the x axis is then quantitative), else null. */
  readonly numeric: number | null;
  readonly runs: readonly Run[];
}

export interface SchemeGroup {
  /** The card's scheme (`results.keys.card`), with the bank's blind scheme appended when the card alone is ambiguous. */
  readonly label: string;
  readonly runs: readonly Run[];
}

export interface ScenarioGroup {
  readonly scenario: string;
  /** The swept parameter, or null when these runs are not part of a sweep. */
  readonly parameter: string | null;
  /** In sweep order: numerically for numbers, else by the sweep's own index, else as the runs were given. */
  readonly values: readonly ValueGroup[];
  /** One entry per distinct key suite, in order of first appearance; a single entry when all runs share keys. */
  readonly schemes: readonly SchemeGroup[];
  readonly runs: readonly Run[];
}

/** A sweep value as a label: `tree`, `30d`, `4`, `{card: p256, bank: bls-blind}` (as the CLI's sweep labels). */
export function formatSweepValue(value: unknown): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return `{${Object.entries(value).map(([k, v]) => `${k}: ${formatSweepValue(v)}`).join(', ')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(formatSweepValue).join(', ')}]`;
  return String(value);
}

function keysId(run: Run): string {
  const k = run.results.keys;
  return `${k.ra}|${k.issuer}|${k.bank}|${k.card}`;
}

/** Scheme labels for a list of runs: the card scheme, or `card · bank` for all when two suites share a card scheme. */
export function schemeLabels(runs: readonly Run[]): Map<string, string> {
  const cardOf = new Map<string, string>();
  for (const run of runs) cardOf.set(keysId(run), run.results.keys.card);
  const cards = [...cardOf.values()];
  const ambiguous = new Set(cards).size < cards.length;
  const labels = new Map<string, string>();
  for (const run of runs) labels.set(keysId(run), ambiguous ? `${run.results.keys.card} · ${run.results.keys.bank}` : run.results.keys.card);
  return labels;
}

export function schemeLabel(run: Run, labels: ReadonlyMap<string, string>): string {
  return labels.get(keysId(run)) ?? run.results.keys.card;
}

export function groupRuns(runs: readonly Run[]): ScenarioGroup[] {
  const byKey = new Map<string, Run[]>();
  for (const run of runs) {
    const key = `${run.results.scenario}\0${run.results.sweep?.parameter ?? ''}`;
    const list = byKey.get(key) ?? [];
    list.push(run);
    byKey.set(key, list);
  }
  return [...byKey.values()].map((given) => {
    // In sweep order when every run knows its point, so schemes and values list alike; else as given.
    const list = given.every((run) => typeof run.results.sweep?.point === 'number')
      ? [...given].sort((a, b) => (a.results.sweep?.point ?? 0) - (b.results.sweep?.point ?? 0) || (a.results.sweep?.replication ?? 0) - (b.results.sweep?.replication ?? 0))
      : given;
    const first = list[0] as Run;
    const parameter = first.results.sweep?.parameter ?? null;
    const labels = schemeLabels(list);

    const schemes = new Map<string, Run[]>();
    for (const run of list) {
      const label = schemeLabel(run, labels);
      schemes.set(label, [...(schemes.get(label) ?? []), run]);
    }

    // The sweep's values: a `keys` sweep is labelled by scheme, since the value objects are long and partial.
    const valueKey = (run: Run): string => {
      if (parameter === null) return 'base';
      if (parameter === 'keys') return schemeLabel(run, labels);
      return formatSweepValue(run.results.sweep?.value);
    };
    const values = new Map<string, { runs: Run[]; raw: unknown; point: number | undefined; first: number }>();
    list.forEach((run, i) => {
      const label = valueKey(run);
      const entry = values.get(label) ?? { runs: [], raw: run.results.sweep?.value, point: run.results.sweep?.point, first: i };
      entry.runs.push(run);
      values.set(label, entry);
    });
    const entries = [...values.entries()];
    const numeric = parameter !== null && parameter !== 'keys' && entries.every(([, e]) => typeof e.raw === 'number' && Number.isFinite(e.raw));
    const byPoint = entries.every(([, e]) => typeof e.point === 'number');
    entries.sort(([, a], [, b]) => {
      if (numeric) return (a.raw as number) - (b.raw as number);
      if (byPoint) return (a.point as number) - (b.point as number);
      return a.first - b.first;
    });
    return {
      scenario: first.results.scenario,
      parameter,
      values: entries.map(([label, e]) => ({ label, numeric: numeric ? (e.raw as number) : null, runs: e.runs })),
      schemes: [...schemes.entries()].map(([label, r]) => ({ label, runs: r })),
      runs: list,
    };
  });
}
