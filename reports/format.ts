// How the report writes numbers. A reader compares figures across runs and pages, so each kind of quantity has
// one format everywhere: bytes in powers of 1000 with three significant digits, yen with thousands
// separators, simulated time as days and hours since the start of the run.

const DAY = 86_400;
const HOUR = 3_600;

/** 12,345 (no decimals); 0.15 for small magnitudes so a fraction never reads as 0. */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100 || Number.isInteger(value)) return Math.round(value).toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumSignificantDigits: 3 });
}

/** 634.9 kB, 1.23 MB, 512 B: SI units, as `ls -h --si` and disk vendors count. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${units[unit]}`;
}

/** ¥1,361,000 (yen have no minor unit). */
export function formatYen(yen: number): string {
  if (!Number.isFinite(yen)) return String(yen);
  return `¥${Math.round(yen).toLocaleString('en-US')}`;
}

/** A ratio as the headline shows it: 0.148 -> 0.15×, 6.73 -> 6.7×, 123.4 -> 123×, 12345 -> 12,345×. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return String(ratio);
  const abs = Math.abs(ratio);
  const text = abs >= 10 ? Math.round(ratio).toLocaleString('en-US') : abs >= 1 ? ratio.toFixed(1) : ratio.toPrecision(2);
  return `${text}×`;
}

/** 0.5 -> 50%, 0.0314 -> 3.1%, 1 -> 100%. */
export function formatShare(share: number): string {
  if (!Number.isFinite(share)) return String(share);
  const pct = share * 100;
  return `${pct >= 10 || pct === 0 ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

/** A rate per second: 98.2/s, 1,581/s. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return String(perSecond);
  const digits = Math.abs(perSecond) >= 100 ? 0 : Math.abs(perSecond) >= 10 ? 1 : 2;
  return `${perSecond.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}/s`;
}

/** A duration in simulated seconds: 45 s, 12 min, 18.7 h, 3.2 d. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  const abs = Math.abs(seconds);
  if (abs < 60) return `${Math.round(seconds)} s`;
  if (abs < HOUR) return `${Math.round(seconds / 60)} min`;
  if (abs < 2 * DAY) return `${(seconds / HOUR).toFixed(1)} h`;
  return `${(seconds / DAY).toFixed(1)} d`;
}

/** A moment of simulated time, as elapsed since the start: `1 d 18:39` (day 1 after the start, 18:39). */
export function formatSimTime(t: number): string {
  if (!Number.isFinite(t)) return String(t);
  const days = Math.floor(t / DAY);
  const rest = t - days * DAY;
  const h = Math.floor(rest / HOUR);
  const m = Math.floor((rest - h * HOUR) / 60);
  return `${days} d ${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** Day number with up to two decimals: 7, 6.25, 1.78. */
export function formatDay(t: number): string {
  const d = t / DAY;
  return Number.isInteger(d) ? String(d) : d.toFixed(2).replace(/0$/, '');
}

/** Seconds to days, the x axis of every time chart. */
export function toDays(t: number): number {
  return t / DAY;
}
