// Ctrl-C during a run: the run stops at the next slice of simulated time, writes what it has marked partial,
// the index says interrupted, and the report still renders. SIGINT is emitted in-process from the progress
// reporter, so the test is exact about when it arrives and never waits.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from './cli/main.ts';
import type { Results } from './model/results.ts';

const root = mkdtempSync(join(tmpdir(), 'ecashsim-interrupt-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('Ctrl-C: partial results flushed and marked partial, exit 130, the report still renders', async () => {
  const scenario = join(root, 'short.yaml');
  writeFileSync(scenario, 'name: short\nduration: 2d\npopulation: {users: 20, shops: 4, banks: 1}\nkeys: {bank: bls-blind}\n');
  const out = join(root, 'out');
  let interrupted = false;
  const quiet = { write: () => true };
  const code = await main(['run', scenario, '--out', out], {
    stdout: quiet,
    stderr: { ...quiet, isTTY: false } as unknown as NodeJS.WritableStream,
    progress: () => ({
      start() {},
      update() {
        if (!interrupted) {
          interrupted = true;
          process.emit('SIGINT');
        }
      },
      stop() {},
    }),
  });
  assert.equal(code, 130);
  const results = JSON.parse(readFileSync(join(out, 'base', 'rep-0', 'results.json'), 'utf8')) as Results;
  assert.equal(results.partial, true);
  assert.ok(results.simulatedSeconds < 2 * 86400, `stopped early, at ${results.simulatedSeconds} s`);
  assert.equal((JSON.parse(readFileSync(join(out, 'runs.json'), 'utf8')) as { status: string }).status, 'interrupted');
  assert.ok(existsSync(join(out, 'index.html')), 'the report of the partial run was written');
});
