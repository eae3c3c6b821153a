// The seed corpus: one deterministic World in which honest users pay, transfer and deposit, a cheater
// double-spends twice (from a coin it withdrew and from value it received), and every message the payee, the bank,
// the issuer and the RA receive is captured as the bytes that went over the wire. Round 1 is returned to the
// issuer (its batches, redemptions and proofs are replays); round 2 is deposited but not returned, and two
// issuance requests are made but not redeemed, so mutants also meet state where the genuine message would
// still be accepted once.
import type { Bank } from '../protocol/bank.ts';
import type { HeldLot } from '../protocol/card.ts';
import { keyOf } from '../protocol/hash.ts';
import { coinId, stepId } from '../protocol/ids.ts';
import {
  Certificate,
  Coin,
  OverspendProof,
  PaymentOffer,
  PaymentSteps,
  Redemption,
  ReturnBatch,
  TransactionRecord,
  TransferStep,
  type Challenge,
  type PaymentPart,
} from '../protocol/messages.ts';
import { acceptSteps, checkOffer, makeChallenge } from '../protocol/payment.ts';
import type { Lot } from '../protocol/record.ts';
import { World, type User } from '../protocol/testing.ts';

/** One payment or deposit handshake as the receiver saw it. */
export interface Exchange {
  readonly parts: readonly PaymentPart[];
  readonly lots: readonly Lot[];
  readonly challenge: Challenge;
  readonly steps: readonly TransferStep[];
  readonly offerBytes: Uint8Array;
  readonly stepsBytes: Uint8Array;
  /** What the receiver keeps: each part's record with the payer's new step. */
  readonly records: readonly TransactionRecord[];
}

export interface DepositExchange extends Exchange {
  readonly bank: number;
  readonly account: string;
  readonly amount: number;
}

export interface Corpus {
  readonly world: World;
  readonly payments: readonly Exchange[];
  readonly deposits: readonly DepositExchange[];
  /** Batches the issuer has processed (replays) and batches it has not seen (fresh). */
  readonly returnedBatches: readonly Uint8Array[];
  readonly freshBatches: readonly Uint8Array[];
  readonly redeemed: readonly Uint8Array[];
  readonly unredeemed: readonly Uint8Array[];
  readonly proofs: readonly Uint8Array[];
  readonly cheater: User;
  /** An honest user's coin and the three steps that spent exactly all of it: a proof from them must name nobody. */
  readonly honest: { readonly user: User; readonly lot: TransactionRecord; readonly steps: readonly TransferStep[] };
  /** (bank, denomination, epoch) of every blind key a bank has published. */
  readonly published: ReadonlySet<string>;
  readonly genuine: GenuineSets;
}

/** Everything honest parties (and the cheater's card) signed, by encoding (hex of the canonical bytes). */
export interface GenuineSets {
  readonly coins: Set<string>;
  readonly steps: Set<string>;
  readonly certificates: Set<string>;
  /** Records ending in a deposit step, by bank, keyed by the hex id of the deposit step. */
  readonly depositRecords: Map<number, Map<string, TransactionRecord>>;
  /** Ids the issuer held before fuzzing began: issued coins' roots and the steps of returned records. */
  readonly issuerKnown: Set<string>;
  /** Deposit-step ids of the records the issuer has settled. */
  readonly returned: Set<string>;
  readonly unredeemed: Set<string>;
  /** Keys the cheater registered, by keyOf; serials of the coins it overspent. */
  readonly cheaterKeys: Set<string>;
  readonly cheatedSerials: Set<bigint>;
}

export const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

export function buildCorpus(label = 'fuzz'): Corpus {
  const w = new World({ users: 10, banks: 2, balance: 100_000, label });
  const [alice, bob, carol, dave, eve, frank, grace, heidi, ivan, judy] = Array.from({ length: 10 }, (_, i) => w.user(i)) as [
    User, User, User, User, User, User, User, User, User, User,
  ];
  const genuine: GenuineSets = {
    coins: new Set(),
    steps: new Set(),
    certificates: new Set(),
    depositRecords: new Map([[0, new Map()], [1, new Map()]]),
    issuerKnown: new Set(),
    returned: new Set(),
    unredeemed: new Set(),
    cheaterKeys: new Set(),
    cheatedSerials: new Set(),
  };
  const published = new Set<string>();
  const redeemed: Uint8Array[] = [];
  const payments: Exchange[] = [];
  const deposits: DepositExchange[] = [];

  const noteRecord = (r: TransactionRecord): void => {
    genuine.coins.add(hex(Coin.encode(r.coin)));
    for (const s of r.chain) genuine.steps.add(hex(TransferStep.encode(s)));
  };

  const withdraw = (user: User, denomination: number): void => {
    published.add(`${user.bank.id}:${denomination}:${w.epoch}`);
    const r = w.redemption(user, denomination);
    const coin = w.redeem(user, r);
    redeemed.push(Redemption.encode(r));
    genuine.coins.add(hex(Coin.encode(coin)));
    genuine.issuerKnown.add(hex(coinId(coin)));
  };

  // World.pay, keeping what went over the wire.
  const pay = (payer: User, payee: User, amount: number, parts?: PaymentPart[]): void => {
    const offer = parts ?? payer.card.offer(amount);
    const lots = checkOffer(w.verifier, offer, { now: w.now });
    const challenge = makeChallenge(payee.card.receivingIdentity.keyPair.publicKey, w.random);
    const steps = payer.card.sign(offer, challenge);
    const accepted = acceptSteps(w.verifier, offer, lots, challenge, steps);
    accepted.records.forEach((r, i) => {
      payee.card.receive(r, accepted.lots[i]!, w.now);
      noteRecord(r);
    });
    payments.push({
      parts: offer,
      lots,
      challenge,
      steps,
      offerBytes: PaymentOffer.encode({ parts: offer }),
      stepsBytes: PaymentSteps.encode({ steps }),
      records: accepted.records,
    });
  };

  // World.deposit, keeping what went over the wire.
  const deposit = (user: User): void => {
    const offer = [...user.card.lots.values()]
      .filter((l) => l.remaining > 0)
      .map((l: HeldLot) => ({ certificate: l.identity.certificate, record: l.record, amount: l.remaining }));
    const lots = checkOffer(w.verifier, offer, { now: w.now });
    const challenge = user.bank.depositChallenge(w.random);
    const steps = user.card.sign(offer, challenge, true);
    const amount = user.bank.deposit(w.verifier, user.account, offer, lots, challenge, steps);
    user.card.sweep();
    const records = offer.map((p, i) => ({ coin: p.record.coin, chain: [...p.record.chain, steps[i]!] }));
    for (const r of records) {
      noteRecord(r);
      genuine.depositRecords.get(user.bank.id)!.set(hex(stepId(r.chain[r.chain.length - 1]!)), r);
    }
    deposits.push({
      parts: offer,
      lots,
      challenge,
      steps,
      offerBytes: PaymentOffer.encode({ parts: offer }),
      stepsBytes: PaymentSteps.encode({ steps }),
      records,
      bank: user.bank.id,
      account: user.account,
      amount,
    });
  };

  const cheatFrom = (lot: HeldLot, to: readonly User[], amount: number): void => {
    genuine.cheatedSerials.add(lot.record.coin.serial);
    for (const payee of to) pay(eve, payee, amount, eve.card.offer(amount, { lot }));
  };

  // Round 1: chains of one to four steps, a payment in two parts, two double spends, an exact full spend.
  withdraw(alice, 1000);
  withdraw(alice, 100);
  pay(alice, bob, 300);
  pay(alice, carol, 750); // 700 of the 1000 coin + 50 of the 100 coin
  pay(bob, dave, 200);
  pay(dave, grace, 150);
  pay(grace, heidi, 100);
  withdraw(eve, 1000);
  eve.card.breached = true;
  cheatFrom([...eve.card.lots.values()][0]!, [bob, carol], 800);
  withdraw(ivan, 1000);
  pay(ivan, eve, 500);
  cheatFrom([...eve.card.lots.values()].find((l) => l.record.chain.length === 1)!, [dave, judy], 400);
  withdraw(frank, 1000);
  pay(frank, grace, 300);
  pay(frank, heidi, 300);
  pay(frank, alice, 400);
  const fullSpend = payments.slice(-3);
  const honest = { user: frank, lot: fullSpend[0]!.parts[0]!.record, steps: fullSpend.map((p) => p.steps[0]!) };
  for (const u of [bob, carol, dave, judy, heidi]) deposit(u);
  const returnedBatches: Uint8Array[] = [];
  const proofs = new Map<string, Uint8Array>();
  for (const bank of w.banks) {
    for (let batch = bank.takeBatch(1000); batch !== undefined; batch = bank.takeBatch(1000)) {
      returnedBatches.push(ReturnBatch.encode(batch));
      const result = w.issuer.processReturn(batch, w.now);
      bank.settled += result.settled;
      for (const d of result.detections) {
        if (d.proof !== undefined) proofs.set(hex(OverspendProof.encode(d.proof)), OverspendProof.encode(d.proof));
      }
      for (const r of batch.records) {
        for (const s of r.chain) genuine.issuerKnown.add(hex(stepId(s)));
        genuine.returned.add(hex(stepId(r.chain[r.chain.length - 1]!)));
      }
    }
  }
  if (proofs.size < 2) throw new Error(`corpus: expected proofs of both double spends, got ${proofs.size}`);

  // Round 2, deposited but not returned: a partial coin, a chain of five steps, a double spend within one bank.
  pay(alice, ivan, 450);
  pay(grace, judy, 350);
  withdraw(eve, 100);
  cheatFrom([...eve.card.lots.values()].find((l) => l.record.coin.value === 100)!, [grace, ivan], 60);
  for (const u of [ivan, judy, grace]) deposit(u);
  const freshBatches = w.banks.map((bank) => ReturnBatch.encode(bank.takeBatch(1000)!));
  const unredeemed = [w.redemption(alice, 100), w.redemption(frank, 1000)].map((r) => Redemption.encode(r));
  published.add(`${alice.bank.id}:100:${w.epoch}`).add(`${frank.bank.id}:1000:${w.epoch}`);
  for (const r of unredeemed) genuine.unredeemed.add(hex(r));

  for (const u of w.users) {
    for (const id of u.card.identities) {
      genuine.certificates.add(hex(Certificate.encode(id.certificate)));
      if (u === eve) genuine.cheaterKeys.add(keyOf(id.keyPair.publicKey));
    }
  }
  // The issuer knows only the keys banks publish: a redemption naming any other (denomination, epoch) is refused
  // instead of making the bank derive a fresh RSA key (World's wiring derives one for whatever is asked).
  for (const bank of w.banks) registerPublished(w, bank, published);

  return {
    world: w,
    payments,
    deposits,
    returnedBatches,
    freshBatches,
    redeemed,
    unredeemed,
    proofs: [...proofs.values()],
    cheater: eve,
    honest,
    published,
    genuine,
  };
}

function registerPublished(w: World, bank: Bank, published: ReadonlySet<string>): void {
  w.issuer.registerBank(bank.id, {
    depositKey: bank.depositKey.publicKey,
    blindKey: (d, e) => (published.has(`${bank.id}:${d}:${e}`) ? bank.blindKey(d, e).publicKey : undefined),
  });
}
