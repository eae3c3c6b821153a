// The HTML page: one self-contained file, readable offline and in ten years. No script runs in it; the charts are
// inline SVG, and each chart's Vega-Lite spec (data included) sits beside its SVG in a JSON script block for
// anyone who wants to re-plot. No URL appears anywhere: no fonts, styles or images are fetched.

import type { Chart } from './charts.ts';

export interface RenderedChart {
  readonly chart: Chart;
  readonly svg: string;
}

export interface Table {
  readonly caption: string;
  readonly columns: readonly string[];
  /** Right-align these columns (numbers). */
  readonly numeric?: readonly boolean[];
  /** Cells are text; a cell given as `{ text, href }` becomes a relative link. */
  readonly rows: ReadonlyArray<ReadonlyArray<string | { readonly text: string; readonly href: string }>>;
}

export type Block =
  | { readonly kind: 'chart'; readonly chart: RenderedChart }
  | { readonly kind: 'table'; readonly table: Table }
  | { readonly kind: 'text'; readonly text: string };

export interface Section {
  readonly id: string;
  readonly title: string;
  readonly blocks: readonly Block[];
}

export interface Page {
  readonly title: string;
  readonly subtitle: string;
  /** The large-type number and the sentence under it; null to leave the headline out. */
  readonly headline: { readonly big: string; readonly small: string } | null;
  /** What was run: label, value pairs. */
  readonly meta: ReadonlyArray<readonly [string, string]>;
  readonly findings: readonly string[];
  readonly sections: readonly Section[];
  readonly footer: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON safe inside <script>: no `</script>`, no `<!--`, no line separators that end a JS string. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A link is only ever relative: anything with a scheme or starting with // is shown as text. */
function safeHref(href: string): string | null {
  return /^[a-z][a-z0-9+.-]*:|^\/\//i.test(href) ? null : href;
}

const CSS = `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5b5b60; --line: #e3e3e6; --accent: #1f63b4; --bg: #fafafa; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 28px 24px 48px; }
header h1 { font-size: 26px; margin: 0 0 2px; letter-spacing: -0.01em; }
header .subtitle { color: var(--muted); margin: 0 0 18px; }
.headline { background: #fff; border: 1px solid var(--line); border-left: 6px solid var(--accent); border-radius: 8px; padding: 16px 22px; margin: 0 0 18px; }
.headline .big { font-size: 40px; font-weight: 700; line-height: 1.15; letter-spacing: -0.02em; font-variant-numeric: tabular-nums; }
.headline .small { color: var(--muted); margin-top: 4px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 0 0 18px; font-size: 13.5px; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 18px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
section { margin-top: 30px; }
h2 { font-size: 20px; margin: 0 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.findings { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 18px 12px 34px; margin: 0; }
.findings li { margin: 3px 0; font-variant-numeric: tabular-nums; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 16px; align-items: start; }
figure.chart { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; overflow-x: auto; }
figure.chart.wide { grid-column: 1 / -1; }
figure.chart h3 { font-size: 15px; margin: 0 0 6px; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figure.chart figcaption { color: var(--muted); font-size: 13px; margin-top: 6px; }
p.text { color: var(--muted); margin: 8px 0; }
.table-wrap { grid-column: 1 / -1; overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
table { border-collapse: collapse; font-size: 13px; width: 100%; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 2px 0 8px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
th { font-weight: 600; color: var(--muted); }
td.num, th.num { text-align: right; }
a { color: var(--accent); }
footer { margin-top: 36px; color: var(--muted); font-size: 12.5px; }
code { font-size: 12.5px; background: #f0f0f2; padding: 1px 4px; border-radius: 3px; }
@media (max-width: 600px) { .grid { grid-template-columns: 1fr; } .headline .big { font-size: 30px; } }
`;

function chartHtml({ chart, svg }: RenderedChart): string {
  return [
    `<figure class="chart${chart.wide ? ' wide' : ''}" id="chart-${escapeHtml(chart.id)}" data-chart="${escapeHtml(chart.id)}">`,
    `<h3>${escapeHtml(chart.title)}</h3>`,
    `<div class="svg">${svg}</div>`,
    `<figcaption>${escapeHtml(chart.caption)}</figcaption>`,
    `<script type="application/json" class="vega-lite-spec" data-chart="${escapeHtml(chart.id)}">${scriptJson(chart.spec)}</script>`,
    `</figure>`,
  ].join('\n');
}

function tableHtml(t: Table): string {
  const cls = (i: number) => (t.numeric?.[i] ? ' class="num"' : '');
  const cell = (c: string | { text: string; href: string }, i: number) => {
    if (typeof c === 'string') return `<td${cls(i)}>${escapeHtml(c)}</td>`;
    const href = safeHref(c.href);
    return `<td${cls(i)}>${href === null ? escapeHtml(c.text) : `<a href="${escapeHtml(href)}">${escapeHtml(c.text)}</a>`}</td>`;
  };
  return [
    '<div class="table-wrap"><table>',
    `<caption>${escapeHtml(t.caption)}</caption>`,
    `<thead><tr>${t.columns.map((c, i) => `<th${cls(i)}>${escapeHtml(c)}</th>`).join('')}</tr></thead>`,
    `<tbody>${t.rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('\n')}</tbody>`,
    '</table></div>',
  ].join('\n');
}

function blockHtml(b: Block): string {
  switch (b.kind) {
    case 'chart':
      return chartHtml(b.chart);
    case 'table':
      return tableHtml(b.table);
    case 'text':
      return `<p class="text" style="grid-column: 1 / -1">${escapeHtml(b.text)}</p>`;
  }
}

export function renderPage(p: Page): string {
  const headline =
    p.headline === null
      ? ''
      : `<div class="headline"><div class="big">${escapeHtml(p.headline.big)}</div><div class="small">${escapeHtml(p.headline.small)}</div></div>`;
  const meta = p.meta.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('\n');
  const findings = p.findings.map((f) => `<li>${escapeHtml(f)}</li>`).join('\n');
  const sections = p.sections
    .filter((s) => s.blocks.length > 0)
    .map((s) => `<section id="${escapeHtml(s.id)}">\n<h2>${escapeHtml(s.title)}</h2>\n<div class="grid">\n${s.blocks.map(blockHtml).join('\n')}\n</div>\n</section>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)}</title>
<link rel="icon" href="data:,">
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(p.title)}</h1>
<p class="subtitle">${escapeHtml(p.subtitle)}</p>
${headline}
<dl class="meta">
${meta}
</dl>
</header>
<section id="findings">
<h2>Findings</h2>
<ul class="findings">
${findings}
</ul>
</section>
${sections}
<footer>${escapeHtml(p.footer)}</footer>
</main>
</body>
</html>
`;
}
