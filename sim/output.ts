// Writing a run's outputs so that a crash or a kill never leaves a half-written file: each file is written
// to a temporary name in the same directory and renamed over the final one (rename is atomic on POSIX).
import { mkdirSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sampleRow, TIMESERIES_COLUMNS, type Sample } from './model/metrics.ts';
import type { ProtocolEvent } from './model/model.ts';

export function writeFileAtomic(path: string, data: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  const fd = openSync(tmp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
}

/** JSON with bigints as strings and stable key order (insertion order of the builders). */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Set ? [...v].map(String) : v), 2)}\n`;
}

export function timeseriesCsv(samples: readonly Sample[]): string {
  return [TIMESERIES_COLUMNS.join(','), ...samples.map((s) => sampleRow(s).join(','))].join('\n') + '\n';
}

export function eventsNdjson(events: readonly ProtocolEvent[]): string {
  return events.map((e) => JSON.stringify(e)).join('\n') + (events.length > 0 ? '\n' : '');
}

export interface RunFiles {
  readonly results: unknown;
  readonly samples: readonly Sample[];
  readonly events?: readonly ProtocolEvent[];
}

/** Writes results.json last, so its presence marks a complete (or explicitly partial) output directory. */
export function writeRunFiles(outDir: string, files: RunFiles): void {
  writeFileAtomic(join(outDir, 'timeseries.csv'), timeseriesCsv(files.samples));
  if (files.events !== undefined) writeFileAtomic(join(outDir, 'events.ndjson'), eventsNdjson(files.events));
  writeFileAtomic(join(outDir, 'results.json'), toJson(files.results));
}
