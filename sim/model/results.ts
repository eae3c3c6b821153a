// results.json: everything a run measured, named and documented, so reports and other tools read it without
// knowing the model. Wall-time fields are grouped under `performance`: everything else is a pure function of
// the scenario and seed.
import { arch, availableParallelism, cpus, loadavg, platform } from 'node:os';
import type { StoreSize } from '../../protocol/store/sqlite.ts';
import type { FraudKind } from './config.ts';
import type { DetectionLog, Model } from './model.ts';

export interface StoreResult {
  readonly now: StoreSize;
  /** Largest total bytes seen at any sample, and the rows at that sample. */
  readonly peak: { readonly t: number; readonly rows: number; readonly bytes: number };
}

export interface FraudResult {
  readonly id: number;
  readonly kind: FraudKind;
  readonly culprit: string;
  readonly start: number;
  readonly firstPayment: number | null;
  readonly paymentsAccepted: number;
  readonly refused: number;
  readonly refusedBy: Record<string, number>;
  /** Overspend: value payees accepted beyond what the culprit held. Others are refused outright. */
  readonly overspend: boolean;
  readonly detected: { readonly paper: number | null; readonly tree: number | null };
  /** Detection latency from the first fraudulent payment, seconds. */
  readonly latency: { readonly paper: number | null; readonly tree: number | null };
  readonly revealed: number | null;
  readonly named: string | null;
  readonly blocklisted: number | null;
  readonly loss: number;
  readonly lossBeforeDetection: number;
  readonly lossAfterDetection: number;
}

const OVERSPEND: ReadonlySet<FraudKind> = new Set(['double-spend', 'card-breach', 'chain-overspend']);

function storeResult(m: Model, pick: (s: Model['samples'][number]) => StoreSize, now: StoreSize): StoreResult {
  let peak = { t: 0, rows: 0, bytes: 0 };
  for (const s of m.samples) {
    const size = pick(s);
    if (size.bytes > peak.bytes) peak = { t: s.t, rows: size.rows, bytes: size.bytes };
  }
  if (now.bytes > peak.bytes) peak = { t: m.sim.now, rows: now.rows, bytes: now.bytes };
  return { now, peak };
}

export function fraudResults(m: Model): FraudResult[] {
  return m.frauds.map((f) => {
    const since = f.firstPayment;
    const lat = (t: number | null) => (t === null || since === null ? null : t - since);
    return {
      id: f.id,
      kind: f.kind,
      culprit: f.culprit,
      start: f.start,
      firstPayment: f.firstPayment,
      paymentsAccepted: f.paymentsAccepted,
      refused: f.refused,
      refusedBy: f.refusedBy,
      overspend: OVERSPEND.has(f.kind),
      detected: { ...f.detected },
      latency: { paper: lat(f.detected.paper), tree: lat(f.detected.tree) },
      revealed: f.revealed,
      named: f.named,
      blocklisted: f.blocklisted,
      loss: f.loss,
      lossBeforeDetection: f.loss - f.lossAfterDetection,
      lossAfterDetection: f.lossAfterDetection,
    };
  });
}

/** Detections whose proof names someone who injected no fraud: must be zero. */
export function falseAccusations(m: Model): DetectionLog[] {
  const culprits = new Set(m.frauds.map((f) => f.culprit));
  return m.detections.filter((d) => d.culprit !== null && !culprits.has(d.culprit));
}

/**
 * Wall-clock progress, one entry per progress slice (at most ~200 a run): simulated time, wall seconds since the
 * start, payments and signatures signed so far. Columns, not rows, to keep results.json small; the report draws
 * throughput over the run from it. Under `performance` because wall time differs from run to run.
 */
export interface WallProgress {
  readonly t: number[];
  readonly wallSeconds: number[];
  readonly payments: number[];
  readonly signaturesSigned: number[];
}

export interface RunMeta {
  readonly scenario: string;
  readonly seed: string | number;
  readonly versions: Record<string, string>;
  readonly wallSeconds: number;
  readonly threads: number;
  readonly partial: boolean;
  readonly retried?: number;
  /** Signature jobs the main thread ran (Executor.mainThreadJobs). */
  readonly mainThreadJobs?: number;
  readonly progress?: WallProgress;
}

export function buildResults(m: Model, meta: RunMeta) {
  const p = m.parties;
  const frauds = fraudResults(m);
  const overspends = frauds.filter((f) => f.overspend && f.loss > 0);
  const recall = (rule: 'paper' | 'tree') =>
    overspends.length === 0 ? null : overspends.filter((f) => f.detected[rule] !== null).length / overspends.length;
  const accounts = p.banks.reduce((s, b) => s + b.deposits, 0);
  const onCards = [...p.users, ...p.shops].reduce((s, u) => s + u.card.balance, 0);
  const fraudulent = frauds.reduce((s, f) => s + f.loss, 0);
  const c = m.counts;
  // Model.run ends with a sample of this moment: its figures are the stores' now, without another pass over
  // every page of each file (0.8 s at the end of a national week).
  const end = m.samples.at(-1);
  if (end === undefined || end.t !== m.sim.now) throw new Error(`results: no sample at the end of the run (t = ${m.sim.now}); Model.run takes one`);
  const proposed = end.proposed;
  const baseline = end.baseline;
  return {
    scenario: meta.scenario,
    seed: meta.seed,
    partial: meta.partial,
    simulatedSeconds: m.sim.now,
    versions: meta.versions,
    keys: m.cfg.keys,
    /** `fixed-cost` runs used hash stand-ins for signatures: database figures hold, speed and security do not. */
    signatures: m.cfg.signatures,
    policy: m.cfg.policy,
    counts: { users: m.cfg.users, shops: m.cfg.shops, banks: m.cfg.banks, registrations: p.ra.registrations, ...c },
    issuerDatabase: {
      proposed: storeResult(m, (s) => s.proposed, proposed),
      proposedArchive: storeResult(m, (s) => s.archive, end.archive),
      baseline: storeResult(m, (s) => s.baseline, baseline),
      epochPruned: { ...storeResult(m, (s) => s.epochPruned, end.epochPruned), lostValue: p.epochPruned.lostValue() },
      /** The headline: baseline bytes over proposed (live) bytes at the end of the run. */
      baselineOverProposed: proposed.bytes === 0 ? null : baseline.bytes / proposed.bytes,
    },
    outstandingValue: end.outstandingValue,
    money: {
      created: p.created,
      accounts,
      onCards,
      /** Value payees accepted beyond what cheaters held: the only way money appears. */
      fraudulent,
      /** accounts + cards = created + fraudulent: true when no value was lost or made by the protocol. */
      conserved: accounts + onCards === p.created + fraudulent,
    },
    frauds,
    detection: {
      rule: m.cfg.policy.detection,
      recall: { paper: recall('paper'), tree: recall('tree') },
      falseAccusations: falseAccusations(m).length,
      detections: m.detections.length,
    },
    performance: {
      wallSeconds: meta.wallSeconds,
      threads: meta.threads,
      paymentsPerSecond: c.payments / Math.max(meta.wallSeconds, 1e-9),
      signaturesSignedPerSecond: (p.signatures.signed + p.signatures.blindSigned) / Math.max(meta.wallSeconds, 1e-9),
      signaturesVerifiedPerSecond: p.signatures.verified / Math.max(meta.wallSeconds, 1e-9),
      /** The process's peak resident set so far (getrusage), not its size at the end. */
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      /** Where the signature jobs ran: batches, barriers, and checks that had to run on the main thread. */
      signatureWork: m.work === undefined ? null : { ...m.work.stats, workerTasksRetried: meta.retried ?? 0, mainThreadJobs: meta.mainThreadJobs ?? 0 },
      machine: { cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? 'unknown', platform: `${platform()} ${arch()}`, loadAverage: loadavg() },
      progress: meta.progress ?? null,
    },
    signatureOperations: { ...p.signatures },
  };
}

export type Results = ReturnType<typeof buildResults>;
