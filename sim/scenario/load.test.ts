// Hostile input: every way a scenario file can be wrong must give one ScenarioError that names the file, the
// place in it and what was expected, so the user can fix it without reading the schema.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ScenarioError } from './errors.ts';
import { loadScenario, parseScenario } from './load.ts';

const dir = mkdtempSync(join(tmpdir(), 'ecashsim-scenario-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Loads `path`, expecting a ScenarioError whose message contains every one of `parts`; returns the error. */
function refused(path: string, ...parts: string[]): ScenarioError {
  let error: unknown;
  try {
    loadScenario(path);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof ScenarioError, `expected a ScenarioError for ${path}, got ${String(error)}`);
  assert.equal(error.file, path);
  for (const part of parts) assert.ok(error.message.includes(part), `message lacks ${JSON.stringify(part)}:\n${error.message}`);
  for (const line of error.message.split('\n').filter((l) => !l.startsWith(' '))) {
    assert.ok(line.startsWith(`${path}: `), `every problem line names the file:\n${line}`);
  }
  return error;
}

test('malformed YAML: the line and column, an excerpt with a caret, and a fix', () => {
  const path = write('malformed.yaml', 'name: x\npolicy:\n  detection: tree\n offline: full\n');
  const e = refused(path, 'line 4, column', 'invalid YAML', ' offline: full', '^', 'fix: ');
  assert.equal(e.problems.length, 1);
  refused(write('unclosed.yaml', 'name: x\nfraud: [{type: forged-coin, at: 1d}\n'), 'line ', 'invalid YAML');
  refused(write('tabs.yaml', 'policy:\n\tdetection: tree\n'), 'invalid YAML', 'fix: indent with spaces, not tabs');
  refused(write('dup.yaml', 'seed: 1\nseed: 2\n'), 'line 2, column 1', 'Map keys must be unique', 'fix: ');
  refused(write('multi.yaml', 'seed: 1\n---\nseed: 2\n'), 'invalid YAML', "remove the extra '---'");
  refused(write('alias.yaml', 'seed: *nowhere\n'), 'invalid YAML');
});

test('malformed JSON: the line and column computed from the parser position', () => {
  const path = write('bad.json', '{\n  "name": "j",\n  "policy": {"detection": "tree",}\n}\n');
  refused(path, 'line 3, column', 'invalid JSON', 'fix: ');
});

test('an unknown key names its full path, the intended key, and what is allowed there', () => {
  const e = refused(write('unknown.yaml', 'policy:\n  detectoin: tree\n'), 'policy.detectoin: unknown key', "did you mean 'detection'?", 'allowed here: detection, offline');
  assert.equal(e.problems[0]?.line, 2);
  refused(write('unknown-top.yaml', 'seed: 1\nduraton: 7d\n'), 'duraton: unknown key', "did you mean 'duration'?");
  // A key valid for one fraud type is unknown on another.
  refused(write('unknown-fraud.yaml', 'fraud:\n  - {type: forged-coin, at: 1d, payees: 3}\n'), 'fraud[0].payees: unknown key', 'allowed here: type, at, rate, count');
});

test('a wrong type says what was expected and what was there', () => {
  refused(write('type.yaml', 'population:\n  users: lots\n'), 'population.users: expected a whole number', "got 'lots'");
  refused(write('quoted.yaml', 'population:\n  users: "200"\n'), 'population.users', "got '200'", 'without quotes');
  refused(write('float.yaml', 'population:\n  users: 20.5\n'), 'population.users: expected a whole number', 'got 20.5');
  refused(write('bool.yaml', 'outputs:\n  events: yes please\n'), 'outputs.events: expected true or false');
  refused(write('obj.yaml', 'policy: tree\n'), 'policy: expected a mapping', "got 'tree'");
  refused(write('empty-section.yaml', 'policy:\n'), 'policy: expected a mapping', 'got nothing', 'delete the line to use the defaults');
  refused(write('enum.yaml', 'policy:\n  detection: tre\n'), "policy.detection: expected one of 'paper' | 'tree' | 'both', got 'tre'", "did you mean 'tree'?");
  refused(write('dur.yaml', 'duration: ninety days\n'), 'duration: expected a duration', "'90d'", "got 'ninety days'");
  refused(write('fraud-type.yaml', 'fraud:\n  - {type: dubble-spend, at: 1d}\n'), "fraud[0].type: expected one of 'double-spend'", "did you mean 'double-spend'?");
  refused(write('fraud-notype.yaml', 'fraud:\n  - {at: 1d}\n'), 'fraud[0].type: missing');
});

test('negative and out-of-range values name the bound', () => {
  refused(write('neg.yaml', 'population:\n  shops: -3\n'), 'population.shops: expected at least 1, got -3');
  refused(write('neg-dur.yaml', 'behaviour:\n  shops:\n    depositInterval: -1d\n'), 'behaviour.shops.depositInterval', 'longer than zero', "got '-1d'");
  refused(write('neg-delay.yaml', 'behaviour:\n  banks:\n    processingDelay: -1h\n'), 'behaviour.banks.processingDelay', 'a duration of 0 or more', "got '-1h'");
  refused(write('neg-time.yaml', 'fraud:\n  - {type: forged-coin, at: -5}\n'), 'fraud[0].at', 'at or after the start', 'got -5');
  refused(write('share.yaml', 'behaviour:\n  payments:\n    p2pShare: 1.5\n'), 'behaviour.payments.p2pShare: expected at most 1, got 1.5');
  refused(write('denom.yaml', 'behaviour:\n  withdrawal:\n    denominations: [1000, 0.5]\n'), 'behaviour.withdrawal.denominations[1]: expected a whole number', 'got 0.5');
  refused(write('denom-empty.yaml', 'behaviour:\n  withdrawal:\n    denominations: []\n'), 'behaviour.withdrawal.denominations: expected at least 1 item');
  refused(write('hours.yaml', 'connectivity:\n  dailyOffline: {share: 0.5, hours: 30}\n'), 'connectivity.dailyOffline.hours: expected at most 24, got 30');
});

test('impossible combinations name the field to change and the one it conflicts with', () => {
  refused(write('shops-per-user.yaml', 'population: {users: 100, shops: 10}\nbehaviour:\n  payments: {shopsPerUser: 25}\n'),
    'behaviour.payments.shopsPerUser', 'only 10', 'population.shops', "fix: use at most 10, or 'all'");
  refused(write('expiry.yaml', 'behaviour:\n  shops: {depositInterval: 2d}\n  coins: {expiry: 1d, refreshBefore: 0}\n'),
    'behaviour.coins.expiry', 'behaviour.shops.depositInterval is 2d', 'fix: make expiry longer');
  refused(write('payees.yaml', 'population: {shops: 5}\nfraud:\n  - {type: double-spend, at: 1d}\n  - {type: forged-coin, at: 1d}\n  - {type: double-spend, at: 2d, payees: 8}\n'),
    'fraud[2].payees: 8 payees, but there are only 5 shops');
  refused(write('late.yaml', 'duration: 7d\nfraud:\n  - {type: card-breach, at: 8d}\n'), 'fraud[0].at: 8d is after the run ends');
  refused(write('untimed.yaml', 'fraud:\n  - {type: card-breach}\n'), 'fraud[0]: no time given', "'at'", "'rate'");
  refused(write('amount.yaml', 'behaviour:\n  withdrawal: {amount: 20500}\n'), 'behaviour.withdrawal.amount', 'smallest ¥1000', 'multiple of 1000');
  refused(write('disaster.yaml', 'duration: 7d\nconnectivity:\n  disaster: {start: 9d, duration: 3d}\n'), 'connectivity.disaster.start', 'after the run ends');
  refused(write('dup-denom.yaml', 'behaviour:\n  withdrawal: {denominations: [1000, 500, 1000]}\n'), 'behaviour.withdrawal.denominations[2]', 'listed twice');
});

test('a missing file, a directory and a wrong extension each get one clear message', () => {
  write('quickstart.yaml', 'seed: 1\n');
  const e = refused(join(dir, 'quikstart.yaml'), 'file not found', `did you mean ${join(dir, 'quickstart.yaml')}?`);
  assert.equal(e.problems.length, 1);
  refused(join(dir, 'no-such-dir', 'x.yaml'), 'file not found', 'fix: ');
  mkdirSync(join(dir, 'a-dir.yaml'));
  refused(join(dir, 'a-dir.yaml'), 'is a directory');
  refused(write('notes.txt', 'seed: 1\n'), 'not a scenario file', "'.txt'");
  refused(write('empty.yaml', ''), 'the file is empty');
  refused(write('list.yaml', '- seed: 1\n'), '(top level): expected a mapping', 'got a list');
});

test('an unknown scheme name is refused at its path by the protocol registry, with the nearest name', () => {
  refused(write('scheme.yaml', 'keys:\n  card: ed2559\n'), "keys.card: unknown signature scheme 'ed2559'", "did you mean 'ed25519'?");
  refused(write('blind.yaml', 'keys:\n  bank: rsa-blnd\n'), "keys.bank: unknown blind signature scheme 'rsa-blnd'", "did you mean 'rsa-blind'?");
  // A blind scheme is not an ordinary one, and the other way round.
  refused(write('swap.yaml', 'keys:\n  issuer: rsa-blind\n  bank: ed25519\n'), "keys.issuer: unknown signature scheme 'rsa-blind'", "keys.bank: unknown blind signature scheme 'ed25519'");
  assert.equal(parseScenario('keys: {card: p256@noble, bank: "rsa-blind:RSABSSA-SHA384-PSS-Deterministic"}', 'k.yaml').keys.card, 'p256@noble');
});

test('a sweep over a path the schema does not have is refused with the nearest path', () => {
  refused(write('sweep-path.yaml', 'sweep: {parameter: policy.detecton, values: [paper, tree]}\n'), "sweep.parameter: no such setting: 'policy.detecton'", "did you mean 'policy.detection'?");
  refused(write('sweep-index.yaml', 'sweep: {parameter: "fraud[3].payees", values: [2]}\n'), 'sweep.parameter', 'does not exist in this scenario');
  refused(write('sweep-seed.yaml', 'sweep: {parameter: seed, values: [1, 2]}\n'), "'seed' cannot be swept", 'sweep.replications');
  refused(write('sweep-half.yaml', 'sweep: {parameter: policy.detection}\n'), 'sweep.values: missing');
});

test('each sweep value is checked as if written in the file, and a bad one is named by index', () => {
  const e = refused(write('sweep-value.yaml', 'sweep:\n  parameter: policy.detection\n  values: [paper, tre]\n'),
    "sweep.values[1]: with policy.detection = 'tre': policy.detection: expected one of 'paper' | 'tree' | 'both'", "did you mean 'tree'?");
  assert.equal(e.problems.length, 1);
  refused(write('sweep-cross.yaml', 'behaviour:\n  coins: {refreshBefore: 0}\nsweep:\n  parameter: behaviour.coins.expiry\n  values: [30d, 12h]\n'),
    'sweep.values[1]', "behaviour.coins.expiry = '12h'", 'before a shop deposits');
  refused(write('sweep-keys.yaml', 'sweep:\n  parameter: keys\n  values: [{card: p256}, {crad: p256}]\n'), 'sweep.values[1]', 'crad: unknown key');
});

test('several problems are all reported, one block each, in file order', () => {
  const e = refused(write('many.yaml', 'population:\n  users: -1\npolicy:\n  detection: tre\n  maxChian: 3\n'), 'population.users', 'policy.detection', 'policy.maxChian');
  assert.deepEqual(e.problems.map((p) => p.line), [2, 4, 5]);
});

test('the name defaults to the file name, made safe as a directory name', () => {
  assert.equal(loadScenario(write('my town.yaml', 'seed: 2\n')).name, 'my-town');
  assert.equal(loadScenario(write('named.yml', 'name: other\n')).name, 'other');
  refused(write('badname.yaml', 'name: "../etc"\n'), 'name: expected a short name');
});

test('JSON scenarios load like YAML and report schema problems with lines', () => {
  const s = loadScenario(write('j.json', '{"name": "j", "duration": "3d", "policy": {"detection": "tree"}}'));
  assert.equal(s.duration, 3 * 86400);
  assert.equal(s.policy.detection, 'tree');
  const e = refused(write('j2.json', '{\n  "name": "j",\n  "policy": {"detection": "tre"}\n}\n'), 'policy.detection', "got 'tre'");
  assert.equal(e.problems[0]?.line, 3);
});
