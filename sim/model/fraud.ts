// Fraud injection with ground truth: each attack is recorded as it is made (who, which coins, what payees
// accepted beyond what the attacker held), so the run scores the issuer's detection against the truth.
import type { HeldLot } from '../../protocol/card.ts';
import { ProtocolError } from '../../protocol/errors.ts';
import { redeemCoin, requestIssuance, withdrawCoin } from '../../protocol/flows.ts';
import { coinSignedPart, signedCoin } from '../../protocol/ids.ts';
import type { Coin, PaymentPart } from '../../protocol/messages.ts';
import type { Stream } from '../engine/index.ts';
import type { FraudSpec } from './config.ts';
import { lowest } from './lowest.ts';
import type { FraudRecord } from './metrics.ts';
import type { Model } from './model.ts';
import type { Party } from './parties.ts';

/** Attack steps are a minute apart: fast, as a hit-and-run attacker would be, but not simultaneous. */
const STEP = 60;

export function scheduleFrauds(m: Model): void {
  const rng = m.streams.get('fraud');
  for (const spec of m.cfg.fraud) {
    for (const at of spec.at) m.sim.at(at, () => inject(m, spec, rng));
  }
}

function newRecord(m: Model, spec: FraudSpec, culprit: Party): FraudRecord {
  const f: FraudRecord = {
    id: m.frauds.length,
    kind: spec.kind,
    culprit: culprit.name,
    start: m.sim.now,
    serials: new Set(),
    firstPayment: null,
    paymentsAccepted: 0,
    refused: 0,
    refusedBy: {},
    loss: 0,
    lossAfterDetection: 0,
    detected: { paper: null, tree: null },
    revealed: null,
    named: null,
    blocklisted: null,
  };
  m.frauds.push(f);
  m.log('fraud', { id: f.id, kind: f.kind, culprit: f.culprit });
  return f;
}

function inject(m: Model, spec: FraudSpec, rng: Stream): void {
  for (let i = 0; i < spec.count; i++) injectOne(m, spec, rng);
}

function injectOne(m: Model, spec: FraudSpec, rng: Stream): void {
  const honest = m.parties.users.filter((u) => !u.card.breached);
  if (honest.length === 0) return;
  const attacker = honest[rng.int(honest.length)]!;
  switch (spec.kind) {
    case 'double-spend':
      return doubleSpend(m, spec, attacker, rng, lotOf(m, attacker));
    case 'chain-overspend': {
      // Honest holders pass a coin down the chain; the holder at `position` overspends what it received.
      const others = honest.filter((u) => u !== attacker);
      let holder = others[rng.int(others.length)] ?? attacker;
      let lot = lotOf(m, holder);
      for (let step = 1; step <= spec.position; step++) {
        const next = step === spec.position ? attacker : (others[rng.int(others.length)] ?? attacker);
        try {
          m.payNow(holder, holder.card.offer(lot.remaining, { lot }), next, false);
        } catch (e) {
          if (!(e instanceof ProtocolError)) throw e;
          return; // the chain could not be built (e.g. over policy.maxChain): no attack
        }
        holder = next;
        lot = [...next.card.lots.values()].at(-1)!;
      }
      return doubleSpend(m, spec, attacker, rng, lot);
    }
    case 'card-breach':
      return hitAndRun(m, spec, attacker, rng);
    case 'tampered-coin':
      return tampered(m, spec, attacker, rng);
    case 'forged-coin':
      return forged(m, spec, attacker, rng);
    case 'replayed-request':
      return replayedRequest(m, spec, attacker);
    case 'replayed-deposit':
      return replayedDeposit(m, spec, rng);
  }
}

/** A lot the party holds whole (withdrawing one if it has none), the attacker's raw material. */
function lotOf(m: Model, p: Party): HeldLot {
  const whole = [...p.card.lots.values()].filter((l) => l.record.chain.length === 0 && l.remaining === l.record.coin.value);
  if (whole.length > 0) return whole.reduce((a, b) => (b.remaining > a.remaining ? b : a));
  const denominations = [...m.cfg.withdrawal.denominations].sort((a, b) => b - a);
  const d = denominations.find((x) => x <= p.bank.balance(p.name)) ?? denominations[denominations.length - 1]!;
  m.parties.register(p);
  withdrawCoin(m.ctx(), p.card, p.bank, p.name, m.parties.issuer, d, m.parties.epoch);
  m.counts.coinsIssued++;
  m.counts.valueIssued += d;
  return [...p.card.lots.values()].at(-1)!;
}

/** k distinct shops, offline ones first if asked: where a blocklisted key still gets through. */
function payees(m: Model, rng: Stream, k: number, offlineFirst = true): Party[] {
  const shops = m.parties.shops.length > 0 ? m.parties.shops : m.parties.users;
  const rank = (s: Party) => (offlineFirst && (s.offlineTerminal || !m.online(s)) ? 0 : 1) + rng.random();
  // A hit-and-run spree asks every few minutes, over 10,000 shops: no sort of them all (lowest.ts).
  return lowest(shops, k, rank);
}

/** One fraudulent payment attempt; loss is what payees accept beyond the attacker's capacity. */
function attempt(m: Model, f: FraudRecord, attacker: Party, parts: PaymentPart[], payee: Party, capacity: { left: number }): void {
  for (const part of parts) f.serials.add(part.record.coin.serial);
  try {
    m.payNow(attacker, parts, payee, false);
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    f.refused++;
    f.refusedBy[e.code] = (f.refusedBy[e.code] ?? 0) + 1;
    return;
  }
  const amount = parts.reduce((s, p) => s + p.amount, 0);
  const legit = Math.min(amount, capacity.left);
  capacity.left -= legit;
  const loss = amount - legit;
  f.paymentsAccepted++;
  f.firstPayment ??= m.sim.now;
  f.loss += loss;
  if (f.blocklisted !== null) f.lossAfterDetection += loss;
}

function doubleSpend(m: Model, spec: FraudSpec, attacker: Party, rng: Stream, lot: HeldLot): void {
  const f = newRecord(m, spec, attacker);
  attacker.card.breached = true;
  const amount = lot.remaining;
  const capacity = { left: amount };
  f.serials.add(lot.record.coin.serial);
  payees(m, rng, spec.payees, spec.offlineFirst).forEach((payee, i) => {
    m.sim.schedule(i * STEP, () => attempt(m, f, attacker, attacker.card.offer(amount, { lot }), payee, capacity));
  });
}

/** Hit and run (やり逃げ): the breached card spends every lot it holds, again and again, for the spree. */
function hitAndRun(m: Model, spec: FraudSpec, attacker: Party, rng: Stream): void {
  lotOf(m, attacker);
  const f = newRecord(m, spec, attacker);
  attacker.card.breached = true;
  const lots = [...attacker.card.lots.values()].filter((l) => l.remaining > 0).map((l) => ({ lot: l, amount: l.remaining }));
  const capacity = { left: lots.reduce((s, l) => s + l.amount, 0) };
  const end = m.sim.now + spec.spree;
  let i = 0;
  const next = (): void => {
    if (m.sim.now >= end || lots.length === 0) return;
    const { lot, amount } = lots[i++ % lots.length]!;
    attempt(m, f, attacker, attacker.card.offer(amount, { lot }), payees(m, rng, 1)[0]!, capacity);
    m.sim.schedule(STEP * 5, next);
  };
  next();
}

/**
 * The forum's case (50 -> 100): the payer edits the coin's value (its issuer signature no longer matches) or
 * the card's balance (the card then offers more than the lot's signed amount). The payee refuses both.
 */
function tampered(m: Model, spec: FraudSpec, attacker: Party, rng: Stream): void {
  const lot = lotOf(m, attacker);
  const f = newRecord(m, spec, attacker);
  const coin: Coin = spec.target === 'coin' ? { ...lot.record.coin, value: lot.record.coin.value * 2 } : lot.record.coin;
  const parts = [{ certificate: lot.identity.certificate, record: { coin, chain: lot.record.chain }, amount: lot.record.coin.value * 2 }];
  attacker.card.breached = true; // only a breached card would sign for more than it holds
  attempt(m, f, attacker, parts, payees(m, rng, 1)[0]!, { left: lot.remaining });
  attacker.card.breached = false;
}

/** A coin the attacker signed with a key of its own making, not the issuer's. */
function forged(m: Model, spec: FraudSpec, attacker: Party, rng: Stream): void {
  const f = newRecord(m, spec, attacker);
  const fake = m.parties.suite.issuer.keygen(rng.bytes(32));
  const identity = attacker.card.receivingIdentity;
  const unsigned = { serial: 1n << 62n, value: Math.max(...m.cfg.withdrawal.denominations), epoch: m.parties.epoch, expiry: Math.floor(m.sim.now + m.cfg.coins.lifetime), holderKey: identity.keyPair.publicKey };
  const coin = signedCoin(unsigned, m.parties.suite.issuer.sign(fake.secretKey, coinSignedPart(unsigned)));
  const parts = [{ certificate: identity.certificate, record: { coin, chain: [] }, amount: coin.value }];
  attempt(m, f, attacker, parts, payees(m, rng, 1)[0]!, { left: 0 });
}

/** The same issuance request redeemed twice: the issuer's per-epoch redeemed set refuses the second. */
function replayedRequest(m: Model, spec: FraudSpec, attacker: Party): void {
  const f = newRecord(m, spec, attacker);
  const { parties } = m;
  const d = Math.min(...m.cfg.withdrawal.denominations);
  if (attacker.bank.balance(attacker.name) < d) return;
  parties.register(attacker);
  const r = requestIssuance(m.ctx(), attacker.card, attacker.bank, attacker.name, d, parties.epoch);
  // The honest coin goes on the card so money stays conserved; the replay is the attack.
  const coin = redeemCoin(m.ctx(), attacker.card, parties.issuer, r);
  m.counts.coinsIssued++;
  m.counts.valueIssued += d;
  f.serials.add(coin.serial);
  try {
    parties.issuer.redeem(r, m.sim.now);
    f.paymentsAccepted++;
    f.loss += d;
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    f.refused++;
    f.refusedBy[e.code] = (f.refusedBy[e.code] ?? 0) + 1;
  }
}

/**
 * A shop presents a record it already deposited, at its own bank (refused by the bank's credited set) or at
 * another (refused: the record's deposit step names the first bank); and, after the next return, the record
 * comes to the issuer again in a batch of its own from that bank (a duplicate, or the wrong bank's record:
 * nothing is settled twice).
 */
function replayedDeposit(m: Model, spec: FraudSpec, rng: Stream): void {
  const shops = m.parties.shops.filter((s) => s.card.lots.size > 0);
  if (shops.length === 0) return;
  const shop = shops[rng.int(shops.length)]!;
  const f = newRecord(m, spec, shop);
  const lot = [...shop.card.lots.values()][0]!;
  const before = shop.bank.pendingRecords;
  m.depositParts(shop, [{ certificate: lot.identity.certificate, record: lot.record, amount: lot.remaining }]);
  f.serials.add(lot.record.coin.serial);
  const record = shop.bank.peekPending(before);
  if (record === undefined) return;
  const refused = (code: string) => {
    f.refused++;
    f.refusedBy[code] = (f.refusedBy[code] ?? 0) + 1;
  };
  const bank = spec.bank === 'same' ? shop.bank : (m.parties.banks.find((b) => b !== shop.bank) ?? shop.bank);
  if (bank !== shop.bank) bank.open(`${shop.name}@${bank.id}`, 0);
  const account = bank === shop.bank ? shop.name : `${shop.name}@${bank.id}`;
  try {
    f.loss += bank.depositRecord(m.parties.bankVerifier, account, record);
    f.paymentsAccepted++;
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    refused(e.code);
  }
  m.sim.schedule(m.cfg.bankReturnInterval + 1, () => {
    const r = m.parties.issuer.processReturn({ bank: bank.id, batch: 0xffffffff, records: [record] }, m.sim.now);
    m.counts.returnBatches++;
    m.counts.recordsDuplicate += r.statuses.filter((s) => s === 'duplicate').length;
    m.counts.recordsRejected += r.statuses.filter((s) => s === 'rejected').length;
    if (r.settled > 0) {
      f.paymentsAccepted++;
      f.loss += r.settled;
    } else refused(r.errors[0]?.error.code ?? 'duplicate-return');
  });
}
