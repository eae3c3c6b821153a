// RFC 9474 Appendix A.1 and A.3, replayed through the scheme's public API: the vector's msg_prefix, salt and
// blinding factor (r = inv^-1 mod n) are fed in as the RandomBytes stream, and every intermediate and final
// value must come out byte for byte. The vectors use a 4096-bit key, hence the 4096-bit scheme instances.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { bigintToBytes, bytesToBigint, gcd, modInv } from './bigint.ts';
import { emsaPssEncodeSha384 } from './pss.ts';
import { RFC9474_VECTORS } from './rfc9474-vectors.ts';
import { createRsaBlindScheme } from './rsa-blind.ts';
import { replayRandom } from './testing.ts';

for (const v of RFC9474_VECTORS) {
  describe(`${v.section}: ${v.name}`, () => {
    const scheme = createRsaBlindScheme(v.name, 4096);
    const publicKey = hexToBytes(v.n);
    const secretKey = hexToBytes(v.p + v.q);
    const n = bytesToBigint(publicKey);
    const r = modInv(bytesToBigint(hexToBytes(v.inv)), n);
    assert.ok(r !== undefined);
    const random = (): ReturnType<typeof replayRandom> =>
      replayRandom([...(v.msgPrefix === '' ? [] : [hexToBytes(v.msgPrefix)]), hexToBytes(v.salt), bigintToBytes(r, 512)]);

    it('has a consistent key: n = p*q, e = 65537, e*d = 1 mod lcm(p-1, q-1)', () => {
      const p = BigInt(`0x${v.p}`);
      const q = BigInt(`0x${v.q}`);
      assert.equal(p * q, n);
      assert.equal(v.e, '010001');
      const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
      assert.equal((65537n * BigInt(`0x${v.d}`)) % lambda, 1n);
    });

    it('EMSA-PSS-ENCODE(prepared_msg, modBits - 1, salt) = encoded_msg', () => {
      const encoded = emsaPssEncodeSha384(hexToBytes(v.preparedMsg), 4095, hexToBytes(v.salt));
      assert.equal(bytesToHex(encoded), v.encodedMsg);
    });

    it('Prepare + Blind give prepared_msg, blinded_msg and inv', () => {
      const state = scheme.blind(publicKey, hexToBytes(v.msg), random());
      assert.equal(bytesToHex(state.preparedMessage), v.preparedMsg);
      assert.equal(bytesToHex(state.blindedMessage), v.blindedMsg);
      assert.equal(bytesToHex(state.inverse), v.inv);
    });

    it('BlindSign (native CRT) gives blind_sig', () => {
      assert.equal(bytesToHex(scheme.blindSign(secretKey, hexToBytes(v.blindedMsg))), v.blindSig);
    });

    it('Finalize gives sig, and sig verifies over prepared_msg', () => {
      const state = scheme.blind(publicKey, hexToBytes(v.msg), random());
      const sig = scheme.finalize(publicKey, state, hexToBytes(v.blindSig));
      assert.equal(bytesToHex(sig), v.sig);
      assert.equal(scheme.verify(publicKey, hexToBytes(v.preparedMsg), hexToBytes(v.sig)), true);
      assert.equal(scheme.verify(publicKey, hexToBytes(v.msg), hexToBytes(v.sig)), v.msgPrefix === '');
    });
  });
}
