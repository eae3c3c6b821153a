// A process is a generator function run by the simulation: it yields what it waits for and is resumed when
// that happens. It is itself an Event that succeeds with the generator's return value, so processes can wait
// for each other.
//
//   yield 5             wait 5 simulated seconds (no object is allocated: the fast path)
//   yield event         wait until `event` is processed; the yield evaluates to its value, or throws its error
//
// Every resumption goes through `drive`, one shared function; the queue entry for a timed wait carries the
// process itself, so waiting allocates no closure.

import { EngineError } from './errors.ts';
import { Event, PROCESSED } from './event.ts';
import type { Simulation } from './simulation.ts';

/** What a process may yield: seconds to wait, or an event to wait for. */
export type Wait = number | Event<any>;
/** The generator a process runs; `R` is what it returns (the process event's value). */
export type ProcessGenerator<R = void> = Generator<Wait, R, any>;

/** Thrown into a process at its current `yield` by `Process.interrupt`. */
export class Interrupt extends Error {
  override readonly name = 'Interrupt';
  constructor(override readonly cause: unknown) {
    super('process interrupted');
  }
}

const NO_TIMER = -1;

export class Process<R = void> extends Event<R> {
  /** @internal */ _gen: ProcessGenerator<R>;
  /** @internal The event it waits on, if any. */ _target: Event<any> | null = null;
  /** @internal Queue handle of its timed wait, if any. */ _timer = NO_TIMER;
  /** @internal */ _done = false;

  constructor(sim: Simulation, generator: ProcessGenerator<R>) {
    super(sim);
    if (generator === null || typeof generator !== 'object' || typeof generator.next !== 'function') {
      throw new EngineError('generator', generator, 'sim.process takes a generator object: call the function*');
    }
    this._gen = generator;
    // Starts at the current time but after the caller returns, like SimPy's Initialize event.
    this._timer = sim.queue.push(sim.now, timerFired, this);
  }

  /** True until the generator has returned or thrown. */
  get isAlive(): boolean {
    return !this._done;
  }

  /** Throws an `Interrupt(cause)` into the process at its current `yield`, at the current time. */
  interrupt(cause?: unknown): void {
    if (this._done) throw new EngineError('process', 'finished', 'cannot interrupt a finished process');
    this.sim.queue.push(this.sim.now, deliverInterrupt, { process: this, cause });
  }

  /** @internal Called when an event this process waits on is processed. */
  _wake(ev: Event<any>): void {
    this._target = null;
    drive(this, ev._value, !ev._ok);
  }
}

function timerFired(p: Process<any>): void {
  p._timer = NO_TIMER;
  drive(p, undefined, false);
}

function deliverInterrupt(i: { process: Process<any>; cause: unknown }): void {
  const p = i.process;
  if (p._done) return;
  if (p._timer !== NO_TIMER) {
    p.sim.queue.cancel(p._timer);
    p._timer = NO_TIMER;
  }
  if (p._target !== null) {
    p._target._removeWaiter(p);
    p._target = null;
  }
  drive(p, new Interrupt(i.cause), true);
}

/** Runs a process until its next wait, or to its end. */
function drive(p: Process<any>, value: unknown, thrown: boolean): void {
  const gen = p._gen;
  for (;;) {
    let r: IteratorResult<Wait, unknown>;
    try {
      r = thrown ? gen.throw(value) : gen.next(value);
    } catch (err) {
      finish(p, err, false);
      return;
    }
    if (r.done === true) {
      finish(p, r.value, true);
      return;
    }
    const w = r.value;
    if (typeof w === 'number') {
      if (w >= 0 && w < Infinity) {
        p._timer = p.sim.queue.push(p.sim.now + w, timerFired, p);
        return;
      }
      value = new EngineError('delay', w, 'a process can wait only a finite, non-negative number of seconds');
      thrown = true;
    } else if (w instanceof Event) {
      if (w._state === PROCESSED) {
        value = w._value;
        thrown = !w._ok;
      } else {
        p._target = w;
        w._addWaiter(p);
        return;
      }
    } else {
      value = new EngineError('yield', w, 'a process yields a number of seconds or an Event');
      thrown = true;
    }
  }
}

function finish(p: Process<any>, value: unknown, ok: boolean): void {
  p._done = true;
  if (ok) {
    p.succeed(value);
    return;
  }
  // A crash nobody waits for ends the run here, with the process's own stack trace.
  if (p._w === null && (p._ws === null || p._ws.length === 0)) throw value;
  p.fail(value);
}
