import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignatureSchemeError } from './errors.ts';
import { schnorrNoble } from './schnorr.ts';
import { hex, testSeed } from './testing.ts';

// BIP-340 test-vectors.csv (bitcoin/bips, bip-0340): index, secret key, public key, aux_rand, message, signature,
// verification result. Vector 0 uses aux_rand = 0, which is what this scheme always uses, so it is a full signing
// test; the others are checked for verification only.
const ZERO32 = '0000000000000000000000000000000000000000000000000000000000000000';
const VECTORS: readonly { index: number; publicKey: string; message: string; signature: string; valid: boolean }[] = [
  {
    index: 0,
    publicKey: 'F9308A019258C31049344F85F89D5229B531C845836F99B08601F113BCE036F9',
    message: ZERO32,
    signature:
      'E907831F80848D1069A5371B402410364BDF1C5F8307B0084C55F1CE2DCA821525F66A4A85EA8B71E482A74F382D2CE5EBEEE8FDB2172F477DF4900D310536C0',
    valid: true,
  },
  {
    index: 1,
    publicKey: 'DFF1D77F2A671C5F36183726DB2341BE58FEAE1DA2DECED843240F7B502BA659',
    message: '243F6A8885A308D313198A2E03707344A4093822299F31D0082EFA98EC4E6C89',
    signature:
      '6896BD60EEAE296DB48A229FF71DFE071BDE413E6D43F917DC8DCF8C78DE33418906D11AC976ABCCB20B091292BFF4EA897EFCB639EA871CFA95F6DE339E4B0A',
    valid: true,
  },
  {
    index: 4,
    publicKey: 'D69C3509BB99E412E68B0FE8544E72837DFA30746D8BE2AA65975F29D22DC7B9',
    message: '4DF3C3F68FCC83B27E9D42C90431A72499F17875C81A599B566C9889B9696703',
    signature:
      '00000000000000000000003B78CE563F89A0ED9414F5AA28AD0D96D6795F9C6376AFB1548AF603B3EB45C9F8207DEE1060CB71C04E80F593060B07D28308D7F4',
    valid: true,
  },
  {
    index: 5, // public key not on the curve
    publicKey: 'EEFDEA4CDB677750A420FEE807EACF21EB9898AE79B9768766E4FAA04A2D4A34',
    message: '243F6A8885A308D313198A2E03707344A4093822299F31D0082EFA98EC4E6C89',
    signature:
      '6CFF5C3BA86C69EA4B7376F31A9BCB4F74C1976089B2D9963DA2E5543E17776969E89B4C5564D00349106B8497785DD7D1D713A8AE82B32FA79D5F7FC407D39B',
    valid: false,
  },
  {
    index: 6, // has_even_y(R) is false
    publicKey: 'DFF1D77F2A671C5F36183726DB2341BE58FEAE1DA2DECED843240F7B502BA659',
    message: '243F6A8885A308D313198A2E03707344A4093822299F31D0082EFA98EC4E6C89',
    signature:
      'FFF97BD5755EEEA420453A14355235D382F6472F8568A18B2F057A14602975563CC27944640AC607CD107AE10923D9EF7A73C643E166BE5EBEAFA34B1AC553E2',
    valid: false,
  },
  {
    index: 8, // negated s value
    publicKey: 'DFF1D77F2A671C5F36183726DB2341BE58FEAE1DA2DECED843240F7B502BA659',
    message: '243F6A8885A308D313198A2E03707344A4093822299F31D0082EFA98EC4E6C89',
    signature:
      '6CFF5C3BA86C69EA4B7376F31A9BCB4F74C1976089B2D9963DA2E5543E177769961764B3AA9B2FFCB6EF947B6887A226E8D7C93E00C5ED0C1834FF0D0C2E6DA6',
    valid: false,
  },
  {
    index: 13, // sig[32:64] is equal to curve order
    publicKey: 'DFF1D77F2A671C5F36183726DB2341BE58FEAE1DA2DECED843240F7B502BA659',
    message: '243F6A8885A308D313198A2E03707344A4093822299F31D0082EFA98EC4E6C89',
    signature:
      '6CFF5C3BA86C69EA4B7376F31A9BCB4F74C1976089B2D9963DA2E5543E177769FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141',
    valid: false,
  },
  {
    index: 14, // public key is not a valid X coordinate because it exceeds the field size
    publicKey: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC30',
    message: '243F6A8885A308D313198A2E03707344A4093822299F31D0082EFA98EC4E6C89',
    signature:
      '6CFF5C3BA86C69EA4B7376F31A9BCB4F74C1976089B2D9963DA2E5543E17776969E89B4C5564D00349106B8497785DD7D1D713A8AE82B32FA79D5F7FC407D39B',
    valid: false,
  },
];

describe('schnorr-secp256k1: BIP-340 vectors', () => {
  it('signs vector 0 exactly (secret key 3, aux_rand 0, message 0)', () => {
    const secretKey = hex('0000000000000000000000000000000000000000000000000000000000000003');
    const v = VECTORS[0];
    assert.ok(v !== undefined);
    assert.deepEqual(schnorrNoble.sign(secretKey, hex(v.message)), hex(v.signature));
  });

  for (const v of VECTORS) {
    it(`vector ${v.index} verifies ${v.valid ? 'true' : 'false'}`, () => {
      assert.equal(schnorrNoble.verify(hex(v.publicKey), hex(v.message), hex(v.signature)), v.valid);
    });
  }
});

describe('schnorr-secp256k1: deterministic signing', () => {
  it('signs the same message the same way every time (zero aux randomness)', () => {
    const { publicKey, secretKey } = schnorrNoble.keygen(testSeed('schnorr det'));
    const message = new TextEncoder().encode('coin');
    const signature = schnorrNoble.sign(secretKey, message);
    assert.deepEqual(schnorrNoble.sign(secretKey, message), signature);
    assert.equal(schnorrNoble.verify(publicKey, message, signature), true);
  });

  it('signs messages of any length, the empty one included', () => {
    const { publicKey, secretKey } = schnorrNoble.keygen(testSeed('schnorr lengths'));
    for (const length of [0, 1, 31, 33, 1000]) {
      const message = new Uint8Array(length).fill(7);
      assert.equal(schnorrNoble.verify(publicKey, message, schnorrNoble.sign(secretKey, message)), true);
    }
  });

  it('refuses to sign with 0 or a scalar >= n', () => {
    for (const secretKey of [new Uint8Array(32), new Uint8Array(32).fill(0xff)]) {
      assert.throws(
        () => schnorrNoble.sign(secretKey, new Uint8Array(1)),
        (e: unknown) => e instanceof SignatureSchemeError && e.reason === 'invalid-key',
      );
    }
  });
});
