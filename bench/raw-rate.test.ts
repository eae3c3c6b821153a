// The bound of `npm run bench -- sim` is built from these timings: every operation a run counts must be
// timeable on worker threads, and a name the bench does not know must fail loudly, not count as free.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rawRates, splitOperation } from './lib/raw-rate.ts';

test('raw rates: every kind of operation a run counts is timed on one and on two threads', async () => {
  const operations = ['ed25519@native keygen', 'ed25519@native sign', 'ed25519@native verify', 'rsa-blind:RSABSSA-SHA384-PSS-Randomized@native finalize'];
  for (const threads of [1, 2]) {
    const r = await rawRates(operations, threads, 0.005);
    assert.deepEqual(Object.keys(r), operations);
    for (const op of operations) assert.ok(Number.isFinite(r[op]) && r[op]! > 0, `${op} on ${threads}: ${r[op]}`);
  }
});

test("raw rates: a fixed-cost run's stand-ins are timed too, so the bench can take their hashing out of the main thread's own work", async () => {
  const rsa = 'rsa-blind:RSABSSA-SHA384-PSS-Randomized@native';
  const operations = ['ed25519@native+fixed-cost keygen', 'ed25519@native+fixed-cost sign', 'ed25519@native+fixed-cost verify', `${rsa}+fixed-cost keygen`, `${rsa}+fixed-cost blind`, `${rsa}+fixed-cost blindSign`, `${rsa}+fixed-cost finalize`, `${rsa}+fixed-cost verify`];
  const r = await rawRates(operations, 1, 0.005);
  assert.deepEqual(Object.keys(r), operations);
  for (const op of operations) assert.ok(Number.isFinite(r[op]) && r[op]! > 0, `${op}: ${r[op]}`);
  await assert.rejects(rawRates(['ed25519@native+fixed-cost blind'], 1, 0.005), /no timing for 'ed25519@native\+fixed-cost blind'/);
});

test('raw rates: an operation the bench cannot time is an error naming it', async () => {
  await assert.rejects(rawRates(['ed25519@native blindSign'], 1, 0.005), /no timing for 'ed25519@native blindSign'/);
  assert.deepEqual(splitOperation('rsa-blind:RSABSSA-SHA384-PSS-Randomized@native verify'), ['rsa-blind:RSABSSA-SHA384-PSS-Randomized@native', 'verify']);
});
