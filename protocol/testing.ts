// Test support: a small world of RA, issuer, banks and users running the real protocol, with deterministic
// randomness. Tests and benchmarks import it; the simulator has its own agents and never does.
import type { RandomBytes } from './crypto/scheme.ts';
import type { Bank } from './bank.ts';
import { Card } from './card.ts';
import { deposit, everything, pay, redeemCoin, requestIssuance, type FlowContext } from './flows.ts';
import { sha256 } from './hash.ts';
import { establishInstitutions } from './institutions.ts';
import type { Issuer, IssuerPolicy, ReturnResult } from './issuer.ts';
import type { Coin, PaymentPart, Redemption, TransactionRecord } from './messages.ts';
import type { PayeePolicy } from './payment.ts';
import { VerifiedSet, type Verifier } from './record.ts';
import type { RegistrationAuthority } from './registration.ts';
import { BaselineStore } from './store/baseline.ts';
import { EpochPrunedStore } from './store/epoch-pruned.ts';
import { ProposedStore } from './store/proposed.ts';
import { defaultSuiteNames, keySuite, type KeySuite, type KeySuiteNames } from './suite.ts';

/** A deterministic byte stream: SHA-256 in counter mode over a label. */
export function byteStream(label: string): RandomBytes {
  const seed = new TextEncoder().encode(label);
  let counter = 0;
  let pool: Uint8Array = new Uint8Array(0);
  return (n) => {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      if (pool.length === 0) pool = sha256(seed, new Uint8Array(new Uint32Array([counter++]).buffer));
      const take = Math.min(n - filled, pool.length);
      out.set(pool.subarray(0, take), filled);
      pool = pool.subarray(take);
      filled += take;
    }
    return out;
  };
}

export interface User {
  readonly name: string;
  readonly card: Card;
  readonly bank: Bank;
  readonly account: string;
  registrations: number;
}

export interface WorldOptions {
  readonly suite?: KeySuiteNames;
  /** A ready suite instead of names, e.g. one that counts or stubs its calls (bench/protocol.ts). */
  readonly keys?: KeySuite;
  readonly banks?: number;
  readonly users?: number;
  readonly balance?: number;
  readonly policy?: Partial<IssuerPolicy>;
  readonly label?: string;
}

export class World {
  readonly suite: KeySuite;
  readonly random: RandomBytes;
  readonly ra: RegistrationAuthority;
  readonly issuer: Issuer;
  readonly banks: Bank[];
  readonly users: User[] = [];
  readonly proposed = new ProposedStore();
  readonly baseline = new BaselineStore();
  readonly epochPruned = new EpochPrunedStore();
  readonly verifier: Verifier;
  /** Money created: every account's opening balance. */
  readonly created: number;
  now = 0;
  epoch = 0;
  /** Epochs whose bank keys are retired: the issuer no longer knows their keys. */
  private readonly retired = new Set<number>();

  constructor(o: WorldOptions = {}) {
    const label = o.label ?? 'world';
    this.suite = o.keys ?? keySuite(o.suite ?? defaultSuiteNames);
    this.random = byteStream(`${label}:random`);
    const seed = (what: string) => sha256(new TextEncoder().encode(`${label}:${what}`));
    const policy: IssuerPolicy = { coinLifetime: 30 * 86400, expiryGrace: 86400, archiveRetention: Infinity, maxChain: 8, ...o.policy };
    const { ra, issuer, banks } = establishInstitutions({
      suite: this.suite,
      seed,
      banks: o.banks ?? 2,
      policy,
      stores: this,
      published: (_b, _d, e) => !this.retired.has(e),
    });
    this.ra = ra;
    this.issuer = issuer;
    this.banks = banks;
    this.verifier = { suite: this.suite, raKey: this.ra.publicKey, issuerKey: this.issuer.publicKey, verified: new VerifiedSet() };
    const balance = o.balance ?? 10_000;
    for (let u = 0; u < (o.users ?? 4); u++) {
      const bank = this.banks[u % this.banks.length]!;
      const name = `user-${u}`;
      bank.open(name, balance);
      const user: User = { name, card: new Card(this.suite.card), bank, account: name, registrations: 0 };
      this.register(user);
      this.users.push(user);
    }
    this.created = balance * this.users.length;
  }

  user(i: number): User {
    const u = this.users[i];
    if (u === undefined) throw new Error(`no user ${i}`);
    return u;
  }

  /** A fresh key registered with the RA (the paper: re-register per withdrawal for unlinkability). */
  register(user: User): void {
    const keyPair = this.suite.card.keygen(sha256(new TextEncoder().encode(`${user.name}:key:${user.registrations++}`)));
    user.card.addIdentity({ keyPair, certificate: this.ra.register(keyPair.publicKey, user.name) });
  }

  withdraw(user: User, denomination: number): Coin {
    return this.redeem(user, this.redemption(user, denomination));
  }

  /** Withdrawal step (i) alone: debits the account and returns what step (ii) sends the issuer (replay tests). */
  redemption(user: User, denomination: number): Redemption {
    this.register(user);
    return requestIssuance(this.ctx(), user.card, user.bank, user.account, denomination, this.epoch);
  }

  /** Withdrawal step (ii): the issuer redeems `r` and the coin lands on the user's card. */
  redeem(user: User, r: Redemption): Coin {
    return redeemCoin(this.ctx(), user.card, this.issuer, r);
  }

  /** A payment from payer to payee through the real handshake; returns the payee's new records. */
  pay(payer: User, payee: User, amount: number, parts?: PaymentPart[], policy: PayeePolicy = {}): TransactionRecord[] {
    return pay(this.ctx(), this.verifier, payer.card, parts ?? payer.card.offer(amount), payee.card, policy).records;
  }

  /** Deposits every lot the user holds (or the given parts) at the user's bank. */
  deposit(user: User, parts?: PaymentPart[]): number {
    return deposit(this.ctx(), this.verifier, user.card, user.bank, user.account, parts ?? everything(user.card));
  }

  private ctx(): FlowContext {
    return { suite: this.suite, random: this.random, now: this.now };
  }

  /** Key rotation (PROTOCOL.md, withdrawal (ii)): the epoch's bank keys and the issuer's redeemed set are dropped. */
  retireEpoch(epoch: number): void {
    this.retired.add(epoch);
    this.issuer.retireEpoch(epoch);
    for (const bank of this.banks) bank.retireEpoch(epoch);
  }

  /** Every bank returns everything pending; the results in order. */
  returnAll(): ReturnResult[] {
    const results: ReturnResult[] = [];
    for (const bank of this.banks) {
      for (let batch = bank.takeBatch(1000); batch !== undefined; batch = bank.takeBatch(1000)) {
        const r = this.issuer.processReturn(batch, this.now);
        bank.settled += r.settled;
        results.push(r);
      }
    }
    return results;
  }

  /** Accounts + value on cards + value deposited but not yet settled... = money created (conservation). */
  moneyOnCards(): number {
    return this.users.reduce((s, u) => s + u.card.balance, 0);
  }

  moneyInAccounts(): number {
    return this.banks.reduce((s, b) => s + b.deposits, 0);
  }

  close(): void {
    this.proposed.close();
    this.baseline.close();
    this.epochPruned.close();
  }
}
