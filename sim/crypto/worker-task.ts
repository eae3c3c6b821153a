// One piscina task: a packed batch of jobs in, packed results out (both buffers transferred, not copied).
import { move } from 'piscina';
import { runJobs } from './jobs.ts';
import { packResults, unpackJobs } from './wire.ts';

export interface Task {
  readonly jobs: Uint8Array;
  /** Test hook for the crash-retry test: the worker dies instead of answering. */
  readonly crash?: boolean;
}

export default function task(t: Task): unknown {
  if (t.crash === true) process.exit(70);
  const packed = packResults(runJobs(unpackJobs(t.jobs)));
  return move(packed as never);
}
