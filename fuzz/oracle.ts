// The oracle's independent view of what is genuine. A receiver may accept a mutant only if the mutant is made of
// pieces honest parties (or the cheater's card) really signed, put together the way they were signed: no
// signature is checked here, only membership in what the corpus saw being signed, and the links and amounts
// re-derived from the pieces. Signatures are not malleable in the schemes used (strict Ed25519, RSA-PSS), so a
// piece that verifies but is not byte-identical to a signed one is itself a finding.
import { equalBytes, keyOf } from '../protocol/hash.ts';
import { coinId, stepId } from '../protocol/ids.ts';
import {
  Certificate,
  Coin,
  TransferStep,
  type Challenge,
  type OverspendProof,
  type PaymentPart,
  type TransactionRecord,
} from '../protocol/messages.ts';
import { hex, type GenuineSets } from './corpus.ts';

export interface OracleLot {
  readonly id: Uint8Array;
  readonly amount: number;
  readonly holderKey: Uint8Array;
}

/**
 * The lots of a genuine record (root first), or why it is not one. `lenient`: ids whose signed content the
 * receiver already holds checked (the issuer's store); a piece with such an id may carry any signature, because
 * the receiver decides from its stored copy and never from the copy it was sent.
 */
export function genuineRecord(g: GenuineSets, record: TransactionRecord, lenient?: ReadonlySet<string>): OracleLot[] | string {
  const rootId = coinId(record.coin);
  if (!g.coins.has(hex(Coin.encode(record.coin))) && !(lenient?.has(hex(rootId)) ?? false)) return 'coin was never issued';
  const lots: OracleLot[] = [{ id: rootId, amount: record.coin.value, holderKey: record.coin.holderKey }];
  for (let i = 0; i < record.chain.length; i++) {
    const step = record.chain[i]!;
    const parent = lots[i]!;
    const id = stepId(step);
    if (!g.steps.has(hex(TransferStep.encode(step))) && !(lenient?.has(hex(id)) ?? false)) return `chain[${i}] was never signed`;
    if (!equalBytes(step.from, parent.id)) return `chain[${i}] does not spend the lot before it`;
    if (step.amount < 1 || step.amount > parent.amount) return `chain[${i}] passes on ${step.amount} of ${parent.amount}`;
    lots.push({ id, amount: step.amount, holderKey: step.payeeKey });
  }
  return lots;
}

/** Why an offer the payee accepted is not a genuine one, or undefined. */
export function offerFault(g: GenuineSets, parts: readonly PaymentPart[]): string | undefined {
  if (parts.length === 0) return 'empty offer';
  const asked = new Map<string, { amount: number; held: number }>();
  for (const [i, part] of parts.entries()) {
    if (!g.certificates.has(hex(Certificate.encode(part.certificate)))) return `parts[${i}]: certificate the RA never issued`;
    const lots = genuineRecord(g, part.record);
    if (typeof lots === 'string') return `parts[${i}]: ${lots}`;
    const lot = lots[lots.length - 1]!;
    if (!equalBytes(lot.holderKey, part.certificate.userKey)) return `parts[${i}]: record does not end with the certificate holder`;
    if (part.amount < 1 || part.amount > lot.amount) return `parts[${i}]: asks ${part.amount} of a lot of ${lot.amount}`;
    const k = keyOf(lot.id);
    const sum = asked.get(k) ?? { amount: 0, held: lot.amount };
    sum.amount += part.amount;
    if (sum.amount > sum.held) return `parts[${i}]: the offer asks ${sum.amount} of a lot of ${sum.held}`;
    asked.set(k, sum);
  }
  return undefined;
}

/** Why records a receiver kept after a challenge are not the genuine answer to it, or undefined. */
export function answerFault(
  g: GenuineSets,
  parts: readonly PaymentPart[],
  challenge: Challenge,
  records: readonly TransactionRecord[],
): string | undefined {
  if (records.length !== parts.length) return `${records.length} records for ${parts.length} parts`;
  for (const [i, record] of records.entries()) {
    const lots = genuineRecord(g, record);
    if (typeof lots === 'string') return `records[${i}]: ${lots}`;
    const step = record.chain[record.chain.length - 1];
    if (step === undefined) return `records[${i}]: no step`;
    if (!equalBytes(step.nonce, challenge.nonce) || !equalBytes(step.payeeKey, challenge.payeeKey)) return `records[${i}]: not an answer to this challenge`;
    if (step.amount !== parts[i]!.amount) return `records[${i}]: ${step.amount} for a part of ${parts[i]!.amount}`;
  }
  return undefined;
}

/** Why a proof the RA accepted is not a real overspend by the cheater, or undefined. */
export function proofFault(g: GenuineSets, proof: OverspendProof): string | undefined {
  const lots = genuineRecord(g, proof.lot);
  if (typeof lots === 'string') return `lot: ${lots}`;
  const lot = lots[lots.length - 1]!;
  if (!g.cheaterKeys.has(keyOf(lot.holderKey))) return 'the overspent lot is not held by the cheater';
  const seen = new Set<string>();
  let total = 0;
  for (const [i, step] of proof.conflicting.entries()) {
    if (!g.steps.has(hex(TransferStep.encode(step)))) return `conflicting[${i}] was never signed`;
    if (!equalBytes(step.from, lot.id)) return `conflicting[${i}] does not spend the lot`;
    const id = keyOf(stepId(step));
    if (seen.has(id)) return `conflicting[${i}] repeats a step`;
    seen.add(id);
    total += step.amount;
  }
  if (total <= lot.amount) return `conflicting steps add up to ${total}, the lot held ${lot.amount}`;
  return undefined;
}
