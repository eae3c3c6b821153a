// Tracing (paper section 4(6)): a proof of overspending is the overspent lot's record and the holder's own
// signed steps spending from it, adding up to more than it held. Anyone with the RA's, issuer's and card
// scheme's public keys can check it, so the RA reveals a name on evidence, not on the issuer's word.
import { reject } from './errors.ts';
import { equalBytes, keyOf } from './hash.ts';
import { stepId, stepSignedPart } from './ids.ts';
import type { Coin, OverspendProof, TransferStep } from './messages.ts';
import { checkRecord, type Verifier } from './record.ts';

/** The key of the holder who overspent; throws `bad-proof` unless the proof shows an overspend. */
export function checkProof(v: Verifier, proof: OverspendProof): Uint8Array {
  let lots;
  try {
    lots = checkRecord(v, proof.lot, { at: 'lot' });
  } catch (e) {
    return reject('bad-proof', 'lot', e instanceof Error ? e.message : String(e));
  }
  const lot = lots[lots.length - 1]!;
  if (proof.conflicting.length < 2) reject('bad-proof', 'conflicting', 'an overspend takes at least two steps');
  const seen = new Set<string>();
  let total = 0;
  proof.conflicting.forEach((step, i) => {
    const at = `conflicting[${i}]`;
    if (!equalBytes(step.from, lot.id)) reject('bad-proof', `${at}.from`, 'does not spend from the lot');
    const id = keyOf(stepId(step));
    if (seen.has(id)) reject('bad-proof', at, 'the same step twice');
    seen.add(id);
    if (!v.suite.card.verify(lot.holderKey, stepSignedPart(step), step.sig)) reject('bad-proof', `${at}.sig`);
    total += step.amount;
  });
  if (total <= lot.amount) reject('bad-proof', 'conflicting', `steps add up to ${total}, the lot held ${lot.amount}`);
  return lot.holderKey;
}

/** One node of a coin's transfer tree as the issuer stores it. */
export interface TreeStep {
  readonly id: Uint8Array;
  readonly step: TransferStep;
}

/**
 * The proof against the holder of lot `lotId` of `coin`, from the coin's known steps (any order). Returns
 * undefined if the steps do not show an overspend of that lot (e.g. an archive already dropped).
 */
export function buildProof(coin: Coin, rootId: Uint8Array, steps: readonly TreeStep[], lotId: Uint8Array): OverspendProof | undefined {
  const byId = new Map<string, TreeStep>();
  for (const s of steps) byId.set(keyOf(s.id), s);
  const chain: TransferStep[] = [];
  let cursor = lotId;
  while (!equalBytes(cursor, rootId)) {
    const node = byId.get(keyOf(cursor));
    if (node === undefined) return undefined;
    chain.unshift(node.step);
    cursor = node.step.from;
  }
  const conflicting = steps.filter((s) => equalBytes(s.step.from, lotId)).map((s) => s.step);
  const held = chain.length === 0 ? coin.value : chain[chain.length - 1]!.amount;
  if (conflicting.reduce((sum, s) => sum + s.amount, 0) <= held) return undefined;
  return { lot: { coin, chain }, conflicting };
}
