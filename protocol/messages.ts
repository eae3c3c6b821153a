// Every message of the protocol, as the paper names them, in the one canonical encoding (encoding/index.ts).
// Keys and signatures are length-prefixed because their size depends on the key scheme a scenario picks.
import { bytes, fixed, list, message, u16, u32, u64, type Infer } from './encoding/index.ts';

/** Largest public key or signature any scheme here produces (RSA-2048 blind signature: 256 bytes). */
const KEY = 256;
const SIG = 256;
/** A longer chain than this is refused outright; scenario policies set lower maxima. */
export const MAX_CHAIN = 255;
export const NONCE_SIZE = 16;
export const ID_SIZE = 32;

/** Registration certificate (登録書): the RA's signature over a user's public key. */
export const Certificate = message('Certificate', 0x10, {
  userKey: bytes(KEY),
  raSig: bytes(SIG),
});
export type Certificate = Infer<typeof Certificate>;

/**
 * What the bank blind-signs in withdrawal step (i): the user's key under the key for (denomination, epoch).
 * Gap closed: the paper signs the key alone, but then two coins of one denomination for one key would be the
 * same request under a deterministic blind scheme (blind BLS, RSABSSA-Deterministic) and the issuer's replay
 * check would refuse the second. The user's random nonce makes every request its own.
 */
export const IssuanceMessage = message('IssuanceMessage', 0x11, {
  bank: u16,
  denomination: u32,
  epoch: u16,
  userKey: bytes(KEY),
  nonce: fixed(NONCE_SIZE),
});
export type IssuanceMessage = Infer<typeof IssuanceMessage>;

/**
 * Issuance request (発行依頼書): the unblinded bank signature. `prefix` is RFC 9474's random message prefix
 * (empty for deterministic schemes): the signature is over prefix || encode(IssuanceMessage).
 */
export const IssuanceRequest = message('IssuanceRequest', 0x12, {
  bank: u16,
  denomination: u32,
  epoch: u16,
  userKey: bytes(KEY),
  nonce: fixed(NONCE_SIZE),
  prefix: bytes(64),
  bankSig: bytes(SIG),
});
export type IssuanceRequest = Infer<typeof IssuanceRequest>;

/** Withdrawal step (ii): what the user sends the issuer. */
export const Redemption = message('Redemption', 0x13, {
  request: IssuanceRequest,
  certificate: Certificate,
});
export type Redemption = Infer<typeof Redemption>;

/**
 * The coin (電子マネー): the issuer's ordinary signature over (serial, value, holder key, expiry). Unlike Chaum's
 * coins the issuer knows the serial at issue, which is what lets it keep only what is outstanding.
 */
export const Coin = message('Coin', 0x14, {
  serial: u64,
  value: u32,
  epoch: u16,
  expiry: u32,
  holderKey: bytes(KEY),
  issuerSig: bytes(SIG),
});
export type Coin = Infer<typeof Coin>;

/** The payee's challenge: a fresh nonce and the key the payer must name as next holder. */
export const Challenge = message('Challenge', 0x15, {
  nonce: fixed(NONCE_SIZE),
  payeeKey: bytes(KEY),
});
export type Challenge = Infer<typeof Challenge>;

/**
 * One transfer step: the holder of a lot of value (`from`, the id of the coin or of the step that gave it
 * that value) signs away `amount` of it to `payeeKey`, bound to the payee's nonce. A deposit is a step too,
 * to the bank's deposit key, so the issuer sees every movement of value the same way.
 */
export const TransferStep = message('TransferStep', 0x16, {
  from: fixed(ID_SIZE),
  amount: u32,
  payeeKey: bytes(KEY),
  nonce: fixed(NONCE_SIZE),
  sig: bytes(SIG),
});
export type TransferStep = Infer<typeof TransferStep>;

/** Transaction record (電子マネー取引情報): the coin and the chain of steps down to the current holder. */
export const TransactionRecord = message('TransactionRecord', 0x17, {
  coin: Coin,
  chain: list(TransferStep, MAX_CHAIN),
});
export type TransactionRecord = Infer<typeof TransactionRecord>;

/** A bank's batch of deposited records, returned (還流) to the issuer. `batch` numbers a bank's batches. */
export const ReturnBatch = message('ReturnBatch', 0x18, {
  bank: u16,
  batch: u32,
  records: list(TransactionRecord, 0xffffffff),
});
export type ReturnBatch = Infer<typeof ReturnBatch>;

/**
 * Proof of overspending, sent by the issuer to the RA: the record leading to the overspent lot (its holder's
 * key is the last payee, or the coin's holder when `lot.chain` is empty) and the holder's conflicting steps,
 * each spending from that lot, whose amounts add up to more than the lot holds.
 */
export const OverspendProof = message('OverspendProof', 0x19, {
  lot: TransactionRecord,
  conflicting: list(TransferStep, MAX_CHAIN),
});
export type OverspendProof = Infer<typeof OverspendProof>;

/** One part of a payment offer: a lot the payer holds, proven by its record and certificate. */
export const PaymentPart = message('PaymentPart', 0x1a, {
  certificate: Certificate,
  record: TransactionRecord,
  amount: u32,
});
export type PaymentPart = Infer<typeof PaymentPart>;

/** What the payer shows first (paper figure 4): certificate, public key and coins with their history. */
export const PaymentOffer = message('PaymentOffer', 0x1b, {
  parts: list(PaymentPart, 64),
});
export type PaymentOffer = Infer<typeof PaymentOffer>;

/** The payer's answer to a challenge: one signed step per part, in the offer's order. */
export const PaymentSteps = message('PaymentSteps', 0x1c, {
  steps: list(TransferStep, 64),
});
export type PaymentSteps = Infer<typeof PaymentSteps>;
