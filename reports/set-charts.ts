// Charts of a set of runs: per scenario, the sweep's metrics against the swept value with 95% intervals over
// replications, the sampled series with one line per value and a band, and runs that differ in key schemes side
// by side.

import { type Chart, HEIGHT, type Row, SI, WIDTH, withConfig } from './chart-style.ts';
import { fraudFacts } from './facts.ts';
import { toDays } from './format.ts';
import { schemeLabel, schemeLabels, type ScenarioGroup } from './groups.ts';
import { column, type Run } from './load.ts';
import { meanInterval } from './stats.ts';

/** A scalar a sweep compares across its values; `null` where a run has no value (e.g. no fraud was detected). */
interface SweepMetric {
  readonly name: string;
  readonly value: (run: Run) => number | null;
}

export const SWEEP_METRICS: readonly SweepMetric[] = [
  { name: 'baseline / proposed at the end (×)', value: (run) => run.results.issuerDatabase.baselineOverProposed },
  { name: 'proposed live store at the end (bytes)', value: (run) => run.results.issuerDatabase.proposed.now.bytes },
  { name: 'fraud loss (yen)', value: (run) => fraudFacts(run.results).loss },
  { name: 'loss after detection (yen)', value: (run) => fraudFacts(run.results).lossAfterDetection },
  { name: 'mean detection latency, paper (h)', value: (run) => latencyHours(run, 'paper') },
  { name: 'mean detection latency, tree (h)', value: (run) => latencyHours(run, 'tree') },
  { name: 'payments refused or declined', value: (run) => run.results.counts.declined + run.results.counts.refused },
  { name: 'payments per wall-clock second', value: (run) => run.results.performance.paymentsPerSecond },
];

function latencyHours(run: Run, rule: 'paper' | 'tree'): number | null {
  const l = fraudFacts(run.results).latencies[rule];
  return l.length === 0 ? null : l.reduce((s, v) => s + v, 0) / l.length / 3600;
}

function xEncoding(group: ScenarioGroup, title: string) {
  const numeric = group.values.every((v) => v.numeric !== null);
  return numeric
    ? { field: 'x', type: 'quantitative', title, scale: { zero: false } }
    : { field: 'label', type: 'ordinal', title, sort: group.values.map((v) => v.label), axis: crowded(group) ? { labelAngle: -35, labelAlign: 'right', labelLimit: 140 } : { labelAngle: 0, labelLimit: 120 } };
}

/** Labels that would overlap side by side under a 200-pixel panel. */
function crowded(group: ScenarioGroup): boolean {
  return group.values.reduce((n, v) => n + v.label.length + 2, 0) > 34;
}

/** Each metric's mean over replications with its 95% interval, one panel per metric, the sweep value on x. */
export function sweepSummaryChart(group: ScenarioGroup, id: string): Chart | null {
  if (group.parameter === null && group.values.every((v) => v.runs.length < 2)) return null;
  const values: Row[] = [];
  for (const metric of SWEEP_METRICS) {
    for (const v of group.values) {
      const xs = v.runs.map(metric.value).filter((x): x is number => x !== null && Number.isFinite(x));
      if (xs.length === 0) continue;
      const ci = meanInterval(xs, 0);
      values.push({ metric: metric.name, label: v.label, x: v.numeric, mean: ci.mean, lo: ci.lo, hi: ci.hi, n: ci.n });
    }
  }
  if (values.length === 0) return null;
  const metrics = SWEEP_METRICS.map((m) => m.name).filter((name) => values.some((v) => v['metric'] === name));
  const reps = group.values.map((v) => v.runs.length);
  const x = xEncoding(group, group.parameter ?? 'runs');
  return {
    id,
    title: `${group.scenario}: ${group.parameter === null ? 'replications' : `sweep over ${group.parameter}`}`,
    caption: `Mean over replications (${Math.min(...reps)}${Math.max(...reps) !== Math.min(...reps) ? `-${Math.max(...reps)}` : ''} per value) with a 95% confidence interval (Student's t, clipped at 0); a single replication has no interval.`,
    wide: true,
    spec: withConfig({
      data: { values },
      facet: { field: 'metric', type: 'nominal', title: null, sort: metrics, header: { labelFontWeight: 'normal', labelFontSize: 11 } },
      columns: 3,
      spec: {
        width: 200,
        height: 130,
        layer: [
          { mark: { type: 'errorbar', ticks: true, color: '#1f63b4' }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: null, scale: { zero: false }, axis: SI }, y2: { field: 'hi' } } },
          { mark: { type: 'line', color: '#1f63b4', point: { filled: true, size: 40 } }, encoding: { x, y: { field: 'mean', type: 'quantitative' }, tooltip: [{ field: 'label', type: 'nominal' }, { field: 'mean', type: 'quantitative', format: ',.3~f' }, { field: 'lo', type: 'quantitative', format: ',.3~f' }, { field: 'hi', type: 'quantitative', format: ',.3~f' }, { field: 'n', type: 'quantitative' }] } },
        ],
      },
      resolve: { scale: { y: 'independent' }, axis: { x: 'independent' } },
    }),
  };
}

/** One line per sweep value over simulated time, with a 95% band over its replications, for one series column. */
export function sweepTimeChart(group: ScenarioGroup, col: string, what: string, id: string): Chart | null {
  const values: Row[] = [];
  for (const v of group.values) {
    // Replications of a value share the sample times; use the times every replication has.
    const perRun = v.runs.map((run) => {
      const t = column(run.series, 't');
      const y = column(run.series, col);
      const m = new Map<number, number>();
      if (t !== undefined && y !== undefined) t.forEach((time, i) => m.set(time, y[i] ?? Number.NaN));
      return m;
    });
    const first = perRun[0];
    if (first === undefined || first.size === 0) continue;
    for (const time of first.keys()) {
      const ys = perRun.map((m) => m.get(time)).filter((y): y is number => y !== undefined && Number.isFinite(y));
      if (ys.length !== perRun.length) continue;
      const ci = meanInterval(ys, 0);
      values.push({ label: v.label, day: toDays(time), mean: ci.mean, lo: ci.lo, hi: ci.hi });
    }
  }
  if (values.length === 0) return null;
  const labels = group.values.map((v) => v.label).filter((l) => values.some((r) => r['label'] === l));
  const color = { field: 'label', type: 'nominal', title: group.parameter ?? 'runs', sort: labels, scale: { domain: labels, scheme: 'tableau10' } };
  return {
    id,
    title: `${group.scenario}: ${what} over time${group.parameter === null ? '' : `, per ${group.parameter}`}`,
    caption:
      `One line per ${group.parameter === null ? 'run set' : 'value'}: the mean over its replications; the band is the 95% confidence interval, clipped at 0 (none with a single replication).` +
      coinciding(values, labels),
    spec: withConfig({
      data: { values },
      width: WIDTH,
      height: HEIGHT,
      layer: [
        { mark: { type: 'area', opacity: 0.18 }, encoding: { x: { field: 'day', type: 'quantitative', title: 'simulated day' }, y: { field: 'lo', type: 'quantitative', title: what, axis: SI }, y2: { field: 'hi' }, color } },
        { mark: { type: 'line', strokeWidth: 2 }, encoding: { x: { field: 'day', type: 'quantitative' }, y: { field: 'mean', type: 'quantitative' }, color, tooltip: [{ field: 'label', type: 'nominal' }, { field: 'day', type: 'quantitative', format: '.2f' }, { field: 'mean', type: 'quantitative', format: ',.0f' }] } },
      ],
    }),
  };
}

/** Names the values whose lines are identical over the whole run, since the last drawn hides the others. */
function coinciding(values: readonly Row[], labels: readonly string[]): string {
  const key = (label: string) => JSON.stringify(values.filter((v) => v['label'] === label).map((v) => [v['day'], v['mean']]));
  const byLine = new Map<string, string[]>();
  for (const label of labels) byLine.set(key(label), [...(byLine.get(key(label)) ?? []), label]);
  const same = [...byLine.values()].filter((ls) => ls.length > 1);
  return same.length === 0 ? '' : ` Identical lines, drawn over each other: ${same.map((ls) => ls.join(', ')).join('; ')}.`;
}

/** Runs that differ in their key schemes: throughput and storage per scheme, averaged over replications. */
export function schemeChart(group: ScenarioGroup, id: string): Chart | null {
  if (group.schemes.length < 2) return null;
  const labels = schemeLabels(group.runs);
  const metrics: ReadonlyArray<readonly [string, (run: Run) => number]> = [
    ['payments per second', (run) => run.results.performance.paymentsPerSecond],
    ['signatures signed per second', (run) => run.results.performance.signaturesSignedPerSecond],
    ['signatures verified per second', (run) => run.results.performance.signaturesVerifiedPerSecond],
    ['proposed live store at the end (bytes)', (run) => run.results.issuerDatabase.proposed.now.bytes],
  ];
  const order = group.schemes.map((s) => s.label);
  const values: Row[] = [];
  for (const [metric, f] of metrics) {
    for (const scheme of group.schemes) {
      const ci = meanInterval(scheme.runs.map(f), 0);
      values.push({ metric, scheme: schemeLabel(scheme.runs[0] as Run, labels), mean: ci.mean, lo: ci.lo, hi: ci.hi, n: ci.n });
    }
  }
  const best = [...group.schemes]
    .map((s) => ({ label: s.label, pps: meanInterval(s.runs.map((r) => r.results.performance.paymentsPerSecond)).mean }))
    .sort((a, b) => b.pps - a.pps);
  const top = best[0];
  const bottom = best[best.length - 1];
  return {
    id,
    title: `${group.scenario}: per key scheme`,
    caption:
      top === undefined || bottom === undefined
        ? 'Throughput and storage per key scheme.'
        : `Fastest ${top.label} at ${top.pps.toFixed(1)} payments/s, slowest ${bottom.label} at ${bottom.pps.toFixed(1)} payments/s (wall clock, same workload and seed).`,
    wide: true,
    spec: withConfig({
      data: { values },
      facet: { field: 'metric', type: 'nominal', title: null, sort: metrics.map(([m]) => m), header: { labelFontWeight: 'normal', labelFontSize: 11 } },
      columns: 2,
      spec: {
        width: 260,
        height: { step: 18 },
        layer: [
          { mark: { type: 'bar', color: '#1f63b4' }, encoding: { y: { field: 'scheme', type: 'nominal', title: null, sort: order, axis: { labelLimit: 320 } }, x: { field: 'mean', type: 'quantitative', title: null, axis: SI }, tooltip: [{ field: 'scheme', type: 'nominal' }, { field: 'mean', type: 'quantitative', format: ',.1f' }, { field: 'n', type: 'quantitative' }] } },
          { mark: { type: 'rule', color: '#222' }, encoding: { y: { field: 'scheme', type: 'nominal', sort: order }, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
        ],
      },
      resolve: { scale: { x: 'independent', y: 'shared' } },
    }),
  };
}

/** The whole-run database of every run in a set, for a set without a sweep (several seeds, or several scenarios). */
export function setCharts(group: ScenarioGroup, index: number): Chart[] {
  const prefix = `set-${index}`;
  return [
    sweepSummaryChart(group, `${prefix}-summary`),
    schemeChart(group, `${prefix}-schemes`),
    sweepTimeChart(group, 'proposed_bytes', 'proposed live store (bytes)', `${prefix}-proposed`),
    sweepTimeChart(group, 'baseline_bytes', 'deposit-all-coins baseline (bytes)', `${prefix}-baseline`),
    sweepTimeChart(group, 'loss', 'cumulative fraud loss (yen)', `${prefix}-loss`),
  ].filter((c): c is Chart => c !== null);
}
