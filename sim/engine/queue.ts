// The future-event list: entries ordered by (time, insertion sequence), so ties fire in the order they were
// scheduled, every run. It is a ladder queue (Tang, Goh & Thng, ACM TOMACS 2005) rather than a binary heap:
// on this project's benchmark (1,000 processes, exponential gaps) a typed-array binary heap spends ~80 ns per
// event in sift comparisons, most of the ~120 ns per event that 10x SimPy allows; the ladder queue moves each
// entry a few times between unsorted buckets and sorts only small groups (amortised O(1)).
//
// Layout: every entry lives in a slot of parallel typed arrays (time, sequence, next-in-list); callbacks and
// arguments sit in two plain arrays written once per entry, so moving an entry never touches a JS object.
//   top     unsorted list of entries at or after `topStart` (the far future)
//   rungs   each a row of buckets (linked lists) of equal width over a time range; deeper rungs split one
//           bucket of the rung above; a bucket's entries are all later than any bucket before it
//   bottom  a sorted run of the earliest entries, consumed from its head
// Ordering across buckets is by bucket index, computed with the same monotone arithmetic for every entry, so
// floating-point rounding cannot put a later time in an earlier bucket.
//
// Cancellation is lazy (a set of cancelled sequence numbers checked when an entry reaches the head), and the
// queue rebuilds itself when cancelled entries outnumber live ones, so a model that cancels most of its
// timers does not grow the queue without bound.

import { EngineError } from './errors.ts';

/** What the queue calls when an entry's time comes. */
export type Callback<A = any> = (arg: A) => void;

/** Lists of at most this many entries are sorted straight into `bottom` instead of spawning a rung. */
const SPAWN = 48;
/** `bottom` turns into a rung once a direct insert finds it this long (only when its times differ). */
const BOTTOM_MAX = 96;
/** Deeper than this, a bucket is sorted whatever its size (only pathological time spreads get here). */
const MAX_RUNGS = 16;
/** Buckets per entry in a new rung: fewer collisions to sort vs more empty buckets to skip (1, 2, 4, 8 measured within noise). */
const BUCKETS_PER_ENTRY = 2;
const NONE = -1;

export class EventQueue {
  // per slot
  private time = new Float64Array(64);
  private seq = new Float64Array(64);
  private next = new Int32Array(64);
  private fns = new Array<Callback | undefined>(64);
  private args = new Array<unknown>(64);
  private freeSlots = new Int32Array(64);
  private freeCount = 0;
  private slotsUsed = 0;
  private nextSeq = 0;
  /** Entries held, cancelled ones included until they are dropped. */
  size = 0;

  // top
  private topStart = -Infinity;
  private topHead = NONE;
  private topTail = NONE;
  private topCount = 0;
  private topMin = Infinity;
  private topMax = -Infinity;

  // rungs
  private rungs = 0;
  private readonly rStart = new Float64Array(MAX_RUNGS);
  private readonly rWidth = new Float64Array(MAX_RUNGS);
  private readonly rBuckets = new Int32Array(MAX_RUNGS);
  private readonly rCur = new Int32Array(MAX_RUNGS);
  private readonly rHead: Int32Array[] = [];
  private readonly rTail: Int32Array[] = [];
  private readonly rCount: Int32Array[] = [];

  // bottom
  private bottom = new Int32Array(128);
  private bHead = 0;
  private bTail = 0;

  private cancelled = new Set<number>();

  /** Set by `take()`: the entry just removed. */
  takenFn: Callback | undefined = undefined;
  takenArg: unknown = undefined;
  takenTime = 0;

  /** Adds an entry and returns its sequence number, which is also its handle for `cancel`. */
  push(t: number, fn: Callback, arg: unknown): number {
    let slot: number;
    if (this.freeCount > 0) slot = this.freeSlots[--this.freeCount]!;
    else {
      if (this.slotsUsed === this.time.length) this.growSlots();
      slot = this.slotsUsed++;
    }
    const s = this.nextSeq++;
    this.time[slot] = t;
    this.seq[slot] = s;
    this.fns[slot] = fn;
    this.args[slot] = arg;
    this.size++;
    this.place(slot, t);
    return s;
  }

  /** Marks an entry so it never fires; a no-op for one that already fired or was cancelled. */
  cancel(handle: number): void {
    if (!(handle >= 0 && handle < this.nextSeq && Number.isInteger(handle))) {
      throw new EngineError('handle', handle, 'not an event handle from this simulation');
    }
    this.cancelled.add(handle);
    if (this.cancelled.size > 256 && this.cancelled.size * 2 > this.size) this.compact();
  }

  /** Time of the earliest live entry, or Infinity when there is none. */
  peekTime(): number {
    for (;;) {
      if (this.bHead === this.bTail && !this.refill()) return Infinity;
      const slot = this.bottom[this.bHead]!;
      if (this.cancelled.size !== 0 && this.cancelled.delete(this.seq[slot]!)) {
        this.bHead++;
        this.release(slot);
        continue;
      }
      return this.time[slot]!;
    }
  }

  /** Removes the earliest live entry into `takenFn`/`takenArg`/`takenTime`; call only after `peekTime()` < Infinity. */
  take(): void {
    const slot = this.bottom[this.bHead++]!;
    this.takenTime = this.time[slot]!;
    this.takenFn = this.fns[slot];
    this.takenArg = this.args[slot];
    this.release(slot);
  }

  /** `peekTime()` and `take()` in one: removes the earliest live entry if it is before `until`; the run loop's call. */
  takeBefore(until: number): boolean {
    for (;;) {
      if (this.bHead === this.bTail && !this.refill()) return false;
      const slot = this.bottom[this.bHead]!;
      if (this.cancelled.size !== 0 && this.cancelled.delete(this.seq[slot]!)) {
        this.bHead++;
        this.release(slot);
        continue;
      }
      const t = this.time[slot]!;
      if (!(t < until)) return false;
      this.bHead++;
      this.takenTime = t;
      this.takenFn = this.fns[slot];
      this.takenArg = this.args[slot];
      this.release(slot);
      return true;
    }
  }

  private release(slot: number): void {
    this.fns[slot] = undefined;
    this.args[slot] = undefined;
    if (this.freeCount === this.freeSlots.length) this.freeSlots = grow32(this.freeSlots);
    this.freeSlots[this.freeCount++] = slot;
    this.size--;
  }

  private place(slot: number, t: number): void {
    if (t >= this.topStart) {
      this.next[slot] = NONE;
      if (this.topTail === NONE) this.topHead = slot;
      else this.next[this.topTail] = slot;
      this.topTail = slot;
      this.topCount++;
      if (t < this.topMin) this.topMin = t;
      if (t > this.topMax) this.topMax = t;
      return;
    }
    for (let x = 0; x < this.rungs; x++) {
      // Clamp first, then compare with the next bucket to consume: an entry past the end of a used-up rung
      // must go deeper, not into its last (already consumed) bucket. For 0 <= d < nb (< 2^31), d | 0 = floor(d).
      const d = (t - this.rStart[x]!) / this.rWidth[x]!;
      const cur = this.rCur[x]!;
      if (d >= cur) {
        const nb = this.rBuckets[x]!;
        const k = d >= nb ? nb - 1 : d | 0;
        if (k >= cur) {
          this.append(x, k, slot);
          return;
        }
      }
    }
    this.insertBottom(slot, t);
  }

  private append(x: number, k: number, slot: number): void {
    const head = this.rHead[x]!;
    const tail = this.rTail[x]!;
    this.next[slot] = NONE;
    if (this.rCount[x]![k]!++ === 0) head[k] = slot;
    else this.next[tail[k]!] = slot;
    tail[k] = slot;
  }

  private insertBottom(slot: number, t: number): void {
    const n = this.bTail - this.bHead;
    // The head test keeps a long run of same-time entries (many processes started at once) from rescanning.
    if (n >= BOTTOM_MAX && this.rungs < MAX_RUNGS && this.time[this.bottom[this.bHead]!]! !== t) {
      if (this.bottomToRung(slot)) return;
    }
    if (this.bTail === this.bottom.length) {
      if (this.bHead > 0) {
        this.bottom.copyWithin(0, this.bHead, this.bTail);
        this.bTail -= this.bHead;
        this.bHead = 0;
      } else this.bottom = grow32(this.bottom);
    }
    const b = this.bottom;
    const time = this.time;
    // The new entry has the largest sequence number, so it goes after every entry with time <= t.
    let lo = this.bHead;
    let hi = this.bTail;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (time[b[mid]!]! <= t) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.bTail) b.copyWithin(lo + 1, lo, this.bTail);
    b[lo] = slot;
    this.bTail++;
  }

  /** Turns an overlong `bottom` (plus one new entry) into the deepest rung; false if its times cannot be split. */
  private bottomToRung(slot: number): boolean {
    const count = this.bTail - this.bHead + 1;
    const t = this.time[slot]!;
    const first = this.time[this.bottom[this.bHead]!]!;
    const last = this.time[this.bottom[this.bTail - 1]!]!;
    const min = t < first ? t : first;
    const max = t > last ? t : last;
    if (!((max - min) / count > 0)) return false;
    this.next[slot] = NONE;
    let head = slot;
    for (let i = this.bHead; i < this.bTail; i++) {
      const s = this.bottom[i]!;
      this.next[s] = head;
      head = s;
    }
    this.bHead = this.bTail = 0;
    this.spawn(head, count, min, max);
    return true;
  }

  /** Makes `bottom` non-empty if any entry is left; false when the queue is empty. */
  private refill(): boolean {
    this.bHead = this.bTail = 0;
    for (;;) {
      if (this.rungs === 0) {
        if (this.topCount === 0) return false;
        const head = this.topHead;
        const count = this.topCount;
        const min = this.topMin;
        const max = this.topMax;
        // Later entries at exactly `max` go to top, after these: same time, larger sequence.
        this.topStart = max;
        this.topHead = this.topTail = NONE;
        this.topCount = 0;
        this.topMin = Infinity;
        this.topMax = -Infinity;
        if (this.spread(head, count, min, max)) return true;
        continue;
      }
      const x = this.rungs - 1;
      const nb = this.rBuckets[x]!;
      const counts = this.rCount[x]!;
      let k = this.rCur[x]!;
      while (k < nb && counts[k] === 0) k++;
      if (k === nb) {
        this.rungs--;
        continue;
      }
      this.rCur[x] = k + 1;
      const count = counts[k]!;
      counts[k] = 0;
      const head = this.rHead[x]![k]!;
      if (count === 1) {
        // The common case when bucket widths fit the event density: nothing to sort.
        this.bottom[0] = head;
        this.bTail = 1;
        return true;
      }
      if (count <= SPAWN) {
        this.sortIntoBottom(head, count);
        return true;
      }
      let min = Infinity;
      let max = -Infinity;
      for (let s = head; s !== NONE; s = this.next[s]!) {
        const t = this.time[s]!;
        if (t < min) min = t;
        if (t > max) max = t;
      }
      if (this.spread(head, count, min, max)) return true;
    }
  }

  /** Sorts a list into `bottom` (true) or splits it into a new rung (false). */
  private spread(head: number, count: number, min: number, max: number): boolean {
    if (count <= SPAWN || max === min || this.rungs === MAX_RUNGS || !((max - min) / count > 0)) {
      this.sortIntoBottom(head, count);
      return true;
    }
    this.spawn(head, count, min, max);
    return false;
  }

  private spawn(head: number, count: number, min: number, max: number): void {
    const x = this.rungs++;
    const width = (max - min) / (count * BUCKETS_PER_ENTRY);
    const nb = count * BUCKETS_PER_ENTRY;
    if (this.rHead[x] === undefined || this.rHead[x]!.length < nb) {
      const cap = Math.max(nb, 64);
      this.rHead[x] = new Int32Array(cap);
      this.rTail[x] = new Int32Array(cap);
      this.rCount[x] = new Int32Array(cap);
    } else this.rCount[x]!.fill(0, 0, nb);
    this.rStart[x] = min;
    this.rWidth[x] = width;
    this.rBuckets[x] = nb;
    this.rCur[x] = 0;
    for (let s = head; s !== NONE; ) {
      const after = this.next[s]!;
      const d = (this.time[s]! - min) / width;
      this.append(x, d >= nb ? nb - 1 : d | 0, s);
      s = after;
    }
  }

  private sortIntoBottom(head: number, count: number): void {
    if (this.bottom.length < count) this.bottom = new Int32Array(Math.max(count, this.bottom.length * 2));
    const b = this.bottom;
    const time = this.time;
    const seq = this.seq;
    let n = 0;
    for (let s = head; s !== NONE; s = this.next[s]!) b[n++] = s;
    if (n <= SPAWN) {
      for (let i = 1; i < n; i++) {
        const s = b[i]!;
        const t = time[s]!;
        const q = seq[s]!;
        let j = i - 1;
        while (j >= 0) {
          const o = b[j]!;
          const ot = time[o]!;
          if (ot < t || (ot === t && seq[o]! < q)) break;
          b[j + 1] = o;
          j--;
        }
        b[j + 1] = s;
      }
    } else {
      b.subarray(0, n).sort((p, q) => time[p]! - time[q]! || seq[p]! - seq[q]!);
    }
    this.bHead = 0;
    this.bTail = n;
  }

  /** Drops cancelled entries and forgets cancelled handles of entries that already fired. */
  private compact(): void {
    const live: number[] = [];
    for (let s = 0; s < this.slotsUsed; s++) {
      if (this.fns[s] === undefined) continue;
      if (this.cancelled.has(this.seq[s]!)) this.release(s);
      else live.push(s);
    }
    this.cancelled.clear();
    this.rungs = 0;
    this.bHead = this.bTail = 0;
    this.topStart = -Infinity;
    this.topHead = this.topTail = NONE;
    this.topCount = 0;
    this.topMin = Infinity;
    this.topMax = -Infinity;
    for (const s of live) this.place(s, this.time[s]!);
  }

  private growSlots(): void {
    const n = this.time.length * 2;
    this.time = growF64(this.time, n);
    this.seq = growF64(this.seq, n);
    const next = new Int32Array(n);
    next.set(this.next);
    this.next = next;
    // Grown here in one step: appending to a JS array one index at a time measured ~130 ns per element.
    const fns = new Array<Callback | undefined>(n);
    const args = new Array<unknown>(n);
    for (let i = 0; i < this.slotsUsed; i++) {
      fns[i] = this.fns[i];
      args[i] = this.args[i];
    }
    this.fns = fns;
    this.args = args;
  }
}

function growF64(a: Float64Array, n: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

function grow32(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
