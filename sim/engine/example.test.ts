import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runExample } from './example.ts';

test('the README example runs, is reproducible, and its figures are plausible', () => {
  const a = runExample(1);
  assert.deepEqual(runExample(1), a);
  assert.notDeepEqual(runExample(2), a);
  // ~500 shoppers x 16 payments x 1/3 checked = ~2,700 asks; at 25 s each two desks are overloaded, so some give up
  assert.ok(a.checked > 2000 && a.checked < 3000, `checked ${a.checked}`);
  assert.ok(a.gaveUp > 50 && a.gaveUp < 600, `gave up ${a.gaveUp}`);
  assert.ok(a.utilization > 0.7 && a.utilization < 1);
  assert.ok(a.topShopSales > 0);
});
