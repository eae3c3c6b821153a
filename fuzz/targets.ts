// The receivers under fuzz and the oracle applied to each mutant. A target takes the mutant's bytes exactly as
// they would arrive, decodes them with the protocol's codec and hands them to the receiver, then decides:
//   rejected  the receiver threw DecodeError or ProtocolError (or, for the issuer, answered `duplicate` or
//             `rejected` for the records) and changed nothing it should not have;
//   valid     the receiver accepted it and the oracle (oracle.ts) finds it genuine;
//   failure   anything else: another exception, a state change on a refusal, or an acceptance the oracle
//             cannot account for.
//
// A mutant may be valid: a replay, a part dropped from an offer, a batch's records reordered, a truncated chain
// (an honest record of an earlier holder). So refusal is not demanded of every mutant; acceptance is allowed only
// where the corpus explains it:
//   payee   an offer only if every part is a certificate the RA issued and a record made of pieces that were
//           really signed, linked as signed, ending at the certificate's key, asking no more of a lot than it
//           holds (all parts of one lot together); steps only if they are the ones the payer signed for this
//           challenge, for the amounts offered.
//   bank    credits only records made of signed pieces and ending in a signed step to its own deposit key, each
//           at most once, for exactly their amount.
//   issuer  credits only a record whose deposit step is one the honest world made at the returning bank, not
//           settled before. Pieces (coin, steps) whose ids the issuer already held checked may come with any
//           signature, since it decides from its stored copy; pieces it did not hold must be byte-identical to
//           signed ones. The store must then be exactly as if those genuine records alone had come back, and
//           every detection must be on an overspent serial and name the cheater (its proof too, at the RA).
//           A coin is issued only for a byte-identical genuine request not yet redeemed.
//   RA      names only the cheater, and only for a proof made of signed pieces that shows an overspend.
// Signatures are not malleable in the schemes used (strict Ed25519, RSA-PSS), so a piece that verifies but is not
// byte-identical to a signed one would itself be a finding.
//
// State is checked on every mutant: the bank's balance and pending records, every write the issuer makes to its
// stores (counted by wrapping the store's write methods), the coins it issues, the RA's registrations. Valid
// mutants may change state, so the issuer's run inside a transaction that is rolled back and the bank's against
// a bank rebuilt afterwards: every mutant meets the same state, and the same seed gives the same verdicts.
import { Bank } from '../protocol/bank.ts';
import { DecodeError, type Message } from '../protocol/encoding/index.ts';
import { ProtocolError } from '../protocol/errors.ts';
import { equalBytes, keyOf, sha256 } from '../protocol/hash.ts';
import { coinId, coinSignedPart, stepId } from '../protocol/ids.ts';
import type { Coin } from '../protocol/messages.ts';
import { OverspendProof, PaymentOffer, PaymentSteps, Redemption, ReturnBatch, TransactionRecord, type PaymentPart } from '../protocol/messages.ts';
import { acceptSteps, checkOffer } from '../protocol/payment.ts';
import type { World } from '../protocol/testing.ts';
import { hex, type Corpus, type DepositExchange, type Exchange } from './corpus.ts';
import { answerFault, genuineRecord, offerFault, proofFault } from './oracle.ts';

export type Outcome =
  /** `partial`: a batch whose refused records came with genuine ones, which were credited (and checked). */
  | { readonly kind: 'rejected'; readonly reason: string; readonly partial?: boolean }
  | { readonly kind: 'valid'; readonly reason: string }
  | { readonly kind: 'failure'; readonly reason: string };

export interface Target {
  /** `receiver/Message`, e.g. `issuer/ReturnBatch`. */
  readonly name: string;
  readonly receiver: string;
  readonly message: string;
  readonly codec: Message<unknown>;
  /** Valid encodings the mutants are made from. */
  readonly seeds: readonly Uint8Array[];
  run(bytes: Uint8Array, seed: number): Outcome;
  /** Puts the receiver back after a failure (an exception may have left it half-way). */
  recover(): void;
}

/** The reason label of a typed refusal, or undefined for any other exception. */
export function typedReason(e: unknown): string | undefined {
  if (e instanceof DecodeError) return `DecodeError ${e.reason}`;
  if (e instanceof ProtocolError) return `ProtocolError ${e.code}`;
  return undefined;
}

const rejected = (reason: string): Outcome => ({ kind: 'rejected', reason });
const valid = (reason: string): Outcome => ({ kind: 'valid', reason });
const failure = (reason: string): Outcome => ({ kind: 'failure', reason });

/** Runs `fn`; a typed refusal becomes its reason string, anything else propagates (a harness failure). */
function attempt<T>(fn: () => T): { ok: true; value: T } | { ok: false; reason: string } {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    const reason = typedReason(e);
    if (reason === undefined) throw e;
    return { ok: false, reason };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Issuer instrumentation.

/** Counts every write the issuer makes to its three stores, by wrapping the write methods on the instances. */
export class WriteCounter {
  count = 0;

  constructor(w: World) {
    const wrap = (obj: object, method: string, changed: (result: unknown) => boolean = () => true): void => {
      const o = obj as Record<string, unknown>;
      const original = o[method] as (...args: unknown[]) => unknown;
      o[method] = (...args: unknown[]): unknown => {
        const result = original.apply(obj, args);
        if (changed(result)) this.count++;
        return result;
      };
    };
    for (const m of ['issue', 'addStep', 'addReturned', 'archive', 'dropRedeemed', 'pruneArchive']) wrap(w.proposed, m);
    // These two report whether they inserted anything; a refused replay calls redeem and gets false.
    wrap(w.proposed, 'redeem', (r) => r === true);
    wrap(w.proposed, 'flag', (r) => r === true);
    for (const mirror of [w.baseline, w.epochPruned]) for (const m of ['issued', 'returned', 'advance']) wrap(mirror, m);
  }
}

class Rollback {}

/** `fn` inside one transaction per store, all rolled back: what `fn` wrote is gone afterwards. */
export function rolledBack<T>(w: World, fn: () => T): T {
  let out: { value: T } | undefined;
  try {
    w.proposed.transaction(() =>
      w.baseline.transaction(() =>
        w.epochPruned.transaction(() => {
          out = { value: fn() };
          throw new Rollback();
        }),
      ),
    );
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  return out!.value;
}

/** What the issuer's store says about some coins: the rows a credit changes. */
export function digest(w: World, serials: Iterable<bigint>): string {
  const parts: string[] = [`${w.proposed.outstandingCoins()}:${w.proposed.outstandingValue()}`];
  for (const serial of [...new Set(serials)].sort((a, b) => (a < b ? -1 : 1))) {
    const row = w.proposed.coin(serial);
    const lots = w.proposed
      .lotsOf(serial)
      .map((l) => `${hex(l.id)}:${l.amount}:${l.spent}:${l.step === null ? '' : hex(l.step)}`)
      .sort();
    parts.push(`${serial}:${row?.returned}:${row?.archived}:${lots.join(',')}`);
  }
  return parts.join('|');
}

// ---------------------------------------------------------------------------------------------------------------

export function makeTargets(c: Corpus): Target[] {
  const w = c.world;
  const v = w.verifier;
  const g = c.genuine;
  const policy = { now: w.now, maxChain: 8 };
  const writes = new WriteCounter(w);

  // ----- payee -------------------------------------------------------------------------------------------------
  const receive = (parts: readonly PaymentPart[], ex: Exchange, what: string): Outcome => {
    const fault = offerFault(g, parts);
    if (fault !== undefined) return failure(`${what}: payee accepted an offer that is not genuine: ${fault}`);
    // The payer answers the challenge with the genuine steps of the exchange the seed came from.
    const lots = checkOffer(v, parts, policy);
    const answer = attempt(() => acceptSteps(v, parts, lots, ex.challenge, ex.steps));
    if (!answer.ok) return valid(`offer accepted, steps refused (${answer.reason})`);
    const bad = answerFault(g, parts, ex.challenge, answer.value.records);
    return bad === undefined ? valid(what) : failure(`payee kept records that are not genuine: ${bad}`);
  };

  const payeeOffer: Target = {
    name: 'payee/PaymentOffer',
    receiver: 'payee',
    message: 'PaymentOffer',
    codec: PaymentOffer as Message<unknown>,
    seeds: c.payments.map((p) => p.offerBytes),
    run(bytes, seed) {
      const offer = attempt(() => PaymentOffer.decode(bytes));
      if (!offer.ok) return rejected(offer.reason);
      const checked = attempt(() => checkOffer(v, offer.value.parts, policy));
      if (!checked.ok) return rejected(checked.reason);
      return receive(offer.value.parts, c.payments[seed]!, 'offer accepted, payment completed');
    },
    recover() {},
  };

  const payeeSteps: Target = {
    name: 'payee/PaymentSteps',
    receiver: 'payee',
    message: 'PaymentSteps',
    codec: PaymentSteps as Message<unknown>,
    seeds: c.payments.map((p) => p.stepsBytes),
    run(bytes, seed) {
      const ex = c.payments[seed]!;
      const steps = attempt(() => PaymentSteps.decode(bytes));
      if (!steps.ok) return rejected(steps.reason);
      const answer = attempt(() => acceptSteps(v, ex.parts, ex.lots, ex.challenge, steps.value.steps));
      if (!answer.ok) return rejected(answer.reason);
      const bad = answerFault(g, ex.parts, ex.challenge, answer.value.records);
      return bad === undefined ? valid('steps accepted') : failure(`payee accepted steps that are not genuine: ${bad}`);
    },
    recover() {},
  };

  // ----- bank --------------------------------------------------------------------------------------------------
  // Each seed meets a bank of its own, either fresh (the deposit is new) or one that has already credited it.
  interface Teller {
    bank: Bank;
    credited: Set<string>;
  }
  const tellers = new Map<string, Teller>();
  const teller = (ex: DepositExchange, preCredited: boolean): Teller => {
    const k = `${c.deposits.indexOf(ex)}:${preCredited}`;
    let t = tellers.get(k);
    if (t === undefined) {
      const proto = w.banks[ex.bank]!;
      const bank = new Bank({ id: proto.id, suite: w.suite, seed: sha256(new TextEncoder().encode(`fuzz-teller:${k}`)), depositKey: proto.depositKey });
      bank.open(ex.account, 0);
      const credited = new Set<string>();
      if (preCredited) {
        bank.deposit(v, ex.account, ex.parts, ex.lots, ex.challenge, ex.steps);
        for (const r of ex.records) credited.add(hex(stepId(r.chain[r.chain.length - 1]!)));
      }
      t = { bank, credited };
      tellers.set(k, t);
    }
    return t;
  };
  const depositSeeds = c.deposits.flatMap((ex) => [false, true].map((pre) => ({ ex, pre })));

  /** Runs a deposit-like call at the seed's bank and judges it by what the bank now holds. */
  const atBank = (ex: DepositExchange, pre: boolean, call: (bank: Bank) => { ok: true } | { ok: false; reason: string }): Outcome => {
    const t = teller(ex, pre);
    const balance = t.bank.balance(ex.account);
    const pending = t.bank.pendingRecords;
    const result = call(t.bank);
    const credited = t.bank.balance(ex.account) - balance;
    const added = Array.from({ length: t.bank.pendingRecords - pending }, (_, i) => t.bank.peekPending(pending + i)!);
    if (!result.ok) {
      if (credited !== 0 || added.length !== 0) return failure(`refused (${result.reason}) but credited ${credited} and queued ${added.length}`);
      return rejected(result.reason);
    }
    tellers.delete(`${c.deposits.indexOf(ex)}:${pre}`); // rebuilt for the next mutant
    const depositKey = w.banks[ex.bank]!.depositKey.publicKey;
    let sum = 0;
    const ids = new Set<string>();
    for (const record of added) {
      const lots = genuineRecord(g, record);
      if (typeof lots === 'string') return failure(`bank credited a record that is not genuine: ${lots}`);
      const last = record.chain[record.chain.length - 1];
      if (last === undefined || !equalBytes(last.payeeKey, depositKey)) return failure('bank queued a record that is not a deposit to it');
      const id = hex(stepId(last));
      if (t.credited.has(id) || ids.has(id)) return failure('bank credited a record twice');
      ids.add(id);
      sum += last.amount;
    }
    if (sum !== credited || added.length === 0) return failure(`bank credited ${credited} for ${added.length} records worth ${sum}`);
    return valid(pre ? 'deposit credited again' : 'deposit credited');
  };

  const bankOffer: Target = {
    name: 'bank/PaymentOffer',
    receiver: 'bank',
    message: 'PaymentOffer',
    codec: PaymentOffer as Message<unknown>,
    seeds: depositSeeds.map((s) => s.ex.offerBytes),
    run(bytes, seed) {
      const { ex, pre } = depositSeeds[seed]!;
      return atBank(ex, pre, (bank) => {
        const offer = attempt(() => PaymentOffer.decode(bytes));
        if (!offer.ok) return offer;
        const done = attempt(() => bank.deposit(v, ex.account, offer.value.parts, checkOffer(v, offer.value.parts, { now: w.now }), ex.challenge, ex.steps));
        return done.ok ? { ok: true } : done;
      });
    },
    recover: () => tellers.clear(),
  };

  const bankSteps: Target = {
    name: 'bank/PaymentSteps',
    receiver: 'bank',
    message: 'PaymentSteps',
    codec: PaymentSteps as Message<unknown>,
    seeds: depositSeeds.map((s) => s.ex.stepsBytes),
    run(bytes, seed) {
      const { ex, pre } = depositSeeds[seed]!;
      return atBank(ex, pre, (bank) => {
        const steps = attempt(() => PaymentSteps.decode(bytes));
        if (!steps.ok) return steps;
        const done = attempt(() => bank.deposit(v, ex.account, ex.parts, ex.lots, ex.challenge, steps.value.steps));
        return done.ok ? { ok: true } : done;
      });
    },
    recover: () => tellers.clear(),
  };

  // A finished record presented for deposit (the door a replayed deposit comes through): one seed per
  // genuine deposit record, at a bank that has not credited it and at one that has.
  const recordSeeds = c.deposits.flatMap((ex) => ex.records.flatMap((record) => [false, true].map((pre) => ({ ex, record, pre }))));
  const bankRecord: Target = {
    name: 'bank/TransactionRecord',
    receiver: 'bank',
    message: 'TransactionRecord',
    codec: TransactionRecord as Message<unknown>,
    seeds: recordSeeds.map((s) => TransactionRecord.encode(s.record)),
    run(bytes, seed) {
      const { ex, pre } = recordSeeds[seed]!;
      return atBank(ex, pre, (bank) => {
        const record = attempt(() => TransactionRecord.decode(bytes));
        if (!record.ok) return record;
        // The door a finished record comes through (the simulator's replayed-deposit attack).
        const done = attempt(() => bank.depositRecord(v, ex.account, record.value));
        return done.ok ? { ok: true } : done;
      });
    },
    recover: () => tellers.clear(),
  };

  // ----- issuer: returns ---------------------------------------------------------------------------------------
  const cheaterName = c.cheater.name;
  const references = new Map<string, string>();
  const batchSeeds = [...c.returnedBatches, ...c.freshBatches];
  interface BatchVerdict {
    readonly outcome: Outcome;
    /** For a batch that credited records: the store's digest, to compare with returning those records alone. */
    readonly check?: { readonly bank: number; readonly records: TransactionRecord[]; readonly got: string };
  }
  const issuerBatch: Target = {
    name: 'issuer/ReturnBatch',
    receiver: 'issuer',
    message: 'ReturnBatch',
    codec: ReturnBatch as Message<unknown>,
    seeds: batchSeeds,
    run(bytes) {
      const verdict = rolledBack(w, () => judgeBatch(bytes));
      if (verdict.check === undefined || verdict.outcome.kind === 'failure') return verdict.outcome;
      // The store must be as if exactly the credited genuine records had come back, in that order.
      const { bank, records, got } = verdict.check;
      const key = `${bank}:${records.map((rec) => hex(stepId(rec.chain[rec.chain.length - 1]!))).join(',')}`;
      let expected = references.get(key);
      if (expected === undefined) {
        expected = rolledBack(w, () => {
          w.issuer.processReturn({ bank, batch: 0, records }, w.now);
          return digest(w, records.map((rec) => rec.coin.serial));
        });
        references.set(key, expected);
      }
      return got === expected ? verdict.outcome : failure('the store differs from returning the credited records alone');
    },
    recover() {},
  };

  function judgeBatch(bytes: Uint8Array): BatchVerdict {
    const before = writes.count;
    const batch = attempt(() => ReturnBatch.decode(bytes));
    const result = batch.ok ? attempt(() => w.issuer.processReturn(batch.value, w.now)) : batch;
    if (!result.ok) {
      return { outcome: writes.count === before ? rejected(result.reason) : failure(`refused (${result.reason}) after ${writes.count - before} writes`) };
    }
    const r = result.value;
    const records = (batch as { value: ReturnBatch }).value.records;
    const genuineAtBank = g.depositRecords.get(r.bank);
    // What the issuer may hold checked already: what it held before, and what this batch credited so far.
    const known = new Set(g.issuerKnown);
    const seen = new Set(g.returned);
    const credited: TransactionRecord[] = [];
    let sum = 0;
    for (const [i, status] of r.statuses.entries()) {
      if (status !== 'credited') continue;
      const record = records[i]!;
      const last = record.chain[record.chain.length - 1]!;
      const id = hex(stepId(last));
      const deposit = genuineAtBank?.get(id);
      if (deposit === undefined) return { outcome: failure(`records[${i}] credited but no such deposit was made at bank ${r.bank}`) };
      const lots = genuineRecord(g, record, known);
      if (typeof lots === 'string') return { outcome: failure(`records[${i}] credited but not genuine: ${lots}`) };
      const depositIds = [coinId(deposit.coin), ...deposit.chain.map((s) => stepId(s))].map(hex);
      if (lots.length !== depositIds.length || lots.some((lot, j) => hex(lot.id) !== depositIds[j])) {
        return { outcome: failure(`records[${i}] credited with a chain other than the deposit's`) };
      }
      if (seen.has(id)) return { outcome: failure(`records[${i}] credited twice`) };
      seen.add(id);
      for (const s of record.chain) known.add(hex(stepId(s)));
      credited.push(deposit);
      sum += last.amount;
    }
    if (sum !== r.settled) return { outcome: failure(`settled ${r.settled} for credited records worth ${sum}`) };
    for (const d of r.detections) {
      if (!g.cheatedSerials.has(d.serial)) return { outcome: failure(`detection (${d.rule}, ${d.cause}) on serial ${d.serial}, which nobody overspent`) };
      if (d.culpritKey !== undefined && !g.cheaterKeys.has(keyOf(d.culpritKey))) return { outcome: failure('a detection names an honest key') };
      if (d.proof !== undefined) {
        const named = attempt(() => w.ra.reveal(v, d.proof!));
        if (!named.ok || named.value.name !== cheaterName) return { outcome: failure("a detection's proof does not name the cheater") };
      }
    }
    if (credited.length === 0) {
      if (writes.count !== before) return { outcome: failure(`nothing credited, yet ${writes.count - before} writes`) };
      if (r.statuses.length === 0) return { outcome: valid('empty batch') };
      const firstError = r.errors[0]?.error;
      return { outcome: rejected(firstError === undefined ? 'status duplicate' : `ProtocolError ${firstError.code}`) };
    }
    const got = digest(w, credited.map((rec) => rec.coin.serial));
    const refused = r.errors[0]?.error;
    const outcome: Outcome =
      refused !== undefined
        ? { kind: 'rejected', reason: `ProtocolError ${refused.code}`, partial: true }
        : valid(r.detections.length > 0 ? 'credited, cheater detected' : 'credited');
    return { outcome, check: { bank: r.bank, records: credited, got } };
  }

  // ----- issuer: redemptions -----------------------------------------------------------------------------------
  const redeemSeeds = [...c.redeemed, ...c.unredeemed];
  const issuerRedeem: Target = {
    name: 'issuer/Redemption',
    receiver: 'issuer',
    message: 'Redemption',
    codec: Redemption as Message<unknown>,
    seeds: redeemSeeds,
    run(bytes) {
      return rolledBack(w, (): Outcome => {
        const before = writes.count;
        const issued = w.issuer.issuedCount;
        const r = attempt(() => Redemption.decode(bytes));
        const coin = r.ok ? attempt(() => w.issuer.redeem(r.value, w.now)) : r;
        if (!coin.ok) {
          if (writes.count !== before || w.issuer.issuedCount !== issued) return failure(`refused (${coin.reason}) but the issuer wrote or issued`);
          return rejected(coin.reason);
        }
        const redemption = (r as { value: Redemption }).value;
        if (!g.unredeemed.has(hex(Redemption.encode(redemption)))) return failure('issued a coin for a redemption nobody made');
        const bad = coinFault(coin.value, redemption);
        return bad === undefined ? valid('first redemption of a genuine request') : failure(bad);
      });
    },
    recover() {},
  };

  function coinFault(coin: Coin, r: Redemption): string | undefined {
    if (!w.suite.issuer.verify(w.issuer.publicKey, coinSignedPart(coin), coin.issuerSig)) return 'the coin does not verify';
    if (coin.value !== r.request.denomination || !equalBytes(coin.holderKey, r.request.userKey)) return 'the coin is not the one requested';
    return undefined;
  }

  // ----- RA ----------------------------------------------------------------------------------------------------
  const registrations = w.ra.registrations;
  const raProof: Target = {
    name: 'ra/OverspendProof',
    receiver: 'ra',
    message: 'OverspendProof',
    codec: OverspendProof as Message<unknown>,
    seeds: c.proofs,
    run(bytes) {
      const proof = attempt(() => OverspendProof.decode(bytes));
      const named = proof.ok ? attempt(() => w.ra.reveal(v, proof.value)) : proof;
      if (w.ra.registrations !== registrations) return failure('the RA changed its registrations');
      if (!named.ok) return rejected(named.reason);
      if (named.value.name !== cheaterName) return failure(`the RA revealed ${named.value.name}, who never overspent`);
      const bad = proofFault(g, (proof as { value: OverspendProof }).value);
      return bad === undefined ? valid('the cheater named') : failure(`the RA accepted a proof that is not genuine: ${bad}`);
    },
    recover() {},
  };

  return [payeeOffer, payeeSteps, bankOffer, bankSteps, bankRecord, issuerBatch, issuerRedeem, raProof];
}
