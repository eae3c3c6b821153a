// The workers' entry: a plain-JS bundle of worker-task.ts that runs without module hooks, named by its content,
// and the tsx entry when the bundle cannot be written.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { workerEntry, workerFlags } from './worker-entry.ts';

test('the workers are given only per-thread flags: profiles kept, module hooks, V8 and per-process flags left out', () => {
  assert.deepEqual(
    workerFlags([
      '--require', '/x/preflight.cjs', '--import', 'file:///x/loader.mjs', '--cpu-prof', '--cpu-prof-dir', '/tmp/p', '--cpu-prof-interval=500',
      '--import=tsx', '--trace-gc', '--max-old-space-size=4096', '--enable-source-maps', '-C', 'dev',
    ]),
    ['--cpu-prof', '--cpu-prof-dir', '/tmp/p', '--cpu-prof-interval=500', '--enable-source-maps', '-C', 'dev'],
  );
  assert.deepEqual(workerFlags([]), []);
});

test('the bundle is plain JavaScript, named by its content, and the same file when made again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ecashsim-entry-'));
  try {
    const a = await workerEntry(dir);
    const b = await workerEntry(dir);
    assert.equal(a.filename, b.filename);
    const path = fileURLToPath(a.filename);
    assert.match(path, /worker-[0-9a-f]{16}\.mjs$/);
    assert.ok(path.startsWith(dir));
    const code = readFileSync(path, 'utf8');
    assert.doesNotMatch(code, /from ['"][^'"]+\.ts['"]/, 'no TypeScript module is left to load');
    assert.match(code, /export \{[^}]*\bdefault\b/, 'the task is the default export');
    assert.ok(!(a.execArgv ?? ['--import']).some((f) => f.startsWith('--import')), 'the workers load no hooks');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('where the bundle cannot be written, the workers load the sources through tsx', async () => {
  const entry = await workerEntry('/dev/null/not-a-directory');
  assert.match(entry.filename, /sim\/crypto\/worker\.mjs$/);
  assert.equal(entry.execArgv, undefined, 'the parent\'s flags, inherited');
});

test('a pool starts and answers under per-process and V8 flags in the parent, which a worker given flags refuses', () => {
  const executor = new URL('./executor.ts', import.meta.url).href;
  const wire = new URL('./wire.ts', import.meta.url).href;
  const script = `
    import { PoolExecutor } from ${JSON.stringify(executor)};
    import { JobBatch } from ${JSON.stringify(wire)};
    const pool = new PoolExecutor({ threads: 2 });
    const batch = new JobBatch();
    batch.add({ kind: 'keygen', scheme: 'ed25519', blind: false, seed: new Uint8Array(32).fill(5) });
    const [r] = (await pool.run(batch)).all();
    await pool.close();
    console.log(r.ok ? 'answered' : r.error);`;
  const out = spawnSync(process.execPath, ['--import', 'tsx', '--title=ecashsim-flags-test', '--max-semi-space-size=8', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(out.stderr, '');
  assert.equal(out.stdout.trim(), 'answered');
});
