// What every chart shares: the Chart record a page embeds, the look (system fonts, quiet axes, one palette), and
// the axis helpers. Kept apart so each family of charts (run, fraud, set, benchmark) is its own small file.

import type { TopLevelSpec } from 'vega-lite';
import { toDays } from './format.ts';
import type { Run } from './load.ts';

export interface Chart {
  /** Unique on a page; letters, digits and dashes (it prefixes the SVG's element ids). */
  readonly id: string;
  readonly title: string;
  /** One or two sentences with the numbers the chart shows. */
  readonly caption: string;
  readonly spec: TopLevelSpec;
  /** Takes the page's full width (the default is half, two charts side by side on a wide screen). */
  readonly wide?: boolean;
}

export type Row = Record<string, string | number | null>;

/** System fonts only: the page loads nothing. */
export const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

const CONFIG = {
  font: FONT,
  background: 'white',
  padding: 8,
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', titleColor: '#333', labelColor: '#444', gridColor: '#ececec', domainColor: '#999', tickColor: '#999' },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', orient: 'bottom', direction: 'horizontal', columns: 2, symbolStrokeWidth: 3, symbolOpacity: 1, labelLimit: 320, titleLimit: 400 },
  header: { labelFontSize: 12, titleFontSize: 12, labelFontWeight: 'bold', labelColor: '#333' },
  title: { fontSize: 13, fontWeight: 'bold', anchor: 'start', color: '#222', subtitleColor: '#555', subtitleFontSize: 11 },
} as const;

/** A half-width chart's plot area, in pixels. */
export const WIDTH = 340;
export const HEIGHT = 220;

/** SI-prefixed tick labels (800k, 1.2M) that read 0 as 0, not 0k. */
export const SI = { labelExpr: "abs(datum.value) >= 1000 ? format(datum.value, '~s') : format(datum.value, '~r')" } as const;

/** The shared look, put first so a spec may override any of it. */
export function withConfig(spec: Record<string, unknown>): TopLevelSpec {
  return { config: CONFIG, ...spec } as TopLevelSpec;
}

/** Simulated days from 0 to the end of the run, so every time chart of a run lines up. */
export function dayAxis(run: Run) {
  return { field: 'day', type: 'quantitative', title: 'simulated day', scale: { domain: [0, toDays(run.results.simulatedSeconds)], nice: false } } as const;
}

