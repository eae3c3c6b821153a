// The fuzz loop: for each target, `count` mutants (or fewer if `seconds` runs out first), each made by its own
// random stream named after the run seed, the target and the mutant's index, so any one mutant can be made
// again alone (`--only <target> --from <index> --count 1`).
import { ProtocolError } from '../protocol/errors.ts';
import { Stream, streamSeed } from '../sim/engine/random.ts';
import { buildCorpus, hex, type Corpus } from './corpus.ts';
import { addDonors, emptyDonors, mutate, type Donors, type Family } from './mutate.ts';
import { makeTargets, type Outcome, type Target } from './targets.ts';

export interface FuzzOptions {
  readonly count: number;
  /** Wall-clock bound per target, read from `clock`; without a clock there is neither bound nor timing (tests). */
  readonly seconds?: number;
  /** Milliseconds, e.g. `() => performance.now()`. */
  readonly clock?: () => number;
  readonly seed: string;
  /** First mutant index (to replay one mutant of a failure report). */
  readonly from?: number;
  readonly only?: readonly string[];
  /** Called every `progressEvery` mutants. */
  readonly progress?: (target: string, done: number) => void;
}

export interface Failure {
  readonly target: string;
  readonly index: number;
  readonly seed: string;
  readonly family: Family;
  readonly ops: readonly string[];
  readonly reason: string;
  readonly hex: string;
}

export interface TargetStats {
  readonly target: string;
  readonly receiver: string;
  readonly message: string;
  readonly seeds: number;
  mutants: number;
  rejected: number;
  /** Rejected batches in which the issuer also credited the genuine records sent with the refused ones. */
  rejectedBesideCredits: number;
  valid: number;
  failures: number;
  readonly rejectedBy: Record<string, number>;
  readonly validBy: Record<string, number>;
  readonly byFamily: Record<string, { mutants: number; rejected: number; valid: number; failures: number }>;
  /** Structure-aware ops used (op name without the field), for coverage. */
  readonly ops: Record<string, number>;
  seconds: number;
  /** True if the time bound stopped the target before `count` mutants. */
  cutShort: boolean;
  readonly failureSamples: Failure[];
}

export interface Fuzz {
  readonly corpus: Corpus;
  readonly targets: readonly Target[];
  readonly donors: Donors;
}

/** The corpus, the targets over it, and the donor pools every target's mutants borrow from. */
export function prepare(label = 'fuzz'): Fuzz {
  const corpus = buildCorpus(label);
  const targets = makeTargets(corpus);
  const donors = emptyDonors();
  const raw = new Set<string>();
  for (const t of targets) {
    for (const s of t.seeds) {
      if (raw.has(hex(s))) continue;
      raw.add(hex(s));
      donors.raw.push(s);
      addDonors(donors, t.codec.decode(s) as Record<string, unknown>);
    }
  }
  // Keys and lot ids the messages do not carry but an attacker knows: the banks' deposit keys, the RA's and
  // the issuer's keys, every key any card registered.
  const keys = donors.bytes.get('key') ?? [];
  const w = corpus.world;
  keys.push(w.ra.publicKey, w.issuer.publicKey, ...w.banks.map((b) => b.depositKey.publicKey));
  for (const u of w.users) for (const id of u.card.identities) keys.push(id.keyPair.publicKey);
  donors.bytes.set('key', keys);
  return { corpus, targets, donors };
}

const MAX_SAMPLES = 20;

export function runTarget(f: Fuzz, target: Target, o: FuzzOptions): TargetStats {
  const stats: TargetStats = {
    target: target.name,
    receiver: target.receiver,
    message: target.message,
    seeds: target.seeds.length,
    mutants: 0,
    rejected: 0,
    rejectedBesideCredits: 0,
    valid: 0,
    failures: 0,
    rejectedBy: {},
    validBy: {},
    byFamily: {},
    ops: {},
    seconds: 0,
    cutShort: false,
    failureSamples: [],
  };
  const clock = o.clock;
  const start = clock?.() ?? 0;
  const from = o.from ?? 0;
  const limitMs = o.seconds === undefined ? Infinity : o.seconds * 1000;
  for (let i = from; i < from + o.count; i++) {
    if (clock !== undefined && (i - from) % 64 === 0 && i > from && clock() - start > limitMs) {
      stats.cutShort = true;
      break;
    }
    const name = `fuzz:${target.name}:${i}`;
    const rng = new Stream(name, streamSeed(o.seed, name));
    const m = mutate(rng, target.codec, target.seeds, f.donors);
    let outcome: Outcome;
    try {
      outcome = target.run(m.bytes, m.seed);
    } catch (e) {
      const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      outcome = { kind: 'failure', reason: `threw ${what}${e instanceof ProtocolError ? ' (a typed error where none may escape)' : ''}` };
      target.recover();
    }
    stats.mutants++;
    const fam = (stats.byFamily[m.family] ??= { mutants: 0, rejected: 0, valid: 0, failures: 0 });
    fam.mutants++;
    for (const op of m.ops) {
      const k = op.split('@')[0]!;
      stats.ops[k] = (stats.ops[k] ?? 0) + 1;
    }
    switch (outcome.kind) {
      case 'rejected':
        stats.rejected++;
        fam.rejected++;
        if (outcome.partial === true) stats.rejectedBesideCredits++;
        stats.rejectedBy[outcome.reason] = (stats.rejectedBy[outcome.reason] ?? 0) + 1;
        break;
      case 'valid':
        stats.valid++;
        fam.valid++;
        stats.validBy[outcome.reason] = (stats.validBy[outcome.reason] ?? 0) + 1;
        break;
      case 'failure':
        stats.failures++;
        fam.failures++;
        if (stats.failureSamples.length < MAX_SAMPLES) {
          stats.failureSamples.push({ target: target.name, index: i, seed: o.seed, family: m.family, ops: m.ops, reason: outcome.reason, hex: hex(m.bytes) });
        }
        break;
    }
    if (o.progress !== undefined && (i - from + 1) % 1000 === 0) o.progress(target.name, i - from + 1);
  }
  stats.seconds = clock === undefined ? 0 : (clock() - start) / 1000;
  return stats;
}

export function runAll(f: Fuzz, o: FuzzOptions): TargetStats[] {
  const chosen = f.targets.filter((t) => o.only === undefined || o.only.length === 0 || o.only.includes(t.name));
  return chosen.map((t) => runTarget(f, t, o));
}
