// The shipped scenarios: each validates, says what question it answers, and is named after its file.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { expandSweep, loadScenario } from './load.ts';

const dir = join(import.meta.dirname, '..', '..', 'scenarios');
const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
const REQUIRED = [
  'quickstart.yaml', 'paper-vs-baseline.yaml', 'double-spend.yaml', 'card-breach.yaml', 'disaster-offline.yaml',
  'key-schemes.yaml', 'staged-vs-full-offline.yaml', 'national.yaml',
];

test('every required scenario is shipped', () => {
  for (const f of REQUIRED) assert.ok(files.includes(f), `scenarios/${f} is missing`);
});

for (const file of files) {
  test(`scenarios/${file} validates, expands, and opens with the question it answers`, () => {
    const path = join(dir, file);
    const s = loadScenario(path);
    assert.equal(s.name, basename(file).replace(/\.(ya?ml|json)$/, ''));
    assert.ok(s.description.length > 0, 'has a description');
    assert.ok(expandSweep(s).length >= 1);
    if (!file.endsWith('.json')) {
      const lines = readFileSync(path, 'utf8').split('\n');
      const header = lines.slice(0, lines.findIndex((l) => !l.startsWith('#'))).join('\n');
      assert.ok(header.startsWith(`# ${s.name}: `), 'the header comment opens with `# <name>: `');
      assert.match(header, /\?/, 'the header comment asks the question the scenario answers');
    }
  });
}

test('quickstart is small and injects double spends; national is ~1,000,000 payments', () => {
  const q = loadScenario(join(dir, 'quickstart.yaml'));
  assert.ok(q.population.users <= 500 && q.duration <= 7 * 86400 && expandSweep(q).length === 1);
  assert.ok(q.fraud.filter((f) => f.type === 'double-spend').length >= 2);
  const n = loadScenario(join(dir, 'national.yaml'));
  assert.deepEqual(n.population, { users: 100_000, shops: 10_000, banks: 50 });
  const payments = n.population.users * n.behaviour.payments.perUserPerDay * (n.duration / 86400);
  assert.ok(Math.abs(payments - 1_000_000) < 20_000, `${payments} payments`);
});

test('disaster-offline cuts everyone off for 3 to 4 days inside the run', () => {
  const d = loadScenario(join(dir, 'disaster-offline.yaml'));
  const disaster = d.connectivity.disaster!;
  assert.ok(disaster.duration >= 3 * 86400 && disaster.duration <= 4 * 86400);
  assert.ok(disaster.start + disaster.duration < d.duration);
  assert.equal(disaster.region, 'all');
});

test('key-schemes runs one workload per scheme set, all on the same seed', () => {
  const runs = expandSweep(loadScenario(join(dir, 'key-schemes.yaml')));
  assert.ok(runs.length >= 5);
  assert.equal(new Set(runs.map((r) => r.seed)).size, 1);
  assert.ok(new Set(runs.map((r) => r.scenario.keys.card)).size >= 5);
});
