// Timing for the protocol benchmark: CPU and wall time of each stretch of work, and three meters a round of flows
// reports to. The plain meter times each flow; the counting one also tallies the flow's signature operations; the
// paired one times each chunk of a flow beside its shadow (signature-shadow.ts), so that the ratio of the two is
// taken under the same load from the rest of the machine.

import type { OpClass, OpTally } from './instrumented-suite.ts';
import { prepareShadow, type ShadowContext } from './signature-shadow.ts';

/** One flow's part of a chunk: `ops` operations of `flow`. */
export type ChunkPart<F extends string = string> = readonly [flow: F, ops: number];

/** Time taken, both ways: this process's CPU time (user + system, all its threads) and wall-clock time, in ms. */
export interface Span {
  readonly cpu: number;
  readonly wall: number;
}

export const NO_SPAN: Span = { cpu: NaN, wall: NaN };

/**
 * CPU time is what the figures use: this machine is shared, and wall time counts every slice the scheduler gave
 * to someone else (on 2 cores under a load of 3, a 10 ms chunk loses 0 to 3 of them). CPU time does not, and still
 * counts the protocol's garbage collection, which V8 partly runs on helper threads.
 */
export function measure(fn: () => void): Span {
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  fn();
  const cpu = process.cpuUsage(cpu0);
  return { cpu: (cpu.user + cpu.system) / 1000, wall: performance.now() - wall0 };
}

const add = (a: Span | undefined, b: Span): Span => ({ cpu: (a?.cpu ?? 0) + b.cpu, wall: (a?.wall ?? 0) + b.wall });

/**
 * Times or counts the flows. A round runs each flow in chunks of `chunk(flow)` ops; `pair` wraps a chunk (its
 * parts), `time` each timed stretch of a flow inside it (a payment's payee side is two stretches around the
 * payer's). This meter times them; subclasses count them, or time a signature-only shadow beside each chunk.
 */
export class TimingMeter<F extends string = string> {
  readonly spans = new Map<F, Span>();
  protected readonly inChunk = new Map<F, Span>();

  chunk(_flow: F): number {
    return Infinity;
  }

  pair(_ctx: ShadowContext, _parts: readonly ChunkPart<F>[], body: () => void): void {
    body();
  }

  time(flow: F, fn: () => void): void {
    const span = measure(fn);
    this.spans.set(flow, add(this.spans.get(flow), span));
    this.inChunk.set(flow, add(this.inChunk.get(flow), span));
  }
}

export class CountingMeter<F extends string = string> extends TimingMeter<F> {
  readonly counts = new Map<F, Map<OpClass, number>>();
  constructor(private readonly tally: OpTally) {
    super();
  }
  override time(flow: F, fn: () => void): void {
    this.tally.take(); // what ran outside a flow (fixtures) is not the flow's
    super.time(flow, fn);
    const into = this.counts.get(flow) ?? new Map<OpClass, number>();
    for (const [c, n] of this.tally.take()) into.set(c, (into.get(c) ?? 0) + n);
    this.counts.set(flow, into);
  }
}

/** A chunk of one flow, timed, and its shadow: the same signature operations alone, timed right beside it. */
export interface ChunkSample {
  readonly ops: number;
  readonly span: Span;
  readonly shadow: Span;
}

/**
 * Times each chunk and its shadow, alternating which goes first (so neither always runs warm from the other),
 * and keeps both per chunk: whatever else the machine is doing at that moment falls on both alike.
 */
export class PairedMeter<F extends string = string> extends TimingMeter<F> {
  readonly samples = new Map<F, ChunkSample[]>();
  private pairs = 0;
  constructor(
    private readonly counts: ReadonlyMap<F, ReadonlyMap<OpClass, number>>,
    private readonly chunks: ReadonlyMap<F, number>,
  ) {
    super();
  }

  override chunk(flow: F): number {
    return this.chunks.get(flow) ?? Infinity;
  }

  override pair(ctx: ShadowContext, parts: readonly ChunkPart<F>[], body: () => void): void {
    const shadows = parts.map(([flow, ops]) => prepareShadow(ctx, this.counts.get(flow) ?? new Map<OpClass, number>(), ops));
    let shadowSpans: Span[] = [];
    const runShadows = (): void => {
      shadowSpans = shadows.map(measure);
    };
    this.inChunk.clear();
    if (this.pairs++ % 2 === 0) {
      body();
      runShadows();
    } else {
      runShadows();
      body();
    }
    parts.forEach(([flow, ops], i) => {
      const list = this.samples.get(flow) ?? [];
      list.push({ ops, span: this.inChunk.get(flow) ?? NO_SPAN, shadow: shadowSpans[i] ?? NO_SPAN });
      this.samples.set(flow, list);
    });
  }
}
