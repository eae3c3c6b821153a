// The two small interfaces every key scheme implements. Keys, messages and signatures are plain bytes so that
// any step of the protocol can run on the main thread, in a test or on a worker thread alike.

/** Where every random byte comes from: a seeded stream in the simulator, so runs reproduce. */
export type RandomBytes = (length: number) => Uint8Array;

export interface KeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

export type SignatureSchemeId = 'ed25519' | 'p256' | 'secp256k1' | 'schnorr-secp256k1' | 'bls12-381';
export type BlindSchemeId = 'rsa-blind' | 'bls-blind';
export type Backend = 'sodium' | 'native' | 'noble';

export interface SignedMessage {
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

/** An ordinary signature scheme: the RA's certificates, the issuer's coins, the cards' transfer steps. */
export interface SignatureScheme {
  readonly id: SignatureSchemeId;
  readonly backend: Backend;
  /** `id@backend`, the name scenario files and benchmark tables use. */
  readonly name: string;
  readonly publicKeySize: number;
  readonly secretKeySize: number;
  /** Fixed size in bytes: variable-length encodings (DER) are never used. */
  readonly signatureSize: number;
  /** Same seed, same key pair, on every backend of the scheme (HKDF-SHA256 of the seed, per scheme). */
  keygen(seed: Uint8Array): KeyPair;
  sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array;
  /** False for any invalid signature, key or length; never throws on hostile input. */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** True only if every item verifies; present where checking together is cheaper (BLS aggregation). */
  verifyBatch?(items: readonly SignedMessage[]): boolean;
}

/** What the user keeps between blinding and finalizing. */
export interface BlindingState {
  readonly blindedMessage: Uint8Array;
  /** Secret unblinding data (RSA: r^-1 mod n; BLS: r^-1 mod q), never sent to the bank. */
  readonly inverse: Uint8Array;
  /** The message the final signature is over (RFC 9474 randomized variant: 32-byte prefix || message). */
  readonly preparedMessage: Uint8Array;
}

/** One message to blind, with the stream its draws come from. */
export interface BlindItem {
  readonly preparedMessage: Uint8Array;
  readonly random: RandomBytes;
}

/**
 * A blind signature scheme: the bank signs the user's public key without seeing it (the issuance request).
 * Flow: prepare+blind (user) -> blindSign (bank) -> finalize (user) -> verify (issuer, over preparedMessage).
 */
export interface BlindSignatureScheme {
  readonly id: BlindSchemeId;
  readonly backend: Backend;
  /** `id` or `id:variant@backend`, e.g. `rsa-blind:RSABSSA-SHA384-PSS-Randomized@native`. */
  readonly name: string;
  readonly publicKeySize: number;
  readonly signatureSize: number;
  /** Sizes of a blinded message and of the unblinding inverse, fixed per scheme. */
  readonly blindedMessageSize: number;
  readonly inverseSize: number;
  keygen(seed: Uint8Array): KeyPair;
  /** `prepare` then `blindPrepared`, with the same random stream: same draws, same bytes. */
  blind(publicKey: Uint8Array, message: Uint8Array, random: RandomBytes): BlindingState;
  /** RFC 9474 §4.1 Prepare: the message the signature will be over (the randomized variant draws its prefix here). */
  prepare(message: Uint8Array, random: RandomBytes): Uint8Array;
  /** RFC 9474 §4.2 Blind of an already prepared message. */
  blindPrepared(publicKey: Uint8Array, preparedMessage: Uint8Array, random: RandomBytes): BlindingState;
  /**
   * blindPrepared of each item under one key, each with its own stream: every state and every draw is the one
   * blindPrepared gives, and if an item fails this throws an error blindPrepared throws for it. Present where
   * blinding together is cheaper (RSA: one modular inverse for all of them).
   */
  blindPreparedAll?(publicKey: Uint8Array, items: readonly BlindItem[]): BlindingState[];
  blindSign(secretKey: Uint8Array, blindedMessage: Uint8Array): Uint8Array;
  /** Unblinds and checks the result; throws a typed error if the bank's answer does not verify. */
  finalize(publicKey: Uint8Array, state: BlindingState, blindSignature: Uint8Array): Uint8Array;
  verify(publicKey: Uint8Array, preparedMessage: Uint8Array, signature: Uint8Array): boolean;
}
