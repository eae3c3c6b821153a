// Charts of the injected frauds of one run: a timeline per fraud, detection latency per rule, and the losses
// before and after detection. The numbers come from facts.ts, as the summary's do.

import { type Chart, dayAxis, HEIGHT, type Row, SI, WIDTH, withConfig } from './chart-style.ts';
import { blocklistSync, fraudFacts, fraudLabel, RULES } from './facts.ts';
import { formatDuration, toDays } from './format.ts';
import { column, type Run } from './load.ts';

const EVENTS = [
  { label: 'injected', color: '#999999', shape: 'diamond' },
  { label: 'first fraudulent payment', color: '#c8372d', shape: 'triangle-right' },
  { label: 'detected (paper)', color: '#1f63b4', shape: 'circle' },
  { label: 'detected (tree)', color: '#2a9d8f', shape: 'square' },
  { label: 'name revealed', color: '#7b3fa0', shape: 'cross' },
  { label: 'on blocklist', color: '#e08e0b', shape: 'triangle-up' },
  { label: 'online payees synced', color: '#6b4e16', shape: 'triangle-down' },
] as const;

/** A timeline taller than this many frauds stops being read; the table below it lists them all. */
const TIMELINE_MAX = 60;

/** Per injected fraud: when it started, was paid, detected under each rule, named and blocklisted. */
export function fraudTimelineChart(run: Run): Chart | null {
  const r = run.results;
  if (r.frauds.length === 0) return null;
  const shown = r.frauds.slice(0, TIMELINE_MAX);
  const sync = blocklistSync(r);
  const points: Row[] = [];
  const spans: Row[] = [];
  for (const f of shown) {
    const fraud = fraudLabel(f);
    const first = points.length;
    const add = (event: string, t: number | null) => {
      if (t !== null) points.push({ fraud, event, day: toDays(t) });
    };
    add('injected', f.start);
    add('first fraudulent payment', f.firstPayment);
    add('detected (paper)', f.detected.paper);
    add('detected (tree)', f.detected.tree);
    add('name revealed', f.revealed);
    add('on blocklist', f.blocklisted);
    if (f.blocklisted !== null && sync !== null) add('online payees synced', f.blocklisted + sync);
    const times = points.slice(first).map((p) => p['day'] as number);
    spans.push({ fraud, from: Math.min(...times), to: Math.max(...times), outcome: f.firstPayment === null ? `refused (${Object.keys(f.refusedBy).join(', ') || 'no payment'})` : '' });
  }
  const order = shown.map(fraudLabel);
  const y = { field: 'fraud', type: 'nominal', title: null, sort: order, scale: { paddingInner: 0.25 }, axis: { labelLimit: 260 } } as const;
  const facts = fraudFacts(r);
  return {
    id: 'fraud-timeline',
    title: 'Injected frauds: timeline',
    caption:
      `${facts.injected} frauds injected; payees accepted ${facts.overspends.length} (overspends), the rest were refused at once. ` +
      `Detected under paper: ${facts.detected.paper}/${facts.overspends.length}, under tree: ${facts.detected.tree}/${facts.overspends.length}; culprit named: ${facts.named}/${facts.overspends.length}.` +
      (sync === null ? '' : ` "Online payees synced" is the time on the blocklist plus one sync interval (${formatDuration(sync)}); offline terminals sync later.`) +
      (shown.length < r.frauds.length ? ` The chart shows the first ${shown.length}; the table lists all ${r.frauds.length}.` : ''),
    wide: true,
    spec: withConfig({
      width: 640,
      height: 34 * shown.length,
      layer: [
        {
          data: { values: spans },
          mark: { type: 'rule', color: '#bbb', strokeWidth: 2 },
          encoding: { y, x: { field: 'from', type: 'quantitative', title: 'simulated day', scale: { domain: [0, toDays(r.simulatedSeconds)], nice: false } }, x2: { field: 'to' } },
        },
        {
          data: { values: spans },
          mark: { type: 'text', align: 'left', dx: 8, fontSize: 10, color: '#666' },
          encoding: { y, x: { field: 'to', type: 'quantitative' }, text: { field: 'outcome' } },
        },
        {
          data: { values: points },
          mark: { type: 'point', filled: true, size: 90, opacity: 0.9 },
          encoding: {
            y,
            yOffset: { field: 'event', type: 'nominal', sort: EVENTS.map((e) => e.label), scale: { domain: EVENTS.map((e) => e.label) } },
            x: { field: 'day', type: 'quantitative' },
            color: { field: 'event', type: 'nominal', title: null, scale: { domain: EVENTS.map((e) => e.label), range: EVENTS.map((e) => e.color) }, legend: { columns: 4 } },
            shape: { field: 'event', type: 'nominal', scale: { domain: EVENTS.map((e) => e.label), range: EVENTS.map((e) => e.shape) } },
            tooltip: [
              { field: 'fraud', type: 'nominal' },
              { field: 'event', type: 'nominal' },
              { field: 'day', type: 'quantitative', format: '.3f' },
            ],
          },
        },
      ],
    }),
  };
}

/** Detection latency per rule: the distribution over the run's overspends, as a box (min-max) with every fraud as a point. */
export function latencyChart(run: Run): Chart | null {
  const facts = fraudFacts(run.results);
  const values: Row[] = [];
  for (const f of facts.overspends) {
    for (const rule of RULES) {
      const latency = f.latency[rule];
      if (latency !== null) values.push({ rule, hours: latency / 3600, fraud: fraudLabel(f) });
    }
  }
  if (values.length === 0) return null;
  const describe = (rule: 'paper' | 'tree') => {
    const l = facts.latencies[rule];
    if (l.length === 0) return `${rule}: none found`;
    const sorted = [...l].sort((a, b) => a - b);
    const mid = sorted.length % 2 === 1 ? (sorted[(sorted.length - 1) / 2] ?? 0) : ((sorted[sorted.length / 2 - 1] ?? 0) + (sorted[sorted.length / 2] ?? 0)) / 2;
    return `${rule}: median ${(mid / 3600).toFixed(1)} h over ${l.length} found`;
  };
  return {
    id: 'fraud-latency',
    title: 'Detection latency per rule',
    caption: `From the first fraudulent payment to detection. ${describe('paper')}; ${describe('tree')}; ${facts.overspends.length} overspends in all.`,
    spec: withConfig({
      data: { values },
      width: WIDTH,
      height: { step: 44 },
      layer: [
        { mark: { type: 'boxplot', extent: 'min-max', size: 22, opacity: 0.35, median: { color: '#222' } }, encoding: { y: { field: 'rule', type: 'nominal', title: 'rule' }, x: { field: 'hours', type: 'quantitative', title: 'hours to detection' }, color: { field: 'rule', type: 'nominal', legend: null, scale: { domain: ['paper', 'tree'], range: ['#1f63b4', '#2a9d8f'] } } } },
        {
          mark: { type: 'point', filled: true, size: 50, opacity: 0.85 },
          encoding: {
            y: { field: 'rule', type: 'nominal' },
            x: { field: 'hours', type: 'quantitative' },
            color: { field: 'rule', type: 'nominal', legend: null },
            tooltip: [{ field: 'fraud', type: 'nominal' }, { field: 'rule', type: 'nominal' }, { field: 'hours', type: 'quantitative', format: '.2f' }],
          },
        },
      ],
    }),
  };
}

/** Loss per overspend, split at the moment of detection: what leaked before the issuer knew, and after. */
export function lossChart(run: Run): Chart | null {
  const facts = fraudFacts(run.results);
  if (facts.overspends.length === 0) return null;
  const values: Row[] = [];
  for (const f of facts.overspends) {
    values.push({ fraud: fraudLabel(f), phase: 'before detection', yen: f.lossBeforeDetection, order: 0 });
    values.push({ fraud: fraudLabel(f), phase: 'after detection', yen: f.lossAfterDetection, order: 1 });
  }
  return {
    id: 'fraud-losses',
    title: 'Losses before and after detection',
    caption: `Value payees accepted beyond what the culprit held: ¥${facts.loss.toLocaleString('en-US')} in all, ¥${facts.lossBeforeDetection.toLocaleString('en-US')} before detection and ¥${facts.lossAfterDetection.toLocaleString('en-US')} after.`,
    spec: withConfig({
      data: { values },
      width: WIDTH,
      height: { step: 26 },
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'fraud', type: 'nominal', title: null, sort: facts.overspends.map(fraudLabel), axis: { labelLimit: 320 } },
        x: { field: 'yen', type: 'quantitative', stack: 'zero', title: 'yen', axis: SI },
        color: { field: 'phase', type: 'nominal', title: null, scale: { domain: ['before detection', 'after detection'], range: ['#c8372d', '#f2a39c'] } },
        order: { field: 'order', type: 'quantitative' },
        tooltip: [{ field: 'fraud', type: 'nominal' }, { field: 'phase', type: 'nominal' }, { field: 'yen', type: 'quantitative', format: ',' }],
      },
    }),
  };
}

/** Cumulative fraud loss and detections over the run (from the sampled series). */
export function lossOverTimeChart(run: Run): Chart | null {
  const t = column(run.series, 't');
  const loss = column(run.series, 'loss');
  if (t === undefined || loss === undefined || t.length === 0 || !loss.some((v) => v > 0)) return null;
  const detected = column(run.series, 'detected_frauds');
  const values: Row[] = t.map((time, i) => ({ day: toDays(time), yen: loss[i] ?? null, detected: detected?.[i] ?? null }));
  return {
    id: 'loss-over-time',
    title: 'Fraud loss over time',
    caption: `Cumulative value accepted from cheaters, sampled; ¥${(loss[loss.length - 1] ?? 0).toLocaleString('en-US')} at the last sample, ${detected?.[detected.length - 1] ?? 0} detections by then.`,
    spec: withConfig({
      data: { values },
      width: WIDTH,
      height: HEIGHT,
      mark: { type: 'area', interpolate: 'step-after', color: '#c8372d', opacity: 0.75, line: { color: '#8c1d16' } },
      encoding: {
        x: dayAxis(run),
        y: { field: 'yen', type: 'quantitative', title: 'cumulative loss (yen)', axis: SI },
        tooltip: [{ field: 'day', type: 'quantitative', format: '.2f' }, { field: 'yen', type: 'quantitative', format: ',' }, { field: 'detected', type: 'quantitative' }],
      },
    }),
  };
}
