// CPU seconds per thread of this process, from /proc/self/task (Linux): where a run's CPU time goes between the
// main thread, the worker threads and V8's own helper threads (parallel scavenges, concurrent marking and
// sweeping, compilation). Elsewhere there is no such file and the benchmark says so instead.
import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds (user + system) by thread id. */
export type ThreadTimes = ReadonlyMap<number, number>;

/** Clock ticks per second in /proc's times: USER_HZ, 100 on Linux's common architectures. */
const TICKS_PER_SECOND = 100;

export function threadTimes(): ThreadTimes | undefined {
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return undefined;
  }
  const out = new Map<number, number>();
  for (const tid of tids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // a thread that ended between the listing and the read
    }
    // The command name may hold spaces: count fields after its closing parenthesis. utime and stime are the
    // 14th and 15th fields of the line, the 12th and 13th after the name.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(Number(tid), (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND);
  }
  return out;
}

export interface CpuSplit {
  /** The thread the simulation runs on. */
  readonly main: number;
  /** Threads that did not exist at the first reading: the run's worker threads (and any pool thread it woke). */
  readonly started: number;
  /** Other threads that were there already: V8's helper threads. */
  readonly helpers: number;
  readonly total: number;
}

/** CPU seconds between two readings, by whose they are. */
export function splitCpu(before: ThreadTimes, after: ThreadTimes): CpuSplit {
  let main = 0;
  let started = 0;
  let helpers = 0;
  for (const [tid, seconds] of after) {
    const used = seconds - (before.get(tid) ?? 0);
    if (tid === process.pid) main += used;
    else if (before.has(tid)) helpers += used;
    else started += used;
  }
  return { main, started, helpers, total: main + started + helpers };
}
