import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineError } from './errors.ts';
import type { ProcessGenerator } from './process.ts';
import { Resource } from './resource.ts';
import { Simulation } from './simulation.ts';
import { Store } from './store.ts';

test('a resource serves in arrival order up to its capacity, and integrates queue and use over time', () => {
  const sim = new Simulation();
  const desk = new Resource(sim, 2);
  const log: string[] = [];
  function* customer(name: string, service: number): ProcessGenerator {
    const req = desk.request();
    yield req;
    log.push(`${name} starts ${sim.now}`);
    yield service;
    desk.release(req);
  }
  for (const [name, s] of [['a', 4], ['b', 2], ['c', 1], ['d', 1]] as const) sim.process(customer(name, s));
  sim.run();
  assert.deepEqual(log, ['a starts 0', 'b starts 0', 'c starts 2', 'd starts 3']);
  assert.equal(desk.granted, 4);
  assert.equal(desk.inUse, 0);
  // queue: 2 waiting over [0,2), 1 over [2,3) -> area 5 over 4 s; desks: 2 busy over [0,4) -> 8 of 8
  assert.equal(desk.meanQueueLength(), 5 / 4);
  assert.equal(desk.utilization(), 1);
});

test('releasing a request still waiting withdraws it (reneging); double release is refused', () => {
  const sim = new Simulation();
  const desk = new Resource(sim, 1);
  const log: string[] = [];
  function* holder(): ProcessGenerator {
    const req = desk.request();
    yield req;
    yield 10;
    desk.release(req);
    assert.throws(() => desk.release(req), (e: unknown) => e instanceof EngineError && e.field === 'request');
  }
  function* impatient(): ProcessGenerator {
    const req = desk.request();
    yield 3;
    assert.equal(req.triggered, false);
    desk.release(req);
    log.push(`gave up at ${sim.now}`);
  }
  function* patient(): ProcessGenerator {
    const req = desk.request();
    yield req;
    log.push(`served at ${sim.now}`);
    desk.release(req);
  }
  sim.process(holder());
  sim.process(impatient());
  sim.process(patient());
  sim.run();
  assert.deepEqual(log, ['gave up at 3', 'served at 10']);
  assert.throws(() => new Resource(sim, 0), (e: unknown) => e instanceof EngineError && e.field === 'capacity');
});

test('a store hands items over in FIFO order and blocks putters when full', () => {
  const sim = new Simulation();
  const inbox = new Store<string>(sim, 2);
  const log: string[] = [];
  function* producer(): ProcessGenerator {
    for (const item of ['b1', 'b2', 'b3', 'b4']) {
      yield inbox.put(item);
      log.push(`put ${item} at ${sim.now}`);
    }
  }
  function* consumer(): ProcessGenerator {
    yield 5;
    for (let i = 0; i < 4; i++) {
      const item: string = yield inbox.get();
      log.push(`got ${item} at ${sim.now}`);
      yield 1;
    }
  }
  sim.process(producer());
  sim.process(consumer());
  sim.run();
  assert.deepEqual(log, [
    'put b1 at 0',
    'put b2 at 0',
    'got b1 at 5',
    'put b3 at 5',
    'got b2 at 6',
    'put b4 at 6',
    'got b3 at 7',
    'got b4 at 8',
  ]);
  assert.equal(inbox.size, 0);
});
