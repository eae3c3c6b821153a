// The workers' entry: a plain-JS bundle of worker-task.ts that runs without module hooks, named by its content,
// and the tsx entry when the bundle cannot be written.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { withoutModuleHooks, workerEntry } from './worker-entry.ts';

test('the parent\'s module hooks are left out of the workers\' flags, every other flag kept', () => {
  assert.deepEqual(
    withoutModuleHooks(['--require', '/x/preflight.cjs', '--import', 'file:///x/loader.mjs', '--cpu-prof', '--import=tsx', '-r', 'a.cjs', '--loader=ts-node', '--max-old-space-size=4096']),
    ['--cpu-prof', '--max-old-space-size=4096'],
  );
  assert.deepEqual(withoutModuleHooks([]), []);
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
    assert.ok(!a.execArgv.some((f) => f.startsWith('--import')), 'the workers load no hooks');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('where the bundle cannot be written, the workers load the sources through tsx', async () => {
  const entry = await workerEntry('/dev/null/not-a-directory');
  assert.match(entry.filename, /sim\/crypto\/worker\.mjs$/);
  assert.deepEqual(entry.execArgv, process.execArgv);
});
