// The paper's flows as whole exchanges between the parties' objects, for callers that hold all of them (the
// simulator's agents, tests, benchmarks). Each is the composition of the one-message steps in withdrawal.ts,
// payment.ts and bank.ts, in the order the paper's figures 3 and 4 give.
import type { Bank } from './bank.ts';
import type { Card, HeldLot } from './card.ts';
import type { RandomBytes } from './crypto/scheme.ts';
import { coinId } from './ids.ts';
import type { Issuer } from './issuer.ts';
import type { Coin, PaymentPart, Redemption, TransactionRecord } from './messages.ts';
import { acceptSteps, checkOffer, makeChallenge, type PayeePolicy } from './payment.ts';
import type { Lot, Verifier } from './record.ts';
import type { KeySuite } from './suite.ts';
import { blindIssuance, redemption, unblindIssuance } from './withdrawal.ts';

export interface FlowContext {
  readonly suite: KeySuite;
  readonly random: RandomBytes;
  readonly now: number;
}

/** Withdrawal step (i) (4(2)(i)): the bank debits the account and blind-signs; returns what step (ii) sends. */
export function requestIssuance(ctx: FlowContext, card: Card, bank: Bank, account: string, denomination: number, epoch: number): Redemption {
  const identity = card.receivingIdentity;
  const bankKey = bank.blindKey(denomination, epoch).publicKey;
  const intent = { bank: bank.id, denomination, epoch, userKey: identity.keyPair.publicKey };
  const blinded = blindIssuance(ctx.suite, bankKey, intent, ctx.random);
  const blindSig = bank.withdraw(account, denomination, epoch, blinded.state.blindedMessage);
  return redemption(unblindIssuance(ctx.suite, bankKey, blinded, blindSig), identity.certificate);
}

/** Withdrawal step (ii) (4(2)(ii)): the issuer redeems the request and the coin lands on the card. */
export function redeemCoin(ctx: FlowContext, card: Card, issuer: Issuer, r: Redemption): Coin {
  const coin = issuer.redeem(r, ctx.now);
  const lot: Lot = { id: coinId(coin), serial: coin.serial, amount: coin.value, holderKey: coin.holderKey };
  card.receive({ coin, chain: [] }, lot, ctx.now);
  return coin;
}

/** Withdrawal (4(2)): steps (i) at the bank and (ii) at the issuer. */
export function withdrawCoin(
  ctx: FlowContext,
  card: Card,
  bank: Bank,
  account: string,
  issuer: Issuer,
  denomination: number,
  epoch: number,
): Coin {
  return redeemCoin(ctx, card, issuer, requestIssuance(ctx, card, bank, account, denomination, epoch));
}

/** Payment (4(3)): the payee checks the offer, challenges, checks the signed steps and keeps the records. */
export function pay(
  ctx: FlowContext,
  v: Verifier,
  payer: Card,
  parts: readonly PaymentPart[],
  payee: Card,
  policy: PayeePolicy = {},
  payerOnline = false,
): { records: TransactionRecord[]; lots: HeldLot[] } {
  const lots = checkOffer(v, parts, { now: ctx.now, ...policy });
  const challenge = makeChallenge(payee.receivingIdentity.keyPair.publicKey, ctx.random);
  const steps = payer.sign(parts, challenge, payerOnline);
  const accepted = acceptSteps(v, parts, lots, challenge, steps);
  return { records: accepted.records, lots: accepted.records.map((r, i) => payee.receive(r, accepted.lots[i]!, ctx.now)) };
}

/** What a card holds, offered in full: the parts a deposit or refresh signs over. */
export function everything(card: Card, eligible: (lot: HeldLot) => boolean = () => true): PaymentPart[] {
  const parts: PaymentPart[] = [];
  for (const lot of card.lots.values()) {
    if (lot.remaining > 0 && eligible(lot)) parts.push({ certificate: lot.identity.certificate, record: lot.record, amount: lot.remaining });
  }
  return parts;
}

/** Deposit (4(4)): the card signs the parts over to the bank's deposit key; returns the amount credited. */
export function deposit(ctx: FlowContext, v: Verifier, card: Card, bank: Bank, account: string, parts: readonly PaymentPart[]): number {
  if (parts.length === 0) return 0;
  const lots = checkOffer(v, parts, { now: ctx.now });
  const challenge = bank.depositChallenge(ctx.random);
  const steps = card.sign(parts, challenge, true);
  const amount = bank.deposit(v, account, parts, lots, challenge, steps);
  card.sweep();
  return amount;
}
