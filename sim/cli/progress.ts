// Progress of a long run on stderr: how far through simulated time, events per second, and an ETA. Only when
// stderr is a terminal: in a pipe, a CI log or a test, a redrawn bar is noise, so the reporter is silent and
// the closing summary line is the only output.

import { performance } from 'node:perf_hooks';
import cliProgress from 'cli-progress';

/** What a runner calls while it runs; the CLI gives it one per run. */
export interface ProgressReporter {
  /** The run begins; it will cover `totalSimSeconds` of simulated time. */
  start(totalSimSeconds: number): void;
  /** Simulated time reached and events processed so far. Cheap, but call it every few thousand events, not each. */
  update(simTime: number, events: number): void;
  /** The run is over (also after a failure): finish the bar and free the line. */
  stop(): void;
}

export const silentProgress: ProgressReporter = Object.freeze({ start() {}, update() {}, stop() {} });

export interface ProgressOptions {
  /** Where to draw; default process.stderr. Nothing is drawn unless `isTTY` is true. */
  readonly stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Shown before the bar, e.g. `quickstart` or `double-spend fraud.0.payees=4 rep 2 (7/20)`. */
  readonly title?: string;
}

/** A bar when the stream is a terminal, `silentProgress` otherwise. */
export function createProgress(options: ProgressOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  if (stream.isTTY !== true) return silentProgress;
  const title = options.title === undefined ? '' : `${options.title} `;
  const bar = new cliProgress.SingleBar(
    {
      stream: stream as NodeJS.WriteStream,
      format: `${title}{bar} {percentage}% | sim {sim}/{total_sim} | {rate} ev/s | ETA {eta_formatted}`,
      barsize: 24,
      fps: 5,
      etaBuffer: 50,
      hideCursor: false,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = 0;
  let total = 0;
  let running = false;
  return {
    start(totalSimSeconds) {
      total = totalSimSeconds;
      started = performance.now();
      running = true;
      bar.start(total, 0, { sim: formatDays(0), total_sim: formatDays(total), rate: '-' });
    },
    update(simTime, events) {
      if (!running) return;
      const seconds = (performance.now() - started) / 1000;
      bar.update(Math.min(simTime, total), { sim: formatDays(simTime), rate: seconds > 0 ? formatCount(events / seconds) : '-' });
    },
    stop() {
      if (!running) return;
      running = false;
      bar.stop();
    },
  };
}

/** Simulated time in days with one decimal: `3.2d`. */
function formatDays(seconds: number): string {
  return `${(seconds / 86400).toFixed(1)}d`;
}

/** 950, 12.3k, 4.56M. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '-';
  if (n < 1000) return n.toFixed(0);
  if (n < 1e6) return `${(n / 1e3).toPrecision(3)}k`;
  return `${(n / 1e6).toPrecision(3)}M`;
}
