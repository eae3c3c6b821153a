// The signature-only shadow of a stretch of protocol work: exactly the signature operations a counting run found
// it makes (instrumented-suite.ts), called directly on the schemes with keys in the same state. Fresh keys are
// made, untimed, just before and used once; hot keys are parsed and cached before: the RA's, the issuer's and the
// bank's one key each in steady use, cards' keys many, as in the flows. Timed right beside the work it mirrors,
// a shadow is that work's signature-only time under the same load from the rest of the machine.

import type { KeyPair, RandomBytes, SignatureScheme } from '../../protocol/crypto/scheme.ts';
import { sha256 } from '../../protocol/hash.ts';
import { issuanceMessage } from '../../protocol/ids.ts';
import { NONCE_SIZE } from '../../protocol/messages.ts';
import type { KeySuite } from '../../protocol/suite.ts';
import { parseOpClass, type OpClass, type Role } from './instrumented-suite.ts';

/** About a transfer step's signed part. */
export const MESSAGE_BYTES = 128;

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const MESSAGE = new Uint8Array(MESSAGE_BYTES).map((_, i) => sha256(utf8('bench/shadow message'))[i % 32]!);
let seeds = 0;
const freshSeed = (): Uint8Array => sha256(utf8(`bench/shadow key ${seeds++}`));

interface HotKey {
  readonly keys: KeyPair;
  readonly signature: Uint8Array;
}
const hotKeys = new Map<string, HotKey>();

/** The one key of a long-lived role (RA, issuer) on a scheme. */
function hot(s: SignatureScheme, role: Role): HotKey {
  const name = `${s.name} ${role}`;
  let h = hotKeys.get(name);
  if (h === undefined) {
    const keys = s.keygen(sha256(utf8(`bench/shadow hot ${name}`)));
    h = { keys, signature: s.sign(keys.secretKey, MESSAGE) };
    hotKeys.set(name, h);
  }
  return h;
}

function must(ok: boolean, what: string): void {
  if (!ok) throw new Error(`signature shadow: ${what} did not verify`);
}

/** What a shadow needs from the world it runs beside: the suite, the bank's blind key, the blinding randomness. */
export interface ShadowContext {
  readonly suite: KeySuite;
  readonly bankKey: KeyPair;
  readonly random: RandomBytes;
}

/**
 * Hot keys: the RA's, the issuer's (one key each, in steady use) are one key reused. A card key is hot only for
 * the payer that holds it or a payee that has seen it: a flow touches many of them, each parsed and cached, so
 * the shadow uses as many distinct card keys, each touched once beforehand (one key reused would run hotter in
 * the processor's caches than any flow does).
 */
function signatureCalls(s: SignatureScheme, role: Role, op: string, state: string, calls: number): (() => void)[] {
  if (op === 'keygen') {
    return Array.from({ length: calls }, freshSeed).map((seed) => () => void s.keygen(seed));
  }
  if (op !== 'sign' && op !== 'verify') throw new Error(`signature shadow: no ${s.name} ${op} ${state}`);
  let keys: { readonly keys: KeyPair; readonly signature: Uint8Array }[];
  if (state === 'hot' && role !== 'card') {
    keys = Array.from({ length: calls }, () => hot(s, role));
  } else if (state === 'hot' || state === 'fresh') {
    keys = Array.from({ length: calls }, () => {
      const pair = s.keygen(freshSeed());
      return { keys: pair, signature: s.sign(pair.secretKey, MESSAGE) };
    });
  } else {
    throw new Error(`signature shadow: no ${s.name} ${op} ${state}`);
  }
  if (state === 'hot') {
    // Touched once so each key is parsed and cached, however long ago it was last used.
    for (const k of keys) {
      must(s.verify(k.keys.publicKey, MESSAGE, k.signature), s.name);
      s.sign(k.keys.secretKey, MESSAGE);
    }
  }
  if (op === 'sign') return keys.map((k) => () => void s.sign(k.keys.secretKey, MESSAGE));
  return keys.map((k) => () => must(s.verify(k.keys.publicKey, MESSAGE, k.signature), s.name));
}

function blindCalls(ctx: ShadowContext, op: string, state: string, calls: number): (() => void)[] {
  const scheme = ctx.suite.bank;
  if (state !== 'hot') throw new Error(`signature shadow: no ${scheme.name} ${op} ${state}`);
  const { publicKey, secretKey } = ctx.bankKey;
  const message = issuanceMessage({ bank: 0, denomination: 1000, epoch: 0, userKey: MESSAGE.subarray(0, 32), nonce: MESSAGE.subarray(32, 32 + NONCE_SIZE) });
  const state0 = scheme.blind(publicKey, message, ctx.random);
  const blindSig = scheme.blindSign(secretKey, state0.blindedMessage);
  const signature = scheme.finalize(publicKey, state0, blindSig);
  const repeat = (fn: () => void): (() => void)[] => Array.from({ length: calls }, () => fn);
  switch (op) {
    case 'blind':
      return repeat(() => scheme.blind(publicKey, message, ctx.random));
    case 'blindSign':
      return repeat(() => scheme.blindSign(secretKey, state0.blindedMessage));
    case 'finalize':
      return repeat(() => scheme.finalize(publicKey, state0, blindSig));
    case 'verify':
      return repeat(() => must(scheme.verify(publicKey, state0.preparedMessage, signature), scheme.name));
    default:
      throw new Error(`signature shadow: no ${scheme.name} ${op} ${state}`);
  }
}

/**
 * Prepares (untimed) the shadow of `times` repetitions of work whose signature operations per repetition are
 * `ops`; the returned function does just those operations, interleaved in the order the flow first made them
 * (one of each kind per repetition, as the flow does, not all of one kind and then the next, which would run
 * warmer in the processor's caches than the flow can).
 */
export function prepareShadow(ctx: ShadowContext, ops: ReadonlyMap<OpClass, number>, times: number): () => void {
  const kinds: (() => void)[][] = [];
  for (const [c, perOp] of ops) {
    const calls = Math.round(perOp * times);
    if (calls === 0) continue;
    const { role, op, state } = parseOpClass(c);
    kinds.push(role === 'bank' ? blindCalls(ctx, op, state, calls) : signatureCalls(ctx.suite[role], role, op, state, calls));
  }
  const order: (() => void)[] = [];
  const longest = Math.max(0, ...kinds.map((k) => k.length));
  for (let i = 0; i < longest; i++) for (const kind of kinds) if (i < kind.length) order.push(kind[i]!);
  return () => {
    for (const call of order) call();
  };
}
