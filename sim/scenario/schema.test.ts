// The schema's defaults, units and sweep expansion: what the simulator will actually be handed.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, parseDuration } from './duration.ts';
import { expandSweep, parseScenario, replicationSeed } from './load.ts';
import { formatPath, parsePath } from './paths.ts';
import { ScenarioSchema } from './schema.ts';
import type { Scenario } from './schema.ts';

const DAY = 86400;

test('a file with one line is a complete scenario: every section defaulted', () => {
  const s = parseScenario('duration: 3d\n', 'short.yaml');
  assert.equal(s.name, 'short');
  assert.equal(s.seed, 1);
  assert.equal(s.duration, 3 * DAY);
  assert.deepEqual(s.population, { users: 1000, shops: 50, banks: 3 });
  assert.deepEqual(s.keys, { ra: 'ed25519', issuer: 'ed25519', bank: 'rsa-blind', card: 'ed25519', bankEpoch: 30 * DAY });
  assert.equal(s.signatures, 'real');
  assert.deepEqual(s.behaviour.withdrawal.denominations, [10000, 5000, 1000]);
  assert.equal(s.behaviour.payments.shopsPerUser, 'all');
  assert.equal(s.behaviour.coins.expiry, 365 * DAY);
  assert.deepEqual(s.behaviour.banks, { returnInterval: DAY, batchMax: 10_000, processingDelay: 3600 });
  assert.deepEqual(s.policy, { detection: 'both', offline: 'full', maxChain: 16, offlineLimit: 'none', onlineCheckAbove: 'never', blocklistSync: 3600 });
  assert.equal(s.connectivity.disaster, undefined);
  assert.deepEqual(s.fraud, []);
  assert.equal(s.sweep, undefined);
  assert.deepEqual(s.outputs, { events: false, sampleInterval: 3600 });
  // A partly given section keeps the defaults of the rest.
  const t = parseScenario('behaviour:\n  payments:\n    basket: {median: 500}\n', 't.yaml');
  assert.deepEqual(t.behaviour.payments.basket, { median: 500, sigma: 1 });
  assert.equal(t.behaviour.payments.perUserPerDay, 2);
});

test('durations: numbers are seconds; strings take w, d, h, m, s and sums of them', () => {
  assert.equal(parseDuration('90d'), 90 * DAY);
  assert.equal(parseDuration('6h'), 6 * 3600);
  assert.equal(parseDuration('30m'), 1800);
  assert.equal(parseDuration('45s'), 45);
  assert.equal(parseDuration('2w'), 14 * DAY);
  assert.equal(parseDuration('1d12h'), 1.5 * DAY);
  assert.equal(parseDuration('1d 12h'), 1.5 * DAY);
  assert.equal(parseDuration('0.5h'), 1800);
  assert.equal(parseDuration('-1d'), -DAY);
  for (const bad of ['', 'd', '90', '90 days', '1x', '1d-2h', '.5h']) assert.equal(parseDuration(bad), undefined, bad);
  for (const s of [1, 45, 60, 3600, 5400, DAY, 90 * DAY, 1.5 * DAY + 61, 0.25]) assert.equal(parseDuration(formatDuration(s)), s);
  assert.equal(formatDuration(90 * DAY), '90d');
  assert.equal(formatDuration(1.5 * DAY), '1d12h');
  const s = parseScenario('duration: 864000\nbehaviour:\n  shops: {depositInterval: 6h}\n  coins: {expiry: never}\nconnectivity:\n  disaster: {start: 2d, duration: 36h}\n', 'd.yaml');
  assert.equal(s.duration, 10 * DAY);
  assert.equal(s.behaviour.shops.depositInterval, 6 * 3600);
  assert.equal(s.behaviour.coins.expiry, 'never');
  assert.deepEqual(s.connectivity.disaster, { start: 2 * DAY, duration: 36 * 3600, region: 'all' });
});

test('the parsed form is a valid input that parses to itself (sweeps rely on it)', () => {
  const s = parseScenario(
    'duration: 10d\npolicy: {offlineLimit: 5000}\nfraud:\n  - {type: double-spend, rate: 0.5, payees: 3}\n  - {type: replayed-deposit, at: 1d}\nconnectivity:\n  disaster: {start: 2d, duration: 3d, region: 0.3}\nsweep: {parameter: policy.detection, values: [paper, tree], replications: 2}\n',
    'r.yaml',
  );
  assert.deepEqual(ScenarioSchema.parse(JSON.parse(JSON.stringify(s))), s);
});

test('paths: dotted and bracketed indices mean the same, and print bracketed', () => {
  assert.deepEqual(parsePath('fraud[2].payees'), ['fraud', 2, 'payees']);
  assert.deepEqual(parsePath('fraud.2.payees'), ['fraud', 2, 'payees']);
  assert.equal(parsePath('policy..detection'), undefined);
  assert.equal(parsePath('2.x'), undefined);
  assert.equal(formatPath(['fraud', 2, 'payees']), 'fraud[2].payees');
  assert.equal(formatPath([]), '(top level)');
});

test('expandSweep: one run per value and replication; replication r shares its seed across values', () => {
  const s = parseScenario('seed: 42\nsweep:\n  parameter: policy.detection\n  values: [paper, tree]\n  replications: 3\n', 'sw.yaml');
  const runs = expandSweep(s);
  assert.equal(runs.length, 6);
  assert.deepEqual(runs.map((r) => [r.label, r.replication]), [
    ['policy.detection=paper', 0], ['policy.detection=paper', 1], ['policy.detection=paper', 2],
    ['policy.detection=tree', 0], ['policy.detection=tree', 1], ['policy.detection=tree', 2],
  ]);
  assert.deepEqual(runs.map((r) => r.scenario.policy.detection), ['paper', 'paper', 'paper', 'tree', 'tree', 'tree']);
  for (const r of runs) {
    assert.equal(r.scenario.seed, r.seed);
    assert.equal(r.scenario.sweep, undefined);
    assert.equal(r.seed, replicationSeed(42, r.replication));
    assert.ok(Number.isSafeInteger(r.seed));
  }
  assert.equal(runs[0]!.seed, 42, 'replication 0 runs with the seed the file names');
  assert.equal(new Set(runs.map((r) => r.seed)).size, 3);
  assert.deepEqual(expandSweep(s), runs, 'deterministic');
  assert.notEqual(replicationSeed(43, 1), replicationSeed(42, 1));
  assert.deepEqual(new Set(runs.map((r) => r.slug)), new Set(['policy.detection=paper', 'policy.detection=tree']));
});

test('expandSweep: no sweep is one run of the scenario itself', () => {
  const s = parseScenario('seed: 9\n', 'one.yaml');
  const runs = expandSweep(s);
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.label, 'base');
  assert.deepEqual(runs[0]!.scenario, { ...s, sweep: undefined });
  assert.equal(expandSweep(parseScenario('sweep: {replications: 4}\n', 'reps.yaml')).length, 4);
});

test('expandSweep: a mapping value is merged into the object at the path; strings are parsed like the file', () => {
  const s = parseScenario('keys: {ra: p256}\nsweep:\n  parameter: keys\n  values: [{card: secp256k1}, {card: bls12-381, bank: bls-blind}]\n', 'k.yaml');
  const [a, b] = expandSweep(s).map((r) => r.scenario) as [Scenario, Scenario];
  assert.deepEqual([a.keys.ra, a.keys.card, a.keys.bank], ['p256', 'secp256k1', 'rsa-blind']);
  assert.deepEqual([b.keys.ra, b.keys.card, b.keys.bank], ['p256', 'bls12-381', 'bls-blind']);
  const d = parseScenario('sweep: {parameter: behaviour.coins.expiry, values: [90d, never]}\n', 'e.yaml');
  assert.deepEqual(expandSweep(d).map((r) => r.scenario.behaviour.coins.expiry), [90 * DAY, 'never']);
  const f = parseScenario('fraud:\n  - {type: double-spend, at: 1d}\nsweep: {parameter: "fraud[0].payees", values: [2, 5]}\n', 'f.yaml');
  assert.deepEqual(expandSweep(f).map((r) => r.scenario.fraud[0]), [
    { type: 'double-spend', at: DAY, count: 1, payees: 2, offlineFirst: true },
    { type: 'double-spend', at: DAY, count: 1, payees: 5, offlineFirst: true },
  ]);
  assert.deepEqual(expandSweep(f).map((r) => r.slug), ['fraud.0.payees=2', 'fraud.0.payees=5']);
});
