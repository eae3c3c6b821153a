// Ids of coins, lots and records. A *lot* is an amount of value one holder can spend: the coin itself (held by
// the coin's holder key) or what one transfer step gave its payee. Steps name the lot they spend from, so the
// steps of one coin form a tree, which is what fraud detection walks. Ids hash signed parts only (hash.ts).
import { sha256 } from './hash.ts';
import { Coin, IssuanceMessage, TransferStep, type IssuanceRequest } from './messages.ts';

export function coinSignedPart(coin: Omit<Coin, 'issuerSig'>): Uint8Array {
  return Coin.signedPart(coin, 'issuerSig');
}

export function stepSignedPart(step: Omit<TransferStep, 'sig'>): Uint8Array {
  return TransferStep.signedPart(step, 'sig');
}

/**
 * The coin with its issuer's signature. Spelled out, not `{ ...coin, issuerSig }`: V8 gave every spread copy a
 * hidden class of its own, about 250 bytes more per coin or step held (a heap snapshot of a national slice).
 */
export function signedCoin(coin: Omit<Coin, 'issuerSig'>, issuerSig: Uint8Array): Coin {
  return { serial: coin.serial, value: coin.value, epoch: coin.epoch, expiry: coin.expiry, holderKey: coin.holderKey, issuerSig };
}

/** The step with its payer's signature, spelled out as signedCoin is. */
export function signedStep(step: Omit<TransferStep, 'sig'>, sig: Uint8Array): TransferStep {
  return { from: step.from, amount: step.amount, payeeKey: step.payeeKey, nonce: step.nonce, sig };
}

/**
 * Coin ids by coin object. Every payment from one of a coin's lots asks for its id again (the payer's card, the
 * payee, the bank, the issuer: about a hundred times per coin in a national run), and encoding and hashing the
 * coin each time was 3.5% of the simulator's main thread. Messages are values: nothing changes a coin object
 * after it is made (a tampered coin, in the tests, is a changed copy), and one decoded off the wire is a new
 * object, so an object's id cannot go stale. Weak, so a coin's id goes when the coin does.
 */
const coinIds = new WeakMap<Omit<Coin, 'issuerSig'>, Uint8Array>();

/** The lot id of a coin (the root of its tree). */
export function coinId(coin: Omit<Coin, 'issuerSig'>): Uint8Array {
  let id = coinIds.get(coin);
  if (id === undefined) coinIds.set(coin, (id = sha256(coinSignedPart(coin))));
  return id;
}

/**
 * Step ids by step object, for the reasons coinIds gives: a step's id is asked for by the payee, the payer's
 * card, the bank and the issuer, and each had encoded and hashed it again (stepId was 5% of the main thread of a
 * national slice). A step lives from its payment until its deposit comes back to the issuer, a day or so, and
 * its id with it.
 */
const stepIds = new WeakMap<Omit<TransferStep, 'sig'>, Uint8Array>();

/** The lot id of what a step gave its payee; for a deposit step, the record's id. */
export function stepId(step: Omit<TransferStep, 'sig'>): Uint8Array {
  let id = stepIds.get(step);
  if (id === undefined) stepIds.set(step, (id = sha256(stepSignedPart(step))));
  return id;
}

/** stepId, for a caller that has just encoded the step's signed part (to check its signature): no second encoding. */
export function stepIdOfSigned(step: Omit<TransferStep, 'sig'>, signedPart: Uint8Array): Uint8Array {
  let id = stepIds.get(step);
  if (id === undefined) stepIds.set(step, (id = sha256(signedPart)));
  return id;
}

/** The bytes a bank blind-signs for an issuance request (before RFC 9474's prefix). */
export function issuanceMessage(request: Pick<IssuanceRequest, 'bank' | 'denomination' | 'epoch' | 'userKey' | 'nonce'>): Uint8Array {
  return IssuanceMessage.encode({
    bank: request.bank,
    denomination: request.denomination,
    epoch: request.epoch,
    userKey: request.userKey,
    nonce: request.nonce,
  });
}

/** Identifies a redemption: the whole message the bank signed, so only a new bank signature is a new request. */
export function requestId(request: IssuanceRequest): Uint8Array {
  return sha256(request.prefix, issuanceMessage(request));
}
