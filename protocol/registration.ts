// The registration authority (登録機関, paper section 4(1)): binds a public key to a real name, certifies the
// key so payees can check it without learning the name, and reveals the name only against a proof that the
// key's holder overspent (tracing.ts checks the proof). It is the one party that can link keys to people.
import type { KeyPair, SignatureScheme } from './crypto/scheme.ts';
import { reject } from './errors.ts';
import { keyOf } from './hash.ts';
import { Certificate, type OverspendProof } from './messages.ts';
import { checkProof } from './tracing.ts';
import type { Verifier } from './record.ts';

export class RegistrationAuthority {
  private readonly names = new Map<string, string>();
  /** Every key a person registered: a named culprit's other keys go on the blocklist too. */
  private readonly keysByName = new Map<string, Uint8Array[]>();

  constructor(
    private readonly scheme: SignatureScheme,
    readonly keyPair: KeyPair,
  ) {}

  get publicKey(): Uint8Array {
    return this.keyPair.publicKey;
  }

  get registrations(): number {
    return this.names.size;
  }

  register(userKey: Uint8Array, realName: string): Certificate {
    const k = keyOf(userKey);
    const known = this.names.get(k);
    if (known !== undefined && known !== realName) reject('bad-certificate', 'userKey', 'key already registered to someone else');
    if (known === undefined) {
      this.names.set(k, realName);
      const keys = this.keysByName.get(realName);
      if (keys === undefined) this.keysByName.set(realName, [userKey]);
      else keys.push(userKey);
    }
    const raSig = this.scheme.sign(this.keyPair.secretKey, Certificate.signedPart({ userKey }, 'raSig'));
    return { userKey, raSig };
  }

  /** Keys registered to a name; used once a proof has revealed it. */
  keysOf(realName: string): readonly Uint8Array[] {
    return this.keysByName.get(realName) ?? [];
  }

  /** The real name behind the overspent lot's holder, only if the proof checks (throws `bad-proof` otherwise). */
  reveal(v: Verifier, proof: OverspendProof): { culpritKey: Uint8Array; name: string } {
    const culpritKey = checkProof(v, proof);
    const name = this.names.get(keyOf(culpritKey));
    if (name === undefined) return reject('bad-proof', 'lot', 'the overspender key was never registered');
    return { culpritKey, name };
  }
}
