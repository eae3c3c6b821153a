// Keeps the protocol benchmark from rotting: every flow, raw operation and store write runs with tiny counts (no
// timing is asserted, this machine is shared), and the signature operations it counts are the ones the protocol
// is documented to make (PROTOCOL.md, Flows).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keySuite } from '../protocol/suite.ts';
import { countingSuite, OpTally, stubSuite } from './lib/instrumented-suite.ts';
import { TimingMeter } from './lib/paired-meter.ts';
import { formatSqlite, measureSqlite } from './lib/store-writes.ts';
import {
  countMismatches,
  countOps,
  describeOps,
  formatFlows,
  formatOps,
  formatReturns,
  measureRow,
  ROWS,
  runRound,
  SMOKE,
  type Flow,
  type RowReport,
} from './protocol.ts';

const [ed25519, , , , , , , , blsBlind] = ROWS;

test('the counted signature operations per flow are the protocol’s', () => {
  const { counts } = countOps(keySuite(ed25519!.suite), ed25519!, SMOKE);
  const of = (flow: Flow): Record<string, number> => Object.fromEntries(counts.get(flow) ?? []);
  assert.deepEqual(of('withdraw'), {
    'card keygen new': 1,
    'ra sign hot': 1,
    'bank blind hot': 1,
    'bank blindSign hot': 1,
    'bank finalize hot': 1,
    'ra verify hot': 1,
    'bank verify hot': 1,
    'issuer sign hot': 1,
  });
  // A payee with no cache checks the certificate, the coin and the new step, under a payer key it has not seen.
  assert.deepEqual(of('payee cold'), { 'ra verify hot': 1, 'issuer verify hot': 1, 'card verify fresh': 1 });
  assert.deepEqual(of('payee warm'), { 'card verify hot': 1 });
  assert.deepEqual(of('payer'), { 'card sign hot': 1 });
  // The issuer's positive list vouches for the coin; every step of the record is checked, each under a new key.
  for (const n of SMOKE.chainLengths) assert.deepEqual(of(`return ${n}`), { 'card verify fresh': n });
});

test('one round runs every flow on the real and the stub suite', () => {
  const plan = { timedWithdrawals: 3, payments: 2, returnsPerLength: 2, returnBatches: 2, chainLengths: [1, 2] };
  for (const keys of [keySuite(ed25519!.suite), stubSuite(keySuite(ed25519!.suite))]) {
    const meter = new TimingMeter<Flow>();
    const ops = runRound(keys, plan, meter);
    assert.deepEqual(Object.fromEntries(ops), { withdraw: 3, 'payee cold': 2, 'payee warm': 2, payer: 2, 'return 1': 2, 'return 2': 2 });
    assert.deepEqual([...meter.spans.keys()].sort(), [...ops.keys()].sort());
  }
});

test('a counting suite tallies fresh and hot keys per scheme', () => {
  const tally = new OpTally();
  const suite = countingSuite(keySuite(ed25519!.suite), tally);
  const keys = suite.card.keygen(new Uint8Array(32).fill(1));
  const sig = suite.card.sign(keys.secretKey, new Uint8Array(8));
  suite.card.verify(keys.publicKey, new Uint8Array(8), sig);
  suite.ra.verify(keys.publicKey, new Uint8Array(8), sig); // same scheme, same key cache: hot
  assert.deepEqual(Object.fromEntries(tally.take()), {
    'card keygen new': 1,
    'card sign fresh': 1,
    'card verify fresh': 1,
    'ra verify hot': 1,
  });
  assert.equal(tally.take().size, 0);
  assert.equal(describeOps({ 'ra verify hot': 1, 'card verify fresh': 3, 'card sign fresh': 1 }, 'verify'), 'RA, card* x3');
});

test('a row report and its tables, every number finite', () => {
  const rows: RowReport[] = [measureRow(ed25519!, SMOKE), measureRow(blsBlind!, SMOKE)];
  const [all, withdrawOnly] = rows;
  assert.deepEqual(
    all!.flows.map((f) => f.flow),
    ['withdraw', 'payee cold', 'payee warm', 'payer', ...SMOKE.chainLengths.map((n) => `return ${n}`)],
  );
  assert.deepEqual(
    withdrawOnly!.flows.map((f) => f.flow),
    ['withdraw'],
  );
  for (const f of rows.flatMap((r) => r.flows)) {
    for (const x of [f.opsPerSecond, f.wallOpsPerSecond, f.msPerOp, f.signatureMsPerOp, f.costRatio, f.bestRoundCostRatio, f.protocolOnlyMs]) {
      assert.ok(Number.isFinite(x) && x > 0, f.flow);
    }
  }
  assert.deepEqual(countMismatches(rows), []);
  assert.deepEqual(JSON.parse(JSON.stringify(rows)), rows);
  assert.equal(formatFlows(rows).split('\n').length, rows.length + 2);
  assert.equal(formatReturns(rows, SMOKE.chainLengths).split('\n').length, 3, 'withdraw-only rows have no returns');
  assert.equal(formatOps(all!).split('\n').length, all!.flows.length + 2);
});

test('the SQLite stores take writes batched and one per transaction', () => {
  const rows = measureSqlite(SMOKE);
  assert.deepEqual(
    rows.map((r) => r.store),
    ['proposed', 'proposed', 'baseline', 'epoch-pruned'],
  );
  for (const r of rows) for (const x of [r.memoryBatched, r.fileBatched, r.fileAutocommit]) assert.ok(Number.isFinite(x) && x > 0, r.operation);
  assert.equal(formatSqlite(rows, SMOKE.sqliteBatch).split('\n').length, rows.length + 2);
});
