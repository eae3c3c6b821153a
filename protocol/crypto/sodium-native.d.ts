// The part of sodium-native (libsodium's Node binding) that ed25519.ts and seed.ts use; the package ships no types. Outputs
// are written into the first argument, which must be exactly the size libsodium writes.
declare module 'sodium-native' {
  const sodium: {
    /** pk: 32 bytes, sk: 64 bytes (seed || pk), from a 32-byte RFC 8032 secret key. */
    crypto_sign_seed_keypair(pk: Uint8Array, sk: Uint8Array, seed: Uint8Array): void;
    /** sig: 64 bytes, under the 64-byte sk crypto_sign_seed_keypair wrote. */
    crypto_sign_detached(sig: Uint8Array, message: Uint8Array, sk: Uint8Array): void;
    crypto_sign_verify_detached(sig: Uint8Array, message: Uint8Array, pk: Uint8Array): boolean;
    /** out: 32 bytes, SHA-256 of input. */
    crypto_hash_sha256(out: Uint8Array, input: Uint8Array): void;
  };
  export default sodium;
}
