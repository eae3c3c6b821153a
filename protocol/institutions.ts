// The institutions of one deployment: the registration authority, the issuer (writing to the proposed store and
// mirroring returns into the two comparison stores), and the banks registered with it. The simulator and the
// test world build them the same way, from named key seeds, so a world and a run with the same seeds agree.
import { Bank } from './bank.ts';
import { Issuer, type IssuerPolicy } from './issuer.ts';
import { RegistrationAuthority } from './registration.ts';
import type { BaselineStore } from './store/baseline.ts';
import type { EpochPrunedStore } from './store/epoch-pruned.ts';
import type { ProposedStore } from './store/proposed.ts';
import type { KeySuite } from './suite.ts';

export interface IssuerStores {
  readonly proposed: ProposedStore;
  readonly baseline: BaselineStore;
  readonly epochPruned: EpochPrunedStore;
}

export interface InstitutionOptions {
  readonly suite: KeySuite;
  /** A 32-byte key seed per role: 'ra', 'issuer', 'bank:<b>' (blind keys), 'bank:<b>:deposit'. */
  readonly seed: (role: string) => Uint8Array;
  readonly banks: number;
  readonly policy: IssuerPolicy;
  readonly stores: IssuerStores;
  /**
   * Whether bank b has published its blind key for this denomination and epoch. The issuer asks for no other:
   * deriving a key for any denomination a redemption names would let hostile requests make a bank generate
   * RSA keys at will.
   */
  readonly published: (bank: number, denomination: number, epoch: number) => boolean;
}

export interface Institutions {
  readonly ra: RegistrationAuthority;
  readonly issuer: Issuer;
  readonly banks: Bank[];
}

export function establishInstitutions(o: InstitutionOptions): Institutions {
  const { suite, seed } = o;
  const ra = new RegistrationAuthority(suite.ra, suite.ra.keygen(seed('ra')));
  const issuer = new Issuer({
    suite,
    keyPair: suite.issuer.keygen(seed('issuer')),
    raKey: ra.publicKey,
    store: o.stores.proposed,
    mirrors: [o.stores.baseline, o.stores.epochPruned],
    policy: o.policy,
  });
  const banks: Bank[] = [];
  for (let b = 0; b < o.banks; b++) {
    const bank = new Bank({ id: b, suite, seed: seed(`bank:${b}`), depositKey: suite.card.keygen(seed(`bank:${b}:deposit`)) });
    banks.push(bank);
    issuer.registerBank(b, {
      depositKey: bank.depositKey.publicKey,
      blindKey: (d, e) => (o.published(b, d, e) ? bank.blindKey(d, e).publicKey : undefined),
    });
  }
  return { ra, issuer, banks };
}
