import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { EventQueue } from './queue.ts';

// One seed for every run, so CI is reproducible; FC_SEED=<n> explores others (a failure prints its seed).
fc.configureGlobal({ seed: Number(process.env['FC_SEED'] ?? 20261124) });

// The ladder queue against the obvious reference: a list sorted by (time, sequence).
type Op = { kind: 'push'; dt: number } | { kind: 'pop' } | { kind: 'cancel'; pick: number };

function drainBoth(ops: Op[], monotone: boolean): void {
  const q = new EventQueue();
  const ref: { t: number; s: number }[] = [];
  const handles: number[] = [];
  let now = 0;
  const popBoth = (): void => {
    const t = q.peekTime();
    if (ref.length === 0) {
      assert.equal(t, Infinity);
      return;
    }
    const want = ref.shift()!;
    assert.equal(t, want.t);
    q.take();
    assert.equal((q.takenArg as { h: number }).h, want.s);
    assert.equal(q.takenTime, want.t);
    now = want.t;
  };
  for (const op of ops) {
    if (op.kind === 'push') {
      const t = monotone ? now + op.dt : op.dt;
      // The argument carries the handle, so the pop order can be compared entry by entry.
      const box = { h: -1 };
      const h = q.push(t, () => {}, box);
      box.h = h;
      // the reference stays sorted by (time, sequence); h is the largest sequence so far
      let i = ref.length;
      while (i > 0 && ref[i - 1]!.t > t) i--;
      ref.splice(i, 0, { t, s: h });
      handles.push(h);
    } else if (op.kind === 'pop') popBoth();
    else if (handles.length > 0) {
      const h = handles[op.pick % handles.length]!;
      q.cancel(h);
      const i = ref.findIndex((e) => e.s === h);
      if (i >= 0) ref.splice(i, 1);
    }
  }
  while (ref.length > 0) popBoth();
  assert.equal(q.peekTime(), Infinity);
  assert.equal(q.size, 0);
}

// Times from a small set make ties common; a few huge gaps exercise top and deep rungs.
const dt = fc.oneof(
  fc.constantFrom(0, 0, 1, 2.5),
  fc.double({ min: 0, max: 10, noNaN: true }),
  fc.constantFrom(1e-9, 1e6),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: dt.map((d) => ({ kind: 'push' as const, dt: d })) },
  { weight: 4, arbitrary: fc.constant({ kind: 'pop' as const }) },
  { weight: 1, arbitrary: fc.nat().map((pick) => ({ kind: 'cancel' as const, pick })) },
);

test('pops in (time, sequence) order like a sorted list, with ties and cancels (monotone times)', () => {
  fc.assert(
    fc.property(fc.array(op, { minLength: 100, maxLength: 3000, size: 'max' }), (ops) => drainBoth(ops, true)),
    { numRuns: 150, interruptAfterTimeLimit: 60_000, markInterruptAsFailure: true },
  );
});

test('stays a correct priority queue for arbitrary (non-monotone) times', () => {
  fc.assert(
    fc.property(fc.array(op, { minLength: 100, maxLength: 2000, size: 'max' }), (ops) => drainBoth(ops, false)),
    { numRuns: 100, interruptAfterTimeLimit: 60_000, markInterruptAsFailure: true },
  );
});

test('long runs: many processes, bursts at one time, mass cancellation and the rebuild it triggers', () => {
  let x = 1;
  const rand = (): number => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) + 0.5) / 4294967296;
  const ops: Op[] = [];
  for (let i = 0; i < 2000; i++) ops.push({ kind: 'push', dt: -Math.log(rand()) * 5 });
  for (let i = 0; i < 60000; i++) {
    const r = rand();
    if (r < 0.45) ops.push({ kind: 'push', dt: r < 0.05 ? 0 : -Math.log(rand()) * 5 });
    else if (r < 0.9) ops.push({ kind: 'pop' });
    else ops.push({ kind: 'cancel', pick: Math.floor(rand() * 1e9) });
  }
  for (let i = 0; i < 3000; i++) ops.push({ kind: 'push', dt: 0 });
  for (let i = 0; i < 5000; i++) ops.push({ kind: 'cancel', pick: i * 7919 });
  drainBoth(ops, true);
});

test('a far-future entry with churn below it (bottom overflows into a rung)', () => {
  let x = 7;
  const rand = (): number => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) + 0.5) / 4294967296;
  const ops: Op[] = [{ kind: 'push', dt: 1e9 }, { kind: 'push', dt: 0 }, { kind: 'pop' }];
  for (let i = 0; i < 500; i++) ops.push({ kind: 'push', dt: -Math.log(rand()) });
  for (let i = 0; i < 20000; i++) {
    ops.push({ kind: 'pop' });
    ops.push({ kind: 'push', dt: -Math.log(rand()) * 500 });
  }
  drainBoth(ops, true);
});
