// The derived numbers a report states: computed once here, so the summary's sentences and the charts' data can
// never disagree about what a run found.

import type { FraudResult } from '../sim/model/results.ts';
import type { RunResults } from './load.ts';

export type Rule = 'paper' | 'tree';
export const RULES: readonly Rule[] = ['paper', 'tree'];

export interface Headline {
  /** results.issuerDatabase.baselineOverProposed, as the simulator computed it (null: the proposed store was empty). */
  readonly ratio: number | null;
  /** Simulated seconds at the end of the run (the moment the ratio is taken). */
  readonly t: number;
  readonly baselineBytes: number;
  readonly proposedBytes: number;
}

export function headline(r: RunResults): Headline {
  return {
    ratio: r.issuerDatabase.baselineOverProposed,
    t: r.simulatedSeconds,
    baselineBytes: r.issuerDatabase.baseline.now.bytes,
    proposedBytes: r.issuerDatabase.proposed.now.bytes,
  };
}

export interface FraudFacts {
  readonly injected: number;
  /** Frauds payees accepted: value paid beyond what the culprit held. */
  readonly overspends: readonly FraudResult[];
  /** Frauds every payee or bank refused at once (bad signature, replay): nothing to detect afterwards. */
  readonly refused: readonly FraudResult[];
  /** Per rule: overspends it found, and their latencies (seconds from the first fraudulent payment). */
  readonly detected: Readonly<Record<Rule, number>>;
  readonly latencies: Readonly<Record<Rule, readonly number[]>>;
  /** Overspends whose culprit the RA named. */
  readonly named: number;
  readonly loss: number;
  readonly lossBeforeDetection: number;
  readonly lossAfterDetection: number;
  /** Refusals by reason, over all frauds. */
  readonly refusedBy: Readonly<Record<string, number>>;
}

/** An injected fraud that payees accepted, whether or not it cost anything (a card breach may find nothing to spend). */
function accepted(f: FraudResult): boolean {
  return f.overspend && f.firstPayment !== null;
}

export function fraudFacts(r: RunResults): FraudFacts {
  const overspends = r.frauds.filter(accepted);
  const refused = r.frauds.filter((f) => !accepted(f));
  const detected = { paper: 0, tree: 0 };
  const latencies: Record<Rule, number[]> = { paper: [], tree: [] };
  for (const f of overspends) {
    for (const rule of RULES) {
      const latency = f.latency[rule];
      if (f.detected[rule] !== null) detected[rule]++;
      if (latency !== null) latencies[rule].push(latency);
    }
  }
  const refusedBy: Record<string, number> = {};
  for (const f of r.frauds) for (const [reason, n] of Object.entries(f.refusedBy)) refusedBy[reason] = (refusedBy[reason] ?? 0) + n;
  return {
    injected: r.frauds.length,
    overspends,
    refused,
    detected,
    latencies,
    named: overspends.filter((f) => f.named !== null).length,
    loss: r.frauds.reduce((s, f) => s + f.loss, 0),
    lossBeforeDetection: r.frauds.reduce((s, f) => s + f.lossBeforeDetection, 0),
    lossAfterDetection: r.frauds.reduce((s, f) => s + f.lossAfterDetection, 0),
    refusedBy,
  };
}

/** `#3 double-spend (user-47)`: how charts and tables name one fraud. */
export function fraudLabel(f: FraudResult): string {
  return `#${f.id} ${f.kind} (${f.culprit})`;
}

/** Mean of a run's detection latencies under a rule, or null when the rule found nothing. */
export function meanLatency(r: RunResults, rule: Rule): number | null {
  const values = fraudFacts(r).latencies[rule];
  return values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;
}

/** The blocklist sync interval in seconds when the policy has a finite one (JSON writes Infinity as null). */
export function blocklistSync(r: RunResults): number | null {
  const v = (r.policy as Record<string, unknown>)['blocklistSync'];
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null;
}

/**
 * How the run signed: `real`, or `fixed-cost` (hash stand-ins of the same sizes: database figures hold, speed and
 * security do not). Older results.json files have no such field; their signatures were real.
 */
export function signatureMode(r: RunResults): string {
  const mode = (r as { signatures?: unknown }).signatures;
  return typeof mode === 'string' ? mode : 'real';
}
