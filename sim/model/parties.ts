// The population: users and shops (both hold IC cards; shops mostly receive and deposit), their banks, the
// issuer and the RA, built from the config with keys drawn from the run's seeded streams.
import type { Bank } from '../../protocol/bank.ts';
import { kept } from '../../protocol/bytes.ts';
import { Card } from '../../protocol/card.ts';
import type { KeyPair } from '../../protocol/crypto/scheme.ts';
import { keyOf } from '../../protocol/hash.ts';
import type { Issuer } from '../../protocol/issuer.ts';
import { establishInstitutions } from '../../protocol/institutions.ts';
import { VerifiedSet, type Verifier } from '../../protocol/record.ts';
import type { RegistrationAuthority } from '../../protocol/registration.ts';
import { BaselineStore } from '../../protocol/store/baseline.ts';
import { EpochPrunedStore } from '../../protocol/store/epoch-pruned.ts';
import { ProposedStore } from '../../protocol/store/proposed.ts';
import { keySuite, type KeySuite } from '../../protocol/suite.ts';
import type { SignatureWork } from '../crypto/signature-work.ts';
import type { Stream, Streams } from '../engine/index.ts';
import type { ModelConfig } from './config.ts';
import type { Reach } from './connectivity.ts';
import { countingSuite, zeroSignatureCounts, type SignatureCounts } from './counting.ts';
import { DeferredCoinStore } from './deferred-coins.ts';
import { fixedCostSuite } from './fixed-cost.ts';
import { SizeReader } from './size-reader.ts';

export interface Party extends Reach {
  readonly index: number;
  readonly kind: 'user' | 'shop';
  readonly name: string;
  readonly card: Card;
  readonly bank: Bank;
  readonly rng: Stream;
  registrations: number;
  /** A shop terminal that goes online only to deposit: it sees the blocklist as of its last deposit. */
  readonly offlineTerminal: boolean;
  lastDeposit: number;
  /** The shops a user visits, when the scenario limits them (drawn on first use). */
  favourites?: number[];
}

/**
 * The suite with card keys packed as they are made (bytes.ts: kept): every key a card is given stays on it for
 * the run, a hundred thousand cards' worth. Packed here, under the signature work's wrapper, which knows a key
 * it made by the secret key's identity.
 */
function withKeptCardKeys(suite: KeySuite): KeySuite {
  const card = suite.card;
  return {
    ...suite,
    card: {
      ...card,
      keygen: (seed: Uint8Array): KeyPair => {
        const made = card.keygen(seed);
        return { publicKey: kept(made.publicKey), secretKey: kept(made.secretKey) };
      },
    },
  };
}

export interface StorePaths {
  readonly proposed: string;
  readonly baseline: string;
  readonly epochPruned: string;
}

export class Parties {
  readonly suite: KeySuite;
  readonly signatures: SignatureCounts = zeroSignatureCounts();
  readonly ra: RegistrationAuthority;
  readonly issuer: Issuer;
  readonly proposed: ProposedStore;
  readonly baseline: BaselineStore;
  readonly epochPruned: EpochPrunedStore;
  readonly banks: Bank[];
  readonly users: Party[] = [];
  readonly shops: Party[] = [];
  /** Payees check without a signature cache: each payee sees a record once, so a cache would rarely hit. */
  readonly payeeVerifier: Verifier;
  /** Banks verify many records of the same coins: a cache, as a real bank would keep. */
  readonly bankVerifier: Verifier;
  /** Whose key is whose, for scoring detections against ground truth (the simulator knows; the issuer does not). */
  readonly owner = new Map<string, Party>();
  /** Current bank-key epoch; the issuer accepts requests of this epoch and the one before. */
  epoch = 0;
  /** Reads the stores' sizes on another thread when they are files (size-reader.ts); in memory, the model reads them. */
  readonly sizeReader: SizeReader | undefined;

  constructor(
    readonly cfg: ModelConfig,
    private readonly streams: Streams,
    paths: StorePaths,
    /** Real signatures made and checked in batches (sim/crypto): omitted, every operation runs where it is called. */
    work?: SignatureWork,
  ) {
    const real = withKeptCardKeys(keySuite(cfg.keys));
    // Fixed-cost signatures are hash stand-ins made at once: no signature work to defer them to.
    const deferred = cfg.signatures === 'fixed-cost' ? undefined : work;
    const base = cfg.signatures === 'fixed-cost' ? fixedCostSuite(real) : deferred !== undefined ? deferred.wrap(real) : real;
    this.suite = countingSuite(base, this.signatures);
    const seed = (name: string) => streams.get(`keys:${name}`).bytes(32);
    // With signature work the issuer's signatures land after the coin rows are written, and are written over
    // them (deferred-coins.ts); without it the issuer signs at once.
    this.proposed = deferred !== undefined ? new DeferredCoinStore(paths.proposed, deferred) : new ProposedStore(paths.proposed);
    this.baseline = new BaselineStore(paths.baseline);
    this.epochPruned = new EpochPrunedStore(paths.epochPruned, cfg.coins.grace);
    const denominations = new Set(cfg.withdrawal.denominations);
    const { ra, issuer, banks } = establishInstitutions({
      suite: this.suite,
      seed,
      banks: cfg.banks,
      policy: {
        coinLifetime: cfg.coins.lifetime,
        expiryGrace: cfg.coins.grace,
        archiveRetention: cfg.coins.archiveRetention,
        maxChain: cfg.policy.maxChain,
      },
      stores: this,
      // The scenario's denominations in the live epochs: the issuer accepts this epoch and the one before.
      published: (_b, d, e) => denominations.has(d) && (e === this.epoch || e === this.epoch - 1),
    });
    this.ra = ra;
    this.issuer = issuer;
    this.banks = banks;
    // The banks' blind keys (RSA: a prime search, about 50 ms each here) are made on the workers while this
    // thread registers everyone below; the run starts once they are in (Model.run).
    deferred?.prepareKeys(
      this.suite.bank.name,
      true,
      banks.flatMap((b) => [...denominations].map((d) => b.blindKeySeed(d, this.epoch))),
    );
    const anchors = { suite: this.suite, raKey: this.ra.publicKey, issuerKey: this.issuer.publicKey };
    this.payeeVerifier = anchors;
    this.bankVerifier = { ...anchors, verified: new VerifiedSet() };
    const offline = streams.get('connectivity');
    const make = (kind: 'user' | 'shop', index: number): Party => {
      const name = `${kind}-${index}`;
      const bank = this.banks[index % this.banks.length]!;
      bank.open(name, kind === 'user' ? cfg.initialBalance : 0);
      const spell = offline.bernoulli(cfg.connectivity.offlineShare);
      const party: Party = {
        index,
        kind,
        name,
        bank,
        card: new Card(this.suite.card, Number.isFinite(cfg.policy.offlineLimit) ? { offlineLimit: cfg.policy.offlineLimit } : {}),
        rng: streams.get(name),
        registrations: 0,
        spellStart: spell ? Math.floor(offline.uniform(0, 86400)) : -1,
        inDisaster: cfg.connectivity.disaster !== undefined && offline.bernoulli(cfg.connectivity.disaster.share),
        offlineTerminal: kind === 'shop' && offline.bernoulli(cfg.connectivity.offlineShops),
        lastDeposit: 0,
      };
      this.register(party);
      return party;
    };
    for (let i = 0; i < cfg.users; i++) this.users.push(make('user', i));
    for (let i = 0; i < cfg.shops; i++) this.shops.push(make('shop', i));
    const stores = this.stores();
    if (stores.every((s) => !s.inMemory)) this.sizeReader = new SizeReader(stores.map((s) => ({ path: s.path, spec: s.sizeSpec })));
  }

  /** The issuer's stores, in the order a size reading lists them. */
  stores(): [ProposedStore, BaselineStore, EpochPrunedStore] {
    return [this.proposed, this.baseline, this.epochPruned];
  }

  /** A fresh key registered with the RA: the paper's per-withdrawal re-registration, for unlinkability. */
  register(p: Party): void {
    const keyPair = this.suite.card.keygen(p.rng.bytes(32));
    p.card.addIdentity({ keyPair, certificate: this.ra.register(keyPair.publicKey, p.name) });
    this.owner.set(keyOf(keyPair.publicKey), p);
    p.registrations++;
  }

  /** Money created: every opening balance. */
  get created(): number {
    return this.cfg.users * this.cfg.initialBalance;
  }

  /** Commits what the issuer's stores hold and opens the next group commit (protocol/store/sqlite.ts). */
  commitGroup(): void {
    this.sizeReader?.beforeCommit();
    for (const s of this.stores()) {
      s.commitGroup();
      s.beginGroup();
    }
  }

  close(): void {
    this.sizeReader?.beforeCommit();
    this.sizeReader?.close();
    for (const s of this.stores()) s.commitGroup();
    for (const s of this.stores()) s.close();
  }
}
