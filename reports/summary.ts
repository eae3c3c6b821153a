// The findings in plain language: what a reader would otherwise read off the charts, stated with the numbers
// (sizes, yen, hours, counts), never with adjectives. Each sentence comes from facts.ts, the same numbers the
// charts are drawn from.

import type { CryptoReport } from '../bench/crypto.ts';
import { fraudFacts, headline, RULES, type Rule, signatureMode } from './facts.ts';
import { formatBytes, formatCount, formatDay, formatDuration, formatRate, formatRatio, formatShare, formatYen } from './format.ts';
import type { ScenarioGroup } from './groups.ts';
import type { Run, RunResults } from './load.ts';
import { meanInterval, median } from './stats.ts';

/** The headline in words: `baseline / proposed = 6.7× at day 90`, or why there is no ratio. */
export function headlineText(r: RunResults): string {
  const h = headline(r);
  if (h.ratio === null) return `baseline / proposed: no ratio at day ${formatDay(h.t)} (the proposed store is empty)`;
  return `baseline / proposed = ${formatRatio(h.ratio)} at day ${formatDay(h.t)}`;
}

function ruleSentence(rule: Rule, found: number, of: number, latencies: readonly number[]): string {
  if (of === 0) return '';
  const base = `${rule} found ${found} of ${of}`;
  if (latencies.length === 0) return base;
  return `${base} (median ${formatDuration(median(latencies))} after the first fraudulent payment, longest ${formatDuration(Math.max(...latencies))})`;
}

export function runFindings(run: Run): string[] {
  const r = run.results;
  const db = r.issuerDatabase;
  const h = headline(r);
  const out: string[] = [];
  if (r.partial) out.push(`This run stopped early, at day ${formatDay(r.simulatedSeconds)}: every figure covers only that part.`);

  out.push(
    `At day ${formatDay(h.t)} the deposit-all-coins baseline holds ${formatBytes(db.baseline.now.bytes)} (${formatCount(db.baseline.now.rows)} rows) ` +
      `and the proposed live store ${formatBytes(db.proposed.now.bytes)} (${formatCount(db.proposed.now.rows)} rows)` +
      (h.ratio === null ? '.' : `: baseline / proposed = ${formatRatio(h.ratio)}.`),
  );
  out.push(
    `The proposed store's archive of fully returned coins adds ${formatBytes(db.proposedArchive.now.bytes)} (${formatCount(db.proposedArchive.now.rows)} rows); ` +
      `the epoch-pruned store holds ${formatBytes(db.epochPruned.now.bytes)} and lost ${formatYen(db.epochPruned.lostValue)} of unredeemed value.`,
  );
  out.push(
    `Peak sizes: proposed ${formatBytes(db.proposed.peak.bytes)} at day ${formatDay(db.proposed.peak.t)}, baseline ${formatBytes(db.baseline.peak.bytes)} at day ${formatDay(db.baseline.peak.t)}.`,
  );
  const issued = r.counts.valueIssued;
  out.push(
    `${formatYen(r.outstandingValue)} was outstanding at the end, ${issued > 0 ? formatShare(r.outstandingValue / issued) : 'none'} of the ${formatYen(issued)} issued in ` +
      `${formatCount(r.counts.coinsIssued)} coins; ${formatCount(r.counts.payments)} payments moved ${formatYen(r.counts.paymentValue)}.`,
  );

  const f = fraudFacts(r);
  if (f.injected === 0) {
    out.push('No fraud was injected.');
  } else {
    const refused = Object.entries(f.refusedBy)
      .map(([reason, n]) => `${reason} ×${n}`)
      .join(', ');
    out.push(
      `${f.injected} fraud${f.injected === 1 ? '' : 's'} injected: payees accepted ${f.overspends.length} overspend${f.overspends.length === 1 ? '' : 's'} ` +
        `worth ${formatYen(f.loss)}; ${f.refused.length} ${f.refused.length === 1 ? 'was' : 'were'} refused outright${refused === '' ? '' : ` (${refused})`}.`,
    );
    if (f.overspends.length > 0) {
      const rules = RULES.map((rule) => ruleSentence(rule, f.detected[rule], f.overspends.length, f.latencies[rule])).filter((s) => s !== '');
      out.push(`Detection: ${rules.join('; ')}. The RA named the culprit in ${f.named} of ${f.overspends.length}; false accusations: ${r.detection.falseAccusations}.`);
      out.push(`Loss before detection ${formatYen(f.lossBeforeDetection)}, after detection ${formatYen(f.lossAfterDetection)}.`);
    }
  }
  out.push(
    r.money.conserved
      ? 'Money is conserved: accounts plus cards equal the money created plus the fraudulent value accepted.'
      : 'Money is NOT conserved: accounts plus cards differ from the money created plus the fraudulent value; the run has a bug.',
  );
  const p = r.performance;
  const mode = signatureMode(r);
  out.push(
    `Throughput: ${formatCount(r.counts.payments)} payments in ${p.wallSeconds.toFixed(1)} s of wall time on ${p.threads} thread${p.threads === 1 ? '' : 's'}: ` +
      `${formatRate(p.paymentsPerSecond)} payments, ${formatRate(p.signaturesSignedPerSecond)} signatures signed, ${formatRate(p.signaturesVerifiedPerSecond)} verified` +
      (mode === 'real' ? '' : ` (signatures: ${mode}, stand-ins, so these rates are not the schemes')`) +
      (typeof p.peakRssBytes === 'number' ? `; peak memory ${formatBytes(p.peakRssBytes)}.` : '.'),
  );
  return out;
}

function describeInterval(xs: readonly number[], format: (x: number) => string): string {
  const ci = meanInterval(xs, 0);
  return ci.n === 1 ? format(ci.mean) : `${format(ci.mean)} (95% CI ${format(ci.lo)} to ${format(ci.hi)}, n = ${ci.n})`;
}

export function setFindings(groups: readonly ScenarioGroup[]): string[] {
  const out: string[] = [];
  for (const g of groups) {
    const n = g.runs.length;
    const partial = g.runs.filter((run) => run.results.partial).length;
    const what =
      g.parameter === null
        ? `${n} run${n === 1 ? '' : 's'} without a sweep`
        : `${n} runs sweeping ${g.parameter} over ${g.values.length} value${g.values.length === 1 ? '' : 's'} (${g.values.map((v) => v.label).join(', ')})`;
    out.push(`${g.scenario}: ${what}${partial > 0 ? `; ${partial} stopped early` : ''}.`);
    for (const v of g.values) {
      const ratios = v.runs.map((run) => run.results.issuerDatabase.baselineOverProposed).filter((x): x is number => x !== null);
      const losses = v.runs.map((run) => fraudFacts(run.results).loss);
      const pps = v.runs.map((run) => run.results.performance.paymentsPerSecond);
      const name = g.parameter === null ? g.scenario : `${g.parameter} = ${v.label}`;
      const parts = [
        ratios.length > 0 ? `baseline / proposed ${describeInterval(ratios, formatRatio)}` : 'no ratio (empty proposed store)',
        `fraud loss ${describeInterval(losses, formatYen)}`,
        `${describeInterval(pps, (x) => x.toFixed(1))} payments/s`,
      ];
      out.push(`${name}: ${parts.join('; ')}.`);
    }
  }
  return out;
}

/** One line on the crypto benchmark: the fastest signer and verifier, with the machine. */
export function cryptoFinding(report: CryptoReport): string | null {
  const pick = (operation: string) =>
    report.rows.filter((r) => r.kind === 'signature' && r.operation === operation).sort((a, b) => b.opsPerSecond - a.opsPerSecond)[0];
  const sign = pick('sign');
  const verify = pick('verify');
  if (sign === undefined || verify === undefined) return null;
  return (
    `Crypto benchmark (${report.machine.cpu}, Node ${report.machine.node}): the fastest signer is ${sign.scheme} at ${formatRate(sign.opsPerSecond)}, ` +
    `the fastest verifier ${verify.scheme} at ${formatRate(verify.opsPerSecond)}.`
  );
}
