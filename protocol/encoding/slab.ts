// Short-lived byte arrays over 64 bytes, carved from shared slabs.
//
// V8 keeps a typed array of up to 64 bytes on its own heap, where making one is a pointer bump. A longer one
// gets an ArrayBuffer of its own, malloc'd and tracked until a collection frees it: about 1.2 µs, some 40
// times a view into a buffer that already exists (npm run bench -- bytes). A transfer step's signed part is 88
// bytes and is made several times per payment (the payer's card, the payee, the bank, the issuer), each time to
// be signed, hashed or verified and dropped. Such arrays are views into 16 KiB slabs here, as node's
// Buffer.allocUnsafe pools small Buffers. A view keeps its whole slab alive, so only what dies young comes from
// here: a message's encode() still returns an array of its own.

/** The most V8 keeps on its heap (V8_TYPED_ARRAY_MAX_SIZE_IN_HEAP): at or under it, a plain array is cheaper. */
const IN_HEAP = 64;
const SLAB = 16 * 1024;
/** Larger requests get an array of their own: a slab would hold only a few. */
const MAX_FROM_SLAB = SLAB / 8;

let slab = new ArrayBuffer(SLAB);
let used = 0;

/**
 * `size` zeroed bytes, for an array that dies young. Over 64 bytes it is a view into a shared slab: read and
 * write it freely, slice() it to keep it, but never transfer or resize its `buffer`.
 */
export function shortLived(size: number): Uint8Array {
  if (size <= IN_HEAP || size > MAX_FROM_SLAB) return new Uint8Array(size);
  if (used + size > SLAB) {
    slab = new ArrayBuffer(SLAB);
    used = 0;
  }
  const out = new Uint8Array(slab, used, size);
  // 8-byte aligned, as malloc would: a DataView over the bytes reads no slower for it.
  used += (size + 7) & ~7;
  return out;
}
