// Keeps the key-scheme benchmark from rotting: every task runs once (no timing is asserted, this machine is
// shared) and the report has the rows and ratios the README quotes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blindSchemes } from '../protocol/crypto/blind/index.ts';
import { signatureSchemes } from '../protocol/crypto/index.ts';
import {
  BARE_TASK,
  BATCH_SIZE,
  buildReport,
  counterStream,
  cryptoTasks,
  formatRatios,
  formatRows,
  measure,
  measurePaired,
  SMOKE,
  WRAPPER_TASK,
} from './crypto.ts';
import { recordMachine } from './lib/machine.ts';
import { formatTable } from './lib/table.ts';

test('every key-scheme task runs once and the report has the expected rows and ratios', () => {
  const tasks = cryptoTasks({ smoke: true });
  const rows = measure(tasks, SMOKE);
  const report = buildReport(recordMachine(), 'smoke', SMOKE, rows, measurePaired(tasks, WRAPPER_TASK, BARE_TASK, SMOKE));

  const expected = [
    ...signatureSchemes.flatMap((s) => [
      `${s.name} keygen`,
      `${s.name} sign`,
      `${s.name} verify`,
      ...(s.name === 'ed25519@native' ? [BARE_TASK] : []),
      ...(s.verifyBatch === undefined ? [] : [`${s.name} verifyBatch (${BATCH_SIZE} msgs, 1 key)`, `${s.name} verifyBatch (${BATCH_SIZE} msgs, ${BATCH_SIZE} keys)`]),
    ]),
    ...blindSchemes.flatMap((s) => ['keygen', 'blind', 'blindSign', 'finalize', 'verify'].map((op) => `${s.name} ${op}`)),
  ];
  assert.deepEqual(
    rows.map((r) => r.name),
    expected,
  );

  for (const row of rows) {
    assert.equal(row.samples, 1, row.name);
    assert.ok(Number.isFinite(row.opsPerSecond) && row.opsPerSecond > 0, row.name);
    assert.ok(Number.isFinite(row.meanMs) && row.meanMs > 0, row.name);
    assert.equal(row.signaturesPerSecond, row.opsPerSecond * row.signaturesPerCall, row.name);
    const scheme = [...signatureSchemes, ...blindSchemes].find((s) => s.name === row.scheme);
    if (row.kind === 'baseline') {
      assert.deepEqual([row.publicKeySize, row.signatureSize], [32, 64]);
    } else {
      assert.ok(scheme !== undefined, row.name);
      assert.deepEqual([row.publicKeySize, row.signatureSize], [scheme.publicKeySize, scheme.signatureSize], row.name);
    }
  }

  assert.deepEqual(
    report.ratios.map((r) => r.name),
    [
      'ed25519@native verify / bare crypto.verify',
      'ed25519 sign: native / noble',
      'ed25519 verify: native / noble',
      'p256 sign: native / noble',
      'p256 verify: native / noble',
      'ed25519 keygen: sodium / native',
      'ed25519 sign: sodium / native',
      'ed25519 verify: sodium / native',
    ],
  );
  for (const r of report.ratios) assert.ok(Number.isFinite(r.ratio) && r.ratio > 0, r.name);
  assert.ok(Number.isFinite(report.wrapperOverhead.ratio) && report.wrapperOverhead.ratio > 0);
  // What bench/out/crypto.json holds must survive JSON as is.
  assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
  assert.equal(formatRows(rows).split('\n').length, rows.length + 2);
  assert.match(formatRatios(report), /wrapper overhead/);
});

test('the blinding stream reproduces', () => {
  const a = counterStream('x');
  const b = counterStream('x');
  assert.deepEqual([a(48), a(256)], [b(48), b(256)]);
  assert.notDeepEqual(counterStream('y')(32), counterStream('x')(32));
});

test('tables align plain and markdown', () => {
  const columns = [{ header: 'name' }, { header: 'n', align: 'right' as const }];
  assert.equal(formatTable(columns, [['ab', '1'], ['c', '100']]), 'name    n\n----  ---\nab      1\nc     100');
  assert.equal(formatTable(columns, [['ab', '1']], 'markdown'), '| name | n |\n|------|--:|\n| ab   | 1 |');
});
