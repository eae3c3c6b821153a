// Reading run directories: results.json (required: its presence marks a finished or explicitly partial run) and
// timeseries.csv (the sampled stores). Checked at the edge: a missing file or a field the report needs comes out
// as one ReportInputError naming the path and the field, so the CLI prints it and exits 2, and the chart code
// downstream never sees a half-valid run.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Machine } from '../bench/lib/machine.ts';
import type { Results } from '../sim/model/results.ts';

/**
 * Where a run sits in a sweep. results.json carries it as `{parameter, value, replication, point?}`, or as the
 * runner's `{label: 'policy.blocklistSync=15m', replication}` (`label: 'base'` outside a sweep); both are read
 * into this form.
 */
export interface SweepPoint {
  /** The swept path, e.g. `policy.blocklistSync` or `fraud[0].payees`. */
  readonly parameter: string;
  /** The value as the scenario file gave it: a number, a word (`none`, `15m`) or an object (`keys`). */
  readonly value: unknown;
  /** 0-based replication index. */
  readonly replication: number;
  /** Index of the value in the scenario's list; orders values that are not numbers. */
  readonly point?: number;
}

/** results.json as read back: the simulator's Results plus the optional fields a sweep or runner adds. */
export type RunResults = Results & { readonly sweep?: SweepPoint; readonly machine?: Machine };

/** timeseries.csv by column: every column the file has, so a newer simulator's extra columns are usable. */
export interface TimeSeries {
  readonly columns: readonly string[];
  readonly length: number;
  readonly values: ReadonlyMap<string, readonly number[]>;
}

export interface Run {
  readonly dir: string;
  readonly results: RunResults;
  /** null when the run wrote no timeseries.csv (the time charts are then left out, and the page says so). */
  readonly series: TimeSeries | null;
}

export class ReportInputError extends Error {
  override readonly name = 'ReportInputError';
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

const RESULTS = 'results.json';
const TIMESERIES = 'timeseries.csv';
/** How deep below a given directory to look for runs (a sweep's root holds one directory per run, or per point and replication). */
const MAX_DEPTH = 3;

/**
 * The run directories under `dir`: `dir` itself when it holds results.json, else every directory below it (up to
 * three levels) that does, in path order with numbers compared as numbers.
 */
export function findRunDirs(dir: string): string[] {
  if (!existsSync(dir)) throw new ReportInputError(dir, 'no such directory');
  if (!statSync(dir).isDirectory()) throw new ReportInputError(dir, `not a directory (give a run's output directory, the one holding ${RESULTS})`);
  if (!existsSync(join(dir, RESULTS))) {
    const index = readRunIndex(dir);
    const listed = index?.filter((e) => existsSync(join(e.dir, RESULTS))).map((e) => e.dir);
    if (listed !== undefined && listed.length > 0) return listed;
  }
  const found: string[] = [];
  const walk = (d: string, depth: number): void => {
    if (existsSync(join(d, RESULTS))) {
      found.push(d);
      return;
    }
    if (depth >= MAX_DEPTH) return;
    const entries = readdirSync(d, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
      .map((e) => e.name)
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    for (const name of entries) walk(join(d, name), depth + 1);
  };
  walk(dir, 0);
  if (found.length === 0) {
    throw new ReportInputError(dir, `no ${RESULTS} here or below (expected ${join(dir, RESULTS)}, written when \`ecashsim run\` finishes)`);
  }
  return found;
}

/** One entry of `ecashsim run`'s output index (runs.json), in sweep order. */
export interface IndexedRun {
  /** The run's directory, joined onto the output directory. */
  readonly dir: string;
  /** The sweep point's label, e.g. `policy.blocklistSync=15m`, or `base`. */
  readonly label: string;
}

const INDEX = 'runs.json';

/** The runs `ecashsim run` listed in `<dir>/runs.json`, in sweep order; undefined when there is no such index. */
export function readRunIndex(dir: string): IndexedRun[] | undefined {
  const path = join(dir, INDEX);
  if (!existsSync(path)) return undefined;
  try {
    const index = JSON.parse(readFileSync(path, 'utf8')) as { tool?: unknown; runs?: unknown };
    if (index.tool !== 'ecashsim' || !Array.isArray(index.runs)) return undefined;
    return (index.runs as Array<{ dir?: unknown; label?: unknown }>)
      .filter((r) => typeof r.dir === 'string')
      .map((r) => ({ dir: join(dir, r.dir as string), label: typeof r.label === 'string' ? r.label : 'base' }));
  } catch {
    return undefined;
  }
}

export function loadRun(dir: string): Run {
  const resultsPath = join(dir, RESULTS);
  if (!existsSync(resultsPath)) throw new ReportInputError(dir, `no ${RESULTS} (expected ${resultsPath})`);
  const results = parseResults(readFileSync(resultsPath, 'utf8'), resultsPath);
  const seriesPath = join(dir, TIMESERIES);
  const series = existsSync(seriesPath) ? parseTimeseries(readFileSync(seriesPath, 'utf8'), seriesPath) : null;
  return { dir, results, series };
}

/** Every run under every directory given, each loaded once even when two arguments overlap. */
export function loadRuns(dirs: readonly string[]): Run[] {
  const seen = new Set<string>();
  const runs: Run[] = [];
  for (const dir of dirs) {
    const points = indexPoints(dir);
    for (const runDir of findRunDirs(dir)) {
      if (seen.has(runDir)) continue;
      seen.add(runDir);
      const run = loadRun(runDir);
      const point = points.get(runDir);
      const sweep = run.results.sweep;
      // The index lists runs in sweep order: it orders values that are words (15m, 1h, 6h, 1d) as the scenario did.
      runs.push(sweep === undefined || sweep.point !== undefined || point === undefined ? run : { ...run, results: { ...run.results, sweep: { ...sweep, point } } });
    }
  }
  return runs;
}

/** Run directory -> index of its sweep value in `<dir>/runs.json` (values numbered in order of first listing). */
function indexPoints(dir: string): Map<string, number> {
  const points = new Map<string, number>();
  const labels: string[] = [];
  for (const entry of readRunIndex(dir) ?? []) {
    if (!labels.includes(entry.label)) labels.push(entry.label);
    points.set(entry.dir, labels.indexOf(entry.label));
  }
  return points;
}

type Kind = 'string' | 'number' | 'number|null' | 'string|number' | 'object' | 'array' | 'boolean';

/** The fields the report reads, with their JSON types. Everything else in results.json is shown as given. */
const REQUIRED: ReadonlyArray<readonly [string, Kind]> = [
  ['scenario', 'string'],
  ['seed', 'string|number'],
  ['partial', 'boolean'],
  ['simulatedSeconds', 'number'],
  ['versions', 'object'],
  ['keys.card', 'string'],
  ['keys.bank', 'string'],
  ['policy', 'object'],
  ['counts.users', 'number'],
  ['counts.shops', 'number'],
  ['counts.banks', 'number'],
  ['counts.payments', 'number'],
  ['counts.valueIssued', 'number'],
  ['issuerDatabase.proposed.now.bytes', 'number'],
  ['issuerDatabase.proposed.now.rows', 'number'],
  ['issuerDatabase.proposedArchive.now.bytes', 'number'],
  ['issuerDatabase.baseline.now.bytes', 'number'],
  ['issuerDatabase.baseline.now.rows', 'number'],
  ['issuerDatabase.epochPruned.now.bytes', 'number'],
  ['issuerDatabase.epochPruned.lostValue', 'number'],
  ['issuerDatabase.baselineOverProposed', 'number|null'],
  ['outstandingValue', 'number'],
  ['money.conserved', 'boolean'],
  ['frauds', 'array'],
  ['detection.falseAccusations', 'number'],
  ['performance.wallSeconds', 'number'],
  ['performance.paymentsPerSecond', 'number'],
  ['performance.signaturesSignedPerSecond', 'number'],
  ['performance.signaturesVerifiedPerSecond', 'number'],
];

const FRAUD_REQUIRED: ReadonlyArray<readonly [string, Kind]> = [
  ['id', 'number'],
  ['kind', 'string'],
  ['culprit', 'string'],
  ['start', 'number'],
  ['firstPayment', 'number|null'],
  ['detected.paper', 'number|null'],
  ['detected.tree', 'number|null'],
  ['latency.paper', 'number|null'],
  ['latency.tree', 'number|null'],
  ['revealed', 'number|null'],
  ['blocklisted', 'number|null'],
  ['overspend', 'boolean'],
  ['refusedBy', 'object'],
  ['loss', 'number'],
  ['lossBeforeDetection', 'number'],
  ['lossAfterDetection', 'number'],
];

function at(root: unknown, path: string): unknown {
  let node = root;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function hasKind(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'number|null':
      return value === null || (typeof value === 'number' && Number.isFinite(value));
    case 'string|number':
      return typeof value === 'string' || typeof value === 'number';
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'boolean':
      return typeof value === 'boolean';
  }
}

function check(root: unknown, fields: ReadonlyArray<readonly [string, Kind]>, path: string, prefix: string): void {
  for (const [field, kind] of fields) {
    const value = at(root, field);
    if (!hasKind(value, kind)) {
      const got = value === undefined ? 'missing' : `got ${JSON.stringify(value)?.slice(0, 40)}`;
      throw new ReportInputError(path, `field ${prefix}${field} must be ${kind.replace('|', ' or ')} (${got})`);
    }
  }
}

export function parseResults(text: string, path: string): RunResults {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ReportInputError(path, `not valid JSON (${(e as Error).message})`);
  }
  if (!hasKind(raw, 'object')) throw new ReportInputError(path, 'must hold a JSON object');
  check(raw, REQUIRED, path, '');
  (at(raw, 'frauds') as unknown[]).forEach((f, i) => check(f, FRAUD_REQUIRED, path, `frauds[${i}].`));
  const results = raw as Record<string, unknown>;
  const sweep = normalizeSweep(results['sweep'], path);
  if (sweep === undefined) delete results['sweep'];
  else results['sweep'] = sweep;
  return results as RunResults;
}

/** A label's value as the sweep gave it: `4` -> 4, `15m` and `none` stay words. */
function labelValue(text: string): unknown {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

function normalizeSweep(raw: unknown, path: string): SweepPoint | undefined {
  if (raw === undefined || raw === null) return undefined;
  const sweep = { sweep: raw };
  check(sweep, [['sweep', 'object'], ['sweep.replication', 'number']], path, '');
  const s = raw as { parameter?: unknown; value?: unknown; label?: unknown; replication: number; point?: unknown };
  const point = typeof s.point === 'number' ? { point: s.point } : {};
  if (s.parameter !== undefined) {
    check(sweep, [['sweep.parameter', 'string']], path, '');
    if (s.value === undefined) throw new ReportInputError(path, 'field sweep.value is missing');
    return { parameter: s.parameter as string, value: s.value, replication: s.replication, ...point };
  }
  check(sweep, [['sweep.label', 'string']], path, '');
  const label = s.label as string;
  const eq = label.indexOf('=');
  if (eq < 0) return undefined; // `base`: a scenario without a sweep
  return { parameter: label.slice(0, eq), value: labelValue(label.slice(eq + 1)), replication: s.replication, ...point };
}

export function parseTimeseries(text: string, path: string): TimeSeries {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0];
  if (header === undefined) throw new ReportInputError(path, 'empty file (expected a header line starting with t)');
  const columns = header.split(',').map((c) => c.trim());
  if (columns[0] !== 't') throw new ReportInputError(path, `line 1: the first column must be t, got ${JSON.stringify(columns[0])}`);
  const values = columns.map((): number[] => []);
  for (let i = 1; i < lines.length; i++) {
    const cells = (lines[i] ?? '').split(',');
    if (cells.length !== columns.length) throw new ReportInputError(path, `line ${i + 1}: ${cells.length} cells, the header has ${columns.length}`);
    cells.forEach((cell, c) => {
      const v = Number(cell);
      if (cell.trim() === '' || !Number.isFinite(v)) throw new ReportInputError(path, `line ${i + 1}, column ${columns[c]}: not a number: ${JSON.stringify(cell)}`);
      values[c]?.push(v);
    });
  }
  return { columns, length: lines.length - 1, values: new Map(columns.map((c, i) => [c, values[i] ?? []])) };
}

/** A column of the series, or undefined when the file does not have it. */
export function column(series: TimeSeries | null, name: string): readonly number[] | undefined {
  return series?.values.get(name);
}
