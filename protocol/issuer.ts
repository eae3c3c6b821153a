// The issuer (発行機関, paper sections 3(4), 4(2)(ii), 4(5), 4(6)): issues coins whose serials it knows,
// refuses a redeemed issuance request, processes returned records, detects overspending under both rules,
// and builds the proof the RA needs to name the culprit. Settlement with banks is the amount it credits per
// returned batch.
import { shortLived } from './bytes.ts';
import type { KeyPair } from './crypto/scheme.ts';
import { ProtocolError, reject } from './errors.ts';
import { equalBytes } from './hash.ts';
import { coinId, coinSignedPart, issuanceMessage, requestId, signedCoin, stepId, stepSignedPart } from './ids.ts';
import { Coin, TransferStep, type OverspendProof, type Redemption, type ReturnBatch, type TransactionRecord } from './messages.ts';
import { checkCertificate, VerifiedSet, type Verifier } from './record.ts';
import type { ProposedStore } from './store/proposed.ts';
import type { IssuerStore } from './store/store.ts';
import type { KeySuite } from './suite.ts';
import { buildProof } from './tracing.ts';

export type DetectionRule = 'paper' | 'tree';

/** Largest serial the store can hold (SQLite INTEGER is signed 64-bit). */
const MAX_SERIAL = 2n ** 63n - 1n;

export interface IssuerPolicy {
  /** Seconds from issue to expiry. */
  readonly coinLifetime: number;
  /** Seconds after expiry a coin's records are still accepted (the refresh window) before it is archived. */
  readonly expiryGrace: number;
  /** Seconds archived coins are kept for tracing; Infinity keeps them for ever. */
  readonly archiveRetention: number;
  readonly maxChain: number;
}

export interface Detection {
  readonly rule: DetectionRule;
  readonly serial: bigint;
  /** Sim time of detection. */
  readonly at: number;
  readonly cause: 'overspent-lot' | 'sum-exceeds-value' | 'after-deletion';
  /** The overspent lot, its holder and the proof, where the issuer's records show them. */
  readonly lot?: Uint8Array;
  readonly culpritKey?: Uint8Array;
  readonly proof?: OverspendProof;
}

export type RecordStatus = 'credited' | 'duplicate' | 'rejected';

export interface ReturnResult {
  readonly bank: number;
  readonly batch: number;
  /** Value settled to the bank: the deposited amounts of records credited now. */
  readonly settled: number;
  readonly statuses: readonly RecordStatus[];
  readonly errors: readonly { readonly index: number; readonly error: ProtocolError }[];
  readonly detections: readonly Detection[];
  /** Steps whose signatures were checked (the rest were already in the store). */
  readonly verified: number;
}

interface BankEntry {
  readonly depositKey: Uint8Array;
  readonly blindKey: (denomination: number, epoch: number) => Uint8Array | undefined;
}

export interface IssuerOptions {
  readonly suite: KeySuite;
  readonly keyPair: KeyPair;
  readonly raKey: Uint8Array;
  readonly store: ProposedStore;
  /** Other stores fed the same issues and returns (baseline, epoch-pruned), for comparison. */
  readonly mirrors?: readonly IssuerStore[];
  readonly policy: IssuerPolicy;
}

export class Issuer {
  private readonly banks = new Map<number, BankEntry>();
  private nextSerial = 1n;
  private readonly v: Verifier;
  private lastPrune = 0;

  constructor(private readonly o: IssuerOptions) {
    this.v = { suite: o.suite, raKey: o.raKey, issuerKey: o.keyPair.publicKey, verified: new VerifiedSet() };
  }

  get publicKey(): Uint8Array {
    return this.o.keyPair.publicKey;
  }

  get store(): ProposedStore {
    return this.o.store;
  }

  /** Serials issued so far. */
  get issuedCount(): number {
    return Number(this.nextSerial - 1n);
  }

  registerBank(id: number, entry: BankEntry): void {
    this.banks.set(id, entry);
  }

  /** Withdrawal step (ii): checks the request and certificate, refuses a replay, issues the coin. */
  redeem(r: Redemption, now: number): Coin {
    const { request, certificate } = r;
    checkCertificate(this.v, certificate, 'certificate');
    if (!equalBytes(certificate.userKey, request.userKey)) reject('bad-request', 'request.userKey', 'not the certified key');
    const bankKey = this.banks.get(request.bank)?.blindKey(request.denomination, request.epoch);
    if (bankKey === undefined) reject('unknown-key', 'request', `bank ${request.bank}, ${request.denomination} in epoch ${request.epoch}`);
    const prepared = concat(request.prefix, issuanceMessage(request));
    if (!this.o.suite.bank.verify(bankKey, prepared, request.bankSig)) reject('bad-request', 'request.bankSig');
    const id = requestId(request);
    const coin = this.o.store.transaction(() => {
      if (!this.o.store.redeem(request.epoch, id)) reject('replayed-request', 'request');
      const unsigned = {
        serial: this.nextSerial++,
        value: request.denomination,
        epoch: request.epoch,
        expiry: Math.floor(now + this.o.policy.coinLifetime),
        holderKey: request.userKey,
      };
      const signed = signedCoin(unsigned, this.o.suite.issuer.sign(this.o.keyPair.secretKey, coinSignedPart(unsigned)));
      this.o.store.issue(signed, Coin.encodeShortLived(signed), coinId(signed));
      for (const m of this.o.mirrors ?? []) m.issued(signed);
      return signed;
    });
    return coin;
  }

  /** An epoch's bank keys have expired: its redeemed-request set is no longer needed. */
  retireEpoch(epoch: number): void {
    this.o.store.dropRedeemed(epoch);
  }

  /**
   * Return (還流) and fraud detection: each record is checked, deduplicated by id (a batch returned twice, or
   * cut off and retried, credits nothing twice), added to its coin's transfer tree, and checked under both
   * rules. One transaction per batch.
   */
  processReturn(batch: ReturnBatch, now: number): ReturnResult {
    const bank = this.banks.get(batch.bank);
    if (bank === undefined) reject('unknown-key', 'bank', `bank ${batch.bank} is not registered`);
    const statuses: RecordStatus[] = [];
    const errors: { index: number; error: ProtocolError }[] = [];
    const detections: Detection[] = [];
    let settled = 0;
    let verified = 0;
    this.transaction(() => {
      batch.records.forEach((record, index) => {
        try {
          const r = this.returnRecord(record, bank.depositKey, now, detections, `records[${index}]`);
          statuses.push(r.status);
          settled += r.settled;
          verified += r.verified;
        } catch (e) {
          if (!(e instanceof ProtocolError)) throw e;
          statuses.push('rejected');
          errors.push({ index, error: e });
        }
      });
    });
    return { bank: batch.bank, batch: batch.batch, settled, statuses, errors, detections, verified };
  }

  private returnRecord(
    record: TransactionRecord,
    depositKey: Uint8Array,
    now: number,
    detections: Detection[],
    at: string,
  ): { status: RecordStatus; settled: number; verified: number } {
    const { coin, chain } = record;
    const store = this.o.store;
    if (chain.length === 0) reject('bad-step', `${at}.chain`, 'a returned record ends in a deposit step');
    if (chain.length > this.o.policy.maxChain + 1) reject('chain-too-long', `${at}.chain`);
    // Serials count up from 1 in a signed 64-bit SQLite column: a larger one was never issued, and binding it would
    // throw a RangeError out of the store (and abort the whole batch) instead of refusing this one record.
    if (coin.serial > MAX_SERIAL) reject('bad-coin', `${at}.coin.serial`, 'never issued');
    const last = chain[chain.length - 1]!;
    if (!equalBytes(last.payeeKey, depositKey)) reject('wrong-payee', `${at}.chain[${chain.length - 1}].payeeKey`, "not the returning bank's deposit key");
    const ids = [coinId(coin), ...chain.map((s) => stepId(s))];
    const recordId = ids[ids.length - 1]!;
    // Which of the record's lots the store holds. A coin's lots are where its row is, live or archived (archive()
    // moves them together), so each is one probe of one table. A step from another coin's tree cannot link to
    // this coin (its id covers its link), so the link checks below refuse such a record, as they would anyway.
    const row = store.coin(coin.serial);
    const known = ids.map((id) => row !== undefined && store.hasLot(coin.serial, id, row.archived));
    if (known[known.length - 1]) return { status: 'duplicate', settled: 0, verified: 0 };

    // The coin: our own positive list vouches for it; otherwise (archive pruned) its signature must.
    const root = known[0]!;
    if (!root && !this.o.suite.issuer.verify(this.o.keyPair.publicKey, coinSignedPart(coin), coin.issuerSig)) {
      reject('bad-coin', `${at}.coin.issuerSig`);
    }
    if (row !== undefined && !root) reject('bad-coin', `${at}.coin`, 'serial issued with other contents');
    if (row !== undefined && row.archived && row.returned < row.value) reject('expired', `${at}.coin`, 'returned after the refresh window');

    // Steps: known ones were checked when first stored; check the rest against their parent lot. Every link is
    // checked, known or not: a known step vouches for its own parent, not for the coin and steps put before it.
    let verified = 0;
    for (let i = 0; i < chain.length; i++) {
      const step = chain[i]!;
      const field = `${at}.chain[${i}]`;
      if (!equalBytes(step.from, ids[i]!)) reject('bad-step', `${field}.from`);
      if (known[i + 1]) continue;
      const parentAmount = i === 0 ? coin.value : chain[i - 1]!.amount;
      const holder = i === 0 ? coin.holderKey : chain[i - 1]!.payeeKey;
      if (step.amount < 1 || step.amount > parentAmount) reject('bad-step', `${field}.amount`);
      if (!this.o.suite.card.verify(holder, stepSignedPart(step), step.sig)) reject('bad-step', `${field}.sig`);
      verified++;
    }

    const returnedRecord = { id: recordId, serial: coin.serial, epoch: coin.epoch, amount: last.amount, at: now };
    if (row === undefined) {
      // A genuine coin whose archive was pruned: detected, but nothing left to trace it with.
      for (const m of this.o.mirrors ?? []) m.returned(returnedRecord);
      if (store.flag(recordId, 'paper', coin.serial, now)) detections.push({ rule: 'paper', serial: coin.serial, at: now, cause: 'after-deletion' });
      if (store.flag(recordId, 'tree', coin.serial, now)) detections.push({ rule: 'tree', serial: coin.serial, at: now, cause: 'after-deletion' });
      return { status: 'credited', settled: last.amount, verified };
    }

    const archived = row.archived;
    for (let i = 0; i < chain.length; i++) {
      if (known[i + 1]) continue;
      const spent = store.addStep(ids[i + 1]!, coin.serial, chain[i]!.amount, TransferStep.encodeShortLived(chain[i]!), ids[i]!, archived);
      const held = i === 0 ? coin.value : chain[i - 1]!.amount;
      // Tree rule: a holder has signed away more than it received, whatever the rest of the coin is doing.
      if (spent > held && store.flag(ids[i]!, 'tree', coin.serial, now)) {
        detections.push(this.traced('tree', row.coin, ids[0]!, ids[i]!, coin.serial, now, 'overspent-lot'));
      }
    }
    for (const m of this.o.mirrors ?? []) m.returned(returnedRecord);

    // Paper rule: sum the deposits per serial; over the value, or back after deletion, is fraud.
    const returned = store.addReturned(coin.serial, last.amount, archived);
    if (archived || returned > row.value) {
      const cause = archived ? 'after-deletion' : 'sum-exceeds-value';
      const overspent = store.lotsOf(coin.serial).filter((lot) => lot.spent > lot.amount);
      for (const lot of overspent) {
        if (store.flag(lot.id, 'paper', coin.serial, now)) detections.push(this.traced('paper', row.coin, ids[0]!, lot.id, coin.serial, now, cause));
      }
      // The sum says fraud but no lot shows it (records of the overspent lot not all back): still a detection.
      if (overspent.length === 0 && store.flag(recordId, 'paper', coin.serial, now)) detections.push({ rule: 'paper', serial: coin.serial, at: now, cause });
    }
    // The sum has reached the value, exactly or past it (an overspend): nothing of the coin is outstanding.
    if (!archived && returned >= row.value) store.archive(coin.serial, now);
    return { status: 'credited', settled: last.amount, verified };
  }

  /**
   * One transaction on every store at once: a batch is written whole or not at all, and each store commits
   * once per batch rather than once per record (a commit per record was most of a 90-day run's time).
   */
  private transaction<T>(fn: () => T): T {
    return (this.o.mirrors ?? []).reduce<() => T>((inner, m) => () => m.transaction(inner), () => this.o.store.transaction(fn))();
  }

  private traced(
    rule: DetectionRule,
    encodedCoin: Uint8Array,
    rootId: Uint8Array,
    lot: Uint8Array,
    serial: bigint,
    now: number,
    cause: Detection['cause'],
  ): Detection {
    const coin = Coin.decode(encodedCoin);
    const steps = this.o.store
      .lotsOf(serial)
      .flatMap((l) => (l.step === null ? [] : [{ id: l.id, step: TransferStep.decode(l.step) }]));
    const proof = buildProof(coin, rootId, steps, lot);
    if (proof === undefined) return { rule, serial, at: now, cause, lot };
    const culpritKey = proof.lot.chain.length === 0 ? coin.holderKey : proof.lot.chain[proof.lot.chain.length - 1]!.payeeKey;
    return { rule, serial, at: now, cause, lot, culpritKey, proof };
  }

  /** Time passes: expired coins leave the live tables, old archive entries are pruned, mirrors follow. */
  advance(now: number): { expired: number; expiredValue: number } {
    const store = this.o.store;
    let expiredValue = 0;
    const serials = store.expiring(now - this.o.policy.expiryGrace);
    this.transaction(() => {
      for (const serial of serials) {
        const row = store.coin(serial);
        if (row !== undefined) expiredValue += row.value - row.returned;
        store.archive(serial, now);
      }
      if (Number.isFinite(this.o.policy.archiveRetention) && now - this.lastPrune >= 3600) {
        store.pruneArchive(now - this.o.policy.archiveRetention);
        this.lastPrune = now;
      }
      for (const m of this.o.mirrors ?? []) m.advance(now);
    });
    return { expired: serials.length, expiredValue };
  }
}

/** a || b, for a check that drops it at once: from a slab (protocol/bytes.ts), a prepared message being 91 bytes. */
function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = shortLived(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

