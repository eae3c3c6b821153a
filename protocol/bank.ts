// A bank (金融機関, paper sections 3(3), 4(2)(i), 4(4), 4(5)): customer accounts, one blind key per
// (denomination, epoch), deposits checked like any payee would, and deposited records returned to the issuer in
// batches. Every bank handles the same money because the issuer settles between them.
import type { KeyPair, RandomBytes } from './crypto/scheme.ts';
import { reject } from './errors.ts';
import { equalBytes, keyOf, sha256 } from './hash.ts';
import type { Challenge, PaymentPart, ReturnBatch, TransactionRecord, TransferStep } from './messages.ts';
import { acceptSteps, makeChallenge } from './payment.ts';
import { lastLot, type Lot, type Verifier } from './record.ts';
import type { KeySuite } from './suite.ts';

export interface BankOptions {
  readonly id: number;
  readonly suite: KeySuite;
  /** Root of the bank's key material: blind keys are derived per (denomination, epoch) from it. */
  readonly seed: Uint8Array;
  /** The key deposit steps name as payee. */
  readonly depositKey: KeyPair;
}

export class Bank {
  readonly id: number;
  readonly depositKey: KeyPair;
  private readonly suite: KeySuite;
  private readonly seed: Uint8Array;
  private readonly accounts = new Map<string, number>();
  private readonly blindKeys = new Map<string, KeyPair>();
  /** Epochs whose keys are retired: derivable from the seed, so remembered to be refused, not re-made. */
  private readonly retired = new Set<number>();
  /** Records credited, by id, until their coin expires: a replayed deposit is never credited twice. */
  private readonly credited = new Map<string, number>();
  private pending: TransactionRecord[] = [];
  private batches = 0;
  /** What the issuer has settled to this bank so far (set by whoever returns its batches). */
  settled = 0;

  constructor(options: BankOptions) {
    this.id = options.id;
    this.suite = options.suite;
    this.seed = options.seed;
    this.depositKey = options.depositKey;
  }

  open(account: string, balance: number): void {
    if (this.accounts.has(account)) throw new Error(`bank ${this.id}: account '${account}' already exists`);
    this.accounts.set(account, balance);
  }

  balance(account: string): number {
    const b = this.accounts.get(account);
    if (b === undefined) return reject('unknown-account', 'account', account);
    return b;
  }

  /** Total held in customer accounts (for money conservation). */
  get deposits(): number {
    let sum = 0;
    for (const b of this.accounts.values()) sum += b;
    return sum;
  }

  /** The blind key for (denomination, epoch), made on first use; deterministic from the bank's seed. */
  blindKey(denomination: number, epoch: number): KeyPair {
    if (this.retired.has(epoch)) reject('unknown-key', 'epoch', `epoch ${epoch} is retired`);
    const k = `${denomination}:${epoch}`;
    let key = this.blindKeys.get(k);
    if (key === undefined) {
      key = this.suite.bank.keygen(this.blindKeySeed(denomination, epoch));
      this.blindKeys.set(k, key);
    }
    return key;
  }

  /** The seed the blind key for (denomination, epoch) is made from (so a caller can make it ahead, elsewhere). */
  blindKeySeed(denomination: number, epoch: number): Uint8Array {
    return sha256(this.seed, new TextEncoder().encode(`bank-blind:${denomination}:${epoch}`));
  }

  /** Forgets an expired epoch's keys, so its issuance requests can no longer be made. */
  retireEpoch(epoch: number): void {
    this.retired.add(epoch);
    for (const k of this.blindKeys.keys()) if (k.endsWith(`:${epoch}`)) this.blindKeys.delete(k);
  }

  /** Withdrawal step (i): debits the account and blind-signs what the user blinded. */
  withdraw(account: string, denomination: number, epoch: number, blindedMessage: Uint8Array): Uint8Array {
    const balance = this.balance(account);
    if (balance < denomination) reject('insufficient-funds', 'denomination', `${denomination} from a balance of ${balance}`);
    const sig = this.suite.bank.blindSign(this.blindKey(denomination, epoch).secretKey, blindedMessage);
    this.accounts.set(account, balance - denomination);
    return sig;
  }

  depositChallenge(random: RandomBytes): Challenge {
    return makeChallenge(this.depositKey.publicKey, random);
  }

  /**
   * Deposit: the customer's card signs the lots over to the bank's deposit key (so only the holder named last
   * can deposit), the bank checks it as any payee would and credits the account. Returns the amount credited.
   */
  deposit(
    v: Verifier,
    account: string,
    parts: readonly PaymentPart[],
    lots: readonly Lot[],
    challenge: Challenge,
    steps: readonly TransferStep[],
  ): number {
    const balance = this.balance(account);
    const { records, lots: received } = acceptSteps(v, parts, lots, challenge, steps);
    // All or nothing: a deposit refused at its second record must not have queued its first.
    const ids = received.map((lot) => keyOf(lot.id));
    ids.forEach((id, i) => {
      if (this.credited.has(id) || ids.indexOf(id) !== i) reject('duplicate-deposit', `steps[${i}]`);
    });
    let amount = 0;
    records.forEach((record, i) => {
      const id = ids[i]!;
      this.credited.set(id, record.coin.expiry);
      this.pending.push(record);
      amount += received[i]!.amount;
    });
    this.accounts.set(account, balance + amount);
    return amount;
  }

  /**
   * A deposit presented as a finished record rather than through the handshake (how a replayed deposit
   * arrives): checked like any record a payee receives, it must end in a step to this bank's deposit key and
   * must not have been credited before. The amount credited is the record's own. Returns it.
   */
  depositRecord(v: Verifier, account: string, record: TransactionRecord): number {
    const balance = this.balance(account);
    const lot = lastLot(v, record);
    if (record.chain.length === 0 || !equalBytes(lot.holderKey, this.depositKey.publicKey)) reject('wrong-payee', 'record.chain', 'not a deposit to this bank');
    const k = keyOf(lot.id);
    if (this.credited.has(k)) reject('duplicate-deposit', 'record');
    this.credited.set(k, record.coin.expiry);
    this.pending.push(record);
    this.accounts.set(account, balance + lot.amount);
    return lot.amount;
  }

  /** The pending record at `index` (oldest first), not yet returned. */
  peekPending(index: number): TransactionRecord | undefined {
    return this.pending[index];
  }

  get pendingRecords(): number {
    return this.pending.length;
  }

  /** The next batch to return to the issuer (up to `max` records), or undefined if nothing is pending. */
  takeBatch(max: number): ReturnBatch | undefined {
    if (this.pending.length === 0) return undefined;
    const records = this.pending.slice(0, max);
    this.pending = this.pending.slice(records.length);
    return { bank: this.id, batch: this.batches++, records };
  }

  /** Forgets credited ids of coins expired before `now`: the issuer refuses those records anyway. */
  forgetExpired(now: number): void {
    for (const [id, expiry] of this.credited) if (expiry < now) this.credited.delete(id);
  }
}
