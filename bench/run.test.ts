// The benchmark runner refuses bad arguments with the benchmark's own message and exit 2, before any work.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const runner = fileURLToPath(new URL('./run.ts', import.meta.url));
const bench = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', runner, ...args], { encoding: 'utf8' });

test('a bad --rounds and an unknown benchmark exit 2 with a message, no stack and no output', () => {
  for (const [arg, message] of [
    ['--rounds=x', "bench sim: --rounds must be a whole number >= 1, got 'x'"],
    ['--rounds=0', "bench sim: --rounds must be a whole number >= 1, got '0'"],
  ] as const) {
    const r = bench('sim', arg);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr.trim(), message);
    assert.equal(r.stdout, '', 'nothing ran');
  }
  const r = bench('nosuch');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no benchmark named 'nosuch'/);
});
