// One piscina task: a shared batch in (wire.ts), the results of the jobs this worker ran out, packed and
// transferred. Every worker (and the main thread, when it helps) claims jobs from the same batch until none
// are left, so one that finishes early takes more instead of waiting for the others.
import { move } from 'piscina';
import { runJobs } from './jobs.ts';
import { packClaims, SharedBatch, type Claim } from './wire.ts';

export interface Task {
  readonly batch: SharedArrayBuffer;
  /** Test hook for the crash test: the worker dies instead of answering. */
  readonly crash?: boolean;
}

/** Claims and runs the batch's jobs until none are left unclaimed: on a worker, or on the main thread as it helps. */
export function runClaims(batch: SharedBatch): Claim[] {
  const claims: Claim[] = [];
  for (let range = batch.claim(); range !== undefined; range = batch.claim()) {
    claims.push({ from: range[0], results: runJobs(batch.jobs(range[0], range[1])) });
  }
  return claims;
}

export function runTask(t: Task): Uint8Array {
  return packClaims(runClaims(new SharedBatch(t.batch)));
}

export default function task(t: Task): unknown {
  if (t.crash === true) process.exit(70);
  return move(runTask(t) as never);
}
