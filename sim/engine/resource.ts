// A server with `capacity` identical desks and a first-come first-served queue: a bank's or the issuer's
// processing desk. A process yields `request()`, holds the desk while it works, then calls `release`.
// The resource keeps time-weighted totals of its queue length and of desks in use, because those are what
// a sizing study reports (mean queue, utilisation) and integrating them here is exact, where sampling is not.

import { EngineError } from './errors.ts';
import { Event } from './event.ts';
import type { Simulation } from './simulation.ts';

export class Request extends Event<void> {
  /** @internal */ _granted = false;
  /** @internal */ _released = false;
  constructor(
    sim: Simulation,
    readonly resource: Resource,
  ) {
    super(sim);
  }
}

export class Resource {
  private users = 0;
  // FIFO of waiting requests: an array consumed from `head`, compacted when half is spent.
  private waiting: (Request | undefined)[] = [];
  private head = 0;
  private readonly since: number;
  private last: number;
  private queueArea = 0;
  private busyArea = 0;
  /** Requests granted so far. */
  granted = 0;

  constructor(
    readonly sim: Simulation,
    readonly capacity = 1,
  ) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) {
      throw new EngineError('capacity', capacity, 'must be a positive integer');
    }
    this.since = this.last = sim.now;
  }

  /** Desks in use. */
  get inUse(): number {
    return this.users;
  }
  /** Requests waiting for a desk. */
  get queueLength(): number {
    return this.waiting.length - this.head;
  }

  /** Asks for a desk; the returned event succeeds when one is granted (at once if one is free). */
  request(): Request {
    const req = new Request(this.sim, this);
    this.account();
    if (this.users < this.capacity) this.grant(req);
    else this.waiting.push(req);
    return req;
  }

  /** Gives back a granted desk, or withdraws a request still waiting (a customer who gives up). */
  release(req: Request): void {
    if (req.resource !== this) throw new EngineError('request', 'foreign', 'belongs to another resource');
    if (req._released) throw new EngineError('request', 'released', 'was already released');
    req._released = true;
    this.account();
    if (!req._granted) {
      const i = this.waiting.indexOf(req, this.head);
      if (i >= 0) this.waiting.splice(i, 1);
      return;
    }
    this.users--;
    if (this.head < this.waiting.length) {
      const next = this.waiting[this.head]!;
      this.waiting[this.head++] = undefined; // let the served request be collected
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting = this.waiting.slice(this.head);
        this.head = 0;
      }
      this.grant(next);
    }
  }

  /** Time-average number of requests waiting, from creation to now. */
  meanQueueLength(): number {
    this.account();
    const span = this.sim.now - this.since;
    return span > 0 ? this.queueArea / span : 0;
  }

  /** Time-average fraction of desks in use, from creation to now. */
  utilization(): number {
    this.account();
    const span = this.sim.now - this.since;
    return span > 0 ? this.busyArea / span / this.capacity : 0;
  }

  private grant(req: Request): void {
    this.users++;
    this.granted++;
    req._granted = true;
    req.succeed();
  }

  /** Integrates queue length and desks in use up to now; called before either changes. */
  private account(): void {
    const now = this.sim.now;
    const dt = now - this.last;
    if (dt > 0) {
      this.queueArea += (this.waiting.length - this.head) * dt;
      this.busyArea += this.users * dt;
      this.last = now;
    }
  }
}
