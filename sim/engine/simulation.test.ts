import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineError } from './errors.ts';
import { Simulation } from './simulation.ts';

test('callbacks at the same time fire in the order they were scheduled', () => {
  const sim = new Simulation();
  const fired: string[] = [];
  const log = (label: string): void => void fired.push(`${sim.now}:${label}`);
  sim.schedule(2, log, 'c');
  sim.schedule(1, log, 'a');
  sim.schedule(1, log, 'b');
  sim.at(1, log, 'b2');
  sim.schedule(0, log, 'zero');
  sim.schedule(1, () => sim.schedule(0, log, 'nested'));
  sim.run();
  assert.deepEqual(fired, ['0:zero', '1:a', '1:b', '1:b2', '1:nested', '2:c']);
});

test('cancelled callbacks never fire, including many cancelled among many pending', () => {
  const sim = new Simulation();
  let fired = 0;
  const bad = (): void => assert.fail('a cancelled callback fired');
  const keep: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const id = sim.schedule(i % 97, bad);
    if (i % 10 === 0) keep.push(sim.schedule(i % 97, () => fired++));
    sim.cancel(id);
  }
  const late = sim.schedule(50, bad);
  sim.schedule(10, () => sim.cancel(late));
  sim.cancel(sim.schedule(0, bad));
  sim.run();
  assert.equal(fired, keep.length);
  assert.equal(sim.peek(), Infinity);
});

test('cancelling a callback that already fired is a no-op', () => {
  const sim = new Simulation();
  let n = 0;
  const id = sim.schedule(1, () => n++);
  sim.run();
  sim.cancel(id);
  sim.schedule(1, () => n++);
  sim.run();
  assert.equal(n, 2);
});

test('run(until) stops before entries at until and leaves the clock there; a later run resumes', () => {
  const sim = new Simulation();
  const seen: number[] = [];
  for (const t of [1, 5, 10, 15]) sim.schedule(t, () => seen.push(sim.now));
  sim.run(10);
  assert.deepEqual(seen, [1, 5]);
  assert.equal(sim.now, 10);
  assert.equal(sim.peek(), 10);
  sim.run(12);
  assert.deepEqual(seen, [1, 5, 10]);
  sim.run();
  assert.deepEqual(seen, [1, 5, 10, 15]);
  assert.equal(sim.now, 15);
});

test('stop() ends run after the current callback; step() runs one entry', () => {
  const sim = new Simulation();
  const seen: number[] = [];
  sim.schedule(1, () => seen.push(1));
  sim.schedule(2, () => {
    seen.push(2);
    sim.stop();
  });
  sim.schedule(3, () => seen.push(3));
  sim.run();
  assert.deepEqual(seen, [1, 2]);
  assert.equal(sim.step(), true);
  assert.deepEqual(seen, [1, 2, 3]);
  assert.equal(sim.step(), false);
});

test('bad times are refused at the call, with the argument named', () => {
  const sim = new Simulation();
  sim.run(5);
  for (const d of [-1, NaN, Infinity]) {
    assert.throws(() => sim.schedule(d, () => {}), (e: unknown) => e instanceof EngineError && e.field === 'delay');
  }
  assert.throws(() => sim.at(4, () => {}), (e: unknown) => e instanceof EngineError && e.field === 'time');
  assert.throws(() => sim.run(1), (e: unknown) => e instanceof EngineError && e.field === 'until');
  assert.throws(() => sim.cancel(99), (e: unknown) => e instanceof EngineError && e.field === 'handle');
});

test('an error thrown by a callback propagates out of run, and the run can go on', () => {
  const sim = new Simulation();
  const seen: number[] = [];
  sim.schedule(1, () => {
    throw new Error('boom');
  });
  sim.schedule(2, () => seen.push(sim.now));
  assert.throws(() => sim.run(), /boom/);
  sim.run();
  assert.deepEqual(seen, [2]);
});

test('a model that cancels most of its timers does not grow the queue (lazy cancellation compacts)', () => {
  const sim = new Simulation();
  let fired = 0;
  for (let i = 0; i < 100_000; i++) {
    sim.cancel(sim.schedule(1000 + i, () => assert.fail('a cancelled timeout fired')));
    if (i % 1000 === 0) sim.schedule(i, () => fired++);
  }
  assert.ok(sim.queue.size < 1000, `queue holds ${sim.queue.size} entries`);
  sim.run();
  assert.equal(fired, 100);
});
