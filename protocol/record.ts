// Checking a transaction record: the coin is the issuer's, every step is signed by the holder the step before
// it named, spends from that holder's lot, and passes on no more than the lot held. The payee, the bank and the
// issuer all run exactly this check (paper section 4(3)-(5)).
import { coinId, coinSignedPart, stepId, stepSignedPart } from './ids.ts';
import { Certificate, type TransactionRecord } from './messages.ts';
import { equalBytes, keyOf } from './hash.ts';
import { reject } from './errors.ts';
import type { KeySuite } from './suite.ts';

/**
 * Signatures already checked, by (id, signature): a real payee's card could keep the same cache. Keyed by the id
 * alone, holding the signature to compare: one short string per lookup, not the id's and the signature's joined
 * (this was 3% of the main thread of a national slice). A second signature over the same id replaces the first,
 * which then just misses and is checked again.
 */
export class VerifiedSet {
  private current = new Map<string, Uint8Array>();
  private previous = new Map<string, Uint8Array>();
  constructor(private readonly capacity = 1 << 16) {}

  has(id: Uint8Array, sig: Uint8Array): boolean {
    const k = keyOf(id);
    const hit = this.current.get(k);
    if (hit !== undefined) return equalBytes(hit, sig);
    const old = this.previous.get(k);
    if (old === undefined || !equalBytes(old, sig)) return false;
    this.put(k, old);
    return true;
  }

  add(id: Uint8Array, sig: Uint8Array): void {
    // A copy: the caller's array may change after this (a signature still being made, in the simulator).
    this.put(keyOf(id), sig.slice());
  }

  private put(k: string, sig: Uint8Array): void {
    // Two generations: hot entries survive a rotation, memory stays under 2 * capacity.
    if (this.current.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(k, sig);
  }
}

/** Who checks, against which keys. */
export interface Verifier {
  readonly suite: KeySuite;
  readonly raKey: Uint8Array;
  readonly issuerKey: Uint8Array;
  readonly verified?: VerifiedSet;
}

/** The lot a record ends in: who holds it and how much it holds. */
export interface Lot {
  readonly id: Uint8Array;
  readonly serial: bigint;
  readonly amount: number;
  readonly holderKey: Uint8Array;
}

export interface RecordPolicy {
  /** Refuse records whose coin has expired at this time (sim seconds); omit to skip. */
  readonly now?: number;
  readonly maxChain?: number;
  /** Field path prefix for errors, e.g. `parts[2].record`. */
  readonly at?: string;
}

export function checkCertificate(v: Verifier, cert: Certificate, at = 'certificate'): void {
  const signed = Certificate.signedPart(cert, 'raSig');
  if (v.verified?.has(signed, cert.raSig)) return;
  if (!v.suite.ra.verify(v.raKey, signed, cert.raSig)) reject('bad-certificate', `${at}.raSig`);
  v.verified?.add(signed, cert.raSig);
}

/** Checks the coin's issuer signature; returns its lot id. */
export function checkCoin(v: Verifier, coin: TransactionRecord['coin'], at = 'coin'): Uint8Array {
  const id = coinId(coin);
  if (!v.verified?.has(id, coin.issuerSig)) {
    if (!v.suite.issuer.verify(v.issuerKey, coinSignedPart(coin), coin.issuerSig)) reject('bad-coin', `${at}.issuerSig`);
    v.verified?.add(id, coin.issuerSig);
  }
  return id;
}

/** Every lot along the record, root (the coin) first; throws ProtocolError on the first fault. */
export function checkRecord(v: Verifier, record: TransactionRecord, policy: RecordPolicy = {}): Lot[] {
  const at = policy.at ?? 'record';
  const { coin, chain } = record;
  if (policy.maxChain !== undefined && chain.length > policy.maxChain) {
    reject('chain-too-long', `${at}.chain`, `${chain.length} steps, policy allows ${policy.maxChain}`);
  }
  if (policy.now !== undefined && policy.now >= coin.expiry) reject('expired', `${at}.coin.expiry`);
  const lots: Lot[] = [{ id: checkCoin(v, coin, `${at}.coin`), serial: coin.serial, amount: coin.value, holderKey: coin.holderKey }];
  for (let i = 0; i < chain.length; i++) {
    const step = chain[i]!;
    const parent = lots[i]!;
    const field = `${at}.chain[${i}]`;
    if (!equalBytes(step.from, parent.id)) reject('bad-step', `${field}.from`, 'does not name the lot before it');
    if (step.amount < 1 || step.amount > parent.amount) {
      reject('bad-step', `${field}.amount`, `${step.amount} from a lot of ${parent.amount}`);
    }
    const id = stepId(step);
    if (!v.verified?.has(id, step.sig)) {
      if (!v.suite.card.verify(parent.holderKey, stepSignedPart(step), step.sig)) reject('bad-step', `${field}.sig`);
      v.verified?.add(id, step.sig);
    }
    lots.push({ id, serial: coin.serial, amount: step.amount, holderKey: step.payeeKey });
  }
  return lots;
}

/** The lot a record ends in (checked). */
export function lastLot(v: Verifier, record: TransactionRecord, policy: RecordPolicy = {}): Lot {
  const lots = checkRecord(v, record, policy);
  return lots[lots.length - 1]!;
}
