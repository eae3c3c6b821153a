// The IC card (wallet): holds the user's keys and the value received, and is the before-the-fact defence
// (paper section 3(1)): it never signs away more of a lot than it holds, and can cap what it pays while
// offline. A breached card is one whose key and state an attacker has extracted: it signs whatever it is
// asked, which is what the after-the-fact defence (tracing) is for.
import type { KeyPair, SignatureScheme } from './crypto/scheme.ts';
import { reject } from './errors.ts';
import { keyOf } from './hash.ts';
import { coinId, signedStep, stepId, stepSignedPart } from './ids.ts';
import type { Certificate, Challenge, PaymentPart, TransactionRecord, TransferStep } from './messages.ts';
import type { Lot } from './record.ts';

export interface Identity {
  readonly keyPair: KeyPair;
  readonly certificate: Certificate;
}

export interface HeldLot {
  readonly record: TransactionRecord;
  readonly id: Uint8Array;
  readonly identity: Identity;
  /** What is left of the lot to spend. */
  remaining: number;
  /** Sim time it arrived on the card, for staged-offline and expiry choices. */
  readonly receivedAt: number;
}

export interface CardOptions {
  /** Most the card pays between two online syncs; omit for no limit. */
  readonly offlineLimit?: number;
}

export interface OfferOptions {
  /** Only spend lots this accepts (e.g. staged offline: value that has not been online yet is refused). */
  readonly eligible?: (lot: HeldLot) => boolean;
  /** Pay from this lot only, ignoring what is left of it: possible only on a breached card. */
  readonly lot?: HeldLot;
}

/** What a card with no lots shows: a national run has many idle cards, and an empty Map costs ~180 bytes. */
const NO_LOTS: ReadonlyMap<string, HeldLot> = new Map();

export class Card {
  // The identities array and the lots Map are made on first use, at the size they need: a national run holds
  // 100,000 cards, most of them idle at any moment (npm run bench -- sim: memory per idle user).
  private ids: Identity[] | undefined;
  private held: Map<string, HeldLot> | undefined;
  breached = false;
  private spentOffline = 0;
  /** Most the card pays between two online syncs; undefined for no limit. */
  private readonly offlineLimit: number | undefined;

  constructor(
    private readonly scheme: SignatureScheme,
    options: CardOptions = {},
  ) {
    this.offlineLimit = options.offlineLimit;
  }

  /** Every key registered to this card, oldest first. */
  get identities(): readonly Identity[] {
    return this.ids ?? [];
  }

  /** Lots by id, in order of arrival (Map keeps insertion order, so spending is oldest-first). */
  get lots(): ReadonlyMap<string, HeldLot> {
    return this.held ?? NO_LOTS;
  }

  addIdentity(identity: Identity): void {
    // A literal of one, not a push onto [], which would reserve room for 17.
    if (this.ids === undefined) this.ids = [identity];
    else this.ids.push(identity);
  }

  /** The key payers name as next holder: the latest registration. */
  get receivingIdentity(): Identity {
    const id = this.ids?.[this.ids.length - 1];
    if (id === undefined) throw new Error('card has no registered key');
    return id;
  }

  get balance(): number {
    let sum = 0;
    for (const lot of this.lots.values()) sum += lot.remaining;
    return sum;
  }

  /** Stores value the payee side has checked: `lot` is the checked last lot of `record`. */
  receive(record: TransactionRecord, lot: Lot, now: number): HeldLot {
    const identity = this.ids?.find((i) => keyOf(i.keyPair.publicKey) === keyOf(lot.holderKey));
    if (identity === undefined) throw new Error('card asked to hold a lot for a key it does not have');
    const held: HeldLot = { record, id: lot.id, identity, remaining: lot.amount, receivedAt: now };
    (this.held ??= new Map()).set(keyOf(lot.id), held);
    return held;
  }

  /** An offer for `amount`, oldest lots first, the last one split. Throws if the card does not hold enough. */
  offer(amount: number, options: OfferOptions = {}): PaymentPart[] {
    if (!Number.isInteger(amount) || amount < 1) reject('insufficient-value', 'amount', `not a positive integer: ${amount}`);
    if (options.lot !== undefined) {
      if (!this.breached && options.lot.remaining < amount) reject('insufficient-value', 'amount');
      return [{ certificate: options.lot.identity.certificate, record: options.lot.record, amount }];
    }
    const parts: PaymentPart[] = [];
    let left = amount;
    for (const lot of this.lots.values()) {
      if (lot.remaining === 0 || (options.eligible !== undefined && !options.eligible(lot))) continue;
      const take = Math.min(left, lot.remaining);
      parts.push({ certificate: lot.identity.certificate, record: lot.record, amount: take });
      left -= take;
      if (left === 0) return parts;
    }
    return reject('insufficient-value', 'amount', `card holds ${amount - left} of ${amount} spendable`);
  }

  /**
   * Signs one step per part for the payee's challenge and lowers what each lot holds. The tamper-resistant
   * check: an honest card refuses parts larger than what is left of the lot, and payments over its offline
   * limit; a breached card signs anyway.
   */
  sign(parts: readonly PaymentPart[], challenge: Challenge, online = false): TransferStep[] {
    const lots = parts.map((part, i) => {
      const lot = this.lots.get(keyOf(lotIdOf(part.record)));
      if (lot === undefined) return reject('insufficient-value', `parts[${i}].record`, 'card does not hold this lot');
      return lot;
    });
    if (!this.breached) {
      const need = new Map<HeldLot, number>();
      parts.forEach((part, i) => need.set(lots[i]!, (need.get(lots[i]!) ?? 0) + part.amount));
      for (const [lot, amount] of need) if (amount > lot.remaining) reject('insufficient-value', 'parts', 'more than the lot holds');
      const total = parts.reduce((s, p) => s + p.amount, 0);
      const limit = this.offlineLimit;
      if (!online && limit !== undefined && this.spentOffline + total > limit) {
        reject('offline-limit', 'parts', `${this.spentOffline} + ${total} over ${limit}`);
      }
    }
    return parts.map((part, i) => {
      const lot = lots[i]!;
      const unsigned = { from: lot.id, amount: part.amount, payeeKey: challenge.payeeKey, nonce: challenge.nonce };
      const sig = this.scheme.sign(lot.identity.keyPair.secretKey, stepSignedPart(unsigned));
      lot.remaining = Math.max(0, lot.remaining - part.amount);
      if (!online) this.spentOffline += part.amount;
      return signedStep(unsigned, sig);
    });
  }

  /** Drops spent lots; called after payments so the card's memory tracks what it holds. */
  sweep(): void {
    if (this.breached) return; // the attacker keeps the extracted state, to spend it again
    if (this.held === undefined) return;
    for (const [k, lot] of this.held) if (lot.remaining === 0) this.held.delete(k);
    if (this.held.size === 0) this.held = undefined; // back to an idle card's memory
  }

  /** An online sync resets the offline allowance. */
  syncedOnline(): void {
    this.spentOffline = 0;
  }
}

/** The id of the lot a record ends in, without checking signatures (the card trusts its own store). */
export function lotIdOf(record: TransactionRecord): Uint8Array {
  const last = record.chain[record.chain.length - 1];
  return last === undefined ? coinId(record.coin) : stepId(last);
}
