// The `ecashsim` command: run scenario files, validate them, and (later) report on outputs.
//
// Exit codes: 0 success; 1 a run failed (the simulator threw); 2 the command line or a scenario file is wrong,
// in which case nothing has been written; 130 interrupted by Ctrl-C (partial results written). Scenario problems go to stderr as ScenarioError messages (file,
// path, expectation, fix); the closing one-line summaries go to stdout.
//
// commander rather than hand-rolled argv parsing: it gives --help on every subcommand, --version, "unknown
// option (did you mean ...)" and missing-argument errors for free, and its exitOverride lets this module
// return exit codes instead of calling process.exit, so tests can run it in-process.

import { mkdirSync, realpathSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../output.ts';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { formatDuration } from '../scenario/duration.ts';
import { ScenarioError } from '../scenario/errors.ts';
import { expandSweep, loadScenario } from '../scenario/load.ts';
import type { Scenario } from '../scenario/schema.ts';
import { INDEX_FILE, INDEX_TOOL, SCENARIO_FILE, inspectOutDir, prepareOutDir, refusal } from './outdir.ts';
import type { OutDirState } from './outdir.ts';
import { createProgress, formatCount } from './progress.ts';
import type { ProgressOptions, ProgressReporter } from './progress.ts';
import { loadRunScenario } from './runner.ts';
import type { RunScenario, RunSummary } from './runner.ts';

export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** The simulator; default: sim/run.ts, imported when a run starts. */
  readonly runScenario?: RunScenario;
  /** Progress bars; default: a cli-progress bar on stderr when it is a terminal. */
  readonly progress?: (options: ProgressOptions) => ProgressReporter;
  /**
   * Writes the HTML report of finished run directories to `html`; default: reports/html.ts, but only with the
   * real simulator (a fake one writes no results a report could read).
   */
  readonly report?: (runDirs: string[], html: string) => Promise<string>;
}

async function writeHtmlReport(runDirs: string[], html: string): Promise<string> {
  const { writeReport } = await import('../../reports/html.ts');
  return writeReport(runDirs, html);
}

const DEFAULT_OUT_ROOT = join('reports', 'out');

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/** Runs the command line `argv` (without node and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let code = 0;

  const program = new Command('ecashsim')
    .description('Seeded discrete-event simulator of the BoJ IMES 1997 e-money protocol.')
    .version(version(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void stdout.write(s), writeErr: (s) => void stderr.write(s) })
    .showSuggestionAfterError(true)
    .showHelpAfterError('(add --help for usage)')
    .allowExcessArguments(false)
    .addHelpText(
      'after',
      `
Examples:
  ecashsim validate scenarios/*.yaml
  ecashsim run scenarios/quickstart.yaml
  ecashsim run scenarios/double-spend.yaml --seed 7 --out /tmp/ds --threads 4

Exit codes: 0 success, 1 a run failed, 2 bad command line or scenario file (nothing written),
130 interrupted (partial results written).`,
    );

  program
    .command('run')
    .description('validate scenarios, then run every sweep point and replication of each')
    .argument('<scenario...>', 'scenario files (.yaml, .yml or .json)')
    .option('--seed <n>', "override each scenario's seed (replications derive theirs from it)", parseSeed)
    .option('--out <dir>', `output directory (default ${join(DEFAULT_OUT_ROOT, '<name>')}; with several scenarios, <dir>/<name>)`)
    .option('--threads <n>', 'threads for signature work, the main thread among them (1: no workers)', parseThreads, availableParallelism())
    .option('--force', 'write into an output directory that holds files ecashsim did not write')
    .option('--events', 'write the full event log of every run (overrides outputs.events)')
    .addHelpText(
      'after',
      `
Every file is validated before anything runs; one bad file stops the command with exit 2 and writes nothing.
Output: <out>/runs.json (index of runs), <out>/scenario.json (the scenario with every default), and one
directory per run, <out>/<sweep point>/rep-<r>/, holding the simulator's results.`,
    )
    .action(async (files: string[], options: RunFlags) => {
      const report = io.report ?? (io.runScenario === undefined ? writeHtmlReport : undefined);
      code = await runCommand(files, options, { stdout, stderr, runScenario: io.runScenario, progress: io.progress, report });
    });

  program
    .command('validate')
    .description('check scenario files and report every problem; writes nothing')
    .argument('<scenario...>', 'scenario files (.yaml, .yml or .json)')
    .action((files: string[]) => {
      code = validateCommand(files, stdout, stderr);
    });

  program
    .command('report')
    .description('write a self-contained HTML report (charts and tables) of run outputs')
    .argument('<out-dir...>', 'run directories written by `ecashsim run` (each holding results.json)')
    .option('--html <file>', 'where to write it (default: <out-dir>/index.html for one run; required for several)')
    .action(async (dirs: string[], options: { html?: string }) => {
      const { reportCommand } = await import('../../reports/cli.ts');
      code = await reportCommand(dirs, options.html === undefined ? {} : { html: options.html }, {
        out: (line) => void stdout.write(`${line}\n`),
        err: (line) => void stderr.write(`${line}\n`),
      });
    });

  if (argv.length === 0) {
    stderr.write(program.helpInformation());
    return 2;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end in a CommanderError too, with exit code 0; every other one is misuse.
      return e.exitCode === 0 ? 0 : 2;
    }
    stderr.write(`ecashsim: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

interface RunFlags {
  readonly seed?: number;
  readonly out?: string;
  readonly threads: number;
  readonly force?: boolean;
  readonly events?: boolean;
}

function parseSeed(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a whole number from 0 to 2^53 - 1.');
  return n;
}

function parseThreads(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 1024) throw new InvalidArgumentError('expected a whole number from 1 to 1024.');
  return n;
}

/** Loads every file; prints every problem of every bad one. Undefined if any was bad. */
function loadAll(files: readonly string[], stderr: CliIo['stderr']): Array<{ file: string; scenario: Scenario }> | undefined {
  const loaded: Array<{ file: string; scenario: Scenario }> = [];
  let bad = 0;
  for (const file of files) {
    try {
      loaded.push({ file, scenario: loadScenario(file) });
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      stderr.write(`${e.message}\n`);
      bad++;
    }
  }
  if (bad > 0) {
    stderr.write(`ecashsim: ${bad} of ${files.length} scenario file${files.length === 1 ? '' : 's'} invalid; nothing was run or written\n`);
    return undefined;
  }
  return loaded;
}

function validateCommand(files: readonly string[], stdout: CliIo['stdout'], stderr: CliIo['stderr']): number {
  const loaded = loadAll(files, stderr);
  if (loaded === undefined) return 2;
  for (const { file, scenario } of loaded) {
    const runs = expandSweep(scenario).length;
    stdout.write(`${file}: ok (${scenario.name}: ${runs} run${runs === 1 ? '' : 's'} of ${formatDuration(scenario.duration)})\n`);
  }
  return 0;
}

interface RunContext {
  readonly stdout: CliIo['stdout'];
  readonly stderr: CliIo['stderr'];
  readonly runScenario: RunScenario | undefined;
  readonly progress: CliIo['progress'];
  readonly report: CliIo['report'];
}

async function runCommand(files: readonly string[], flags: RunFlags, ctx: RunContext): Promise<number> {
  const loaded = loadAll(files, ctx.stderr);
  if (loaded === undefined) return 2;

  const plans: Array<{ file: string; scenario: Scenario; outDir: string; state: OutDirState }> = [];
  const byDir = new Map<string, string>();
  for (const { file, scenario: parsed } of loaded) {
    let scenario = parsed;
    if (flags.seed !== undefined) scenario = { ...scenario, seed: flags.seed };
    if (flags.events === true) scenario = { ...scenario, outputs: { ...scenario.outputs, events: true } };
    const outDir =
      flags.out === undefined
        ? join(DEFAULT_OUT_ROOT, scenario.name)
        : loaded.length === 1
          ? flags.out
          : join(flags.out, scenario.name);
    const clash = byDir.get(outDir);
    if (clash !== undefined) {
      ctx.stderr.write(`ecashsim: ${clash} and ${file} would both write to ${outDir} (both are named '${scenario.name}'); run them separately with --out\n`);
      return 2;
    }
    byDir.set(outDir, file);
    const state = inspectOutDir(outDir);
    const why = refusal(outDir, state);
    if (why !== undefined && !(flags.force === true && state.kind === 'foreign')) {
      ctx.stderr.write(`ecashsim: refusing to write: ${why}\n`);
      return 2;
    }
    plans.push({ file, scenario, outDir, state });
  }

  const runScenario = ctx.runScenario ?? (await loadRunScenario());
  const interrupt = new AbortController();
  const onSigint = (): void => {
    if (interrupt.signal.aborted) process.exit(130);
    interrupt.abort();
    ctx.stderr.write('\necashsim: interrupted; writing partial results of the current run (Ctrl-C again to quit at once)\n');
  };
  process.on('SIGINT', onSigint);
  try {
    for (const plan of plans) {
      const outcome = await runOne(plan, flags, { ...ctx, signal: interrupt.signal }, runScenario);
      if (outcome !== 'complete') return outcome === 'interrupted' ? 130 : 1;
    }
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

interface IndexEntry {
  label: string;
  slug: string;
  replication: number;
  seed: number;
  dir: string;
  status: 'pending' | 'complete' | 'interrupted' | 'failed' | 'skipped';
  events?: number;
  simSeconds?: number;
  wallSeconds?: number;
  headline?: string;
  scalars?: Readonly<Record<string, number>>;
  error?: string;
}

async function runOne(
  plan: { file: string; scenario: Scenario; outDir: string; state: OutDirState },
  flags: RunFlags,
  ctx: RunContext & { readonly signal: AbortSignal },
  runScenario: RunScenario,
): Promise<'complete' | 'interrupted' | 'failed'> {
  const { scenario, outDir } = plan;
  const runs = expandSweep(scenario);
  prepareOutDir(outDir, plan.state);
  const entries: IndexEntry[] = runs.map((r) => ({
    label: r.label,
    slug: r.slug,
    replication: r.replication,
    seed: r.seed,
    dir: join(r.slug, `rep-${r.replication}`),
    status: 'pending',
  }));
  const index = {
    tool: INDEX_TOOL,
    version: version(),
    scenario: scenario.name,
    source: plan.file,
    seed: scenario.seed,
    threads: flags.threads,
    status: 'running' as 'running' | 'complete' | 'interrupted' | 'failed',
    runs: entries,
  };
  writeJson(join(outDir, INDEX_FILE), index);
  writeJson(join(outDir, SCENARIO_FILE), scenario);

  const started = performance.now();
  let events = 0;
  let last: RunSummary | undefined;
  for (const [i, run] of runs.entries()) {
    const entry = entries[i]!;
    const runDir = join(outDir, entry.dir);
    mkdirSync(runDir, { recursive: true });
    const title = runs.length === 1 ? scenario.name : `${scenario.name} ${run.label} rep ${run.replication} (${i + 1}/${runs.length})`;
    const progress = (ctx.progress ?? ((o: ProgressOptions) => createProgress({ ...o, stream: ctx.stderr })))({ title });
    const t0 = performance.now();
    try {
      last = await runScenario(run.scenario, {
        seed: run.seed,
        outDir: runDir,
        threads: flags.threads,
        events: run.scenario.outputs.events,
        progress,
        label: run.label,
        replication: run.replication,
        signal: ctx.signal,
      });
    } catch (e) {
      progress.stop();
      const message = e instanceof Error ? e.message : String(e);
      Object.assign(entry, { status: 'failed', error: message, wallSeconds: seconds(t0) });
      for (const rest of entries.slice(i + 1)) rest.status = 'skipped';
      index.status = 'failed';
      writeJson(join(outDir, INDEX_FILE), index);
      const where = runs.length === 1 ? scenario.name : `${scenario.name} ${run.label} rep ${run.replication}`;
      const stack = e instanceof Error && e.stack !== undefined ? `\n${e.stack.split('\n').slice(1).join('\n')}` : '';
      ctx.stderr.write(`ecashsim: run failed: ${where}: ${message}${stack}\n`);
      return 'failed';
    }
    progress.stop();
    events += last.events;
    Object.assign(entry, {
      status: 'complete',
      events: last.events,
      simSeconds: last.simSeconds,
      wallSeconds: seconds(t0),
      ...(last.headline === undefined ? {} : { headline: last.headline }),
      ...(last.scalars === undefined ? {} : { scalars: last.scalars }),
    });
    if (ctx.signal.aborted) {
      entry.status = 'interrupted';
      for (const rest of entries.slice(i + 1)) rest.status = 'skipped';
      index.status = 'interrupted';
      writeJson(join(outDir, INDEX_FILE), index);
      ctx.stderr.write(`ecashsim: ${scenario.name}: interrupted after ${i + 1} of ${runs.length} runs; partial results in ${outDir}\n`);
      await report(plan, entries, ctx);
      return 'interrupted';
    }
    writeJson(join(outDir, INDEX_FILE), index);
  }
  index.status = 'complete';
  writeJson(join(outDir, INDEX_FILE), index);

  const wall = seconds(started);
  const n = runs.length;
  const rate = wall > 0 ? ` (${formatCount(events / wall)} events/s)` : '';
  const headline = n === 1 && last?.headline !== undefined ? `; ${last.headline}` : '';
  ctx.stdout.write(
    `${scenario.name}: ${n} run${n === 1 ? '' : 's'} of ${formatDuration(scenario.duration)}, ${events.toLocaleString('en-US')} events in ${wall.toFixed(1)}s${rate}${headline} -> ${outDir}\n`,
  );
  await report(plan, entries, ctx);
  return 'complete';
}

/** The scenario's HTML report over its finished (or interrupted) runs, at <out>/index.html; its path printed. */
async function report(plan: { outDir: string }, entries: readonly IndexEntry[], ctx: RunContext): Promise<void> {
  if (ctx.report === undefined) return;
  const dirs = entries.filter((e) => e.status === 'complete' || e.status === 'interrupted').map((e) => join(plan.outDir, e.dir));
  if (dirs.length === 0) return;
  const path = await ctx.report(dirs, join(plan.outDir, 'index.html'));
  ctx.stdout.write(`report: ${path}\n`);
}

function seconds(since: number): number {
  return Number(((performance.now() - since) / 1000).toFixed(3));
}

/** Atomic (sim/output.ts): a killed run never leaves half an index. */
function writeJson(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

function isEntryPoint(url: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
