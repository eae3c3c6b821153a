// A batch's results in job order, kept packed as they came back (the workers' answers, and the main thread's own
// claims written the same way), each read where it lies when its batch lands.
//
// Unpacked into an object, an array of outputs and a view per output as each answer arrived, a batch's results
// waited for it to land while the main thread simulated on: long enough to be promoted, only to die in the old
// generation. What stays per job here is its place in two typed arrays.
import type { JobResult } from './jobs.ts';
import { AnswerWriter, DECODER, Reader } from './wire.ts';

export class BatchResults {
  private readonly answers: Uint8Array[] = [];
  /** Per job: 1 + the index in `answers` of the answer holding its result (0: no result yet). */
  private readonly answerOf: Uint16Array;
  /** Per job: where its result starts in that answer. */
  private readonly at: Uint32Array;
  /** Jobs with a result. */
  placed = 0;

  constructor(readonly length: number) {
    this.answerOf = new Uint16Array(length);
    this.at = new Uint32Array(length);
  }

  /** Results of jobs [0, results.length), as the inline executor and a job run alone give them. */
  static of(results: readonly JobResult[]): BatchResults {
    const all = new BatchResults(results.length);
    const answer = new AnswerWriter();
    answer.claim(0, results);
    all.place(answer.done());
    return all;
  }

  /**
   * Takes the results in a task's answer (AnswerWriter's format) and returns how many. A malformed answer, a
   * result for a job the batch does not have, or a job answered twice is an error: the claiming is broken.
   */
  place(answer: Uint8Array): number {
    if (this.answers.length === 0xffff) throw new Error('crypto workers: a batch was answered in more than 65,535 parts');
    this.answers.push(answer);
    const index = this.answers.length;
    const placed = walkAnswer(
      answer,
      (from, count) => {
        if (from + count > this.length) throw new Error(`crypto workers: results for jobs [${from}, ${from + count}) of a batch of ${this.length}`);
      },
      (job, at) => {
        if (this.answerOf[job] !== 0) throw new Error(`crypto workers: job ${job} of a batch was answered twice`);
        this.answerOf[job] = index;
        this.at[job] = at;
      },
    );
    this.placed += placed;
    return placed;
  }

  /** The number of results in a task's answer, checked as place() checks it but taken nowhere. */
  static count(answer: Uint8Array): number {
    return walkAnswer(answer);
  }

  /** Job i has a result. */
  has(i: number): boolean {
    return this.answerOf[i] !== 0;
  }

  /** The [from, to) ranges of jobs still without a result. */
  gaps(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < this.length; i++) {
      if (this.has(i)) continue;
      const from = i;
      while (i < this.length && !this.has(i)) i++;
      out.push([from, i]);
    }
    return out;
  }

  private answer(i: number): Uint8Array {
    const index = this.answerOf[i];
    if (index === undefined || index === 0) throw new RangeError(`crypto workers: job ${i} of a batch of ${this.length} has no result`);
    return this.answers[index - 1]!;
  }

  /** The job ran without an error. */
  ok(i: number): boolean {
    return this.answer(i)[this.at[i]!] !== 0;
  }

  /** A verification's verdict; undefined for any other job. */
  valid(i: number): boolean | undefined {
    const status = this.answer(i)[this.at[i]!];
    return status === 2 ? true : status === 3 ? false : undefined;
  }

  /** A failed job's error. */
  error(i: number): string {
    const a = this.answer(i);
    const at = this.at[i]! + 1;
    return DECODER.decode(a.subarray(at + 4, at + 4 + u32(a, at)));
  }

  /** The number of a successful job's outputs. */
  outputs(i: number): number {
    return this.answer(i)[this.at[i]! + 1]!;
  }

  /** Output k of a successful job: a view into its answer. */
  output(i: number, k: number): Uint8Array {
    const a = this.answer(i);
    let at = this.at[i]! + 2;
    for (let j = 0; j < k; j++) at += 4 + u32(a, at);
    return a.subarray(at + 4, at + 4 + u32(a, at));
  }

  /** Job i's result as an object (tests, and the rare paths that want one). */
  get(i: number): JobResult {
    if (!this.ok(i)) return { ok: false, error: this.error(i) };
    const outputs = Array.from({ length: this.outputs(i) }, (_, k) => this.output(i, k));
    const valid = this.valid(i);
    return valid === undefined ? { ok: true, outputs } : { ok: true, outputs, valid };
  }

  /** Every result as an object, in job order. */
  all(): JobResult[] {
    return Array.from({ length: this.length }, (_, i) => this.get(i));
  }
}

/**
 * Walks a task's answer (AnswerWriter's format), checking that every part lies within its bytes and none are
 * left over: `claim` for each claim, then `result` for each of its results, with where the result starts.
 * Returns the number of results.
 */
export function walkAnswer(
  answer: Uint8Array,
  claim: (from: number, count: number) => void = () => {},
  result: (job: number, at: number) => void = () => {},
): number {
  const r = new Reader(answer);
  let results = 0;
  for (let claims = r.u32(), c = 0; c < claims; c++) {
    const from = r.u32();
    const count = r.u32();
    claim(from, count);
    for (let job = from; job < from + count; job++) {
      result(job, r.position);
      r.skipResult();
    }
    results += count;
  }
  r.end();
  return results;
}

/** The big-endian u32 at `at`: read in place, with no Reader (an object) per result landed. */
function u32(a: Uint8Array, at: number): number {
  return ((a[at]! << 24) | (a[at + 1]! << 16) | (a[at + 2]! << 8) | a[at + 3]!) >>> 0;
}
