// Byte arrays and V8's heap. V8 keeps a typed array of up to 64 bytes on its own heap, where making one is a
// pointer bump. A longer one gets an ArrayBuffer of its own, malloc'd and tracked until a collection frees it:
// about 1.2 µs, some 40 times a view into a buffer that already exists. And native code (libsodium, SQLite)
// reads an array through its ArrayBuffer, so handing it an on-heap array first moves the bytes off the heap:
// the same malloc (npm run bench -- bytes). Three ways around these, for the main thread:
//
// - shortLived(): arrays over 64 bytes that die young, as views into shared 16 KiB slabs, the way node's
//   Buffer.allocUnsafe pools small Buffers. A transfer step's signed part is 88 bytes and is made several times
//   per payment (the payer's card, the payee, the bank, the issuer), each time to be signed, hashed or verified
//   and dropped. A view keeps its whole slab alive, so only what dies young comes from here: a message's
//   encode() still returns an array of its own.
// - kept(): arrays held for the whole run, such as a hundred thousand cards' keys, packed into slabs of their
//   own: a view costs less than an array with its own ArrayBuffer, however small.
// - Scratch: a reused off-heap buffer that a small array is copied into before a native call, when the native
//   side only reads it during the call.

/** The most V8 keeps on its heap (V8_TYPED_ARRAY_MAX_SIZE_IN_HEAP): at or under it, a plain array is cheaper. */
const IN_HEAP = 64;
const SLAB = 16 * 1024;
/** Larger requests get an array of their own: a slab would hold only a few. */
const MAX_FROM_SLAB = SLAB / 8;

/** Views handed out from 16 KiB ArrayBuffers, one after another, 8-byte aligned as malloc would. */
class Slabs {
  private slab = new ArrayBuffer(SLAB);
  private used = 0;

  take(size: number): Uint8Array {
    if (this.used + size > SLAB) {
      this.slab = new ArrayBuffer(SLAB);
      this.used = 0;
    }
    const out = new Uint8Array(this.slab, this.used, size);
    this.used += (size + 7) & ~7;
    return out;
  }
}

// Two sets of slabs, so that an array kept for the run never pins a slab of arrays that died young.
const young = new Slabs();
const lasting = new Slabs();

/**
 * `size` zeroed bytes, for an array that dies young. Over 64 bytes it is a view into a shared slab: read and
 * write it freely, slice() it to keep it, but never transfer or resize its `buffer`.
 */
export function shortLived(size: number): Uint8Array {
  if (size <= IN_HEAP || size > MAX_FROM_SLAB) return new Uint8Array(size);
  return young.take(size);
}

/**
 * A copy of `bytes` for an array held as long as the run, such as a card's keys: a view into a shared slab, so
 * it costs its bytes and one view, without the ArrayBuffer (about 100 bytes more) that even a 32-byte array
 * has of its own. The same rules as shortLived(); never use it for what dies young, which would pin its slab.
 */
export function kept(bytes: Uint8Array): Uint8Array {
  if (bytes.length > MAX_FROM_SLAB) return bytes.slice();
  const out = lasting.take(bytes.length);
  out.set(bytes);
  return out;
}

/** A reused off-heap buffer for handing small arrays to native code that reads them only during the call. */
export class Scratch {
  private readonly buffer = new Uint8Array(new ArrayBuffer(IN_HEAP));

  /**
   * `bytes` as native code can read them without a move: copied into this scratch if 64 bytes or fewer (valid
   * until this scratch's next use), else `bytes` itself, which has an ArrayBuffer of its own already.
   */
  hold(bytes: Uint8Array): Uint8Array {
    if (bytes.length > IN_HEAP) return bytes;
    this.buffer.set(bytes);
    return this.buffer.subarray(0, bytes.length);
  }
}
