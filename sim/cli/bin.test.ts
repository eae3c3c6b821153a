// The real executable, as a user runs it: exit codes, which stream says what, and that a refused command
// writes nothing. Only commands that stop before simulating, so no test depends on the simulator's speed.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const repo = join(import.meta.dirname, '..', '..');
const bin = join(repo, 'sim', 'cli', 'bin.mjs');
const scenarios = join(repo, 'scenarios');
const cwd = mkdtempSync(join(tmpdir(), 'ecashsim-bin-'));
after(() => rmSync(cwd, { recursive: true, force: true }));

function ecashsim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('bin.mjs is executable and starts with a node shebang', () => {
  assert.ok((statSync(bin).mode & 0o111) !== 0);
  assert.match(readFileSync(bin, 'utf8').split('\n')[0]!, /^#!\/usr\/bin\/env -S node( --[a-z-]+=\d+)*$/);
});

test('npm start and npm run bench start node with the heap flags the executable does', () => {
  // The benchmark's figures are only what a user gets if both run under the same V8 heap settings.
  const flags = readFileSync(bin, 'utf8').split('\n')[0]!.split(' ').slice(3);
  assert.ok(flags.length > 0, 'the shebang names its flags');
  const scripts = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  for (const name of ['start', 'bench']) assert.ok(scripts[name]!.startsWith(`node ${flags.join(' ')} `), `${name}: ${scripts[name]}`);
});

test('validate: every shipped scenario is ok, exit 0, from any working directory', () => {
  const files = readdirSync(scenarios).filter((f) => f.endsWith('.yaml')).map((f) => join(scenarios, f));
  const r = ecashsim('validate', ...files);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, files.length);
  assert.ok(r.stdout.split('\n').filter(Boolean).every((l) => l.includes(': ok (')), r.stdout);
});

test('a bad file: exit 2, the problem on stderr naming file, path and expectation, nothing on stdout, nothing written', () => {
  const bad = join(cwd, 'bad.yaml');
  writeFileSync(bad, 'population:\n  users: -5\n');
  for (const command of ['validate', 'run']) {
    const r = ecashsim(command, bad);
    assert.equal(r.code, 2, `${command}: ${r.stderr}`);
    assert.ok(r.stderr.includes(`${bad}: population.users: expected at least 1, got -5`), r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(readdirSync(cwd), ['bad.yaml'], `${command} wrote nothing`);
  }
});

test('an unknown flag: exit 2 with a suggestion', () => {
  const r = ecashsim('run', join(scenarios, 'quickstart.yaml'), '--sed', '4');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown option '--sed'/);
  assert.match(r.stderr, /--seed/);
});

test('run into a non-empty directory it did not write: refused, exit 2, directory untouched', () => {
  const out = join(cwd, 'occupied');
  mkdirSync(out);
  writeFileSync(join(out, 'keep.txt'), 'mine');
  const r = ecashsim('run', join(scenarios, 'quickstart.yaml'), '--out', out);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /refusing to write/);
  assert.match(r.stderr, /--force/);
  assert.deepEqual(readdirSync(out), ['keep.txt']);
  rmSync(out, { recursive: true });
});

test('--help and --version exit 0 on stdout; main.ts also runs directly under tsx', () => {
  for (const args of [['--help'], ['run', '--help'], ['validate', '--help'], ['report', '--help']]) {
    const r = ecashsim(...args);
    assert.equal(r.code, 0, args.join(' '));
    assert.match(r.stdout, /^Usage: ecashsim/);
  }
  assert.match(ecashsim('--version').stdout, /^\d+\.\d+\.\d+/);
  const direct = spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'sim', 'cli', 'main.ts'), 'validate', join(scenarios, 'quickstart.yaml')], {
    cwd: repo,
    encoding: 'utf8',
  });
  assert.equal(direct.status, 0, direct.stderr);
  assert.match(direct.stdout, /quickstart\.yaml: ok/);
});
