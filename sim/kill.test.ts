// SIGKILL mid-run (issue #7): no signal handler runs, so whatever is on disk is what the run had committed.
// A user must be able to rely on three things: no file is half-written, the issuer stores open and pass
// SQLite's integrity check, and the same command again into the same directory runs to the end.
//
// The real executable is killed once the issuer's baseline store holds deposited coins, i.e. once a bank
// return has been committed (simulated day 1 of 8), so the kill lands mid-run by a condition, not a clock;
// the index still saying `running` afterwards proves it did. The store is checked on every change the run
// makes below its output directory (inotify), never on a timer; the run ending first fails the test.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { watch } from 'node:fs/promises';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { parse, stringify } from 'yaml';
import type { Results } from './model/results.ts';

const repo = join(import.meta.dirname, '..');
const bin = join(repo, 'sim', 'cli', 'bin.mjs');
const root = mkdtempSync(join(tmpdir(), 'ecashsim-kill-'));
after(() => rmSync(root, { recursive: true, force: true }));

const STORES = ['issuer-proposed.sqlite', 'issuer-baseline.sqlite', 'issuer-epoch-pruned.sqlite'];
/** sim/output.ts's writeFileAtomic writes `<file>.tmp-<pid>` and renames it over `<file>`. */
const TEMP = /\.tmp-(\d+)$/;

/** The quick start with fewer people over more days: a few seconds to run, most of them after day 1. */
function scenarioFile(): string {
  const quickstart = parse(readFileSync(join(repo, 'scenarios', 'quickstart.yaml'), 'utf8')) as Record<string, unknown>;
  const path = join(root, 'kill.yaml');
  writeFileSync(path, stringify({ ...quickstart, name: 'kill', duration: '8d', population: { users: 60, shops: 8, banks: 2 } }));
  return path;
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** Rows in a store's table, read through a read-only connection; 0 until the run has created it. */
function rows(path: string, table: string): number {
  if (!existsSync(path)) return 0;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table);
    return exists === undefined ? 0 : (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/**
 * Resolves once `ready()` holds, checking it whenever something below `dir` changes; rejects if `stop` aborts
 * first (the child exited).
 */
async function whenReady(dir: string, ready: () => boolean, stop: AbortSignal): Promise<void> {
  if (ready()) return;
  try {
    for await (const _change of watch(dir, { recursive: true, signal: stop })) if (ready()) return;
  } catch (e) {
    if (!stop.aborted) throw e;
  }
  if (!ready()) throw new Error('stopped before the condition held');
}

function assertStoresIntact(runDir: string): void {
  for (const store of STORES) {
    const db = new Database(join(runDir, store), { fileMustExist: true });
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal', store);
      assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }], store);
    } finally {
      db.close();
    }
  }
}

function assertJsonWhole(out: string): void {
  for (const f of files(out).filter((f) => f.endsWith('.json'))) {
    assert.doesNotThrow(() => JSON.parse(readFileSync(join(out, f), 'utf8')), `${f} is whole JSON`);
  }
}

test('SIGKILL mid-run: no half-written file, the stores pass integrity_check, and the same command reruns to the end', { timeout: 300_000 }, async (t) => {
  const scenario = scenarioFile();
  const out = join(root, 'out');
  const runDir = join(out, 'base', 'rep-0');
  // One thread: the stores are written on the main thread either way, and SIGKILL takes every thread with it.
  const args = [bin, 'run', scenario, '--out', out, '--threads', '1'];

  mkdirSync(out); // empty, so the run accepts it; it must exist to be watched
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  child.stdout.resume();
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const ended = new AbortController();
  void exited.then(() => ended.abort());

  let deposited = 0;
  await whenReady(out, () => (deposited = rows(join(runDir, 'issuer-baseline.sqlite'), 'deposited')) > 0, ended.signal).catch(() => {
    assert.fail(`the run ended before a bank return was committed:\n${stderr}`);
  });
  child.kill('SIGKILL');
  const [code, signal] = await exited;
  assert.deepEqual([code, signal], [null, 'SIGKILL'], stderr);

  // Mid-run: the index, written before the run started, still says so, and no results.json claims otherwise.
  const index = JSON.parse(readFileSync(join(out, 'runs.json'), 'utf8')) as { status: string; runs: Array<{ status: string }> };
  assert.equal(index.status, 'running', 'the kill landed after the run finished: make the scenario longer');
  assert.equal(index.runs[0]?.status, 'pending');
  assert.ok(!existsSync(join(runDir, 'results.json')), 'a killed run has no results.json');

  // (1) Nothing half-written: every JSON file parses, and the only other files are the stores (with their WAL)
  // or the killed process's own temp files, which no reader takes for a result.
  assertJsonWhole(out);
  for (const f of files(out)) {
    if (f === 'runs.json' || f === 'scenario.json' || /^base\/rep-0\/issuer-[a-z-]+\.sqlite(-wal|-shm)?$/.test(f)) continue;
    assert.equal(TEMP.exec(f)?.[1], String(child.pid), `unexpected file after the kill: ${f}`);
  }

  // (2) The stores: killed with their write-ahead logs open, so opening them recovers from the log; then
  // integrity_check ok, and every committed bank return still there.
  for (const store of STORES) assert.ok(statSync(join(runDir, `${store}-wal`)).size > 0, `${store}-wal left by the kill`);
  assertStoresIntact(runDir);
  assert.ok(rows(join(runDir, 'issuer-baseline.sqlite'), 'deposited') >= deposited, 'committed deposits survived the kill');

  // A kill inside writeFileAtomic leaves `<file>.tmp-<pid>`, half-written; the kill above cannot be aimed
  // there without racing, so leave what it would have left.
  writeFileSync(join(out, `runs.json.tmp-${child.pid}`), '{\n  "tool": "ecashsim",\n  "sta');
  writeFileSync(join(out, `index.html.tmp-${child.pid}`), '<!doctype html><html><he');

  // (3) The same command again, into the same directory, without --force: it is ecashsim's own.
  const rerun = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  assert.equal(rerun.status, 0, rerun.stderr);
  const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as Results;
  assert.equal(results.partial, false);
  assert.equal(results.simulatedSeconds, 8 * 86400);
  assert.equal((JSON.parse(readFileSync(join(out, 'runs.json'), 'utf8')) as { status: string }).status, 'complete');
  assertJsonWhole(out);
  assert.deepEqual(files(out).filter((f) => TEMP.test(f)), [], "the rerun removed the killed run's temp files");
  assertStoresIntact(runDir);
});
