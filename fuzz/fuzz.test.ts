// The fuzz harness in small: a seeded sample of mutants per target under the same oracle as `npm run fuzz`
// (no failures), run twice to show that no mutant leaves state behind (the same sample gives the same verdicts),
// and checks that the sample reaches what the harness claims to mutate.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { prepare, runTarget, type TargetStats } from './harness.ts';

const SAMPLE = 600;
const SEED = 'fuzz-test';
const fuzz = prepare('fuzz-test-world');
after(() => fuzz.corpus.world.close());

const firstRun = new Map<string, TargetStats>();
const run = (name: string): TargetStats => {
  const target = fuzz.targets.find((t) => t.name === name);
  assert.ok(target, name);
  return runTarget(fuzz, target, { count: SAMPLE, seed: SEED });
};

function describeFailures(s: TargetStats): string {
  return s.failureSamples.map((f) => `#${f.index} ${f.ops.join(', ')}: ${f.reason}\n  ${f.hex}`).join('\n');
}

const names = fuzz.targets.map((t) => t.name);

test('every receiver is fuzzed: payee, bank, issuer and RA, over every message they receive', () => {
  assert.deepEqual(names, [
    'payee/PaymentOffer',
    'payee/PaymentSteps',
    'bank/PaymentOffer',
    'bank/PaymentSteps',
    'bank/TransactionRecord',
    'issuer/ReturnBatch',
    'issuer/Redemption',
    'ra/OverspendProof',
  ]);
  for (const t of fuzz.targets) assert.ok(t.seeds.length >= 2, `${t.name} has seeds to mutate`);
});

for (const name of names) {
  test(`${name}: ${SAMPLE} seeded mutants, each refused with a typed error and no state change, or accepted as genuine`, () => {
    const s = run(name);
    firstRun.set(name, s);
    assert.equal(s.mutants, SAMPLE);
    assert.equal(s.failures, 0, `failures:\n${describeFailures(s)}`);
    assert.equal(s.rejected + s.valid, SAMPLE);
    assert.ok(s.rejected >= SAMPLE * 0.8, `${s.rejected} of ${SAMPLE} refused`);
    // Refusals come from both layers: the codec and the protocol's own checks.
    const reasons = Object.keys(s.rejectedBy);
    assert.ok(reasons.filter((r) => r.startsWith('DecodeError ')).length >= 4, reasons.join(', '));
    assert.ok(reasons.some((r) => r.startsWith('ProtocolError ')), reasons.join(', '));
    // Replays and harmless changes reach acceptance, so the oracle's "valid" side is exercised too.
    assert.ok(s.valid > 0, 'some mutants are accepted as genuine');
    for (const family of ['bytes', 'structure', 'structure+bytes', 'replay']) assert.ok((s.byFamily[family]?.mutants ?? 0) > 0, family);
  });
}

test('the same seed gives the same verdicts again: no mutant left state behind at any receiver', () => {
  for (const name of names) {
    const first = firstRun.get(name) ?? run(name);
    const again = run(name);
    assert.deepEqual(
      { rejectedBy: again.rejectedBy, validBy: again.validBy, byFamily: again.byFamily, ops: again.ops },
      { rejectedBy: first.rejectedBy, validBy: first.validBy, byFamily: first.byFamily, ops: first.ops },
      name,
    );
  }
});

test('the sample reaches the mutations the harness is for', () => {
  const ops = new Set(fuzz.targets.flatMap((t) => Object.keys((firstRun.get(t.name) ?? run(t.name)).ops)));
  for (const op of [
    'bytes:flip',
    'bytes:set',
    'bytes:truncate',
    'bytes:extend',
    'bytes:splice',
    'list:swap',
    'list:reverse',
    'list:shuffle',
    'list:dup',
    'list:drop',
    'list:drop-last',
    'list:insert',
    'bytes:donor', // a key, signature, nonce or lot id from another coin
    'bytes:other-group',
    'number:double', // 50 -> 100
    'serial:int64-overflow',
    'message:donor',
    'replay',
  ]) {
    assert.ok(ops.has(op), `no mutant used ${op}`);
  }
});
