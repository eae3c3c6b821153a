// The machine a benchmark ran on, recorded next to its figures: a rate means nothing without the CPU, the core
// count and the Node version behind it, and the load average says whether others were using the machine.

import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  /** `process.version`, e.g. `v20.19.0`. */
  readonly node: string;
  readonly v8: string;
  readonly openssl: string;
  readonly platform: string;
  readonly arch: string;
  /** The first CPU's model string as the OS reports it. */
  readonly cpu: string;
  /** Logical CPUs (os.cpus().length). */
  readonly cores: number;
  /** What Node would give a worker pool (cgroup limits included). */
  readonly availableParallelism: number;
  readonly memoryGiB: number;
  /** 1, 5 and 15 minute load averages when the run started. */
  readonly loadAverage: readonly [number, number, number];
  /** ISO 8601, when the run started. */
  readonly date: string;
  /**
   * Node's command-line flags but the module hooks (tsx's `--import`): V8's heap settings change the figures.
   * Absent from files written before it was recorded.
   */
  readonly nodeFlags?: readonly string[];
}

/** `execArgv` without `--import X`, `--require X` and their `=` forms, which load code and change no timing. */
export function timingFlags(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i]!;
    if (flag === '--import' || flag === '--require' || flag === '-r') i++;
    else if (!flag.startsWith('--import=') && !flag.startsWith('--require=')) out.push(flag);
  }
  return out;
}

export function recordMachine(now: Date = new Date()): Machine {
  const list = cpus();
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  const round2 = (x: number): number => Math.round(x * 100) / 100;
  return {
    node: process.version,
    v8: process.versions.v8,
    openssl: process.versions.openssl ?? 'none',
    platform: process.platform,
    arch: process.arch,
    cpu: (list[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ').trim(),
    cores: list.length,
    availableParallelism: availableParallelism(),
    memoryGiB: round2(totalmem() / 2 ** 30),
    loadAverage: [round2(one), round2(five), round2(fifteen)],
    date: now.toISOString(),
    nodeFlags: timingFlags(process.execArgv),
  };
}

/** One line for a README or a console header: `Node v20.19.0 (OpenSSL 3.0.15), AMD EPYC, 2 cores, linux x64, 2025-01-31`. */
export function describeMachine(machine: Machine): string {
  return (
    `Node ${machine.node} (OpenSSL ${machine.openssl}), ${machine.cpu}, ${machine.cores} ` +
    `${machine.cores === 1 ? 'core' : 'cores'}, ${machine.memoryGiB} GiB, ${machine.platform} ${machine.arch}, ` +
    `${machine.date.slice(0, 10)}` +
    (machine.nodeFlags?.length ? `; node ${machine.nodeFlags.join(' ')}` : '')
  );
}
