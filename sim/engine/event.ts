// An Event is something that happens once, at one simulated time, with a value (or an error); processes wait
// on events and callbacks subscribe to them. As in SimPy, everything a process can wait for is an Event:
// timeouts, other processes, resource requests, store gets and puts, conditions.
//
// Life cycle: pending -> triggered (value set, its callbacks queued for the current time) -> processed
// (callbacks run). Two departures from SimPy, both for speed and both deterministic:
//   - an event that succeeds while nobody waits on it is processed at once, so a process that then yields it
//     (a resource request granted on the spot, a finished child process) continues without a queue round trip;
//   - yielding an already-processed event continues at once, with its value (SimPy does the same).
// A failed event is always queued, and if nobody is waiting on it when it is processed, its error ends the
// run: a failure nobody handles is a model bug and must not pass silently.

import { EngineError } from './errors.ts';
import type { Simulation } from './simulation.ts';

export const PENDING = 0;
export const TRIGGERED = 1;
export const PROCESSED = 2;

/** A subscriber: a process to resume (anything with `_wake`), or a callback given the event. */
export type Waiter = { _wake(event: Event<any>): void } | ((event: Event<any>) => void);

export class Event<T = unknown> {
  /** @internal */ _state: number = PENDING;
  /** @internal */ _ok = true;
  /** @internal */ _value: unknown = undefined;
  // One waiter inline, more in an array: almost every event has exactly one.
  /** @internal */ _w: Waiter | null = null;
  /** @internal */ _ws: Waiter[] | null = null;

  constructor(readonly sim: Simulation) {}

  /** True once the event has a value or an error. */
  get triggered(): boolean {
    return this._state !== PENDING;
  }
  /** True once its waiters have been resumed. */
  get processed(): boolean {
    return this._state === PROCESSED;
  }
  /** True unless the event failed; meaningful once triggered. */
  get ok(): boolean {
    return this._ok;
  }
  /** The value the event succeeded with, or the error it failed with. */
  get value(): T {
    if (this._state === PENDING) throw new EngineError('event', 'pending', 'has no value until it is triggered');
    return this._value as T;
  }

  /** Triggers the event with a value, now. */
  succeed(value?: T): this {
    if (this._state !== PENDING) throw new EngineError('event', 'triggered', 'can be triggered only once');
    this._value = value;
    if (this._w === null && (this._ws === null || this._ws.length === 0)) this._state = PROCESSED;
    else {
      this._state = TRIGGERED;
      this.sim.queue.push(this.sim.now, processEvent, this);
    }
    return this;
  }

  /** Triggers the event with an error, now: waiting processes get it thrown at their `yield`. */
  fail(error: unknown): this {
    if (this._state !== PENDING) throw new EngineError('event', 'triggered', 'can be triggered only once');
    this._ok = false;
    this._value = error;
    this._state = TRIGGERED;
    this.sim.queue.push(this.sim.now, processEvent, this);
    return this;
  }

  /** Calls `callback(event)` when the event is processed (at once if it already was). */
  on(callback: (event: Event<T>) => void): this {
    if (this._state === PROCESSED) callback(this);
    else this._addWaiter(callback as Waiter);
    return this;
  }

  /** @internal */
  _addWaiter(w: Waiter): void {
    if (this._w === null && this._ws === null) this._w = w;
    else if (this._ws === null) this._ws = [w];
    else this._ws.push(w);
  }

  /** @internal Forgets a waiter (an interrupted process); true if it was there. */
  _removeWaiter(w: Waiter): boolean {
    if (this._w === w) {
      this._w = null;
      return true;
    }
    const i = this._ws === null ? -1 : this._ws.indexOf(w);
    if (i >= 0) this._ws!.splice(i, 1);
    return i >= 0;
  }
}

/** The queue callback that processes a triggered event: resumes its waiters in the order they subscribed. */
export function processEvent(ev: Event<any>): void {
  ev._state = PROCESSED;
  const w = ev._w;
  const ws = ev._ws;
  ev._w = null;
  ev._ws = null;
  if (w === null && (ws === null || ws.length === 0)) {
    if (!ev._ok) throw ev._value;
    return;
  }
  if (w !== null) wake(w, ev);
  if (ws !== null) for (const x of ws) wake(x, ev);
}

function wake(w: Waiter, ev: Event<any>): void {
  if (typeof w === 'function') w(ev);
  else w._wake(ev);
}
