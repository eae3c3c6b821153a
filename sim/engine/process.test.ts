import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allOf, anyOf } from './condition.ts';
import { EngineError } from './errors.ts';
import type { Event } from './event.ts';
import { Interrupt, type ProcessGenerator } from './process.ts';
import { Simulation } from './simulation.ts';

test('a process waits numbers of seconds and returns a value another process can wait for', () => {
  const sim = new Simulation();
  const log: string[] = [];
  function* child(): ProcessGenerator<string> {
    yield 3;
    log.push(`child done at ${sim.now}`);
    return 'result';
  }
  function* parent(): ProcessGenerator {
    yield 1;
    const c = sim.process(child());
    const value: string = yield c;
    log.push(`parent got ${value} at ${sim.now}`);
    const again: string = yield c; // already processed: continues at once with the same value
    log.push(`again ${again} at ${sim.now}`);
  }
  const p = sim.process(parent());
  assert.equal(p.isAlive, true);
  sim.run();
  assert.equal(p.isAlive, false);
  assert.deepEqual(log, ['child done at 4', 'parent got result at 4', 'again result at 4']);
});

test('processes start at the current time, after the code that created them, in creation order', () => {
  const sim = new Simulation();
  const log: string[] = [];
  function* p(name: string): ProcessGenerator {
    log.push(`${name} starts`);
    yield 0;
    log.push(`${name} after yield 0`);
  }
  sim.schedule(0, () => {
    sim.process(p('A'));
    sim.process(p('B'));
    log.push('creator returns');
  });
  sim.run();
  assert.deepEqual(log, ['creator returns', 'A starts', 'B starts', 'A after yield 0', 'B after yield 0']);
});

test('events: succeed resumes waiters in order with the value; fail throws into them', () => {
  const sim = new Simulation();
  const log: string[] = [];
  const ev = sim.event<number>();
  const bad = sim.event<number>();
  function* waiter(name: string): ProcessGenerator {
    const v: number = yield ev;
    log.push(`${name}:${v}@${sim.now}`);
    try {
      yield bad;
    } catch (err) {
      log.push(`${name} caught ${(err as Error).message}`);
    }
  }
  sim.process(waiter('x'));
  sim.process(waiter('y'));
  ev.on((e) => log.push(`callback:${e.value}`)); // subscribes first: the processes start only when the run does
  sim.schedule(2, () => ev.succeed(42));
  sim.schedule(3, () => bad.fail(new Error('no funds')));
  sim.run();
  assert.deepEqual(log, ['callback:42', 'x:42@2', 'y:42@2', 'x caught no funds', 'y caught no funds']);
  assert.throws(() => ev.succeed(1), (e: unknown) => e instanceof EngineError && e.field === 'event');
});

test('a failed event nobody waits on, or a crashed process nobody waits on, ends the run with its error', () => {
  const sim = new Simulation();
  sim.schedule(1, () => sim.event().fail(new Error('unhandled')));
  assert.throws(() => sim.run(), /unhandled/);
  function* crash(): ProcessGenerator {
    yield 1;
    throw new Error('crashed');
  }
  sim.process(crash());
  assert.throws(() => sim.run(), /crashed/);
});

test('a crashed process fails its event for a process waiting on it', () => {
  const sim = new Simulation();
  let caught = '';
  function* crash(): ProcessGenerator {
    yield 1;
    throw new Error('crashed');
  }
  function* watcher(): ProcessGenerator {
    try {
      yield sim.process(crash());
    } catch (err) {
      caught = `${(err as Error).message}@${sim.now}`;
    }
  }
  sim.process(watcher());
  sim.run();
  assert.equal(caught, 'crashed@1');
});

test('interrupt throws Interrupt at the yield and cancels the pending wait', () => {
  const sim = new Simulation();
  const log: string[] = [];
  function* sleeper(): ProcessGenerator {
    try {
      yield 100;
      log.push('slept');
    } catch (err) {
      assert.ok(err instanceof Interrupt);
      log.push(`interrupted by ${String(err.cause)} at ${sim.now}`);
    }
    const ev = sim.event();
    try {
      yield ev;
    } catch (err) {
      log.push(`interrupted again: ${String((err as Interrupt).cause)}`);
    }
    ev.succeed(); // nobody waits any more: must not resume the process
    yield 1;
    log.push(`done at ${sim.now}`);
  }
  const p = sim.process(sleeper());
  sim.schedule(5, () => p.interrupt('card removed'));
  sim.schedule(6, () => p.interrupt('second'));
  sim.run();
  assert.deepEqual(log, ['interrupted by card removed at 5', 'interrupted again: second', 'done at 7']);
  assert.throws(() => p.interrupt(), (e: unknown) => e instanceof EngineError && e.field === 'process');
});

test('bad yields are thrown into the process, where it can see them', () => {
  const sim = new Simulation();
  const fields: string[] = [];
  function* bad(): ProcessGenerator {
    for (const w of [-1, NaN, 'soon' as unknown as number]) {
      try {
        yield w;
      } catch (err) {
        fields.push((err as EngineError).field);
      }
    }
  }
  sim.process(bad());
  sim.run();
  assert.deepEqual(fields, ['delay', 'delay', 'yield']);
  assert.throws(() => sim.process((() => {}) as never), (e: unknown) => e instanceof EngineError);
});

test('timeouts and conditions: anyOf gives the first event, allOf all values', () => {
  const sim = new Simulation();
  const log: string[] = [];
  function* payer(): ProcessGenerator {
    const reply = sim.event<string>();
    sim.schedule(7, () => reply.succeed('approved'));
    const giveUp = sim.timeout(5, 'gave up');
    const first: Event<string> = yield anyOf(sim, [reply, giveUp]);
    log.push(`${first.value}@${sim.now}`);
    const all: unknown[] = yield allOf(sim, [sim.timeout(1, 'a'), reply, sim.timeout(0, 'c')]);
    log.push(`${all.join(',')}@${sim.now}`);
    const none: unknown[] = yield allOf(sim, []);
    log.push(`empty ${none.length}@${sim.now}`);
  }
  sim.process(payer());
  sim.run();
  assert.deepEqual(log, ['gave up@5', 'a,approved,c@7', 'empty 0@7']);
});
