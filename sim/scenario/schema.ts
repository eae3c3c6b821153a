// What a scenario file may say. The scenario file is the only place an experiment is defined (OMNeT++'s
// omnetpp.ini): the simulator reads a `Scenario`, never a constant of its own. Every object is strict, so a
// misspelt key is an error rather than a silently ignored setting, and everything has a default, so a file
// holding only the question it asks (`policy: {detection: tree}`) is a complete experiment.
//
// Units: durations and times are seconds in the parsed form, written in files as numbers of seconds or as
// '90d', '6h', '30m', '45s', '1d12h' (times are measured from the start of the run); money is integer yen;
// shares are fractions in [0, 1]; rates are per simulated day.
//
// The parsed form is itself a valid input, and parsing it again gives it back: a sweep builds each variant by
// writing a value into the parsed scenario and parsing the result, so the variant gets every check a file gets.

import { z } from 'zod';
import { blindSchemes, getBlindScheme } from '../../protocol/crypto/blind/index.ts';
import { getSignatureScheme, signatureSchemes } from '../../protocol/crypto/index.ts';
import { DURATION_HINT, formatDuration, parseDuration } from './duration.ts';
import { allPaths, formatPath, getAt, isPlainObject, parsePath, schemaAt, withValueAt } from './paths.ts';
import type { PathSegment } from './paths.ts';
import { closest, showValue } from './text.ts';

const DAY = 86400;
const HOUR = 3600;

// ---------------------------------------------------------------------------------------------------------
// Field kinds

/** A custom issue with an optional fix hint; `errors.ts` prints `message` as is and `fix` on its own line. */
function report(
  ctx: z.core.$RefinementCtx,
  path: PathSegment[],
  message: string,
  input: unknown,
  fix?: string,
): void {
  ctx.addIssue({ code: 'custom', path, message, input, ...(fix === undefined ? {} : { params: { fix } }) });
}

/** A duration longer than zero, (`delay`) one of zero or more, or (`time`) a time since the start of the run, in seconds. */
function duration(kind: 'positive' | 'delay' | 'time' = 'positive') {
  return z.unknown().transform((v, ctx): number => {
    if (v === undefined) {
      report(ctx, [], `missing: expected a duration (${DURATION_HINT})`, v);
      return z.NEVER;
    }
    const seconds = typeof v === 'number' ? v : typeof v === 'string' ? parseDuration(v) : undefined;
    if (seconds === undefined || !Number.isFinite(seconds)) {
      report(ctx, [], `expected a duration (${DURATION_HINT}), got ${showValue(v)}`, v);
      return z.NEVER;
    }
    if (kind === 'positive' ? !(seconds > 0) : !(seconds >= 0)) {
      const what = { positive: 'a duration longer than zero', delay: 'a duration of 0 or more', time: 'a time at or after the start (0 or more)' }[kind];
      report(ctx, [], `expected ${what}, got ${showValue(v)}`, v);
      return z.NEVER;
    }
    return seconds;
  });
}

/** Either the word `literal` or a value of `inner`: `expiry: never`, `offlineLimit: none`, `region: all`. */
function wordOr<L extends string, T extends z.ZodType>(literal: L, inner: T, expected: string) {
  return z.unknown().transform((v, ctx): L | z.output<T> => {
    if (v === literal) return literal;
    const parsed = inner.safeParse(v);
    if (parsed.success) return parsed.data;
    report(ctx, [], `expected '${literal}' or ${expected}, got ${showValue(v)}`, v);
    return z.NEVER;
  });
}

/** Integer yen. A cap of 10^12 catches a units slip (sen, or a misplaced exponent) before it overflows a sum. */
const yen = (min = 1) => z.int().min(min).max(1e12);
const share = () => z.number().min(0).max(1);
const count = (min: number, max: number) => z.int().min(min).max(max);

/** A scheme name, checked against the protocol's registry by calling it, so the two lists cannot drift. */
function schemeName(kind: 'signature' | 'blind') {
  const lookup = kind === 'signature' ? getSignatureScheme : getBlindScheme;
  const known =
    kind === 'signature'
      ? signatureSchemes.flatMap((s) => [s.id, s.name])
      : blindSchemes.flatMap((s) => [s.id, s.name, s.name.replace(/@.*$/, '')]);
  return z.string().superRefine((name, ctx) => {
    try {
      lookup(name);
    } catch (e) {
      const guess = closest(name, known);
      const fix = guess === undefined ? undefined : `did you mean '${guess}'?`;
      report(ctx, [], e instanceof Error ? e.message : String(e), name, fix);
    }
  });
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

// ---------------------------------------------------------------------------------------------------------
// Sections

/** Who takes part. Shops are users that mostly receive and deposit; they are counted apart from `users`. */
const Population = z
  .strictObject({
    /** People who withdraw, pay shops and pay each other. Default 1000. */
    users: count(1, 10_000_000).default(1000),
    /** Shops: receive payments and deposit them. Default 50. */
    shops: count(1, 1_000_000).default(50),
    /** Banks (金融機関): accounts, blind-signed withdrawals, deposits, batch returns to the issuer. Default 3. */
    banks: count(1, 10_000).default(3),
  })
  .prefault({});

/**
 * Which signature scheme each role uses (names from protocol/crypto: `ed25519`, `ed25519@noble`, `p256`,
 * `p256@noble`, `secp256k1`, `schnorr-secp256k1`, `bls12-381`; blind: `rsa-blind`,
 * `rsa-blind:RSABSSA-SHA384-PSS-Deterministic`, `bls-blind`).
 */
const Keys = z
  .strictObject({
    /** Registration authority: signs registration certificates. Default `ed25519`. */
    ra: schemeName('signature').default('ed25519'),
    /** Issuer: signs coins. Default `ed25519`. */
    issuer: schemeName('signature').default('ed25519'),
    /** Banks' blind-signing keys, one per (denomination, epoch). Default `rsa-blind` (RFC 9474 randomized). */
    bank: schemeName('blind').default('rsa-blind'),
    /** Users' IC cards: sign registrations and every transfer step. Default `ed25519`. */
    card: schemeName('signature').default('ed25519'),
    /**
     * How long a bank blind key (and so an issuance request made under it) stays valid. The issuer keeps the
     * set of redeemed requests per epoch and drops it when the epoch ends (PROTOCOL.md, "gap closed").
     * Default 30d.
     */
    bankEpoch: duration().default(30 * DAY),
  })
  .prefault({});

const Withdrawal = z
  .strictObject({
    /** Mean time between a user's routine withdrawals (exponential gaps). Default 7d. */
    interval: duration().default(7 * DAY),
    /** Yen per withdrawal, split greedily into `denominations`. Default 20000. */
    amount: yen().default(20_000),
    /** Coin values the banks issue, in yen (a blind key per value). Default [10000, 5000, 1000]. */
    denominations: z.array(yen()).min(1).max(32).default([10_000, 5_000, 1_000]),
    /** A user whose card holds less than this withdraws at the next chance, before `interval`. 0 = never. Default 2000. */
    topUpBelow: yen(0).default(2_000),
    /**
     * Register a fresh card key before each withdrawal, as the paper advises for unlinkability (more RA
     * records), or keep one key per user. Default true.
     */
    freshKeyPerWithdrawal: z.boolean().default(true),
  })
  .prefault({});

/** Lognormal basket size in yen: half of all payments are below `median`; `sigma` is the log-space spread. */
const Basket = z
  .strictObject({
    /** Median payment, yen. Default 800. */
    median: yen().default(800),
    /** Standard deviation of ln(amount). 0 = every payment is the median. Default 1. */
    sigma: z.number().min(0).max(5).default(1),
  })
  .prefault({});

const Payments = z
  .strictObject({
    /** Mean payments a user makes per day (Poisson). Default 2. */
    perUserPerDay: z.number().min(0).max(10_000).default(2),
    basket: Basket,
    /** Zipf exponent of shop popularity: 0 = every shop equally likely, 1 = classic Zipf. Default 1. */
    shopZipf: z.number().min(0).max(10).default(1),
    /** How many distinct shops a user visits (its favourites, drawn by popularity), or `all`. Default `all`. */
    shopsPerUser: wordOr('all', count(1, 1_000_000), 'a whole number of shops (1 or more)').default('all'),
    /** Share of payments from withdrawn value that go to another user instead of a shop. Default 0.05. */
    p2pShare: share().default(0.05),
    /**
     * How far value travels between people: a user holding value received from another user passes it on to
     * a person (not a shop) with probability 1 - 1/meanChain, so the mean number of person-to-person steps
     * is meanChain. 1 = received value always goes to a shop next. Default 1.5.
     */
    meanChain: z.number().min(1).max(1000).default(1.5),
  })
  .prefault({});

const Shops = z
  .strictObject({
    /** How often a shop deposits everything it received (when it can reach its bank). Default 1d. */
    depositInterval: duration().default(DAY),
  })
  .prefault({});

const Banks = z
  .strictObject({
    /** How often a bank returns deposited records to the issuer (PROTOCOL.md flow 5). Default 1d. */
    returnInterval: duration().default(DAY),
    /** Most records in one return batch; a bank with more sends several. Default 10000. */
    batchMax: count(1, 10_000_000).default(10_000),
    /**
     * How long the issuer takes to process a return: its checks, detections and the RA's naming happen this long
     * after the bank sent it. 0 = at once. Default 1h. It also lets the simulator check the records' signatures
     * on worker threads meanwhile instead of waiting for them (README, Speed and scale).
     */
    processingDelay: duration('delay').default(HOUR),
  })
  .prefault({});

const Coins = z
  .strictObject({
    /** Validity of a coin from issue, or `never`. Expiry bounds dust (never-returned remainders). Default 365d. */
    expiry: wordOr('never', duration(), `a duration (${DURATION_HINT})`).default(365 * DAY),
    /**
     * A card refreshes a coin this long before it expires (returns the remaining value online, gets a fresh
     * coin), if online. 0 = no refresh: the remainder expires. Ignored when expiry is `never`. Default 30d.
     */
    refreshBefore: duration('time').default(30 * DAY),
  })
  .prefault({});

const Behaviour = z
  .strictObject({
    withdrawal: Withdrawal,
    payments: Payments,
    shops: Shops,
    banks: Banks,
    coins: Coins,
  })
  .prefault({});

/** A period in which nobody in the region reaches a bank or the issuer (PROTOCOL.md: 3-4 days after a disaster). */
const Disaster = z.strictObject({
  /** When it starts, from the start of the run. */
  start: duration('time'),
  /** How long it lasts. */
  duration: duration(),
  /** Who is cut off: `all`, or a fraction of users, shops and banks (chosen by the seed). Default `all`. */
  region: wordOr('all', z.number().gt(0).max(1), 'a fraction of agents in (0, 1]').default('all'),
});

const Connectivity = z
  .strictObject({
    /** Daily offline spells: a share of users and shops is offline `hours` a day, at a random time. */
    dailyOffline: z
      .strictObject({
        /** Share of users and shops with a daily spell. Default 0. */
        share: share().default(0),
        /** Length of each spell, in hours (0 to 24). Default 8. */
        hours: z.number().min(0).max(24).default(8),
      })
      .prefault({}),
    /** Share of shops whose terminals never go online between deposits (they see the blocklist only then). Default 0. */
    offlineShops: share().default(0),
    /** Optional outage window; absent = none. */
    disaster: Disaster.optional(),
  })
  .prefault({});

/** The rules being compared. */
const Policy = z
  .strictObject({
    /** `paper` (sum per serial), `tree` (every holder as records arrive), or `both` side by side. Default `both`. */
    detection: z.enum(['paper', 'tree', 'both']).default('both'),
    /** `staged`: received value must go online before it is spent again; `full`: re-spend offline. Default `full`. */
    offline: z.enum(['staged', 'full']).default('full'),
    /** Longest transfer chain a payee accepts (steps after issue). Default 16. */
    maxChain: count(1, 1000).default(16),
    /** Yen a card may pay while offline before it must go online again, or `none`. Default `none`. */
    offlineLimit: wordOr('none', yen(), 'an amount in yen (a whole number, 1 or more)').default('none'),
    /** Payments above this amount need an online check by the payee, or `never`. Default `never`. */
    onlineCheckAbove: wordOr('never', yen(0), 'an amount in yen (a whole number)').default('never'),
    /** How often an online agent refreshes the blocklist of compromised keys. Default 1h. */
    blocklistSync: duration().default(HOUR),
  })
  .prefault({});

// Fraud: each entry is one kind of attack, scheduled (`at`) or random (`rate`), with `count` attackers each time.
const Timing = {
  /** Scheduled: the time of the incident, from the start of the run. Give this or `rate`. */
  at: duration('time').optional(),
  /** Random: incidents per simulated day (Poisson). Give this or `at`. */
  rate: z.number().gt(0).max(1_000_000).optional(),
  /** Attackers per incident. Default 1. */
  count: count(1, 1_000_000).default(1),
};

/** A breached card pays the same value at `payees` payees, offline payees first (they cannot see the blocklist). */
const DoubleSpend = z.strictObject({
  type: z.literal('double-spend'),
  ...Timing,
  /** Payees the same value is paid to (2 or more). Default 2. */
  payees: count(2, 1_000_000).default(2),
  /** Choose offline payees before online ones. Default true. */
  offlineFirst: z.boolean().default(true),
});

/** An attacker extracts a card's key and coin state and signs whatever it likes (PROTOCOL.md, やり逃げ). */
const CardBreach = z.strictObject({
  type: z.literal('card-breach'),
  ...Timing,
  /** `hit-and-run`: spend everything everywhere, as fast as possible, until found. Default `hit-and-run`. */
  strategy: z.enum(['hit-and-run']).default('hit-and-run'),
});

/** A holder in the middle of a transfer chain signs away more than it received. */
const ChainOverspend = z.strictObject({
  type: z.literal('chain-overspend'),
  ...Timing,
  /** The step of the chain (1 = first holder after the withdrawer) that overspends. Default 2. */
  position: count(1, 1000).default(2),
});

/** A payer edits a coin or its card balance (50 -> 100); the payee must reject it at once. */
const TamperedCoin = z.strictObject({
  type: z.literal('tampered-coin'),
  ...Timing,
  /** What is edited: the card's `balance` or the `coin` itself. Default `balance`. */
  target: z.enum(['balance', 'coin']).default('balance'),
});

/** A coin the issuer never signed. */
const ForgedCoin = z.strictObject({ type: z.literal('forged-coin'), ...Timing });

/** A redeemed issuance request sent to the issuer again (PROTOCOL.md flow 2, gap closed). */
const ReplayedRequest = z.strictObject({ type: z.literal('replayed-request'), ...Timing });

/** A deposited transaction record deposited again. */
const ReplayedDeposit = z.strictObject({
  type: z.literal('replayed-deposit'),
  ...Timing,
  /** Replay at the `same` bank or at an `other` bank. Default `other`. */
  bank: z.enum(['same', 'other']).default('other'),
});

const Fraud = z.discriminatedUnion('type', [
  DoubleSpend,
  CardBreach,
  ChainOverspend,
  TamperedCoin,
  ForgedCoin,
  ReplayedRequest,
  ReplayedDeposit,
]);

/**
 * A parameter study: one run per value of `parameter`, each repeated `replications` times. Replication r of
 * every value runs with the same seed (common random numbers), so values are compared on the same workload.
 */
const Sweep = z.strictObject({
  /** Dotted path of the parameter, e.g. `policy.detection`, `behaviour.coins.expiry`, `keys`, `fraud[0].payees`. */
  parameter: z.string().optional(),
  /** Values it takes. A mapping is merged into the object at `parameter` (so `keys` may vary just `card`). */
  values: z.array(z.unknown()).min(1).max(10_000).optional(),
  /** Runs per value, with seeds derived from `seed`. Default 1. */
  replications: count(1, 100_000).default(1),
});

const Outputs = z
  .strictObject({
    /** Write every simulated event (large). Default false. */
    events: z.boolean().default(false),
    /** How often time series (database sizes, outstanding value, ...) are sampled. Default 1h. */
    sampleInterval: duration().default(HOUR),
  })
  .prefault({});

const ScenarioFields = z.strictObject({
  /**
   * Short name, used as the output directory (`reports/out/<name>/`): letters, digits, `.`, `_`, `-`.
   * `loadScenario` takes it from the file name when the file does not say.
   */
  name: z
    .string()
    .superRefine((name, ctx) => {
      if (!NAME.test(name) || name.length > 100) {
        report(ctx, [], `expected a short name of letters, digits, '.', '_' or '-', got ${showValue(name)}`, name,
          'the name becomes a directory name; use e.g. my-scenario');
      }
    }),
  /** What question the scenario answers. */
  description: z.string().max(10_000).default(''),
  /** Seed of every random stream in the run (sim/engine/random.ts). Default 1. */
  seed: z.int().min(0).default(1),
  /** Simulated time. Default 7d. */
  duration: duration().default(7 * DAY),
  population: Population,
  keys: Keys,
  /** `real`: every signature is made and checked; `fixed-cost`: skipped and charged at its measured cost. Default `real`. */
  signatures: z.enum(['real', 'fixed-cost']).default('real'),
  behaviour: Behaviour,
  connectivity: Connectivity,
  policy: Policy,
  /** Injected attacks. Default none. */
  fraud: z.array(Fraud).max(1000).default([]),
  /** Optional parameter study. */
  sweep: Sweep.optional(),
  outputs: Outputs,
});

type Fields = z.output<typeof ScenarioFields>;

// ---------------------------------------------------------------------------------------------------------
// Checks across fields: values that are each fine but together describe an impossible experiment.

function checkScenario(s: Fields, ctx: z.core.$RefinementCtx<Fields>): void {
  const { withdrawal, payments, shops, coins } = s.behaviour;
  const run = formatDuration(s.duration);

  const seen = new Map<number, number>();
  withdrawal.denominations.forEach((d, i) => {
    const first = seen.get(d);
    if (first !== undefined) {
      report(ctx, ['behaviour', 'withdrawal', 'denominations', i], `${d} is listed twice (also at [${first}])`, d,
        'list each coin value once');
    }
    seen.set(d, i);
  });
  const smallest = Math.min(...withdrawal.denominations);
  if (withdrawal.amount % smallest !== 0) {
    report(ctx, ['behaviour', 'withdrawal', 'amount'],
      `¥${withdrawal.amount} cannot be made of the denominations (smallest ¥${smallest})`, withdrawal.amount,
      `use a multiple of ${smallest}, or add a smaller denomination`);
  }
  if (withdrawal.topUpBelow >= withdrawal.amount) {
    report(ctx, ['behaviour', 'withdrawal', 'topUpBelow'],
      `must be below behaviour.withdrawal.amount (¥${withdrawal.amount}), or a user would withdraw for ever`,
      withdrawal.topUpBelow, `lower it below ${withdrawal.amount}, or 0 to turn top-ups off`);
  }
  if (payments.basket.median > withdrawal.amount) {
    report(ctx, ['behaviour', 'payments', 'basket', 'median'],
      `a typical basket (¥${payments.basket.median}) is more than a whole withdrawal (¥${withdrawal.amount}); most payments could never be made`,
      payments.basket.median, 'lower the median or raise behaviour.withdrawal.amount');
  }
  if (payments.shopsPerUser !== 'all' && payments.shopsPerUser > s.population.shops) {
    report(ctx, ['behaviour', 'payments', 'shopsPerUser'],
      `a user cannot visit ${payments.shopsPerUser} shops when there are only ${s.population.shops} (population.shops)`,
      payments.shopsPerUser, `use at most ${s.population.shops}, or 'all'`);
  }
  if (payments.p2pShare > 0 && s.population.users < 2) {
    report(ctx, ['behaviour', 'payments', 'p2pShare'], 'person-to-person payments need at least 2 users',
      payments.p2pShare, 'set population.users to 2 or more, or p2pShare to 0');
  }
  if (payments.meanChain > s.policy.maxChain) {
    report(ctx, ['behaviour', 'payments', 'meanChain'],
      `a mean chain of ${payments.meanChain} steps cannot happen when policy.maxChain is ${s.policy.maxChain}`,
      payments.meanChain, `lower it to ${s.policy.maxChain} or less, or raise policy.maxChain`);
  }
  if (coins.expiry !== 'never') {
    if (coins.expiry <= shops.depositInterval) {
      report(ctx, ['behaviour', 'coins', 'expiry'],
        `coins expire after ${formatDuration(coins.expiry)}, before a shop deposits (behaviour.shops.depositInterval is ${formatDuration(shops.depositInterval)})`,
        coins.expiry, 'make expiry longer than the deposit interval, or deposit more often');
    }
    if (coins.refreshBefore >= coins.expiry) {
      report(ctx, ['behaviour', 'coins', 'refreshBefore'],
        `refreshing ${formatDuration(coins.refreshBefore)} before expiry is at or before issue (expiry is ${formatDuration(coins.expiry)})`,
        coins.refreshBefore, 'make it shorter than behaviour.coins.expiry, or 0 for no refresh');
    }
  }

  const disaster = s.connectivity.disaster;
  if (disaster !== undefined && disaster.start >= s.duration) {
    report(ctx, ['connectivity', 'disaster', 'start'],
      `the disaster starts at ${formatDuration(disaster.start)}, after the run ends (duration is ${run})`,
      disaster.start, `start it before ${run}, or lengthen duration`);
  }
  if (s.outputs.sampleInterval > s.duration) {
    report(ctx, ['outputs', 'sampleInterval'],
      `sampling every ${formatDuration(s.outputs.sampleInterval)} gives no sample in a ${run} run`,
      s.outputs.sampleInterval, `use ${run} or less`);
  }

  s.fraud.forEach((f, i) => {
    const at = ['fraud', i];
    if ((f.at === undefined) === (f.rate === undefined)) {
      const both = f.at !== undefined;
      report(ctx, at, both ? `'${f.type}' has both 'at' and 'rate'` : `no time given for '${f.type}'`, f,
        `${both ? 'keep one: ' : 'add '}'at' (a time such as 2d, for one scheduled incident) or 'rate' (incidents per day, for random ones)`);
    }
    if (f.at !== undefined && f.at >= s.duration) {
      report(ctx, [...at, 'at'], `${formatDuration(f.at)} is after the run ends (duration is ${run})`, f.at,
        `schedule it before ${run}`);
    }
    if (f.type === 'double-spend' && f.payees > s.population.shops) {
      report(ctx, [...at, 'payees'],
        `${f.payees} payees, but there are only ${s.population.shops} shops (population.shops)`, f.payees,
        `use at most ${s.population.shops}, or add shops`);
    }
    if (f.type === 'chain-overspend' && f.position > s.policy.maxChain) {
      report(ctx, [...at, 'position'],
        `step ${f.position} of a chain cannot exist when policy.maxChain is ${s.policy.maxChain}`, f.position,
        `use ${s.policy.maxChain} or less`);
    }
  });
}

const ScenarioChecked = ScenarioFields.superRefine(checkScenario);

// ---------------------------------------------------------------------------------------------------------
// Sweeps

/** Paths a sweep may not vary: the identity of the run, and the sweep itself. */
const UNSWEEPABLE: Readonly<Record<string, string>> = {
  name: 'the name is the output directory; make a second scenario file instead',
  seed: "seeds vary per replication already; use 'sweep.replications'",
  sweep: 'a sweep cannot vary itself',
};

/**
 * The scenario with sweep value `value` written at `parameter`, checked like a file. Used both to validate a
 * sweep and to expand it, so an expanded run is exactly what validation accepted.
 */
export function sweepVariant(
  scenario: Scenario,
  parameter: string,
  value: unknown,
): z.ZodSafeParseResult<Scenario> {
  const path = parsePath(parameter) ?? [];
  const base: Record<string, unknown> = { ...scenario, sweep: undefined };
  return ScenarioChecked.safeParse(withValueAt(base, path, value), { reportInput: true }) as z.ZodSafeParseResult<Scenario>;
}

function checkSweep(s: Fields, ctx: z.core.$RefinementCtx<Fields>): void {
  const sweep = s.sweep;
  if (sweep === undefined) return;
  if ((sweep.parameter === undefined) !== (sweep.values === undefined)) {
    report(ctx, ['sweep', sweep.parameter === undefined ? 'parameter' : 'values'], 'missing', undefined,
      "give both 'parameter' and 'values', or neither (replications only)");
    return;
  }
  if (sweep.parameter === undefined || sweep.values === undefined) return;
  const path = parsePath(sweep.parameter);
  const top = path?.[0];
  for (let i = 0; path !== undefined && i < path.length; i++) {
    // An index past the end of a list the scenario has: the schema has the path, this file does not.
    const list = getAt(s, path.slice(0, i));
    if (typeof path[i] !== 'number' || !Array.isArray(list) || getAt(s, path.slice(0, i + 1)) !== undefined) continue;
    report(ctx, ['sweep', 'parameter'], `${formatPath(path.slice(0, i + 1))} does not exist in this scenario`, sweep.parameter,
      `${formatPath(path.slice(0, i))} has ${list.length} entr${list.length === 1 ? 'y' : 'ies'}, numbered from 0`);
    return;
  }
  if (path === undefined || typeof top !== 'string' || schemaAt(ScenarioFields, path, s) === undefined) {
    const guess = closest(sweep.parameter, allPaths(ScenarioFields));
    report(ctx, ['sweep', 'parameter'], `no such setting: ${showValue(sweep.parameter)}`, sweep.parameter,
      guess === undefined ? 'use a dotted path such as policy.detection or behaviour.coins.expiry' : `did you mean '${guess}'?`);
    return;
  }
  const why = UNSWEEPABLE[top];
  if (why !== undefined) {
    report(ctx, ['sweep', 'parameter'], `${showValue(sweep.parameter)} cannot be swept`, sweep.parameter, why);
    return;
  }
  sweep.values.forEach((value, i) => {
    const variant = sweepVariant(s as Scenario, sweep.parameter!, value);
    if (variant.success) return;
    for (const inner of variant.error.issues) {
      ctx.addIssue({
        code: 'custom',
        path: ['sweep', 'values', i],
        input: value,
        message: `with ${sweep.parameter} = ${isPlainObject(value) ? JSON.stringify(value) : showValue(value)}`,
        params: { inner },
      });
    }
  });
}

/** A scenario file's contents; parse with `loadScenario` (sim/scenario/load.ts) for readable errors. */
export const ScenarioSchema = ScenarioChecked.superRefine(checkSweep);

/** A scenario with every default filled in: what the simulator runs. */
export type Scenario = z.output<typeof ScenarioSchema>;
/** What a scenario file may contain (every field but `name` optional). */
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type FraudSpec = Scenario['fraud'][number];
export type FraudType = FraudSpec['type'];

/** The top-level object schema (without the cross-field checks), for walking paths. */
export const scenarioFields: z.ZodType = ScenarioFields;
