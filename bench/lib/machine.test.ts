import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeMachine, recordMachine, timingFlags } from './machine.ts';

test('timingFlags keeps V8 and Node settings and drops the module hooks with their values', () => {
  assert.deepEqual(timingFlags(['--initial-old-space-size=256', '--import', 'tsx', '--require=x.cjs', '-r', 'y', '--import=tsx', '--cpu-prof']), [
    '--initial-old-space-size=256',
    '--cpu-prof',
  ]);
  assert.deepEqual(timingFlags([]), []);
});

test('describeMachine names the node flags a run had, and says nothing of them when there were none', () => {
  const machine = recordMachine(new Date('2026-12-01T00:00:00Z'));
  assert.match(describeMachine({ ...machine, nodeFlags: ['--initial-old-space-size=256'] }), /2026-12-01; node --initial-old-space-size=256$/);
  assert.match(describeMachine({ ...machine, nodeFlags: [] }), /2026-12-01$/);
  const { nodeFlags: _, ...older } = machine;
  assert.match(describeMachine(older), /2026-12-01$/, 'a file written before the flags were recorded');
});
