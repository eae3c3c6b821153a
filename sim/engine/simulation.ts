// The simulation: a clock and the event queue, and the loop that pops the earliest entry, moves the clock to
// its time and calls it. Everything else (events, processes, resources, stores) is built on `schedule`.

import { EngineError } from './errors.ts';
import { Event, PENDING, processEvent } from './event.ts';
import { Process, type ProcessGenerator } from './process.ts';
import { type Callback, EventQueue } from './queue.ts';

/** A scheduled callback's handle, for `cancel`. */
export type EventId = number;

export class Simulation {
  /** Current simulated time, in seconds. */
  now = 0;
  /** @internal The future-event list; models use `schedule`/`at`. */
  readonly queue = new EventQueue();
  private stopping = false;
  /** Entries run so far (for progress reports: events per second). */
  processed = 0;

  /** Calls `fn(arg)` `delay` seconds from now; ties fire in the order they were scheduled. */
  schedule<A>(delay: number, fn: Callback<A>, arg?: A): EventId {
    if (!(delay >= 0 && delay < Infinity)) {
      throw new EngineError('delay', delay, 'must be a finite, non-negative number of seconds');
    }
    return this.queue.push(this.now + delay, fn, arg);
  }

  /** Calls `fn(arg)` at absolute time `time` (not before now). */
  at<A>(time: number, fn: Callback<A>, arg?: A): EventId {
    if (!(time >= this.now && time < Infinity)) {
      throw new EngineError('time', time, `must be finite and not before now (${this.now})`);
    }
    return this.queue.push(time, fn, arg);
  }

  /** Stops a scheduled callback from ever firing; a no-op if it already fired or was cancelled. */
  cancel(id: EventId): void {
    this.queue.cancel(id);
  }

  /** Time of the next scheduled entry, or Infinity if there is none. */
  peek(): number {
    return this.queue.peekTime();
  }

  /** Runs the next entry; false if there was none. */
  step(): boolean {
    const q = this.queue;
    if (q.peekTime() === Infinity) return false;
    q.take();
    this.now = q.takenTime;
    this.processed++;
    q.takenFn!(q.takenArg);
    return true;
  }

  /**
   * Runs entries in (time, sequence) order until the queue is empty, `stop()` is called, or the next entry is
   * at or after `until`; then the clock reads `until` (if given and not stopped early). Entries at exactly
   * `until` are left for the next run, as in SimPy, so consecutive runs over [0, a) and [a, b) see each
   * entry once.
   */
  run(until = Infinity): void {
    if (!(until >= this.now)) throw new EngineError('until', until, `must not be before now (${this.now})`);
    const q = this.queue;
    this.stopping = false;
    while (q.takeBefore(until)) {
      this.now = q.takenTime;
      this.processed++;
      q.takenFn!(q.takenArg);
      if (this.stopping) return;
    }
    if (until !== Infinity) this.now = until;
  }

  /** Makes `run` return after the entry being run. */
  stop(): void {
    this.stopping = true;
  }

  /** Starts a process from a generator object (call the `function*`); it first runs at the current time. */
  process<R>(generator: ProcessGenerator<R>): Process<R> {
    return new Process(this, generator);
  }

  /** A new pending event, to be triggered by the model with `succeed` or `fail`. */
  event<T = void>(): Event<T> {
    return new Event<T>(this);
  }

  /** An event that succeeds with `value` `delay` seconds from now (for use in conditions; plain waits can `yield delay`). */
  timeout<T = void>(delay: number, value?: T): Event<T> {
    const ev = new Event<T>(this);
    this.schedule(delay, fireTimeout, { ev, value });
    return ev;
  }
}

// A timeout is processed when its queue entry fires, not queued a second time (nor if triggered by hand).
function fireTimeout(t: { ev: Event<any>; value: unknown }): void {
  if (t.ev._state !== PENDING) return;
  t.ev._value = t.value;
  processEvent(t.ev);
}
