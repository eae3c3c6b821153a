// Waiting for the first of several events (a payment that gives up when the issuer is too slow) or for all of
// them (a batch of deposits). Conditions are events too, so a process yields them like any other.

import { EngineError } from './errors.ts';
import { Event, PROCESSED } from './event.ts';
import type { Simulation } from './simulation.ts';

/** Succeeds with the first of `events` to be processed (the Event itself), or fails with its error. */
export function anyOf(sim: Simulation, events: readonly Event<any>[]): Event<Event<any>> {
  if (events.length === 0) throw new EngineError('events', 0, 'anyOf needs at least one event');
  const cond = new Event<Event<any>>(sim);
  const settle = (ev: Event<any>): void => {
    if (cond.triggered) return;
    if (ev.ok) cond.succeed(ev);
    else cond.fail(ev._value);
  };
  for (const ev of events) {
    if (ev._state === PROCESSED) {
      settle(ev);
      break;
    }
    ev._addWaiter(settle);
  }
  return cond;
}

/** Succeeds with the values of all `events`, in order, once every one is processed; fails with the first error. */
export function allOf(sim: Simulation, events: readonly Event<any>[]): Event<unknown[]> {
  const cond = new Event<unknown[]>(sim);
  let left = events.length;
  const settle = (ev: Event<any>): void => {
    if (cond.triggered) return;
    if (!ev.ok) cond.fail(ev._value);
    else if (--left === 0) cond.succeed(events.map((e) => e._value));
  };
  if (left === 0) return cond.succeed([]);
  for (const ev of events) {
    if (ev._state === PROCESSED) settle(ev);
    else ev._addWaiter(settle);
  }
  return cond;
}
