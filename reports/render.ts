// Vega-Lite spec -> SVG text, in Node, with no canvas and no network: Vega's headless View with `renderer: 'none'`
// draws the scenegraph to SVG markup, and a loader that refuses every load keeps a spec from fetching anything
// (every chart carries its data inline). Text widths are Vega's estimate without a canvas, close enough for
// labels in system sans-serif fonts.

import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

// Without a canvas Vega estimates every character at 0.8 em, which truncates long labels and leaves wide margins.
// Widths per character class of DejaVu Sans (the widest common sans-serif, and Linux's default), rounded up, are
// closer for every system font and still err on the wide side. Vega calls a user-set textMetrics.width for both
// layout and label truncation (vl-convert sets it the same way).
const NARROW = new Set("il|!.,:;'`");
const SEMI = new Set('fjrt-()[]{}/\\ ');
const WIDE = new Set('mwMW%@×');

function charEm(c: string): number {
  if (NARROW.has(c)) return 0.32;
  if (SEMI.has(c)) return 0.42;
  if (WIDE.has(c)) return 0.95;
  if (c >= '0' && c <= '9') return 0.64;
  if (c >= 'A' && c <= 'Z') return 0.72;
  if (c >= 'a' && c <= 'z') return 0.6;
  return 0.68;
}

export function estimateTextWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const c of text) em += charEm(c);
  return Math.ceil(em * fontSize * (bold ? 1.1 : 1));
}

interface TextItem {
  readonly fontSize?: number;
  readonly fontWeight?: string | number;
  readonly limit?: number;
}

const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } }).textMetrics;
metrics.width = (item, text) => {
  const line = text === null || text === undefined ? '' : String(text).trim();
  const bold = item.fontWeight === 'bold' || (typeof item.fontWeight === 'number' && item.fontWeight >= 600);
  const width = estimateTextWidth(line, item.fontSize ?? 11, bold);
  return item.limit !== undefined && item.limit > 0 ? Math.min(width, item.limit) : width;
};

export class RenderError extends Error {
  override readonly name = 'RenderError';
  constructor(
    readonly chart: string,
    cause: unknown,
  ) {
    super(`chart ${chart}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** A loader that never touches the network or the file system: charts carry their data inline. */
function refusingLoader(): vega.Loader {
  const refuse = (uri: unknown) => Promise.reject(new Error(`report charts load nothing (asked for ${String(uri)})`));
  const base = vega.loader();
  return Object.assign(base, { load: refuse, sanitize: refuse, http: refuse, file: refuse });
}

export interface SvgOptions {
  /** Prefix for every element id in the SVG, so several inline SVGs on one page never share a clip or gradient id. */
  readonly idPrefix?: string;
  /**
   * Keep the `xmlns` attributes: a standalone .svg file needs them (an <img> will not draw an SVG without), inline
   * SVG in HTML does not, and the page is kept free of every URL.
   */
  readonly standalone?: boolean;
}

/** Refuses a Vega spec whose data (at any nesting of group marks) names a URL: a report chart carries its data. */
function assertInlineData(node: unknown, chart: string): void {
  if (node === null || typeof node !== 'object') return;
  const { data, marks } = node as { data?: unknown; marks?: unknown };
  if (Array.isArray(data)) {
    for (const d of data as Array<{ name?: string; url?: unknown }>) {
      if (d.url !== undefined) throw new RenderError(chart, `data ${d.name ?? '?'} names a URL (${String(d.url)}); report charts load nothing`);
    }
  }
  if (Array.isArray(marks)) for (const m of marks) assertInlineData(m, chart);
}

export async function renderSvg(spec: TopLevelSpec, id: string, options: SvgOptions = {}): Promise<string> {
  let svg: string;
  try {
    const vgSpec = compile(spec).spec;
    assertInlineData(vgSpec, id);
    const view = new vega.View(vega.parse(vgSpec), { renderer: 'none', loader: refusingLoader(), logLevel: vega.Warn });
    try {
      svg = await view.toSVG();
    } finally {
      view.finalize();
    }
  } catch (e) {
    throw e instanceof RenderError ? e : new RenderError(id, e);
  }
  if (options.idPrefix !== undefined) svg = prefixIds(svg, options.idPrefix);
  if (!options.standalone) svg = svg.replace(/\s+xmlns(:xlink)?="[^"]*"/g, '');
  return svg;
}

/** Renames `id="x"` to `id="<prefix>-x"` and every `url(#x)` / `href="#x"` reference with it. */
export function prefixIds(svg: string, prefix: string): string {
  const ids = new Set<string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) if (m[1] !== undefined) ids.add(m[1]);
  if (ids.size === 0) return svg;
  const rename = (id: string) => (ids.has(id) ? `${prefix}-${id}` : id);
  return svg
    .replace(/(\sid=")([^"]+)(")/g, (_m, a: string, id: string, b: string) => `${a}${rename(id)}${b}`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${rename(id)})`)
    .replace(/(href=")#([^"]+)(")/g, (_m, a: string, id: string, b: string) => `${a}#${rename(id)}${b}`);
}
