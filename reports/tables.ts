// The report's tables: the numbers behind the charts, exact, for a reader who wants to quote them.

import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { CryptoReport } from '../bench/crypto.ts';
import { describeMachine } from '../bench/lib/machine.ts';
import { fraudFacts, fraudLabel } from './facts.ts';
import { formatBytes, formatCount, formatDay, formatRatio, formatSimTime, formatYen } from './format.ts';
import type { ScenarioGroup } from './groups.ts';
import type { Run } from './load.ts';
import type { Table } from './page.ts';

/** Every injected fraud with its times and losses. */
export function fraudTable(run: Run): Table | null {
  const r = run.results;
  if (r.frauds.length === 0) return null;
  const t = (x: number | null) => (x === null ? '—' : formatSimTime(x));
  return {
    caption: 'Every injected fraud (times as days and hh:mm since the start of the run)',
    columns: ['fraud', 'injected', 'first payment', 'detected (paper)', 'detected (tree)', 'name revealed', 'on blocklist', 'payments accepted', 'refused', 'loss before detection', 'loss after detection'],
    numeric: [false, false, false, false, false, false, false, true, true, true, true],
    rows: r.frauds.map((f) => [
      fraudLabel(f),
      t(f.start),
      t(f.firstPayment),
      t(f.detected.paper),
      t(f.detected.tree),
      f.revealed === null ? '—' : `${t(f.revealed)} (${f.named ?? '?'})`,
      t(f.blocklisted),
      formatCount(f.paymentsAccepted),
      Object.entries(f.refusedBy).map(([reason, n]) => `${reason} ×${n}`).join(', ') || String(f.refused),
      formatYen(f.lossBeforeDetection),
      formatYen(f.lossAfterDetection),
    ]),
  };
}

/** Each store's tables at the end of the run. */
export function databaseTable(run: Run): Table {
  const db = run.results.issuerDatabase;
  const stores = [
    ['proposed (live)', db.proposed],
    ['proposed archive', db.proposedArchive],
    ['deposit-all-coins baseline', db.baseline],
    ['epoch-pruned', db.epochPruned],
  ] as const;
  return {
    caption: `Issuer stores at the end of the run (day ${formatDay(run.results.simulatedSeconds)}), by table`,
    columns: ['store', 'table', 'rows', 'bytes'],
    numeric: [false, false, true, true],
    rows: stores.flatMap(([name, s]) => [
      ...s.now.tables.map((tb) => [name, tb.name, formatCount(tb.rows), formatBytes(tb.bytes)]),
      [name, 'total', formatCount(s.now.rows), formatBytes(s.now.bytes)],
    ]),
  };
}

/** The crypto benchmark, one row per scheme and a column per operation. */
export function cryptoTable(report: CryptoReport): Table {
  const ops = ['keygen', 'sign', 'verify', 'verifyBatch', 'blind', 'blindSign', 'finalize'];
  const schemes = [...new Set(report.rows.filter((r) => r.kind !== 'baseline').map((r) => r.scheme))];
  const present = ops.filter((op) => report.rows.some((r) => r.operation === op && r.kind !== 'baseline'));
  return {
    caption: `Crypto benchmark, operations per second ± relative margin of error (bench/out/crypto.json, ${report.mode} mode, ${describeMachine(report.machine)})`,
    columns: ['scheme', ...present],
    numeric: [false, ...present.map(() => true)],
    rows: schemes.map((scheme) => [
      scheme,
      ...present.map((op) => {
        const row = report.rows.find((r) => r.scheme === scheme && r.operation === op);
        return row === undefined ? '' : `${Math.round(row.opsPerSecond).toLocaleString('en-US')} ±${row.rmePercent.toFixed(1)}%`;
      }),
    ]),
  };
}

/** Every run of a group, linked to its own page when it has one. */
export function runsTable(group: ScenarioGroup, pageDir: string): Table {
  return {
    caption: `${group.scenario}: every run`,
    columns: ['run', group.parameter ?? 'sweep', 'replication', 'seed', 'days', 'baseline / proposed', 'proposed live', 'fraud loss', 'detected paper/tree', 'payments/s'],
    numeric: [false, false, true, true, true, true, true, true, false, true],
    rows: group.values.flatMap((v) =>
      v.runs.map((run) => {
        const r = run.results;
        const f = fraudFacts(r);
        const rel = relative(pageDir, run.dir) || '.';
        const page = join(run.dir, 'index.html');
        const ratio = r.issuerDatabase.baselineOverProposed;
        return [
          existsSync(page) && resolve(page) !== resolve(pageDir, 'index.html') ? { text: rel, href: relative(pageDir, page) } : rel,
          v.label,
          String(r.sweep?.replication ?? 0),
          String(r.seed),
          formatDay(r.simulatedSeconds) + (r.partial ? ' (partial)' : ''),
          ratio === null ? '—' : formatRatio(ratio),
          formatBytes(r.issuerDatabase.proposed.now.bytes),
          formatYen(f.loss),
          `${f.detected.paper}/${f.detected.tree} of ${f.overspends.length}`,
          r.performance.paymentsPerSecond.toFixed(1),
        ];
      }),
    ),
  };
}
