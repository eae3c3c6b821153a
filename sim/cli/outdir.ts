// The output directory of a scenario. `ecashsim run` may replace what an earlier `ecashsim run` wrote there,
// but never silently mixes its files into a directory holding something else (a typo in --out must not
// scatter results over someone's home directory): that needs --force.
//
// Layout: <out>/runs.json (the index: one entry per run, with its directory, seed and summary; written
// first, so it marks the directory as ecashsim's from the start), <out>/scenario.json (the resolved
// scenario, every default filled in), and one directory per run, <out>/<sweep point>/rep-<r>/, that belongs
// to the runner (its results.json, time series, event log).

import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';

export const INDEX_FILE = 'runs.json';
export const SCENARIO_FILE = 'scenario.json';
/** What the index says it is, so a stray runs.json from another tool is not taken for ours. */
export const INDEX_TOOL = 'ecashsim';

export type OutDirState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'empty' }
  /** An earlier ecashsim output; `runDirs` are the run directories its index lists. */
  | { readonly kind: 'previous'; readonly runDirs: readonly string[] }
  | { readonly kind: 'foreign'; readonly entries: readonly string[] }
  | { readonly kind: 'not-a-directory' };

export function inspectOutDir(dir: string): OutDirState {
  if (!existsSync(dir)) return { kind: 'absent' };
  if (!statSync(dir).isDirectory()) return { kind: 'not-a-directory' };
  const entries = readdirSync(dir).sort();
  if (entries.length === 0) return { kind: 'empty' };
  const index = readIndex(join(dir, INDEX_FILE));
  if (index !== undefined) return { kind: 'previous', runDirs: index };
  // A run directory written by the runner alone (results.json last, sim/output.ts) is ecashsim output too.
  if (entries.includes('results.json') && entries.every((e) => RUNNER_FILES.test(e))) return { kind: 'previous', runDirs: [] };
  // A run killed while writing its first index leaves nothing but that index's temp file.
  if (entries.every((e) => TOP_TEMP_FILES.test(e))) return { kind: 'previous', runDirs: [] };
  return { kind: 'foreign', entries };
}

const RUNNER_FILES = /^(results\.json|timeseries\.csv|events\.ndjson|.*\.sqlite(-wal|-shm)?|.*\.tmp-\d+)$/;
/**
 * What sim/output.ts's writeFileAtomic leaves of the files written beside the run directories (the index, the
 * scenario, the report) when the process is killed between writing and renaming: `<file>.tmp-<pid>`.
 */
const TOP_TEMP_FILES = /^(runs\.json|scenario\.json|index\.html)\.tmp-\d+$/;

/** The run directories an ecashsim index lists, or undefined if `path` is not one. */
function readIndex(path: string): string[] | undefined {
  try {
    const index = JSON.parse(readFileSync(path, 'utf8')) as { tool?: unknown; runs?: Array<{ dir?: unknown }> };
    if (index.tool !== INDEX_TOOL || !Array.isArray(index.runs)) return undefined;
    return index.runs.map((r) => r.dir).filter((d): d is string => typeof d === 'string');
  } catch {
    return undefined;
  }
}

/** Why `state` stops a run without --force, or undefined if it does not. */
export function refusal(dir: string, state: OutDirState): string | undefined {
  if (state.kind === 'not-a-directory') return `${dir} exists and is not a directory; choose another --out`;
  if (state.kind !== 'foreign') return undefined;
  const shown = state.entries.slice(0, 3).join(', ') + (state.entries.length > 3 ? `, ... (${state.entries.length} entries)` : '');
  return `${dir} already holds files ecashsim did not write (${shown}); choose another --out, or add --force to write into it anyway`;
}

/**
 * Makes `dir` ready for a new output: created if absent; an earlier ecashsim output's run directories removed
 * (only those its index lists, and only inside `dir`), so no stale run is mistaken for a new one, and so are
 * the temp files a killed run left beside them, which would otherwise pile up, one per kill.
 */
export function prepareOutDir(dir: string, state: OutDirState): void {
  mkdirSync(dir, { recursive: true });
  if (state.kind !== 'previous') return;
  for (const entry of readdirSync(dir)) if (TOP_TEMP_FILES.test(entry)) rmSync(join(dir, entry), { force: true });
  // A run directory is <sweep point>/rep-<r>; the sweep point's directory is ecashsim's as a whole.
  const tops = new Set(state.runDirs.map((d) => normalize(d).split(sep)[0]!));
  for (const top of tops) {
    if (top === '.' || top === '' || top === '..' || isAbsolute(top) || top === INDEX_FILE || top === SCENARIO_FILE) continue;
    rmSync(join(dir, top), { recursive: true, force: true });
  }
}
