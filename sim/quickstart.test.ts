// The quick-start scenario end to end through the real command line and simulator, checked on the
// results.json it writes: what `npm start` runs must be right, and must be the same every time.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from './cli/main.ts';
import { silentProgress } from './cli/progress.ts';
import type { Results } from './model/results.ts';

const root = mkdtempSync(join(tmpdir(), 'ecashsim-quickstart-'));
after(() => rmSync(root, { recursive: true, force: true }));
const scenario = join(import.meta.dirname, '..', 'scenarios', 'quickstart.yaml');

async function run(out: string): Promise<Results> {
  const quiet = { write: () => true };
  const code = await main(['run', scenario, '--out', out], {
    stdout: quiet,
    stderr: { ...quiet, isTTY: false } as unknown as NodeJS.WritableStream,
    progress: () => silentProgress,
  });
  assert.equal(code, 0);
  return JSON.parse(readFileSync(join(out, 'base', 'rep-0', 'results.json'), 'utf8')) as Results;
}

const first = await run(join(root, 'a'));

test('quickstart: every injected double spend is detected and traced to its culprit, nobody else is named', () => {
  const doubleSpends = first.frauds.filter((f) => f.kind === 'double-spend');
  assert.equal(doubleSpends.length, 2);
  for (const f of doubleSpends) {
    assert.ok(f.loss > 0, 'the double spend got payees to accept more than the culprit held');
    assert.notEqual(f.detected.tree, null);
    assert.notEqual(f.detected.paper, null);
    assert.equal(f.named, f.culprit);
  }
  assert.equal(first.detection.falseAccusations, 0);
});

test('quickstart: money is conserved; the proposed store holds only outstanding coins, the baseline every deposit', () => {
  assert.equal(first.money.conserved, true, JSON.stringify(first.money));
  // Every coin issued is in exactly one place: outstanding (live) or fully returned (archive).
  const coins = first.issuerDatabase.proposed.now.tables.find((t) => t.name === 'coin')!;
  const archived = first.issuerDatabase.proposedArchive.now.tables.find((t) => t.name === 'archive_coin')!;
  assert.ok(archived.rows > 0, 'some coins came back whole and left the live table');
  assert.equal(coins.rows + archived.rows, first.counts.coinsIssued);
  const deposited = first.issuerDatabase.baseline.now.tables.find((t) => t.name === 'deposited')!;
  assert.equal(deposited.rows, first.counts.recordsReturned);
});

test('quickstart: the same scenario and seed give an identical results.json apart from wall-time fields', async () => {
  const second = await run(join(root, 'b'));
  const strip = (r: Results) => JSON.stringify({ ...r, performance: null });
  assert.equal(strip(second), strip(first));
});
