// One piscina task: a shared batch in (wire.ts), the results of the jobs this worker ran out, packed and
// transferred. Every worker is sent the same batch and claims jobs from it until none are left, so a worker
// that finishes early takes more instead of waiting for the other; a task sent again after a worker died
// runs exactly the ranges it is given.
import { move } from 'piscina';
import { runJobs } from './jobs.ts';
import { packClaims, SharedBatch, type Claim } from './wire.ts';

export interface Task {
  readonly batch: SharedArrayBuffer;
  /** Run these [from, to) ranges instead of claiming (the jobs a dead worker had claimed). */
  readonly ranges?: readonly (readonly [number, number])[];
  /** Test hook for the crash-retry test: the worker dies instead of answering. */
  readonly crash?: boolean;
}

export function runTask(t: Task): Uint8Array {
  const batch = new SharedBatch(t.batch);
  const claims: Claim[] = [];
  const run = ([from, to]: readonly [number, number]) => claims.push({ from, results: runJobs(batch.jobs(from, to)) });
  if (t.ranges !== undefined) t.ranges.forEach(run);
  else for (let range = batch.claim(); range !== undefined; range = batch.claim()) run(range);
  return packClaims(claims);
}

export default function task(t: Task): unknown {
  if (t.crash === true) process.exit(70);
  return move(runTask(t) as never);
}
