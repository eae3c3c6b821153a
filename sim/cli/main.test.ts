// The command line in-process, with a fake simulator: what it hands the runner, what it writes, and what it
// refuses. (bin.test.ts runs the real executable for exit codes and streams.)

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Scenario } from '../scenario/schema.ts';
import { main } from './main.ts';
import { silentProgress } from './progress.ts';
import type { RunOptions, RunScenario } from './runner.ts';

const root = mkdtempSync(join(tmpdir(), 'ecashsim-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const fresh = (): string => join(root, `case-${++counter}`);

function scenarioFile(name: string, text: string): string {
  const dir = join(root, 'scenarios');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

interface Call {
  readonly scenario: Scenario;
  readonly options: RunOptions;
}

/** Runs the CLI with a fake simulator that records its calls and writes a results.json like the real one. */
async function cli(argv: string[], runner?: RunScenario): Promise<{ code: number; stdout: string; stderr: string; calls: Call[] }> {
  const calls: Call[] = [];
  let stdout = '';
  let stderr = '';
  const fake: RunScenario = async (scenario, options) => {
    calls.push({ scenario, options });
    writeFileSync(join(options.outDir, 'results.json'), '{}\n');
    return { events: 1000, simSeconds: scenario.duration, headline: 'all good', scalars: { payments: 7 } };
  };
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => ((stderr += s), true), isTTY: false } as unknown as NodeJS.WritableStream,
    runScenario: runner ?? fake,
    progress: () => silentProgress,
  });
  return { code, stdout, stderr, calls };
}

const quick = scenarioFile('quick.yaml', 'name: quick\nduration: 2d\npopulation: {users: 10, shops: 3, banks: 1}\n');

test('run: validates, hands the runner the scenario and a fresh run directory, writes the index', async () => {
  const out = fresh();
  const r = await cli(['run', quick, '--out', out, '--threads', '3']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.calls.length, 1);
  const [call] = r.calls as [Call];
  assert.equal(call.scenario.name, 'quick');
  assert.equal(call.options.seed, 1);
  assert.equal(call.options.threads, 3);
  assert.equal(call.options.events, false);
  assert.equal(call.options.outDir, join(out, 'base', 'rep-0'));
  assert.equal(call.options.signal.aborted, false);
  const index = JSON.parse(readFileSync(join(out, 'runs.json'), 'utf8'));
  assert.equal(index.tool, 'ecashsim');
  assert.equal(index.status, 'complete');
  assert.deepEqual(index.runs.map((x: { dir: string; status: string; events: number }) => [x.dir, x.status, x.events]), [[join('base', 'rep-0'), 'complete', 1000]]);
  assert.deepEqual(index.runs[0].scalars, { payments: 7 });
  assert.equal(JSON.parse(readFileSync(join(out, 'scenario.json'), 'utf8')).duration, 2 * 86400);
  assert.match(r.stdout, /^quick: 1 run of 2d, 1,000 events in .*; all good -> /);
  assert.ok(r.stdout.trimEnd().endsWith(out));
  assert.equal(r.stdout.trim().split('\n').length, 1, 'one summary line');
});

test('run: --seed and --events reach the runner; a sweep runs every value and replication in its own directory', async () => {
  const sweep = scenarioFile('sweep.yaml', 'name: sw\nduration: 1d\nsweep:\n  parameter: policy.detection\n  values: [paper, tree]\n  replications: 2\n');
  const out = fresh();
  const r = await cli(['run', sweep, '--out', out, '--seed', '77', '--events']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    r.calls.map((c) => [c.scenario.policy.detection, c.options.replication, c.options.outDir]),
    [
      ['paper', 0, join(out, 'policy.detection=paper', 'rep-0')],
      ['paper', 1, join(out, 'policy.detection=paper', 'rep-1')],
      ['tree', 0, join(out, 'policy.detection=tree', 'rep-0')],
      ['tree', 1, join(out, 'policy.detection=tree', 'rep-1')],
    ],
  );
  assert.equal(r.calls[0]!.options.seed, 77);
  assert.equal(r.calls[0]!.options.seed, r.calls[2]!.options.seed, 'replication r shares its seed across values');
  assert.notEqual(r.calls[0]!.options.seed, r.calls[1]!.options.seed);
  for (const c of r.calls) {
    assert.equal(c.scenario.seed, c.options.seed);
    assert.equal(c.options.events, true);
    assert.equal(c.scenario.outputs.events, true);
  }
  assert.match(r.stdout, /^sw: 4 runs of 1d, 4,000 events/);
});

test('run: an invalid file among several stops everything with exit 2 and writes nothing', async () => {
  const bad = scenarioFile('bad.yaml', 'policy:\n  detection: tre\n');
  const out = fresh();
  const r = await cli(['run', quick, bad, '--out', out]);
  assert.equal(r.code, 2);
  assert.equal(r.calls.length, 0);
  assert.equal(existsSync(out), false);
  assert.ok(r.stderr.includes(`${bad}: policy.detection: expected one of 'paper' | 'tree' | 'both', got 'tre'`), r.stderr);
  assert.ok(r.stderr.includes('nothing was run or written'));
});

test('run: an output directory holding other files is refused without --force, and left untouched', async () => {
  const out = fresh();
  mkdirSync(out);
  writeFileSync(join(out, 'thesis.tex'), 'precious');
  const r = await cli(['run', quick, '--out', out]);
  assert.equal(r.code, 2);
  assert.equal(r.calls.length, 0);
  assert.deepEqual(readdirSync(out), ['thesis.tex']);
  assert.ok(r.stderr.includes(out) && r.stderr.includes('thesis.tex') && r.stderr.includes('--force'), r.stderr);
  const forced = await cli(['run', quick, '--out', out, '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(readFileSync(join(out, 'thesis.tex'), 'utf8'), 'precious', '--force writes alongside, never deletes');
  // A file where the directory should be is refused even with --force.
  const file = join(fresh());
  writeFileSync(file, 'x');
  assert.equal((await cli(['run', quick, '--out', file, '--force'])).code, 2);
});

test('run: an earlier ecashsim output is replaced without --force, its old run directories removed', async () => {
  const sweep = scenarioFile('sweep3.yaml', 'name: s3\nduration: 1d\nsweep: {parameter: policy.offline, values: [staged, full]}\n');
  const out = fresh();
  assert.equal((await cli(['run', sweep, '--out', out])).code, 0);
  assert.ok(existsSync(join(out, 'policy.offline=staged')));
  const again = await cli(['run', quick, '--out', out]);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(readdirSync(out).sort(), ['base', 'runs.json', 'scenario.json']);
  // An empty directory is fine too.
  const empty = fresh();
  mkdirSync(empty);
  assert.equal((await cli(['run', quick, '--out', empty])).code, 0);
});

test("run: a killed run's temp files (writeFileAtomic's <file>.tmp-<pid>) are ecashsim's: no --force, and removed", async () => {
  // Killed while writing the first index: the temp file is all there is.
  const first = fresh();
  mkdirSync(first);
  writeFileSync(join(first, 'runs.json.tmp-4242'), '{\n  "tool": "ecash');
  const r = await cli(['run', quick, '--out', first]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(first).sort(), ['base', 'runs.json', 'scenario.json']);
  // Killed later: the temp files beside a whole index (sim/kill.test.ts kills a real run).
  const later = fresh();
  assert.equal((await cli(['run', quick, '--out', later])).code, 0);
  for (const f of ['runs.json', 'scenario.json', 'index.html']) writeFileSync(join(later, `${f}.tmp-4242`), 'half');
  assert.equal((await cli(['run', quick, '--out', later])).code, 0);
  assert.deepEqual(readdirSync(later).sort(), ['base', 'runs.json', 'scenario.json']);
});

test('run: several scenarios go to <out>/<name>; two with the same name are refused', async () => {
  const other = scenarioFile('other.yaml', 'name: other\nduration: 1d\n');
  const out = fresh();
  const r = await cli(['run', quick, other, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.calls.map((c) => c.options.outDir), [join(out, 'quick', 'base', 'rep-0'), join(out, 'other', 'base', 'rep-0')]);
  assert.equal(r.stdout.trim().split('\n').length, 2);
  const twin = scenarioFile('twin.yaml', 'name: quick\n');
  const clash = await cli(['run', quick, twin, '--out', fresh()]);
  assert.equal(clash.code, 2);
  assert.ok(clash.stderr.includes("both are named 'quick'"), clash.stderr);
});

test('run: a failing simulator gives exit 1, the message, and an index marking the run failed and the rest skipped', async () => {
  const sweep = scenarioFile('sweep2.yaml', 'name: s2\nduration: 1d\nsweep: {replications: 3}\n');
  const out = fresh();
  let n = 0;
  const r = await cli(['run', sweep, '--out', out], async (_s, o) => {
    if (++n === 2) throw new Error('boom in the model');
    return { events: 1, simSeconds: 1 };
  });
  assert.equal(r.code, 1);
  assert.ok(r.stderr.includes('run failed: s2 base rep 1: boom in the model'), r.stderr);
  const index = JSON.parse(readFileSync(join(out, 'runs.json'), 'utf8'));
  assert.equal(index.status, 'failed');
  assert.deepEqual(index.runs.map((x: { status: string }) => x.status), ['complete', 'failed', 'skipped']);
  assert.equal(n, 2);
});

test('run: an interrupted run (signal aborted) stops the sweep with exit 130 and says so in the index', async () => {
  const sweep = scenarioFile('sweep4.yaml', 'name: s4\nduration: 1d\nsweep: {replications: 3}\n');
  const out = fresh();
  let n = 0;
  const r = await cli(['run', sweep, '--out', out], async (_s, o) => {
    n++;
    process.emit('SIGINT'); // what Ctrl-C delivers; the CLI's handler aborts o.signal
    assert.equal(o.signal.aborted, true);
    return { events: 1, simSeconds: 1 };
  });
  assert.equal(r.code, 130);
  assert.equal(n, 1);
  const index = JSON.parse(readFileSync(join(out, 'runs.json'), 'utf8'));
  assert.equal(index.status, 'interrupted');
  assert.deepEqual(index.runs.map((x: { status: string }) => x.status), ['interrupted', 'skipped', 'skipped']);
  assert.equal(process.listenerCount('SIGINT'), 0, 'the handler is removed after the run');
});

test('validate: one ok line per good file on stdout; exit 2 with every problem on stderr otherwise', async () => {
  const good = await cli(['validate', quick]);
  assert.equal(good.code, 0);
  assert.equal(good.stdout, `${quick}: ok (quick: 1 run of 2d)\n`);
  const missing = join(root, 'scenarios', 'nope.yaml');
  const bad = await cli(['validate', quick, missing]);
  assert.equal(bad.code, 2);
  assert.ok(bad.stderr.includes(`${missing}: file not found`), bad.stderr);
});

test('misuse: unknown flags, bad numbers, missing arguments and unknown commands exit 2; help and version exit 0', async () => {
  for (const argv of [
    ['run', quick, '--sed', '3'],
    ['run', quick, '--seed', 'abc'],
    ['run', quick, '--seed', '-1'],
    ['run', quick, '--threads', '0'],
    ['run'],
    ['validate'],
    ['frobnicate'],
    [],
    ['report', 'reports/out/quick'],
  ]) {
    const r = await cli(argv);
    assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
    assert.equal(r.calls.length, 0);
    assert.ok(r.stderr.length > 0, `${argv.join(' ')} explains itself on stderr`);
  }
  const unknown = await cli(['run', quick, '--sed', '3']);
  assert.ok(unknown.stderr.includes("unknown option '--sed'") && unknown.stderr.includes('--seed'), unknown.stderr);
  for (const argv of [['--help'], ['run', '--help'], ['validate', '--help'], ['report', '--help'], ['--version']]) {
    const r = await cli(argv);
    assert.equal(r.code, 0, argv.join(' '));
    assert.ok(r.stdout.length > 0);
  }
  assert.ok((await cli(['run', '--help'])).stdout.includes('--force'));
});
