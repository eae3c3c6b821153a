// A FIFO buffer of items between processes (a bank's inbox of deposit batches, a card's pending transfers):
// `put` waits while the store is full, `get` waits while it is empty; both are events.

import { EngineError } from './errors.ts';
import { Event } from './event.ts';
import type { Simulation } from './simulation.ts';

export class Store<T> {
  private readonly items: T[] = [];
  private readonly getters: Event<T>[] = [];
  private readonly putters: { ev: Event<void>; item: T }[] = [];

  constructor(
    readonly sim: Simulation,
    readonly capacity = Infinity,
  ) {
    if (!(capacity >= 1) || (capacity !== Infinity && !Number.isInteger(capacity))) {
      throw new EngineError('capacity', capacity, 'must be a positive integer or Infinity');
    }
  }

  /** Items held now. */
  get size(): number {
    return this.items.length;
  }

  /** Adds an item; the event succeeds when it is in the store (at once unless the store is full). */
  put(item: T): Event<void> {
    const ev = new Event<void>(this.sim);
    if (this.items.length < this.capacity) {
      this.items.push(item);
      ev.succeed();
      this.serveGetters();
    } else this.putters.push({ ev, item });
    return ev;
  }

  /** Takes the oldest item; the event succeeds with it (at once unless the store is empty). */
  get(): Event<T> {
    const ev = new Event<T>(this.sim);
    if (this.items.length > 0) {
      ev.succeed(this.items.shift()!);
      this.admitPutters();
    } else this.getters.push(ev);
    return ev;
  }

  private serveGetters(): void {
    while (this.getters.length > 0 && this.items.length > 0) {
      this.getters.shift()!.succeed(this.items.shift()!);
      this.admitPutters();
    }
  }

  private admitPutters(): void {
    while (this.putters.length > 0 && this.items.length < this.capacity) {
      const { ev, item } = this.putters.shift()!;
      this.items.push(item);
      ev.succeed();
    }
  }
}
