// The real simulator behind `ecashsim run` (sim/cli/runner.ts's RunScenario): one already-expanded scenario
// run into its own directory, with its SQLite stores (WAL files a killed run leaves consistent),
// timeseries.csv, events.ndjson if asked, and results.json written last, so its presence marks a finished
// (or explicitly partial) run.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { RunOptions, RunSummary } from './cli/runner.ts';
import { toModelConfig } from './scenario/model-config.ts';
import type { Scenario } from './scenario/schema.ts';
import { simulate } from './simulate.ts';
import { writeRunFiles } from './output.ts';

export function versions(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  const db = new Database(':memory:');
  const sqlite = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  db.close();
  return { ecashsim: pkg.version, node: process.version, sqlite };
}

export async function runScenario(scenario: Scenario, o: RunOptions): Promise<RunSummary> {
  const dir = o.outDir;
  const paths = {
    proposed: join(dir, 'issuer-proposed.sqlite'),
    baseline: join(dir, 'issuer-baseline.sqlite'),
    epochPruned: join(dir, 'issuer-epoch-pruned.sqlite'),
  };
  for (const p of Object.values(paths)) for (const suffix of ['', '-wal', '-shm']) if (existsSync(p + suffix)) rmSync(p + suffix);
  const cfg = { ...toModelConfig({ ...scenario, seed: o.seed }), events: o.events };
  o.progress.start(scenario.duration);
  let sim;
  try {
    sim = await simulate(cfg, {
      paths,
      threads: o.threads,
      versions: versions(),
      onProgress: (t, model) => o.progress.update(t, model.sim.processed),
      // Ctrl-C: the CLI aborts the signal; the run stops at the next slice and writes what it has, marked partial.
      shouldStop: () => o.signal?.aborted === true,
    });
  } finally {
    o.progress.stop();
  }
  const results = { ...sim.results, sweep: { label: o.label, replication: o.replication } };
  writeRunFiles(dir, { results, samples: sim.model.samples, ...(cfg.events ? { events: sim.model.events } : {}) });
  sim.model.parties.close();
  const r = sim.results;
  const db = r.issuerDatabase;
  const overspends = r.frauds.filter((f) => f.overspend && f.loss > 0);
  const found = overspends.filter((f) => f.detected.tree !== null || f.detected.paper !== null).length;
  return {
    events: sim.model.sim.processed,
    simSeconds: r.simulatedSeconds,
    headline: [
      `${r.counts.payments} payments`,
      `issuer db ${size(db.proposed.now.bytes)} vs baseline ${size(db.baseline.now.bytes)}`,
      `${found}/${overspends.length} overspends traced, ${r.detection.falseAccusations} false accusations`,
      r.partial ? 'PARTIAL' : '',
    ]
      .filter((s) => s !== '')
      .join(', '),
    scalars: {
      payments: r.counts.payments,
      proposedBytes: db.proposed.now.bytes,
      baselineBytes: db.baseline.now.bytes,
      epochPrunedBytes: db.epochPruned.now.bytes,
      baselineOverProposed: db.baselineOverProposed ?? 0,
      recallTree: r.detection.recall.tree ?? 1,
      recallPaper: r.detection.recall.paper ?? 1,
      falseAccusations: r.detection.falseAccusations,
      loss: r.money.fraudulent,
      wallSeconds: r.performance.wallSeconds,
    },
  };
}

function size(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
