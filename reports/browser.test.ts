// Every shipped scenario's report, opened in a real browser: headless Chromium (Debian's `chromium`, driven by
// playwright-core) loads the page from disk with no console error and no request beyond the file itself, and
// every chart's SVG has a size and drawn marks. Screenshots go to reports/out/screenshots/ for a human to look at.
// The scenarios run shrunk (reports/testing.ts): the report's shapes are the shipped ones, the scale is not.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { writeReport } from './html.ts';
import { findRunDirs } from './load.ts';
import { shippedScenarios, writeScenarioRuns } from './testing.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('./out/screenshots/', import.meta.url));
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Drawn {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  /** Mark elements (paths, lines, rects, symbols, text) with a non-empty box. */
  readonly marks: number;
}

async function check(browser: Browser, html: string, screenshot: string): Promise<Drawn[]> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  try {
    const url = pathToFileURL(html).href;
    const response = await page.goto(url, { waitUntil: 'load' });
    assert.ok(response === null || response.ok(), `${html} loaded`);
    assert.deepEqual(errors, [], `${html}: console errors`);
    assert.deepEqual(requests.filter((r) => r !== url && !r.startsWith('data:')), [], `${html}: fetched nothing else`);
    const drawn = await page.$$eval('figure.chart', (figures) =>
      figures.map((figure) => {
        const svg = figure.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        const marks = svg === null ? [] : [...svg.querySelectorAll('g.role-mark > *')];
        const visible = marks.filter((m) => {
          const b = (m as unknown as { getBBox(): { width: number; height: number } }).getBBox();
          return b.width + b.height > 0;
        });
        return { id: figure.getAttribute('data-chart') ?? '?', width: box?.width ?? 0, height: box?.height ?? 0, marks: visible.length };
      }),
    );
    const specs = await page.$$eval('script.vega-lite-spec', (scripts) => scripts.map((s) => JSON.parse(s.textContent ?? 'null') !== null).length);
    assert.equal(specs, drawn.length, `${html}: a spec beside every chart`);
    await page.screenshot({ path: screenshot, fullPage: true });
    return drawn;
  } finally {
    await page.close();
  }
}

test("every shipped scenario's report renders in headless Chromium", async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip(`chromium not installed: apt-get install -y chromium (looked for ${CHROMIUM})`);
    return;
  }
  const root = mkdtempSync(join(tmpdir(), 'ecashsim-browser-test-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    for (const file of shippedScenarios()) {
      const name = file.replace(/\.(ya?ml|json)$/, '');
      await t.test(name, async () => {
        const out = await writeScenarioRuns(file, root);
        const runs = findRunDirs(out);
        // The scenario's page (a set page for a sweep), and the page of its first run.
        const pages = [await writeReport([out])];
        if (runs.length > 1 && runs[0] !== undefined) pages.push(await writeReport([runs[0]]));
        for (const [i, html] of pages.entries()) {
          const drawn = await check(browser, html, join(SCREENSHOTS, `${name}${i === 0 ? '' : '-run'}.png`));
          assert.ok(drawn.length >= 3, `${html}: ${drawn.length} charts`);
          for (const d of drawn) {
            assert.ok(d.width > 0 && d.height > 0, `${name}: chart ${d.id} has no size`);
            assert.ok(d.marks > 0, `${name}: chart ${d.id} drew no marks`);
          }
        }
      });
    }
  } finally {
    await browser.close();
    rmSync(root, { recursive: true, force: true });
  }
});
