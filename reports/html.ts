// The report for one run or a set of runs: load, chart, render, assemble, write. `writeReport` is what `ecashsim
// run` calls at the end of every run and `ecashsim report` on demand; `buildReport` is the same without the file
// system, for tests.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vega from 'vega';
import { version as vegaLiteVersion } from 'vega-lite';
import type { CryptoReport } from '../bench/crypto.ts';
import { describeMachine } from '../bench/lib/machine.ts';
import { writeFileAtomic } from '../sim/output.ts';
import { type Chart, runCharts } from './charts.ts';
import { cryptoChart } from './crypto-chart.ts';
import { fraudFacts, headline, signatureMode } from './facts.ts';
import { formatBytes, formatCount, formatDay, formatDuration, formatRatio, formatYen } from './format.ts';
import { formatSweepValue, groupRuns } from './groups.ts';
import { loadRuns, ReportInputError, type Run, type RunResults } from './load.ts';
import { type Block, type Page, type RenderedChart, renderPage, type Section } from './page.ts';
import { renderSvg } from './render.ts';
import { setCharts } from './set-charts.ts';
import { cryptoTable, databaseTable, fraudTable, runsTable } from './tables.ts';
import { cryptoFinding, headlineText, runFindings, setFindings } from './summary.ts';
import { meanInterval } from './stats.ts';

/** Where `npm run bench -- crypto` writes its table, relative to the project root. */
export const CRYPTO_JSON = fileURLToPath(new URL('../bench/out/crypto.json', import.meta.url));

/** Several runs, but nowhere to put the one page about them. */
export class ReportUsageError extends Error {
  override readonly name = 'ReportUsageError';
}

export interface ReportOptions {
  /** The directory the page is written to: links and paths on the page are relative to it. */
  readonly pageDir: string;
  /** bench/out/crypto.json, parsed; null or undefined to leave the benchmark out. */
  readonly crypto?: CryptoReport | null;
}

/** Reads bench/out/crypto.json when it is there and looks like the benchmark's report; null otherwise. */
export function readCryptoReport(path: string = CRYPTO_JSON): CryptoReport | null {
  if (!existsSync(path)) return null;
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<CryptoReport>;
    if (!Array.isArray(raw.rows) || typeof raw.machine !== 'object' || raw.machine === null) return null;
    return raw as CryptoReport;
  } catch {
    return null;
  }
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name?: string; version?: string };
    return `${pkg.name ?? 'ecashsim'} ${pkg.version ?? '?'}`;
  } catch {
    return 'ecashsim';
  }
}

const TOOLS = () => `${packageVersion()}, Vega ${vega.version}, Vega-Lite ${vegaLiteVersion}`;

async function render(charts: readonly Chart[]): Promise<RenderedChart[]> {
  const out: RenderedChart[] = [];
  for (const chart of charts) out.push({ chart, svg: await renderSvg(chart.spec, chart.id, { idPrefix: chart.id }) });
  return out;
}

function chartBlocks(rendered: readonly RenderedChart[], ids: (id: string) => boolean): Block[] {
  return rendered.filter((r) => ids(r.chart.id)).map((chart) => ({ kind: 'chart', chart }));
}

function describePolicy(policy: object): string {
  return Object.entries(policy)
    .map(([k, v]) => `${k} ${v === null ? 'none' : typeof v === 'number' && v >= 3600 && /sync|interval/i.test(k) ? formatDuration(v) : String(v)}`)
    .join(', ');
}

function describeVersions(versions: Readonly<Record<string, string>>): string {
  const entries = Object.entries(versions);
  return entries.length === 0 ? 'not recorded in results.json' : entries.map(([k, v]) => `${k} ${v}`).join(', ');
}

function runMeta(run: Run, pageDir: string): Array<readonly [string, string]> {
  const r = run.results;
  const k = r.keys;
  return [
    ['scenario', r.scenario],
    ['seed', String(r.seed)],
    ...(r.sweep === undefined ? [] : [['sweep point', `${r.sweep.parameter} = ${formatSweepValue(r.sweep.value)}, replication ${r.sweep.replication}`] as const]),
    ['simulated', `${formatDay(r.simulatedSeconds)} days${r.partial ? ' (stopped early)' : ''}`],
    ['population', `${formatCount(r.counts.users)} users, ${formatCount(r.counts.shops)} shops, ${formatCount(r.counts.banks)} banks`],
    ['keys', `RA ${k.ra}, issuer ${k.issuer}, bank ${k.bank}, card ${k.card}`],
    ['signatures', signatureMode(r) === 'real' ? 'real' : `${signatureMode(r)} (stand-ins of the same sizes: storage figures hold, throughput does not)`],
    ['policy', describePolicy(r.policy)],
    ['versions', describeVersions(r.versions)],
    ['machine', machineOf(r)],
    ['wall time', `${r.performance.wallSeconds.toFixed(1)} s on ${r.performance.threads} thread${r.performance.threads === 1 ? '' : 's'}`],
    ['output', relative(pageDir, run.dir) || '.'],
  ];
}

async function throughputSection(runCharts: readonly RenderedChart[], crypto: CryptoReport | null | undefined): Promise<Section> {
  const blocks: Block[] = chartBlocks(runCharts, (id) => id === 'throughput');
  if (crypto) {
    const chart = cryptoChart(crypto);
    if (chart !== null) blocks.push(...chartBlocks(await render([chart]), () => true));
    blocks.push({ kind: 'table', table: cryptoTable(crypto) });
  } else {
    blocks.push({ kind: 'text', text: 'No crypto benchmark table: bench/out/crypto.json is not there (make it with npm run bench -- crypto).' });
  }
  return { id: 'throughput', title: 'Throughput', blocks };
}

/** The page for one run. */
export async function runPage(run: Run, options: ReportOptions): Promise<Page> {
  const r = run.results;
  const rendered = await render(runCharts(run));
  const h = headline(r);
  const facts = fraudFacts(r);
  const findings = runFindings(run);
  const cf = options.crypto ? cryptoFinding(options.crypto) : null;
  if (cf !== null) findings.push(cf);
  const noSeries = run.series === null ? [{ kind: 'text', text: 'This run wrote no timeseries.csv, so there are no charts over time.' } as const] : [];
  const fraudTableBlock = fraudTable(run);
  return {
    title: `${r.scenario}: issuer database, fraud and throughput`,
    subtitle: `ecashsim report for one run, seed ${String(r.seed)}, ${formatDay(r.simulatedSeconds)} simulated days`,
    headline:
      h.ratio === null
        ? null
        : {
            big: headlineText(r),
            small: `Deposit-all-coins baseline ${formatBytes(h.baselineBytes)} against ${formatBytes(h.proposedBytes)} for the proposed live store (the archive of fully returned coins is counted apart). ${facts.overspends.length} overspends, ${formatYen(facts.loss)} lost.`,
          },
    meta: [...runMeta(run, options.pageDir), ['report made with', TOOLS()]],
    findings,
    sections: [
      {
        id: 'database',
        title: 'Issuer database',
        blocks: [...noSeries, ...chartBlocks(rendered, (id) => id.startsWith('database-') || id === 'outstanding-value'), { kind: 'table', table: databaseTable(run) }],
      },
      {
        id: 'fraud',
        title: 'Fraud detection',
        blocks: [
          ...(r.frauds.length === 0 ? [{ kind: 'text', text: 'No fraud was injected in this run.' } as const] : []),
          ...chartBlocks(rendered, (id) => id.startsWith('fraud-') || id === 'loss-over-time'),
          ...(fraudTableBlock === null ? [] : [{ kind: 'table', table: fraudTableBlock } as const]),
        ],
      },
      await throughputSection(rendered, options.crypto),
    ],
    footer: footerText(),
  };
}

function footerText(): string {
  return (
    'Self-contained: no script, font or image is fetched. Each chart is Vega-Lite rendered to SVG in Node; its spec, ' +
    'data included, is in the <script type="application/json" class="vega-lite-spec"> element beside it, ready to re-plot. ' +
    'Times are simulated seconds from the start of the run unless marked wall clock.'
  );
}

/** The page for a set of runs: per scenario, sweep values with confidence intervals and per-scheme comparisons. */
export async function setPage(runs: readonly Run[], options: ReportOptions): Promise<Page> {
  const groups = groupRuns(runs);
  const sections: Section[] = [];
  for (const [i, group] of groups.entries()) {
    const rendered = await render(setCharts(group, i));
    sections.push({
      id: `set-${i}`,
      title: group.parameter === null ? `${group.scenario}` : `${group.scenario}: sweep over ${group.parameter}`,
      blocks: [...chartBlocks(rendered, () => true), { kind: 'table', table: runsTable(group, options.pageDir) }],
    });
  }
  sections.push(await throughputSection([], options.crypto));
  const findings = setFindings(groups);
  const cf = options.crypto ? cryptoFinding(options.crypto) : null;
  if (cf !== null) findings.push(cf);

  // The headline of a set: the mean ratio over the runs of its first group's first value (the baseline configuration).
  const first = groups[0]?.values[0];
  const ratios = (first?.runs ?? []).map((run) => run.results.issuerDatabase.baselineOverProposed).filter((x): x is number => x !== null);
  const day = first?.runs[0]?.results.simulatedSeconds;
  const scenarios = [...new Set(groups.map((g) => g.scenario))];
  const machines = [...new Set(runs.map((run) => machineOf(run.results)))];
  return {
    title: `${scenarios.join(', ')}: ${runs.length} runs`,
    subtitle: `ecashsim report for a set of runs (${groups.length} group${groups.length === 1 ? '' : 's'})`,
    headline:
      ratios.length === 0 || day === undefined || first === undefined
        ? null
        : {
            big: `baseline / proposed = ${formatRatio(meanInterval(ratios).mean)} at day ${formatDay(day)}`,
            small: `${groups[0]?.parameter === null ? groups[0]?.scenario : `${groups[0]?.scenario}, ${groups[0]?.parameter} = ${first.label}`}: mean over ${ratios.length} run${ratios.length === 1 ? '' : 's'}.`,
          },
    meta: [
      ['scenarios', scenarios.join(', ')],
      ['runs', `${runs.length}`],
      ['seeds', [...new Set(runs.map((run) => String(run.results.seed)))].slice(0, 12).join(', ')],
      ['keys (card)', [...new Set(runs.map((run) => run.results.keys.card))].join(', ')],
      ['versions', [...new Set(runs.map((run) => describeVersions(run.results.versions)))].join(' | ')],
      ['machine', machines.join(' | ')],
      ['report made with', TOOLS()],
    ],
    findings,
    sections,
    footer: footerText(),
  };
}

/** The HTML of a report over `runs` (one run: the run's page; several: the set's page). */
export async function buildReport(runs: readonly Run[], options: ReportOptions): Promise<string> {
  const only = runs[0];
  if (only === undefined) throw new ReportUsageError('no runs to report on');
  const page = runs.length === 1 ? await runPage(only, options) : await setPage(runs, options);
  return renderPage(page);
}

/**
 * Writes the report on the runs in `outDirs` (each a run directory, or a directory with run directories below)
 * and returns the path written. One run: `<run dir>/index.html` by default; several runs under one directory:
 * `<that dir>/index.html`; several directories: `htmlFile` is required. Written atomically (temp file + rename).
 */
export async function writeReport(outDirs: string[], htmlFile?: string): Promise<string> {
  if (outDirs.length === 0) throw new ReportUsageError('no run directory given');
  const runs = loadRuns(outDirs);
  let target = htmlFile;
  if (target === undefined) {
    const dir = outDirs[0];
    if (outDirs.length > 1 || dir === undefined) {
      throw new ReportUsageError(`${outDirs.length} directories given: say where the page about them goes with --html FILE`);
    }
    target = join(dir, 'index.html');
  }
  if (existsSync(target) && !target.endsWith('.html') && !target.endsWith('.htm')) {
    throw new ReportInputError(target, 'exists and is not an .html file; refusing to overwrite it');
  }
  const html = await buildReport(runs, { pageDir: dirname(resolve(target)), crypto: readCryptoReport() });
  writeFileAtomic(target, html);
  return target;
}

/** The machine a run ran on: results.json's `performance.machine` (older files may carry a top-level `machine`). */
function machineOf(r: RunResults): string {
  if (r.machine !== undefined) return describeMachine(r.machine);
  const m = (r.performance as { machine?: { cpus: number; cpuModel: string; platform: string } }).machine;
  return m === undefined ? 'not recorded in results.json' : `${m.cpuModel.replace(/\s+/g, ' ').trim()}, ${m.cpus} cores, ${m.platform}`;
}
