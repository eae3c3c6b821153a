// The payment handshake, payee side (paper section 4(3)), and the same handshake at a bank for a deposit
// (4(4)): the payer shows certificate and records, the payee checks them and sends a challenge, the payer's
// card signs one step per part, and the payee checks the steps and keeps the new records.
import type { RandomBytes } from './crypto/scheme.ts';
import { reject } from './errors.ts';
import { equalBytes, keyOf } from './hash.ts';
import { stepIdOfSigned, stepSignedPart } from './ids.ts';
import { NONCE_SIZE, type Challenge, type PaymentPart, type TransactionRecord, type TransferStep } from './messages.ts';
import { checkCertificate, checkRecord, type Lot, type RecordPolicy, type Verifier } from './record.ts';

export interface PayeePolicy extends RecordPolicy {
  /** Payer keys the payee has been told are compromised (as of its last sync), by `keyOf(key)`. */
  readonly blocklist?: { has(key: string): boolean };
}

/** Checks an offer before challenging: certificates, records, holder keys, amounts. Returns each part's lot. */
export function checkOffer(v: Verifier, parts: readonly PaymentPart[], policy: PayeePolicy = {}): Lot[] {
  if (parts.length === 0) reject('insufficient-value', 'parts', 'empty offer');
  // A lot offered in several parts: together they may not ask for more than it holds either, or a breached card
  // could overspend a lot inside one payment, in plain sight of the payee.
  const asked = new Map<string, number>();
  return parts.map((part, i) => {
    const at = `parts[${i}]`;
    checkCertificate(v, part.certificate, `${at}.certificate`);
    if (policy.blocklist?.has(keyOf(part.certificate.userKey))) reject('blocklisted', `${at}.certificate.userKey`);
    const lots = checkRecord(v, part.record, { ...policy, at: `${at}.record` });
    const lot = lots[lots.length - 1]!;
    if (!equalBytes(lot.holderKey, part.certificate.userKey)) {
      reject('wrong-payee', `${at}.record`, 'the record does not end with the certificate holder');
    }
    // A further step must still fit the chain policy: the payee will append one.
    if (policy.maxChain !== undefined && part.record.chain.length + 1 > policy.maxChain) {
      reject('chain-too-long', `${at}.record.chain`, `paying on would make ${part.record.chain.length + 1} steps`);
    }
    if (part.amount < 1 || part.amount > lot.amount) reject('insufficient-value', `${at}.amount`, `${part.amount} of a lot of ${lot.amount}`);
    const total = (asked.get(keyOf(lot.id)) ?? 0) + part.amount;
    if (total > lot.amount) reject('insufficient-value', `${at}.amount`, `the offer asks ${total} of a lot of ${lot.amount}`);
    asked.set(keyOf(lot.id), total);
    return lot;
  });
}

export function makeChallenge(payeeKey: Uint8Array, random: RandomBytes): Challenge {
  return { nonce: random(NONCE_SIZE), payeeKey };
}

/**
 * Checks the payer's signed steps against the offer and the challenge; returns the payee's new records
 * (record + step), each ending in a lot the payee holds.
 */
export function acceptSteps(
  v: Verifier,
  parts: readonly PaymentPart[],
  lots: readonly Lot[],
  challenge: Challenge,
  steps: readonly TransferStep[],
): { records: TransactionRecord[]; lots: Lot[] } {
  if (steps.length !== parts.length) reject('bad-step', 'steps', `${steps.length} steps for ${parts.length} parts`);
  const records: TransactionRecord[] = [];
  const received: Lot[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const lot = lots[i]!;
    const step = steps[i]!;
    const at = `steps[${i}]`;
    if (!equalBytes(step.from, lot.id)) reject('bad-step', `${at}.from`);
    if (step.amount !== part.amount) reject('bad-step', `${at}.amount`, `${step.amount}, offered ${part.amount}`);
    if (!equalBytes(step.payeeKey, challenge.payeeKey)) reject('wrong-payee', `${at}.payeeKey`);
    if (!equalBytes(step.nonce, challenge.nonce)) reject('bad-step', `${at}.nonce`, 'not this challenge');
    const signed = stepSignedPart(step);
    if (!v.suite.card.verify(lot.holderKey, signed, step.sig)) reject('bad-step', `${at}.sig`);
    const id = stepIdOfSigned(step, signed);
    v.verified?.add(id, step.sig);
    records.push({ coin: part.record.coin, chain: [...part.record.chain, step] });
    received.push({ id, serial: lot.serial, amount: step.amount, holderKey: step.payeeKey });
  }
  return { records, lots: received };
}
