// The RA reveals a name only against a valid proof of overspending, whatever bytes it is sent: the corpus's two
// real proofs name the cheater (every time they are replayed), and empty, partial, spliced, bit-flipped and
// honest-user proofs are refused with a typed error, the registrations untouched.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { DecodeError } from '../protocol/encoding/index.ts';
import { ProtocolError } from '../protocol/errors.ts';
import { OverspendProof, type TransferStep } from '../protocol/messages.ts';
import { buildCorpus } from './corpus.ts';

const c = buildCorpus('fuzz-reveal');
const w = c.world;
after(() => w.close());
const registrations = w.ra.registrations;
const proofs = c.proofs.map((b) => OverspendProof.decode(b));
const [chainZero, chainOne] = [...proofs].sort((a, b) => a.lot.chain.length - b.lot.chain.length) as [OverspendProof, OverspendProof];

/** The RA's answer to these bytes: a name, or the typed refusal's label. Anything else fails the test. */
function reveal(bytes: Uint8Array): string {
  try {
    return `named ${w.ra.reveal(w.verifier, OverspendProof.decode(bytes)).name}`;
  } catch (e) {
    if (e instanceof DecodeError) return `DecodeError ${e.reason}`;
    if (e instanceof ProtocolError) return `${e.code} at ${e.field}`;
    throw e;
  } finally {
    assert.equal(w.ra.registrations, registrations);
  }
}
const revealProof = (p: OverspendProof): string => reveal(OverspendProof.encode(p));

function flip(b: Uint8Array, byte: number, bit: number): Uint8Array {
  const out = b.slice();
  out[byte % out.length]! ^= 1 << bit;
  return out;
}

test('the real proofs name the cheater, replayed any number of times, and nobody else', () => {
  assert.equal(chainZero.lot.chain.length, 0, 'an overspent coin');
  assert.equal(chainOne.lot.chain.length, 1, 'overspent received value');
  for (let i = 0; i < 3; i++) for (const b of c.proofs) assert.equal(reveal(b), `named ${c.cheater.name}`);
  // The conflicting steps in another order are the same evidence.
  assert.equal(revealProof({ ...chainZero, conflicting: [...chainZero.conflicting].reverse() }), `named ${c.cheater.name}`);
});

test('empty bytes, an empty proof, a proof of one step, a step repeated: refused', () => {
  assert.equal(reveal(new Uint8Array(0)), 'DecodeError truncated');
  for (const b of c.proofs) for (const length of [1, 2, Math.floor(b.length / 2), b.length - 1]) assert.equal(reveal(b.subarray(0, length)), 'DecodeError truncated');
  assert.equal(revealProof({ ...chainZero, conflicting: [] }), 'bad-proof at conflicting');
  for (const step of chainZero.conflicting) assert.equal(revealProof({ ...chainZero, conflicting: [step] }), 'bad-proof at conflicting');
  const s0 = chainZero.conflicting[0]!;
  assert.equal(revealProof({ ...chainZero, conflicting: [s0, s0] }), 'bad-proof at conflicting[1]');
});

test('steps from another lot, or a lot from another proof: refused', () => {
  assert.equal(revealProof({ lot: chainZero.lot, conflicting: chainOne.conflicting }), 'bad-proof at conflicting[0].from');
  assert.equal(revealProof({ lot: chainOne.lot, conflicting: chainZero.conflicting }), 'bad-proof at conflicting[0].from');
  assert.equal(revealProof({ ...chainZero, conflicting: [chainZero.conflicting[0]!, chainOne.conflicting[0]!] }), 'bad-proof at conflicting[1].from');
  // The honest user's steps next to the cheater's: they spend another lot.
  assert.equal(revealProof({ ...chainOne, conflicting: [...chainOne.conflicting, c.honest.steps[0]!] }), 'bad-proof at conflicting[2].from');
});

test('a valid proof with one signature bit flipped is refused, wherever the bit is', () => {
  for (const p of proofs) {
    for (const [i, step] of p.conflicting.entries()) {
      for (const byte of [0, 31, 63]) {
        const conflicting = p.conflicting.map((s, j): TransferStep => (j === i ? { ...s, sig: flip(step.sig, byte, byte % 8) } : s));
        assert.equal(revealProof({ ...p, conflicting }), `bad-proof at conflicting[${i}].sig`);
      }
    }
    assert.match(revealProof({ ...p, lot: { ...p.lot, coin: { ...p.lot.coin, issuerSig: flip(p.lot.coin.issuerSig, 7, 1) } } }), /^bad-proof at lot$/);
    for (const [i, step] of p.lot.chain.entries()) {
      const chain = p.lot.chain.map((s, j) => (j === i ? { ...s, sig: flip(step.sig, 12, 3) } : s));
      assert.equal(revealProof({ ...p, lot: { ...p.lot, chain } }), 'bad-proof at lot');
    }
  }
});

test("a proof naming an honest user's lot is refused: the steps add up to no more than it held", () => {
  const { lot, steps } = c.honest;
  assert.equal(steps.reduce((s, x) => s + x.amount, 0), lot.coin.value, 'the honest user spent exactly all of it');
  assert.equal(revealProof({ lot, conflicting: steps }), 'bad-proof at conflicting');
  assert.equal(revealProof({ lot, conflicting: steps.slice(0, 2) }), 'bad-proof at conflicting');
  // Raising an amount to push the total over breaks that step's signature.
  const raised = steps.map((s, i) => (i === 0 ? { ...s, amount: s.amount + 1 } : s));
  assert.equal(revealProof({ lot, conflicting: raised }), 'bad-proof at conflicting[0].sig');
  // The honest lot with the cheater's steps, or the cheater's lot re-pointed at the honest coin: refused.
  assert.equal(revealProof({ lot, conflicting: [...steps, ...chainZero.conflicting] }), 'bad-proof at conflicting[3].from');
  assert.equal(revealProof({ lot: { ...chainZero.lot, coin: lot.coin }, conflicting: chainZero.conflicting }), 'bad-proof at conflicting[0].from');
});

test('every single-bit flip of a real proof is refused or still names the cheater', () => {
  for (const b of c.proofs) {
    for (let byte = 0; byte < b.length; byte++) {
      const answer = reveal(flip(b, byte, (byte * 5) % 8));
      assert.ok(!answer.startsWith('named ') || answer === `named ${c.cheater.name}`, `byte ${byte}: ${answer}`);
    }
  }
});
