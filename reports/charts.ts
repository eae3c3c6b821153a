// Charts of one run's issuer database and throughput, each a pure function of the loaded run with its data inline,
// so the page can embed the spec next to its SVG and a reader can re-plot it anywhere Vega-Lite runs. Time is on
// the x axis in simulated days; storage in bytes and rows as the stores' own size() counts them.

import { type Chart, dayAxis, HEIGHT, type Row, SI, WIDTH, withConfig } from './chart-style.ts';
import { fraudTimelineChart, latencyChart, lossChart, lossOverTimeChart } from './fraud-charts.ts';
import { toDays } from './format.ts';
import { column, type Run } from './load.ts';
import type { WallProgress } from '../sim/model/results.ts';

export type { Chart } from './chart-style.ts';

/** The issuer's stores, in legend order, with one colour each across every chart. */
export const STORES = [
  { key: 'proposed', column: 'proposed', label: 'proposed (live)', color: '#1f63b4', dash: [1, 0] },
  { key: 'archive', column: 'archive', label: 'proposed archive', color: '#8fb8e8', dash: [6, 3] },
  { key: 'baseline', column: 'baseline', label: 'deposit-all-coins baseline', color: '#c8372d', dash: [1, 0] },
  // Drawn last and dotted: until the first key epoch expires it is the baseline, line on line.
  { key: 'epochPruned', column: 'epoch_pruned', label: 'epoch-pruned', color: '#555555', dash: [2, 3] },
] as const;


/** Issuer database over time, one measure (bytes or rows), linear and log scale side by side. */
export function databaseChart(run: Run, measure: 'bytes' | 'rows'): Chart | null {
  const t = column(run.series, 't');
  if (t === undefined || t.length === 0) return null;
  const values: Row[] = [];
  for (const store of STORES) {
    const col = column(run.series, `${store.column}_${measure}`);
    if (col === undefined) continue;
    t.forEach((time, i) => values.push({ day: toDays(time), store: store.label, [measure]: col[i] ?? null }));
  }
  const present = STORES.filter((s) => values.some((v) => v['store'] === s.label));
  const color = {
    field: 'store',
    type: 'nominal',
    title: null,
    scale: { domain: present.map((s) => s.label), range: present.map((s) => s.color) },
    sort: present.map((s) => s.label),
  };
  const y = (log: boolean) => ({
    field: measure,
    type: 'quantitative',
    title: measure === 'bytes' ? 'bytes' : 'rows',
    scale: log ? { type: 'log' } : { zero: true },
    // On a log axis Vega's own '~s' format labels only the ticks it has room for; labelExpr would label all.
    axis: log ? { format: '~s' } : SI,
  });
  const panel = (log: boolean) => ({
    title: { text: log ? 'log scale' : 'linear scale', fontSize: 11, fontWeight: 'normal' },
    width: 300,
    height: HEIGHT,
    ...(log ? { transform: [{ filter: `datum['${measure}'] > 0` }] } : {}),
    mark: { type: 'line', strokeWidth: 2, interpolate: 'linear' },
    encoding: {
      x: dayAxis(run),
      y: y(log),
      color,
      strokeDash: { field: 'store', type: 'nominal', title: null, sort: present.map((s) => s.label), scale: { domain: present.map((s) => s.label), range: present.map((s) => s.dash) } },
      tooltip: [
        { field: 'store', type: 'nominal' },
        { field: 'day', type: 'quantitative', format: '.2f' },
        { field: measure, type: 'quantitative', format: ',' },
      ],
    },
  });
  const db = run.results.issuerDatabase;
  const end = measure === 'bytes' ? (s: { now: { bytes: number } }) => s.now.bytes : (s: { now: { rows: number } }) => s.now.rows;
  return {
    id: `database-${measure}`,
    title: `Issuer database over time, ${measure}`,
    caption:
      `At day ${+toDays(run.results.simulatedSeconds).toFixed(2)}: proposed live store ${end(db.proposed).toLocaleString('en-US')} ${measure}, ` +
      `baseline ${end(db.baseline).toLocaleString('en-US')}, epoch-pruned ${end(db.epochPruned).toLocaleString('en-US')}, ` +
      `archive of fully returned coins ${end(db.proposedArchive).toLocaleString('en-US')}. The log panel leaves out zero samples.`,
    wide: true,
    spec: withConfig({ data: { values }, hconcat: [panel(false), panel(true)], resolve: { scale: { color: 'shared' } } }),
  };
}

/** Value outstanding on cards over time (what the proposed store's live table should track), and value lost to expired epochs. */
export function outstandingChart(run: Run): Chart | null {
  const t = column(run.series, 't');
  const outstanding = column(run.series, 'outstanding_value');
  if (t === undefined || outstanding === undefined || t.length === 0) return null;
  const lost = column(run.series, 'epoch_pruned_lost_value');
  const values: Row[] = [];
  t.forEach((time, i) => {
    values.push({ day: toDays(time), series: 'outstanding value', yen: outstanding[i] ?? null });
    if (lost !== undefined && lost.some((v) => v > 0)) values.push({ day: toDays(time), series: 'lost to expired epochs (epoch-pruned)', yen: lost[i] ?? null });
  });
  const r = run.results;
  return {
    id: 'outstanding-value',
    title: 'Value outstanding',
    caption: `¥${r.outstandingValue.toLocaleString('en-US')} outstanding at the end, of ¥${r.counts.valueIssued.toLocaleString('en-US')} issued; the epoch-pruned store lost ¥${r.issuerDatabase.epochPruned.lostValue.toLocaleString('en-US')} of unredeemed value.`,
    spec: withConfig({
      data: { values },
      width: WIDTH,
      height: HEIGHT,
      mark: { type: 'line', strokeWidth: 2, interpolate: 'step-after' },
      encoding: {
        x: dayAxis(run),
        y: { field: 'yen', type: 'quantitative', title: 'yen', axis: SI },
        color: { field: 'series', type: 'nominal', title: null, scale: { range: ['#2a9d8f', '#8a8a8a'] } },
        tooltip: [
          { field: 'series', type: 'nominal' },
          { field: 'day', type: 'quantitative', format: '.2f' },
          { field: 'yen', type: 'quantitative', format: ',' },
        ],
      },
    }),
  };
}

/**
 * Throughput over the run. Payments per simulated hour always (the offered load, from timeseries.csv); payments
 * and signatures per wall-clock second when results.json has `performance.progress` (runs before it was added
 * do not).
 */
export function throughputChart(run: Run): Chart | null {
  const t = column(run.series, 't');
  const payments = column(run.series, 'payments');
  if (t === undefined || payments === undefined || t.length < 2) return null;
  const values: Row[] = [];
  for (let i = 1; i < t.length; i++) {
    const dt = (t[i] ?? 0) - (t[i - 1] ?? 0);
    const dp = (payments[i] ?? 0) - (payments[i - 1] ?? 0);
    if (dt <= 0) continue;
    values.push({ day: toDays(t[i - 1] ?? 0), series: 'payments per simulated hour', rate: (dp / dt) * 3600 });
  }
  const wall = wallRates(run.results.performance.progress ?? null);
  values.push(...wall);
  const hasWall = wall.length > 0;
  if (values.length === 0) return null;
  const p = run.results.performance;
  return {
    id: 'throughput',
    title: 'Throughput over the run',
    caption:
      `Whole run: ${run.results.counts.payments.toLocaleString('en-US')} payments in ${p.wallSeconds.toFixed(1)} s of wall time, ` +
      `${p.paymentsPerSecond.toFixed(1)} payments/s, ${p.signaturesSignedPerSecond.toFixed(0)} signatures signed/s and ${p.signaturesVerifiedPerSecond.toFixed(0)} verified/s ` +
      `(${p.threads} thread${p.threads === 1 ? '' : 's'}).` +
      (hasWall ? '' : ' This run recorded no wall-clock progress, so over the run the chart shows the simulated load.'),
    spec: withConfig({
      data: { values },
      width: WIDTH,
      height: HEIGHT,
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5 },
      encoding: {
        x: { ...dayAxis(run), title: 'simulated day' },
        y: { field: 'rate', type: 'quantitative', title: hasWall ? 'rate' : 'payments per simulated hour' },
        color: { field: 'series', type: 'nominal', title: null, scale: { range: ['#1f63b4', '#c8372d', '#2a9d8f'] }, ...(hasWall ? {} : { legend: null }) },
        ...(hasWall ? { row: { field: 'series', type: 'nominal', title: null } } : {}),
        tooltip: [{ field: 'series', type: 'nominal' }, { field: 'day', type: 'quantitative', format: '.2f' }, { field: 'rate', type: 'quantitative', format: ',.1f' }],
      },
      ...(hasWall ? { resolve: { scale: { y: 'independent' } } } : {}),
    }),
  };
}

/** Payments and signatures per wall-clock second between progress slices; none for a malformed or missing record. */
function wallRates(p: WallProgress | null): Row[] {
  if (p === null || typeof p !== 'object') return [];
  const { t, wallSeconds, payments, signaturesSigned } = p;
  if (![t, wallSeconds, payments, signaturesSigned].every(Array.isArray)) return [];
  const rows: Row[] = [];
  for (let i = 1; i < t.length; i++) {
    const dw = (wallSeconds[i] ?? 0) - (wallSeconds[i - 1] ?? 0);
    if (!(dw > 0)) continue;
    const day = toDays(t[i - 1] ?? 0);
    rows.push({ day, series: 'payments per wall-clock second', rate: ((payments[i] ?? 0) - (payments[i - 1] ?? 0)) / dw });
    rows.push({ day, series: 'signatures per wall-clock second', rate: ((signaturesSigned[i] ?? 0) - (signaturesSigned[i - 1] ?? 0)) / dw });
  }
  return rows;
}

/** Charts of one run, in page order; those whose data the run lacks are left out. */
export function runCharts(run: Run): Chart[] {
  return [
    databaseChart(run, 'bytes'),
    databaseChart(run, 'rows'),
    outstandingChart(run),
    throughputChart(run),
    fraudTimelineChart(run),
    latencyChart(run),
    lossChart(run),
    lossOverTimeChart(run),
  ].filter((c): c is Chart => c !== null);
}
