// The report generator on a real small run: the numbers the page states are the numbers in results.json, every
// chart is an SVG with its spec beside it, the page names no URL, and bad input is refused naming the path.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { smallConfig } from '../sim/model/testing.ts';
import { writeRunFiles } from '../sim/output.ts';
import { simulate } from '../sim/simulate.ts';
import { databaseChart, runCharts, throughputChart } from './charts.ts';
import { reportCommand, parseReportArgs } from './cli.ts';
import { fraudFacts, headline } from './facts.ts';
import { formatBytes, formatRatio, formatSimTime, formatYen } from './format.ts';
import { fraudTimelineChart, latencyChart, lossChart } from './fraud-charts.ts';
import { groupRuns } from './groups.ts';
import { buildReport, writeReport } from './html.ts';
import { findRunDirs, loadRun, parseResults, parseTimeseries, ReportInputError, type Run, type RunResults } from './load.ts';
import { prefixIds, renderSvg } from './render.ts';
import { schemeChart, sweepSummaryChart, sweepTimeChart } from './set-charts.ts';
import { meanInterval, median, quantile, tQuantile975 } from './stats.ts';
import { headlineText, runFindings } from './summary.ts';

const DAY = 86_400;
const root = mkdtempSync(join(tmpdir(), 'ecashsim-report-test-'));
after(() => rmSync(root, { recursive: true, force: true }));

// A week of 20 users with every kind of fraud: small enough for a few seconds, large enough that frauds cost money.
const simulated = await simulate(smallConfig({ users: 20, shops: 4 }));
const runDir = join(root, 'run');
writeRunFiles(runDir, { results: simulated.results, samples: simulated.model.samples });
const run = loadRun(runDir);
const r = run.results;

/** The run again, under another directory, with results changed: a replication or a sweep point. */
function variant(name: string, patch: (r: RunResults) => RunResults): Run {
  const dir = join(root, name);
  writeRunFiles(dir, { results: patch(structuredClone(r)), samples: simulated.model.samples });
  return loadRun(dir);
}

/** A single-view chart's inline data. */
function valuesOf(chart: { spec: unknown }): unknown[] {
  return (chart.spec as { data: { values: unknown[] } }).data.values;
}

function withRatio(x: RunResults, ratio: number): RunResults {
  return { ...x, issuerDatabase: { ...x.issuerDatabase, baselineOverProposed: ratio } };
}

test('statistics: Student t intervals, clipped at a floor; type-7 quantiles', () => {
  assert.equal(tQuantile975(1), 12.706);
  assert.equal(tQuantile975(100), 1.96);
  const ci = meanInterval([1, 2, 3]);
  assert.equal(ci.mean, 2);
  assert.equal(ci.sd, 1);
  assert.ok(Math.abs(ci.hi - (2 + 4.303 / Math.sqrt(3))) < 1e-12);
  assert.ok(Math.abs(ci.lo - (2 - 4.303 / Math.sqrt(3))) < 1e-12);
  assert.equal(meanInterval([1, 2, 3], 0).lo, 0);
  assert.deepEqual(meanInterval([5]), { n: 1, mean: 5, sd: 0, lo: 5, hi: 5 });
  assert.throws(() => meanInterval([]), RangeError);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(quantile([0, 10], 0.25), 2.5);
});

test('formats: ratios, bytes, yen and simulated times', () => {
  assert.equal(formatRatio(0.14838709677419354), '0.15×');
  assert.equal(formatRatio(6.73), '6.7×');
  assert.equal(formatRatio(99.6), '100×');
  assert.equal(formatRatio(12345), '12,345×');
  assert.equal(formatBytes(634_880), '635 kB');
  assert.equal(formatBytes(94_208), '94.2 kB');
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatYen(53453), '¥53,453');
  assert.equal(formatSimTime(153544.98), '1 d 18:39');
});

test('the headline ratio is results.issuerDatabase.baselineOverProposed, at the end of the run', () => {
  const expected = r.issuerDatabase.baselineOverProposed;
  assert.notEqual(expected, null);
  assert.equal(headline(r).ratio, expected);
  assert.equal(headline(r).t, r.simulatedSeconds);
  assert.equal(headlineText(r), `baseline / proposed = ${formatRatio(expected as number)} at day 7`);
  assert.equal(r.issuerDatabase.baseline.now.bytes / r.issuerDatabase.proposed.now.bytes, expected);
});

test('database chart: one series per store from timeseries.csv, linear and log panels', () => {
  const chart = databaseChart(run, 'bytes');
  assert.ok(chart);
  const spec = chart.spec as unknown as { data: { values: Array<Record<string, number | string>> }; hconcat: Array<{ encoding: { y: { scale: { type?: string } } } }> };
  assert.equal(spec.hconcat.length, 2);
  assert.equal(spec.hconcat[0]?.encoding.y.scale.type, undefined);
  assert.equal(spec.hconcat[1]?.encoding.y.scale.type, 'log');
  const samples = simulated.model.samples;
  const last = samples[samples.length - 1];
  assert.ok(last);
  const at = (store: string) => spec.data.values.filter((v) => v['store'] === store).map((v) => v['bytes']);
  assert.equal(at('proposed (live)').length, samples.length);
  assert.equal(at('proposed (live)').at(-1), last.proposed.bytes);
  assert.equal(at('deposit-all-coins baseline').at(-1), last.baseline.bytes);
  assert.equal(at('epoch-pruned').at(-1), last.epochPruned.bytes);
  assert.equal(at('proposed archive').at(-1), last.archive.bytes);
});

test('throughput chart: wall-clock rates from performance.progress; the simulated load alone without it', () => {
  const p = r.performance.progress;
  assert.ok(p !== null && p.t.length >= 2, 'the run recorded wall-clock progress');
  assert.equal(p.wallSeconds.length, p.t.length);
  assert.equal(p.payments.at(-1), r.counts.payments, 'the last progress slice has every payment');
  const rows = valuesOf(throughputChart(run)!) as { series: string; rate: number }[];
  const paid = rows.filter((v) => v.series === 'payments per wall-clock second');
  assert.ok(paid.length > 0 && rows.some((v) => v.series === 'signatures per wall-clock second'));
  assert.ok(paid.every((v) => Number.isFinite(v.rate) && v.rate >= 0));

  const older = variant('no-progress', (x) => ({ ...x, performance: { ...x.performance, progress: null } }));
  const chart = throughputChart(older)!;
  const series = new Set((valuesOf(chart) as { series: string }[]).map((v) => v.series));
  assert.deepEqual([...series], ['payments per simulated hour']);
  assert.match(chart.caption, /no wall-clock progress/);
});

test('fraud charts: every detection, latency and loss in the charts is the one in results.json', () => {
  const facts = fraudFacts(r);
  assert.ok(facts.overspends.length >= 2, 'the small model injects overspends');
  const timeline = fraudTimelineChart(run);
  assert.ok(timeline);
  const points = (timeline.spec as unknown as { layer: Array<{ data: { values: Array<Record<string, unknown>> } }> }).layer[2]?.data.values ?? [];
  for (const rule of ['paper', 'tree'] as const) {
    const detected = r.frauds.filter((f) => f.detected[rule] !== null);
    const drawn = points.filter((p) => p['event'] === `detected (${rule})`);
    assert.equal(drawn.length, detected.length, rule);
    assert.deepEqual(drawn.map((p) => p['day']), detected.map((f) => (f.detected[rule] as number) / DAY));
  }
  assert.equal(points.filter((p) => p['event'] === 'injected').length, r.frauds.length);

  const latency = latencyChart(run);
  assert.ok(latency);
  const hours = (latency.spec as unknown as { data: { values: Array<{ rule: string; hours: number }> } }).data.values;
  const expected = facts.overspends.flatMap((f) => (['paper', 'tree'] as const).flatMap((rule) => (f.latency[rule] === null ? [] : [{ rule, hours: (f.latency[rule] as number) / 3600 }])));
  assert.deepEqual(hours.map((h) => ({ rule: h.rule, hours: h.hours })), expected);

  const loss = lossChart(run);
  assert.ok(loss);
  const yen = (loss.spec as unknown as { data: { values: Array<{ phase: string; yen: number }> } }).data.values;
  assert.equal(yen.filter((v) => v.phase === 'before detection').reduce((s, v) => s + v.yen, 0), facts.overspends.reduce((s, f) => s + f.lossBeforeDetection, 0));
  assert.equal(facts.loss, r.money.fraudulent);
});

test('summary: findings state the stores, the frauds and the throughput with the run\'s own numbers', () => {
  const text = runFindings(run).join('\n');
  const db = r.issuerDatabase;
  assert.match(text, new RegExp(`baseline holds ${formatBytes(db.baseline.now.bytes)}`));
  assert.match(text, new RegExp(`proposed live store ${formatBytes(db.proposed.now.bytes)}`));
  const f = fraudFacts(r);
  assert.match(text, new RegExp(`${f.injected} frauds injected: payees accepted ${f.overspends.length} overspends`));
  assert.match(text, new RegExp(`paper found ${f.detected.paper} of ${f.overspends.length}`));
  assert.match(text, new RegExp(`tree found ${f.detected.tree} of ${f.overspends.length}`));
  assert.ok(text.includes(`Loss before detection ${formatYen(f.lossBeforeDetection)}`));
  assert.match(text, /Money is conserved/);
  assert.match(text, new RegExp(`${r.counts.payments.toLocaleString('en-US')} payments in`));
  assert.ok(text.includes(`peak memory ${formatBytes(r.performance.peakRssBytes)}`));
  const standIns = runFindings({ ...run, results: { ...r, signatures: 'fixed-cost' } as RunResults }).join('\n');
  assert.match(standIns, /signatures: fixed-cost, stand-ins, so these rates are not the schemes'/);
});

test('the page: one inline SVG per chart with its Vega-Lite spec and data beside it, no URL anywhere', async () => {
  const html = await buildReport([run], { pageDir: runDir, crypto: null });
  const charts = runCharts(run);
  assert.ok(charts.length >= 7, `charts: ${charts.map((c) => c.id).join(', ')}`);
  const figures = [...html.matchAll(/<figure class="chart[^"]*" id="chart-([^"]+)"[\s\S]*?<\/figure>/g)];
  assert.deepEqual(figures.map((m) => m[1]).sort(), charts.map((c) => c.id).sort());
  for (const [figure, id] of figures.map((m) => [m[0], m[1]] as const)) {
    assert.equal(figure.match(/<svg[\s>]/g)?.length, 1, `${id}: one svg`);
    assert.match(figure, /class="mark-[a-z]+ role-mark/, `${id}: marks drawn`);
    const json = figure.match(/<script type="application\/json" class="vega-lite-spec" data-chart="[^"]+">([\s\S]*?)<\/script>/)?.[1];
    assert.ok(json, `${id}: spec embedded`);
    const spec = JSON.parse(json) as unknown;
    assert.deepEqual(spec, JSON.parse(JSON.stringify(charts.find((c) => c.id === id)?.spec)), `${id}: the embedded spec is the chart's, data included`);
  }
  assert.doesNotMatch(html, /https?:\/\//, 'no URL at all');
  assert.doesNotMatch(html, /\s(src|href)="(?!#|data:)[^"]*:\/\//);
  assert.doesNotMatch(html, /<script[^>]*\ssrc=/);
  const big = html.match(/<div class="big">([^<]*)<\/div>/)?.[1];
  assert.equal(big, headlineText(r));
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, ids.length, 'element ids are unique across the inline SVGs');
});

test('SVG ids are prefixed with their references, so several charts on a page never share a clip', async () => {
  assert.equal(prefixIds('<clipPath id="clip1"/><g clip-path="url(#clip1)"/><use href="#clip1"/>', 'c'), '<clipPath id="c-clip1"/><g clip-path="url(#c-clip1)"/><use href="#c-clip1"/>');
  const svg = await renderSvg({ data: { values: [{ x: 1 }] }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' } } }, 'one', { standalone: true });
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, 'a standalone file keeps its namespace');
  await assert.rejects(renderSvg({ data: { url: 'https://example.invalid/x.csv' }, mark: 'point' }, 'net'), /chart net: data .* names a URL/);
});

test('a sweep: values in numeric order, a 95% interval over replications, one line per value over time', () => {
  const runs = [4, 2].flatMap((payees) =>
    [0, 1, 2].map((rep) => variant(`sweep/p${payees}/r${rep}`, (x) => ({ ...withRatio(x, payees + rep), sweep: { parameter: 'fraud[0].payees', value: payees, replication: rep } }))),
  );
  const [group] = groupRuns(runs);
  assert.ok(group);
  assert.deepEqual(group.values.map((v) => v.label), ['2', '4']);
  const chart = sweepSummaryChart(group, 's');
  assert.ok(chart);
  const rows = (chart.spec as unknown as { data: { values: Array<Record<string, unknown>> } }).data.values.filter((v) => v['metric'] === 'baseline / proposed at the end (×)');
  const ci = meanInterval([2, 3, 4], 0);
  assert.deepEqual(rows[0], { metric: 'baseline / proposed at the end (×)', label: '2', x: 2, mean: ci.mean, lo: ci.lo, hi: ci.hi, n: 3 });
  const time = sweepTimeChart(group, 'proposed_bytes', 'proposed', 't');
  assert.ok(time);
  const lines = (time.spec as unknown as { data: { values: Array<Record<string, unknown>> } }).data.values;
  assert.equal(lines.length, 2 * simulated.model.samples.length);
  assert.equal(schemeChart(group, 'k'), null, 'one key suite: no per-scheme chart');
});

test('per key scheme: runs are grouped by results.keys.card, with the bank appended when cards collide', () => {
  const suites = [
    { ra: 'ed25519', issuer: 'ed25519', bank: 'rsa-blind', card: 'ed25519' },
    { ra: 'p256', issuer: 'p256', bank: 'rsa-blind', card: 'p256' },
  ];
  const runs = suites.map((keys, i) => variant(`keys/${i}`, (x) => ({ ...x, keys, sweep: { parameter: 'keys', value: keys, replication: 0, point: i } })));
  const [group] = groupRuns(runs);
  assert.deepEqual(group?.schemes.map((s) => s.label), ['ed25519', 'p256']);
  assert.deepEqual(group?.values.map((v) => v.label), ['ed25519', 'p256']);
  assert.ok(group && schemeChart(group, 'k'));
  const clash = variant('keys/2', (x) => ({ ...x, keys: { ...suites[0]!, bank: 'bls-blind' }, sweep: { parameter: 'keys', value: {}, replication: 0, point: 2 } }));
  const [g2] = groupRuns([...runs, clash]);
  assert.deepEqual(g2?.schemes.map((s) => s.label), ['ed25519 · rsa-blind', 'p256 · rsa-blind', 'ed25519 · bls-blind']);
});

test('input is checked at the edge: the error names the file and the field', () => {
  assert.throws(() => parseResults('{', 'x/results.json'), (e: unknown) => e instanceof ReportInputError && e.path === 'x/results.json' && /not valid JSON/.test(e.problem));
  const broken = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as Record<string, unknown>;
  delete (broken['issuerDatabase'] as Record<string, unknown>)['baseline'];
  assert.throws(() => parseResults(JSON.stringify(broken), 'y/results.json'), /y\/results\.json: field issuerDatabase\.baseline\.now\.bytes must be number \(missing\)/);
  assert.throws(() => parseTimeseries('t,a\n0,1\n1,x\n', 'ts.csv'), /ts\.csv: line 3, column a: not a number/);
  assert.throws(() => parseTimeseries('day,t\n', 'ts.csv'), /first column must be t/);
  assert.throws(() => findRunDirs(join(root, 'nope')), /nope: no such directory/);
  assert.deepEqual(findRunDirs(join(root, 'sweep')).length, 6, 'a sweep root: every run below it');
});

test('reportCommand: exit 2 naming the path for bad input, 0 and the path printed when written', async () => {
  const lines: string[] = [];
  const io = { out: (l: string) => lines.push(`out ${l}`), err: (l: string) => lines.push(`err ${l}`) };
  assert.equal(await reportCommand([join(root, 'missing')], {}, io), 2);
  assert.match(lines.pop() ?? '', /^err ecashsim report: .*missing: no such directory/);
  const empty = join(root, 'empty');
  mkdirSync(empty);
  assert.equal(await reportCommand([empty], {}, io), 2);
  assert.match(lines.pop() ?? '', new RegExp(`no results\\.json here or below \\(expected ${join(empty, 'results.json').replace(/[.]/g, '\\.')}`));
  assert.equal(await reportCommand([runDir, join(root, 'keys')], {}, io), 2);
  assert.match(lines.pop() ?? '', /--html FILE/);
  assert.equal(await reportCommand([], {}, io), 2);

  assert.equal(await reportCommand([runDir], {}, io), 0);
  assert.equal(lines.pop(), `out ${join(runDir, 'index.html')}`);
  assert.ok(existsSync(join(runDir, 'index.html')));
  assert.deepEqual(readdirSync(runDir).filter((f) => f.includes('.tmp')), [], 'written by rename, no temp file left');

  const set = join(root, 'set.html');
  assert.equal(await writeReport([join(root, 'sweep'), join(root, 'keys')], set), set);
  const html = readFileSync(set, 'utf8');
  assert.doesNotMatch(html, /https?:\/\//);
  assert.match(html, /sweep over fraud\[0\]\.payees/);
  assert.match(html, /per key scheme/);

  assert.deepEqual(parseReportArgs(['a', '--html', 'x.html', 'b']), { dirs: ['a', 'b'], html: 'x.html' });
  assert.deepEqual(parseReportArgs(['--html=y.html', 'a']), { dirs: ['a'], html: 'y.html' });
  assert.match(String(parseReportArgs(['--bogus'])), /unknown option --bogus/);
});

test('a run without timeseries.csv still gets a page, which says why the time charts are missing', async () => {
  const dir = join(root, 'no-series');
  mkdirSync(dir);
  writeFileSync(join(dir, 'results.json'), readFileSync(join(runDir, 'results.json')));
  const bare = loadRun(dir);
  assert.equal(bare.series, null);
  const html = await buildReport([bare], { pageDir: dir, crypto: null });
  assert.match(html, /wrote no timeseries\.csv/);
  assert.ok(html.includes('id="chart-fraud-timeline"'));
  assert.ok(!html.includes('id="chart-database-bytes"'));
});
