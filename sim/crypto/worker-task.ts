// One piscina task: a shared batch in (wire.ts), the results of the jobs this worker ran out, packed and
// transferred. Every worker (and the main thread, when it helps) claims jobs from the same batch until none
// are left, so one that finishes early takes more instead of waiting for the others.
import { move } from 'piscina';
import { runJobs } from './jobs.ts';
import { AnswerWriter, SharedBatch } from './wire.ts';

export interface Task {
  readonly batch: SharedArrayBuffer;
  /** Test hook for the crash test: the worker dies instead of answering. */
  readonly crash?: boolean;
}

/**
 * Claims and runs the batch's jobs until none are left unclaimed, writing each claim's results to `answer` as it
 * is run: on a worker, or on the main thread as it helps.
 */
export function runClaims(batch: SharedBatch, answer: AnswerWriter): void {
  for (let range = batch.claim(); range !== undefined; range = batch.claim()) {
    answer.claim(range[0], runJobs(batch.jobs(range[0], range[1])));
  }
}

export function runTask(t: Task): Uint8Array {
  const answer = new AnswerWriter();
  runClaims(new SharedBatch(t.batch), answer);
  return answer.done();
}

export default function task(t: Task): unknown {
  if (t.crash === true) process.exit(70);
  return move(runTask(t) as never);
}
