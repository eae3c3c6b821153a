// The simulator end to end on a small model: the run scores itself, and the scores are right.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from './simulate.ts';
import { smallConfig } from './model/testing.ts';
import { toJson } from './output.ts';

const run = await simulate(smallConfig());
const r = run.results;

test('every injected overspend is detected under both rules, tree no later than paper, and only cheaters are named', () => {
  const overspends = r.frauds.filter((f) => f.overspend && f.loss > 0);
  assert.ok(overspends.length >= 3, `expected the injected overspends to cost something, got ${overspends.length}`);
  for (const f of overspends) {
    assert.notEqual(f.detected.tree, null, `fraud ${f.id} (${f.kind}) not detected by tree`);
    assert.notEqual(f.detected.paper, null, `fraud ${f.id} (${f.kind}) not detected by paper`);
    assert.ok(f.detected.tree! <= f.detected.paper!, `fraud ${f.id}: tree after paper`);
    assert.equal(f.named, f.culprit);
  }
  assert.equal(r.detection.falseAccusations, 0);
  assert.equal(r.detection.recall.tree, 1);
});

test('tampered and forged coins, replayed requests and deposits are all refused', () => {
  for (const kind of ['tampered-coin', 'forged-coin', 'replayed-request', 'replayed-deposit'] as const) {
    const f = r.frauds.find((x) => x.kind === kind);
    assert.ok(f, `${kind} was injected`);
    assert.equal(f.paymentsAccepted, 0, `${kind} got through`);
    assert.ok(f.refused >= 1, `${kind} refused`);
    assert.equal(f.loss, 0);
  }
});

test('money is conserved: accounts + cards = created + what cheaters got payees to accept', () => {
  assert.equal(r.money.conserved, true, JSON.stringify(r.money));
});

test('the proposed store is no larger than the outstanding coins; the baseline holds every deposit', () => {
  const m = run.model;
  const live = r.issuerDatabase.proposed.now.tables.find((t) => t.name === 'coin')!;
  assert.equal(live.rows, m.parties.proposed.outstandingCoins());
  const baseline = r.issuerDatabase.baseline.now.tables.find((t) => t.name === 'deposited')!;
  assert.equal(baseline.rows, r.counts.recordsReturned);
  assert.ok(r.counts.payments > 1000, `a week of 60 users paying 3 a day: ${r.counts.payments}`);
});

test('the same scenario and seed give identical results apart from wall-time fields', async () => {
  const again = (await simulate(smallConfig())).results;
  const strip = (x: typeof r) => toJson({ ...x, performance: null });
  assert.equal(strip(again), strip(r));
  const other = (await simulate(smallConfig({ seed: 8 }))).results;
  assert.notEqual(strip(other), strip(r));
});

test('the issuer processes a return its processing delay after the bank sent it, and detects no sooner', async () => {
  const HOUR = 3600;
  const delayed = await simulate(smallConfig({ issuerDelay: 3 * HOUR }));
  delayed.model.parties.close();
  const overspends = delayed.results.frauds.filter((f) => f.overspend && f.loss > 0);
  assert.ok(overspends.some((f) => f.detected.tree !== null), 'something detected');
  for (const f of overspends) {
    // Payment, deposit, the bank's return, then the delay: never sooner than the delay after the payment.
    if (f.detected.tree !== null) assert.ok(f.detected.tree - f.firstPayment! >= 3 * HOUR, `fraud ${f.id}: ${f.detected.tree - f.firstPayment!} s`);
  }
  // A delay longer than the run: the banks send, the issuer never gets to process anything.
  const never = await simulate(smallConfig({ issuerDelay: 8 * 24 * HOUR, duration: 3 * 24 * HOUR }));
  never.model.parties.close();
  assert.equal(never.results.counts.returnBatches, 0);
  assert.equal(never.results.counts.recordsReturned, 0);
  assert.ok(never.results.counts.deposits > 0, 'shops did deposit');
});
