// The simulation model: the parties of parties.ts acting on the engine. Users pay shops and each other
// (Poisson, lognormal baskets, Zipf shops), top up and refresh when online; shops deposit; banks return
// batches; the issuer detects, the RA names, and the blocklist spreads as agents come online.
import { ProtocolError } from '../../protocol/errors.ts';
import { deposit, everything, pay, withdrawCoin, type FlowContext } from '../../protocol/flows.ts';
import type { HeldLot } from '../../protocol/card.ts';
import type { Detection } from '../../protocol/issuer.ts';
import { keyOf } from '../../protocol/hash.ts';
import type { Bank } from '../../protocol/bank.ts';
import type { PaymentPart, ReturnBatch } from '../../protocol/messages.ts';
import { DAY, HOUR, Simulation, Zipf, type Stream, type Streams } from '../engine/index.ts';
import { Blocklist } from './blocklist.ts';
import type { ModelConfig } from './config.ts';
import { Connectivity } from './connectivity.ts';
import { zeroCounts, type Counts, type FraudRecord, type Sample } from './metrics.ts';
import { Parties, type Party, type StorePaths } from './parties.ts';
import type { Executor } from '../crypto/executor.ts';
import type { SizeReading } from '../../protocol/store/sqlite.ts';
import { SignatureWork } from '../crypto/signature-work.ts';

export interface ProtocolEvent {
  readonly t: number;
  readonly type: string;
  readonly [k: string]: unknown;
}

export interface DetectionLog {
  readonly rule: Detection['rule'];
  readonly at: number;
  readonly serial: string;
  readonly cause: Detection['cause'];
  /** Whose key the issuer's proof names (ground truth, from the simulator's key map). */
  readonly culprit: string | null;
}

export class Model {
  readonly sim = new Simulation();
  readonly parties: Parties;
  readonly conn: Connectivity;
  readonly blocklist = new Blocklist();
  readonly counts: Counts = zeroCounts();
  /** Samples, oldest first; complete once run() returns (a file store's sizes are read on another thread). */
  readonly samples: Sample[] = [];
  /** Samples taken whose sizes the reader has not returned yet, oldest first. */
  private readonly unread: Omit<Sample, SizeField>[] = [];
  private lastSample = -1;
  readonly frauds: FraudRecord[] = [];
  readonly detections: DetectionLog[] = [];
  readonly events: ProtocolEvent[] = [];
  /** Named culprits (by party name) and when. */
  readonly named = new Map<string, number>();
  /** Real signature work in batches (on worker threads when the executor has them); none with fixed-cost signatures. */
  readonly work: SignatureWork | undefined;
  private readonly shopPopularity: Zipf;
  private readonly random: Stream;
  private readonly randomBytes: (n: number) => Uint8Array;
  /** For greedy withdrawals; sorted once, since a user whose account is empty asks again at every payment. */
  private readonly denominationsLargestFirst: readonly number[];

  constructor(
    readonly cfg: ModelConfig,
    readonly streams: Streams,
    paths: StorePaths,
    crypto?: { readonly executor: Executor; readonly batchSize: number; readonly depth?: number | undefined },
  ) {
    this.work =
      crypto === undefined || cfg.signatures === 'fixed-cost'
        ? undefined
        : new SignatureWork(crypto.executor, { batchSize: crypto.batchSize, depth: crypto.depth, onBarrierWanted: () => this.sim.stop() });
    this.parties = new Parties(cfg, streams, paths, this.work);
    this.conn = new Connectivity(cfg.connectivity);
    this.shopPopularity = new Zipf(Math.max(1, cfg.shops), cfg.payments.shopZipf);
    this.random = streams.get('protocol:nonces');
    this.randomBytes = (n) => this.random.bytes(n);
    this.denominationsLargestFirst = [...cfg.withdrawal.denominations].sort((a, b) => b - a);
  }

  ctx(): FlowContext {
    return { suite: this.parties.suite, random: this.randomBytes, now: this.sim.now };
  }

  log(type: string, fields: Record<string, unknown>): void {
    if (this.cfg.events) this.events.push({ t: this.sim.now, type, ...fields });
  }

  /** Schedules every recurring process; fraud.ts adds the attacks. */
  start(): void {
    const { cfg, sim } = this;
    const rate = cfg.payments.perUserPerDay / DAY;
    for (const u of this.parties.users) {
      if (rate > 0) sim.schedule(u.rng.exponential(rate), () => this.paymentDue(u, rate));
      sim.schedule(u.rng.exponential(1 / cfg.withdrawal.interval), () => this.withdrawalDue(u));
    }
    for (const s of this.parties.shops) sim.schedule(s.rng.uniform(0, cfg.shopDepositInterval), () => this.shopDeposits(s));
    const banks = this.streams.get('banks');
    for (const b of this.parties.banks) sim.schedule(banks.uniform(0, cfg.bankReturnInterval), () => this.bankReturns(b.id));
    sim.schedule(HOUR, () => this.issuerHour());
    sim.schedule(0, () => this.sampleDue());
    this.parties.commitGroup();
  }

  // --- Connectivity views ---------------------------------------------------------------------------
  online(p: Party): boolean {
    return this.conn.online(p, this.sim.now);
  }

  /**
   * The payee's blocklist view: entries published before its last sync while online (for a shop whose
   * terminal stays offline, its last deposit); `fresh` for a payee that checks online now.
   */
  blocklistOf(p: Party, fresh = false): { has(key: string): boolean } {
    if (fresh) return this.blocklist.viewAt(this.sim.now);
    if (p.offlineTerminal) return this.blocklist.viewAt(p.lastDeposit);
    const last = this.conn.lastOnline(p, this.sim.now);
    const sync = this.cfg.policy.blocklistSync;
    return this.blocklist.viewAt(sync > 0 ? Math.floor(last / sync) * sync : last);
  }

  /** What the payer may spend now: unexpired, under the chain limit, and (staged offline) been online since. */
  spendable(p: Party): (lot: HeldLot) => boolean {
    const now = this.sim.now;
    const maxChain = this.cfg.policy.maxChain;
    const staged = this.cfg.policy.offline === 'staged';
    const lastOnline = staged ? this.conn.lastOnline(p, now) : 0;
    return (lot) =>
      lot.record.coin.expiry > now &&
      lot.record.chain.length < maxChain &&
      (!staged || lot.record.chain.length === 0 || lot.receivedAt < lastOnline);
  }

  spendableBalance(p: Party): number {
    const ok = this.spendable(p);
    let sum = 0;
    for (const lot of p.card.lots.values()) if (ok(lot)) sum += lot.remaining;
    return sum;
  }

  // --- Users ----------------------------------------------------------------------------------------
  private paymentDue(u: Party, rate: number): void {
    this.sim.schedule(u.rng.exponential(rate), () => this.paymentDue(u, rate));
    if (u.card.breached) return; // an attacker's card is driven by fraud.ts
    const { cfg } = this;
    const amount = Math.max(1, Math.round(cfg.payments.basketMedian * Math.exp(cfg.payments.basketSigma * u.rng.normal())));
    const online = this.online(u);
    if (online) {
      u.card.syncedOnline();
      this.refresh(u);
      if (this.spendableBalance(u) < Math.max(amount, cfg.withdrawal.topUpBelow)) this.withdraw(u, amount);
    }
    const eligible = this.spendable(u);
    let parts: PaymentPart[];
    try {
      parts = u.card.offer(amount, { eligible });
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      this.counts.declined++;
      return;
    }
    // Value withdrawn goes to a person with p2pShare; value received from a person travels on with
    // 1 - 1/meanChain, so person-to-person chains have the scenario's mean length.
    const received = parts[0]!.record.chain.length > 0;
    const toPerson = cfg.users > 1 && u.rng.bernoulli(received ? 1 - 1 / cfg.payments.meanChain : cfg.payments.p2pShare);
    const payee = toPerson || cfg.shops === 0 ? this.otherUser(u) : this.shopFor(u);
    let fresh = false;
    if (amount > cfg.policy.onlineCheckAbove) {
      if (!this.online(payee)) {
        this.counts.declined++;
        return;
      }
      fresh = true;
    }
    try {
      this.payNow(u, parts, payee, online, fresh);
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      return;
    }
    if (toPerson) this.counts.transfers++;
  }

  private otherUser(u: Party): Party {
    const other = u.rng.int(this.cfg.users - 1);
    return this.parties.users[other >= u.index ? other + 1 : other]!;
  }

  /** A shop by popularity, or one of the user's favourites when the scenario limits them. */
  private shopFor(u: Party): Party {
    const k = this.cfg.payments.shopsPerUser;
    if (k === 0) return this.parties.shops[u.rng.zipf(this.shopPopularity)]!;
    if (u.favourites === undefined) {
      const picked = new Set<number>();
      while (picked.size < Math.min(k, this.cfg.shops)) picked.add(u.rng.zipf(this.shopPopularity));
      u.favourites = [...picked];
    }
    return this.parties.shops[u.rng.pick(u.favourites)]!;
  }

  private withdrawalDue(u: Party): void {
    this.sim.schedule(u.rng.exponential(1 / this.cfg.withdrawal.interval), () => this.withdrawalDue(u));
    if (u.card.breached || !this.online(u)) return;
    this.withdraw(u, 0);
  }

  /** One payment through the real handshake; a payee's refusal is counted and rethrown. */
  payNow(payer: Party, parts: PaymentPart[], payee: Party, payerOnline: boolean, fresh = false): void {
    const policy = { maxChain: this.cfg.policy.maxChain, blocklist: this.blocklistOf(payee, fresh) };
    try {
      pay(this.ctx(), this.parties.payeeVerifier, payer.card, parts, payee.card, policy, payerOnline);
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      this.counts.refused++;
      this.log('refused', { payer: payer.name, payee: payee.name, code: e.code, field: e.field });
      throw e;
    } finally {
      payer.card.sweep();
    }
    const amount = parts.reduce((s, p) => s + p.amount, 0);
    this.counts.payments++;
    this.counts.paymentValue += amount;
    this.log('payment', { payer: payer.name, payee: payee.name, amount, parts: parts.length });
  }

  /** Withdraws the scenario's amount (at least `need`), greedy over denominations, as far as the account allows. */
  withdraw(u: Party, need: number): void {
    const { cfg, parties } = this;
    const want = Math.max(need, cfg.withdrawal.amount);
    const denominations = this.denominationsLargestFirst;
    const smallest = denominations[denominations.length - 1]!;
    let left = want;
    const coins: number[] = [];
    for (const d of denominations) while (left >= d) (coins.push(d), (left -= d));
    if (left > 0) coins.push(smallest);
    const balance = u.bank.balance(u.name);
    let total = 0;
    const affordable = coins.filter((d) => (total + d <= balance ? ((total += d), true) : false));
    if (affordable.length === 0) return;
    if (cfg.withdrawal.freshKey) parties.register(u);
    this.counts.withdrawals++;
    for (const d of affordable) {
      withdrawCoin(this.ctx(), u.card, u.bank, u.name, parties.issuer, d, parties.epoch);
      this.counts.coinsIssued++;
      this.counts.valueIssued += d;
    }
    this.log('withdrawal', { user: u.name, coins: affordable.length, value: total });
  }

  /** Expiry and refresh: lots whose coin expires soon go back online (deposit), fresh coins come on demand. */
  private refresh(u: Party): void {
    const soon = this.sim.now + this.cfg.coins.refreshBefore;
    const now = this.sim.now;
    const parts = everything(u.card, (lot) => lot.record.coin.expiry <= soon && lot.record.coin.expiry > now);
    if (parts.length === 0) return;
    this.depositParts(u, parts);
    this.counts.refreshes++;
  }

  depositParts(p: Party, parts: PaymentPart[]): number {
    const amount = deposit(this.ctx(), this.parties.bankVerifier, p.card, p.bank, p.name, parts);
    p.lastDeposit = this.sim.now;
    this.counts.deposits++;
    this.counts.depositValue += amount;
    this.log('deposit', { party: p.name, amount, records: parts.length });
    return amount;
  }

  // --- Shops and banks ------------------------------------------------------------------------------
  private shopDeposits(s: Party): void {
    if (!this.online(s)) {
      // Cut off (daily spell, disaster): try again within the hour rather than skip a whole interval, or a
      // shop whose deposit time falls in its daily spell would never deposit.
      this.sim.schedule(Math.min(HOUR, this.cfg.shopDepositInterval), () => this.shopDeposits(s));
      return;
    }
    this.sim.schedule(this.cfg.shopDepositInterval, () => this.shopDeposits(s));
    const now = this.sim.now;
    const parts = everything(s.card, (lot) => lot.record.coin.expiry > now && lot.record.chain.length <= this.cfg.policy.maxChain);
    if (parts.length > 0) this.depositParts(s, parts);
  }

  /** A bank sends what it holds; the issuer processes it `issuerDelay` later. */
  private bankReturns(bankId: number): void {
    this.sim.schedule(this.cfg.bankReturnInterval, () => this.bankReturns(bankId));
    const bank = this.parties.banks[bankId]!;
    const batches: ReturnBatch[] = [];
    for (let batch = bank.takeBatch(this.cfg.batchMax); batch !== undefined; batch = bank.takeBatch(this.cfg.batchMax)) batches.push(batch);
    if (batches.length === 0) return;
    // Every signature in these records was made before now.
    const mark = this.work?.mark() ?? 0;
    if (this.cfg.issuerDelay === 0) this.issuerProcesses(bank, batches, mark);
    else this.sim.schedule(this.cfg.issuerDelay, () => this.issuerProcesses(bank, batches, mark));
  }

  private issuerProcesses(bank: Bank, batches: readonly ReturnBatch[], mark: number): void {
    // The issuer writes returned records, signatures and all, to its stores: they must be real bytes by then.
    // With a processing delay the workers have had that long to make them, so this seldom waits.
    if (this.work !== undefined && !this.work.settledBefore(mark)) {
      this.work.requestSettle(mark);
      this.sim.schedule(0, () => this.issuerProcesses(bank, batches, mark));
      return;
    }
    // The issuer checks each record as it writes it: streamed, its checks run on the workers meanwhile.
    if (this.work !== undefined) this.work.stream(() => this.processReturns(bank, batches));
    else this.processReturns(bank, batches);
    // A bank's return is a natural commit point for the issuer (the stores commit in groups, not per coin).
    this.parties.commitGroup();
  }

  private processReturns(bank: Bank, batches: readonly ReturnBatch[]): void {
    const bankId = bank.id;
    for (const batch of batches) {
      const r = this.parties.issuer.processReturn(batch, this.sim.now);
      bank.settled += r.settled;
      this.counts.returnBatches++;
      this.counts.settledValue += r.settled;
      for (const s of r.statuses) {
        if (s === 'credited') this.counts.recordsReturned++;
        else if (s === 'duplicate') this.counts.recordsDuplicate++;
        else this.counts.recordsRejected++;
      }
      this.log('return', { bank: bankId, batch: batch.batch, records: batch.records.length, settled: r.settled });
      for (const d of r.detections) this.detected(d);
    }
  }

  /** A detection: logged under its rule; under the policy's rule the RA names the culprit and keys are blocked. */
  private detected(d: Detection): void {
    const culprit = d.culpritKey === undefined ? null : (this.parties.owner.get(keyOf(d.culpritKey))?.name ?? null);
    this.detections.push({ rule: d.rule, at: d.at, serial: String(d.serial), cause: d.cause, culprit });
    this.log('detection', { rule: d.rule, serial: String(d.serial), cause: d.cause, culprit });
    const frauds = this.frauds.filter((f) => f.serials.has(d.serial) && (culprit === null || f.culprit === culprit));
    for (const f of frauds) f.detected[d.rule] ??= d.at;
    const acting = this.cfg.policy.detection === 'both' || d.rule === this.cfg.policy.detection;
    if (!acting || d.proof === undefined) return;
    const { name } = this.parties.ra.reveal(this.parties.payeeVerifier, d.proof);
    if (!this.named.has(name)) this.named.set(name, this.sim.now);
    for (const key of this.parties.ra.keysOf(name)) this.blocklist.publish(key, this.sim.now);
    for (const f of frauds) {
      f.revealed ??= this.sim.now;
      f.named ??= name;
      f.blocklisted ??= this.sim.now;
    }
    this.log('named', { name });
  }

  // --- Issuer housekeeping and sampling ------------------------------------------------------------
  private issuerHour(): void {
    this.sim.schedule(HOUR, () => this.issuerHour());
    const { parties, cfg } = this;
    const epoch = Math.floor(this.sim.now / cfg.coins.epochLength);
    if (epoch !== parties.epoch) {
      // Requests of the epoch before last can no longer be redeemed: drop its keys and redeemed set.
      parties.issuer.retireEpoch(parties.epoch - 1);
      for (const b of parties.banks) b.retireEpoch(parties.epoch - 1);
      parties.epoch = epoch;
    }
    const { expired, expiredValue } = parties.issuer.advance(this.sim.now);
    this.counts.expiredCoins += expired;
    this.counts.expiredValue += expiredValue;
    if (Math.floor(this.sim.now / DAY) !== Math.floor((this.sim.now - HOUR) / DAY)) {
      for (const b of parties.banks) b.forgetExpired(this.sim.now - cfg.coins.grace);
    }
  }

  private sampleDue(): void {
    if (this.sim.now + this.cfg.sampleInterval < this.cfg.duration) this.sim.schedule(this.cfg.sampleInterval, () => this.sampleDue());
    this.sample();
  }

  private sample(): void {
    const p = this.parties;
    const at = {
      t: this.sim.now,
      epochPrunedLost: p.epochPruned.lostValue(),
      detected: this.frauds.filter((f) => f.revealed !== null).length,
      loss: this.frauds.reduce((s, f) => s + f.loss, 0),
      payments: this.counts.payments,
    };
    this.lastSample = this.sim.now;
    const reader = p.sizeReader;
    if (reader === undefined) {
      this.samples.push(withSizes(at, p.stores().map((s) => s.readSizes())));
      return;
    }
    // The reader sees what is committed: commit now, and it reads this moment's stores while the run goes on.
    p.commitGroup();
    reader.request();
    this.unread.push(at);
    this.takeReadings(false);
  }

  /** Completes the samples whose readings the reader has finished (with `wait`, all of them). */
  private takeReadings(wait: boolean): void {
    const reader = this.parties.sizeReader;
    if (reader === undefined) return;
    for (const readings of reader.take(wait)) this.samples.push(withSizes(this.unread.shift()!, readings));
  }

  /**
   * Runs to the end of the scenario in slices, reporting progress between them; `shouldStop` (Ctrl-C) ends
   * the run early. Returns false if it stopped early. Between events the run stops where the signature work
   * wants a barrier, and at the end every queued signature job is run and checked. A last sample is taken at
   * the end either way.
   */
  async run(onProgress?: (t: number) => void, shouldStop?: () => boolean): Promise<boolean> {
    await this.work?.keysPrepared();
    const step = Math.max(HOUR, this.cfg.duration / 200);
    let complete = true;
    for (let t = step; ; t += step) {
      const until = Math.min(t, this.cfg.duration);
      do {
        if (this.work?.wanted === true) await this.work.barrier();
        this.sim.run(until);
      } while (this.sim.now < until);
      this.parties.commitGroup();
      onProgress?.(until);
      if (until >= this.cfg.duration) break;
      if (shouldStop?.() === true) {
        complete = false;
        break;
      }
    }
    await this.work?.drain();
    if (this.lastSample !== this.sim.now) this.sample();
    this.takeReadings(true);
    return complete;
  }
}

type SizeField = 'proposed' | 'archive' | 'baseline' | 'epochPruned' | 'outstandingValue';

/** A sample from what the model knew at its time and the stores' readings then (in Parties.stores() order). */
function withSizes(at: Omit<Sample, SizeField>, [proposed, baseline, epochPruned]: readonly SizeReading[]): Sample {
  return {
    t: at.t,
    proposed: proposed!.groups['live']!,
    archive: proposed!.groups['archive']!,
    baseline: baseline!.groups['all']!,
    epochPruned: epochPruned!.groups['all']!,
    outstandingValue: proposed!.values['outstandingValue']!,
    epochPrunedLost: at.epochPrunedLost,
    detected: at.detected,
    loss: at.loss,
    payments: at.payments,
  };
}
