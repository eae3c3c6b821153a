// Durations and times in scenario files. The simulator counts seconds (sim/engine/time.ts), but nobody reads
// 7776000 as ninety days, so a file may write `90d`, `6h`, `30m`, `45s`, `2w` or a sum such as `1d12h`; a bare
// number is seconds. Parsing to seconds here means the rest of the code never sees a unit.

const UNIT_SECONDS: Readonly<Record<string, number>> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };

const WHOLE = /^(?:\d+(?:\.\d+)?[wdhms])+$/;
const PART = /(\d+(?:\.\d+)?)([wdhms])/g;

/**
 * Seconds for a duration string (`90d`, `1d12h`, `0.5h`), or undefined if it is not one. A leading minus is
 * parsed (`-1d` is -86400) so that the caller can say "must not be negative" rather than "not a duration".
 */
export function parseDuration(text: string): number | undefined {
  const compact = text.replace(/\s+/g, '');
  const sign = compact.startsWith('-') ? -1 : 1;
  const body = sign < 0 ? compact.slice(1) : compact;
  if (!WHOLE.test(body)) return undefined;
  let total = 0;
  for (const [, amount, unit] of body.matchAll(PART)) total += Number(amount) * UNIT_SECONDS[unit!]!;
  return Number.isFinite(total) ? sign * total : undefined;
}

/** The shortest exact spelling of a number of seconds in the largest units: 90d, 1d12h, 45s, 0.5s. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return String(seconds);
  if (seconds === 0) return '0s';
  let rest = seconds;
  let out = '';
  for (const [unit, size] of Object.entries(UNIT_SECONDS)) {
    if (unit === 'w') continue; // `14d` reads better than `2w` in a table of days
    const n = unit === 's' ? rest : Math.floor(rest / size);
    if (n > 0) {
      out += `${unit === 's' ? Number(n.toFixed(3)) : n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** What a duration field accepts, for error messages. */
export const DURATION_HINT = "seconds as a number, or a string like '90d', '6h', '30m', '45s' or '1d12h'";
