// The RA reveals a name only against a valid proof of overspending (paper section 4(6)): a forged, partial or
// altered proof is refused with 'bad-proof', and no proof built from an honest user's own signed steps names them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ProtocolError } from './errors.ts';
import { equalBytes } from './hash.ts';
import { coinId, stepId, stepSignedPart } from './ids.ts';
import { TransferStep, type OverspendProof, type TransactionRecord } from './messages.ts';
import { makeChallenge } from './payment.ts';
import { checkProof } from './tracing.ts';
import { World, type User } from './testing.ts';

// One seed for every run, so CI is reproducible; FC_SEED=<n> explores others (a failure prints its seed).
fc.configureGlobal({ seed: Number(process.env['FC_SEED'] ?? 20261124) });

function refused(fn: () => unknown, field: string): void {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof ProtocolError, `expected ProtocolError, got ${String(err)}`);
    assert.deepEqual({ code: err.code, field: err.field }, { code: 'bad-proof', field });
    return true;
  });
}

/** A message opened up for tampering, as an attacker holding its bytes could: a deep, writable copy. */
type Open<T> = T extends Uint8Array ? Uint8Array : T extends readonly (infer E)[] ? Open<E>[] : T extends object ? { -readonly [K in keyof T]: Open<T[K]> } : T;
function open<T>(value: T): Open<T> {
  return structuredClone(value) as Open<T>;
}

function flip(bytes: Uint8Array, byte: number, bit: number): Uint8Array {
  const out = bytes.slice();
  out[byte % out.length]! ^= 1 << bit;
  return out;
}

interface Fixture {
  readonly w: World;
  readonly cheat: User;
  readonly honest: User;
  readonly proof: OverspendProof;
  /** The honest user's coin and the three steps it signed from it, adding up to exactly its value. */
  readonly honestCoin: TransactionRecord;
  readonly honestSteps: TransferStep[];
  /** A record one step further down the cheat's coin (a payee's lot). */
  readonly payeeRecord: TransactionRecord;
}

function fixture(): Fixture {
  const w = new World({ users: 5 });
  const [cheat, b, c, honest, x] = [0, 1, 2, 3, 4].map((i) => w.user(i)) as [User, User, User, User, User];
  w.withdraw(cheat, 1000);
  const lot = [...cheat.card.lots.values()][0]!;
  cheat.card.breached = true;
  const [payeeRecord] = w.pay(cheat, b, 800, cheat.card.offer(800, { lot }));
  w.pay(cheat, c, 800, cheat.card.offer(800, { lot }));
  const coin = w.withdraw(honest, 1000);
  w.pay(honest, x, 300);
  w.pay(honest, b, 300);
  for (const u of [b, c, honest, x]) w.deposit(u);
  const detections = w.returnAll().flatMap((r) => r.detections);
  assert.equal(detections.length, 2);
  const root = coinId(coin);
  const honestSteps = w.proposed
    .lotsOf(coin.serial)
    .flatMap((l) => (l.step === null ? [] : [TransferStep.decode(l.step)]))
    .filter((s) => equalBytes(s.from, root));
  assert.equal(honestSteps.length, 3);
  return { w, cheat, honest, proof: detections[0]!.proof!, honestCoin: { coin, chain: [] }, honestSteps, payeeRecord: payeeRecord! };
}

test('a valid proof names the cheater; partial, duplicated and altered proofs are refused', () => {
  const f = fixture();
  const { w, proof } = f;
  assert.equal(w.ra.reveal(w.verifier, proof).name, f.cheat.name);
  const [s0, s1] = proof.conflicting as [TransferStep, TransferStep];

  refused(() => w.ra.reveal(w.verifier, { ...proof, conflicting: [s0] }), 'conflicting');
  refused(() => w.ra.reveal(w.verifier, { ...proof, conflicting: [] }), 'conflicting');
  refused(() => w.ra.reveal(w.verifier, { ...proof, conflicting: [s0, s0] }), 'conflicting[1]');
  refused(() => w.ra.reveal(w.verifier, { ...proof, conflicting: [s0, { ...s1, sig: flip(s1.sig, 40, 6) }] }), 'conflicting[1].sig');
  refused(() => w.ra.reveal(w.verifier, { ...proof, conflicting: [{ ...s0, amount: s0.amount + 1 }, s1] }), 'conflicting[0].sig');
  refused(() => w.ra.reveal(w.verifier, { ...proof, conflicting: [s0, f.honestSteps[0]!] }), 'conflicting[1].from');
  const lotCoin = { ...proof.lot.coin, value: proof.lot.coin.value * 2 };
  refused(() => w.ra.reveal(w.verifier, { ...proof, lot: { ...proof.lot, coin: lotCoin } }), 'lot');
  // The cheat's steps presented against a payee's lot further down: they do not spend from it.
  refused(() => w.ra.reveal(w.verifier, { ...proof, lot: f.payeeRecord }), 'conflicting[0].from');
  w.close();
});

test("no proof from an honest user's own steps names them, even with every one of their steps in it", () => {
  const f = fixture();
  const { w, honestSteps, honestCoin } = f;
  refused(() => w.ra.reveal(w.verifier, { lot: honestCoin, conflicting: honestSteps }), 'conflicting');
  refused(() => w.ra.reveal(w.verifier, { lot: honestCoin, conflicting: honestSteps.slice(0, 2) }), 'conflicting');
  // Padding with a step of the same amount re-signed by someone else, or with the cheat's steps, fails too.
  const forged = { ...honestSteps[0]!, sig: w.suite.card.sign(f.cheat.card.receivingIdentity.keyPair.secretKey, stepSignedPart(honestSteps[0]!)) };
  refused(() => w.ra.reveal(w.verifier, { lot: honestCoin, conflicting: [...honestSteps, { ...forged, nonce: flip(forged.nonce, 0, 0) }] }), 'conflicting[3].sig');
  refused(() => w.ra.reveal(w.verifier, { lot: honestCoin, conflicting: [...honestSteps, ...f.proof.conflicting] }), 'conflicting[3].from');
  w.close();
});

test('a valid overspend by a key the RA never registered reveals no name', () => {
  const w = new World({ users: 2 });
  const a = w.user(0);
  w.withdraw(a, 1000);
  const stranger = w.suite.card.keygen(new Uint8Array(32).fill(7));
  const challenge = makeChallenge(stranger.publicKey, w.random);
  const parts = a.card.offer(600);
  const [step] = a.card.sign(parts, challenge);
  const lot: TransactionRecord = { coin: parts[0]!.record.coin, chain: [step!] };
  // The stranger spends all 600 twice: a proof that checks, against a key with no name behind it.
  const spend = (n: number): TransferStep => {
    const unsigned = { from: stepId(step!), amount: 600, payeeKey: a.bank.depositKey.publicKey, nonce: new Uint8Array(16).fill(n) };
    return { ...unsigned, sig: w.suite.card.sign(stranger.secretKey, stepSignedPart(unsigned)) };
  };
  const proof = { lot, conflicting: [spend(1), spend(2)] };
  assert.ok(equalBytes(checkProof(w.verifier, proof), stranger.publicKey));
  refused(() => w.ra.reveal(w.verifier, proof), 'lot');
  w.close();
});

// ---------------------------------------------------------------------------------------------------------------

type Mutation =
  | { readonly op: 'drop' | 'dup' | 'flipSig' | 'raise' | 'nonce' | 'from' | 'payee'; readonly i: number; readonly byte: number; readonly bit: number }
  | { readonly op: 'reverse' | 'lotCoin' | 'lotSig' | 'lotExtend' | 'lotTruncate' | 'lotHonest' | 'addHonest' | 'onlyHonest' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    op: fc.constantFrom('drop' as const, 'dup' as const, 'flipSig' as const, 'raise' as const, 'nonce' as const, 'from' as const, 'payee' as const),
    i: fc.nat({ max: 7 }),
    byte: fc.nat({ max: 255 }),
    bit: fc.nat({ max: 7 }),
  }),
  fc.record({
    op: fc.constantFrom('reverse' as const, 'lotCoin' as const, 'lotSig' as const, 'lotExtend' as const, 'lotTruncate' as const, 'lotHonest' as const, 'addHonest' as const, 'onlyHonest' as const),
  }),
);

test('any alteration of a valid proof is refused or still names the real cheater, never anyone else', () => {
  const f = fixture();
  const { w } = f;
  const outcomes = { refused: 0, stillValid: 0 };
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
      let p: OverspendProof = open(f.proof);
      for (const m of mutations) p = mutate(p, m, f);
      let name: string;
      try {
        name = w.ra.reveal(w.verifier, p).name;
      } catch (e) {
        assert.ok(e instanceof ProtocolError && e.code === 'bad-proof', `refused with ${String(e)}`);
        outcomes.refused++;
        return;
      }
      assert.equal(name, f.cheat.name);
      outcomes.stillValid++;
    }),
    { numRuns: 200, includeErrorInReport: true },
  );
  assert.ok(outcomes.refused > 0 && outcomes.stillValid > 0, JSON.stringify(outcomes));
  w.close();
});

function mutate(p: OverspendProof, m: Mutation, f: Fixture): OverspendProof {
  const steps = [...p.conflicting];
  const lot = open(p.lot);
  if ('i' in m) {
    if (steps.length === 0) return p;
    const i = m.i % steps.length;
    const s = { ...steps[i]! };
    switch (m.op) {
      case 'drop':
        steps.splice(i, 1);
        return { lot, conflicting: steps };
      case 'dup':
        steps.push(s);
        return { lot, conflicting: steps };
      case 'flipSig':
        s.sig = flip(s.sig, m.byte, m.bit);
        break;
      case 'raise':
        s.amount += 1 + m.byte;
        break;
      case 'nonce':
        s.nonce = flip(s.nonce, m.byte, m.bit);
        break;
      case 'from':
        s.from = flip(s.from, m.byte, m.bit);
        break;
      case 'payee':
        s.payeeKey = f.honest.card.receivingIdentity.keyPair.publicKey;
        break;
    }
    steps[i] = s;
    return { lot, conflicting: steps };
  }
  switch (m.op) {
    case 'reverse':
      return { lot, conflicting: steps.reverse() };
    case 'lotCoin':
      lot.coin.value += 1;
      return { lot, conflicting: steps };
    case 'lotSig':
      lot.coin.issuerSig = flip(lot.coin.issuerSig, 1, 1);
      return { lot, conflicting: steps };
    case 'lotExtend':
      return { lot: f.payeeRecord, conflicting: steps };
    case 'lotTruncate':
      lot.chain.pop();
      return { lot, conflicting: steps };
    case 'lotHonest':
      return { lot: f.honestCoin, conflicting: steps };
    case 'addHonest':
      return { lot, conflicting: [...steps, ...f.honestSteps] };
    case 'onlyHonest':
      return { lot: f.honestCoin, conflicting: [...f.honestSteps] };
  }
}
