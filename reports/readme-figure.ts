// The README's figure, made by the report's own chart code so it can be remade: the issuer database over time
// (proposed live store, its archive, the deposit-all-coins baseline, the epoch-pruned store), linear and log.
//
//   node --import tsx reports/readme-figure.ts                        # runs scenarios/paper-vs-baseline.yaml (~10 min), then draws
//   node --import tsx reports/readme-figure.ts --scenario quickstart   # any shipped scenario, first sweep point
//   node --import tsx reports/readme-figure.ts <run-dir>              # draws an existing run (e.g. from ecashsim run)
//
// Writes docs/database-growth.svg (or --out FILE) as a standalone SVG, and prints its path. The committed figure
// is paper-vs-baseline's: 90 days is what the database question needs; a week shows only the start.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic, writeRunFiles } from '../sim/output.ts';
import { loadScenario } from '../sim/scenario/load.ts';
import { toModelConfig } from '../sim/scenario/model-config.ts';
import { simulate } from '../sim/simulate.ts';
import { databaseChart } from './charts.ts';
import { headlineText } from './summary.ts';
import { loadRun } from './load.ts';
import { renderSvg } from './render.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined) throw new Error(`${name} needs a value`);
  args.splice(i, 2);
  return value;
}

/** Runs a shipped scenario in-process (its first sweep point, replication 0) into reports/out/readme-<name>/. */
async function runScenario(name: string): Promise<string> {
  const scenario = loadScenario(join(ROOT, 'scenarios', `${name}.yaml`));
  const dir = join(ROOT, 'reports', 'out', `readme-${name}`);
  const simulated = await simulate(toModelConfig({ ...scenario, sweep: undefined }), { versions: { ecashsim: 'readme-figure' } });
  writeRunFiles(dir, { results: simulated.results, samples: simulated.model.samples });
  simulated.model.parties.close();
  return dir;
}

export async function makeFigure(runDir: string, out: string): Promise<string> {
  const run = loadRun(runDir);
  const chart = databaseChart(run, 'bytes');
  if (chart === null) throw new Error(`${runDir}: no timeseries.csv to draw`);
  const r = run.results;
  const spec = {
    ...chart.spec,
    title: {
      text: `Issuer database over time: ${r.scenario} (seed ${String(r.seed)}, ${r.counts.users.toLocaleString('en-US')} users)`,
      subtitle: `${headlineText(r)}. Made by reports/readme-figure.ts.`,
    },
  };
  writeFileAtomic(out, await renderSvg(spec, 'database-growth', { standalone: true, idPrefix: 'database-growth' }));
  return out;
}

const args = process.argv.slice(2);
const out = option(args, '--out') ?? join(ROOT, 'docs', 'database-growth.svg');
const scenario = option(args, '--scenario') ?? 'paper-vs-baseline';
const runDir = args[0] ?? (await runScenario(scenario));
process.stdout.write(`${await makeFigure(runDir, out)}\n`);
