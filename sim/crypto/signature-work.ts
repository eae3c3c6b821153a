// Signature work off the main thread, with results that do not depend on the thread count.
//
// The simulation's course never depends on signature bytes: ids hash only signed parts (protocol/ids.ts), and a
// verification's outcome is fixed by what was signed, by whom. So the key suite the protocol sees is wrapped:
//
// - sign returns a placeholder of the signature's size at once and queues the real signing; the placeholder is
//   overwritten in place with the real signature at a later barrier;
// - verify answers at once from a record of every signature the run has made, as the ideal signature
//   functionality F_SIG does (Canetti, "Universally Composable Signature, Certification, and Authentication",
//   CSFW 2004): valid exactly when this signature object was made by the holder of this public key over these
//   bytes. The real verification is queued too, runs on a worker, and must agree, or the run stops with an
//   error: every answer the simulation acted on is checked by real cryptography before the run ends;
// - a withdrawal's blind-signature work (the user's blinding, the bank's blind signature, the user's finalize)
//   runs as one job, and the unblinded signature is recorded like any other, so the issuer's check of it is
//   answered the same way.
//
// Signatures the record does not know (a forged coin, bytes read back from a store, a proof) are verified on
// the main thread at once, as without workers. The issuer's coin signatures are deferred like the others: a coin
// is written to the issuer's database as soon as it is made, with the placeholder, and `whenReal` lets the model
// write the real bytes over it when they land (sim/model/deferred-coins.ts), before anything reads them back.
//
// Barriers fall only where the simulation's own state puts them (a batch reaches its size; an event needs real
// bytes, like the issuer writing a bank's returned records), never where a thread happens to finish, so a
// placeholder is read at the same points of the run whatever the thread count, and the results are identical.
// Between barriers the main thread keeps simulating while the workers sign and verify the batches before; at a
// barrier it runs the unclaimed jobs of the batch it waits for (Executor.help), alongside the workers.
import type { BlindSignatureScheme, KeyPair, SignatureScheme } from '../../protocol/crypto/scheme.ts';
import { shortLived } from '../../protocol/bytes.ts';
import { equalBytes, keyOf } from '../../protocol/hash.ts';
import type { KeySuite } from '../../protocol/suite.ts';
import type { Executor } from './executor.ts';
import { fsigDigest } from './fsig-digest.ts';
import { runJobs, type Job } from './jobs.ts';
import { PendingVerifies } from './pending-verifies.ts';
import { BatchResults } from './results.ts';
import { JobBatch } from './wire.ts';

/**
 * F_SIG's record of the signatures the run made under one scheme: for each signature object, a 53-bit digest of
 * the public key that made it and the message it signs (fsig-digest.ts). A record lives as long as its signature
 * (a coin's, a certificate's) and a national week makes millions of them, so it is one number: 16 bytes of heap.
 * A signature presented with another key or message misses its digest with odds of 2^-53, and even then the
 * real verification queued with it would stop the run.
 */
type Made = WeakMap<Uint8Array, number>;

interface BlindMade {
  readonly publicKey: Uint8Array;
  readonly blindedMessage: Uint8Array;
  readonly entry: Entry;
}

/**
 * A withdrawal's job, kept as an object until its batch is sent, since later steps of the flow extend it. Every
 * other job is packed as it is queued (wire.ts), a verification of a signature still to be made into
 * PendingVerifies.
 */
interface Entry {
  job: Job;
  /** `kind (scheme)`, for errors. */
  readonly what: string;
  /** Placeholders the job's outputs overwrite, in output order. */
  readonly out: Uint8Array[];
  queued: boolean;
}

/**
 * Where a sent job's result goes: a signing's placeholder, a verification's answer (the one the simulation was
 * given, which the real one must match), or a withdrawal's entry.
 */
type Sink = Uint8Array | boolean | Entry;

/** A batch sent and not yet landed: its jobs' sinks and `kind (scheme)` names, in job order. */
interface Flight {
  readonly sinks: Sink[];
  readonly whats: string[];
  readonly results: Promise<BatchResults>;
}

export interface SignatureWorkStats {
  /** Jobs run by the executor, by kind. */
  signs: number;
  blinds: number;
  blindSigns: number;
  verifies: number;
  /** Verifications of signatures the run did not make, done on the main thread at once. */
  mainThreadVerifies: number;
  /** Signatures made on the main thread at once (by keys made outside keygen). */
  mainThreadSigns: number;
  barriers: number;
  batches: number;
}

export interface SignatureWorkOptions {
  /** Jobs per batch at most: a batch is sent when this many are queued (fewer just after the pipeline was empty). */
  readonly batchSize: number;
  /** Called when the run loop should stop after the current event and await `barrier()`. */
  readonly onBarrierWanted: () => void;
  /**
   * Batches in flight before a barrier waits for the oldest (default 2): with one, the main thread waits
   * whenever the workers are a little behind; with two, a slow batch is absorbed by the next.
   */
  readonly depth?: number | undefined;
}

/**
 * The first batch after the pipeline was empty (the run's start, a settle) is this small, and each batch after
 * it twice the one before, up to the batch size: while the main thread fills a whole batch, the workers have
 * nothing to do, and a settle empties the pipeline at every bank return.
 */
const FIRST_BATCH = 256;
/**
 * Jobs per batch sent inside stream(): 64 at first, so the workers start a few milliseconds of work behind the
 * main thread, then twice the last, up to 512. Held at 64, a national week's bank returns went out in 30,257
 * batches, each with its shared buffer, task, answer and landing; at 512 a batch is some 35 ms of a worker's
 * time, against well under a millisecond of those costs.
 */
const STREAM_FIRST = 64;
const STREAM_MAX = 512;

/** Placeholders start with this, then a u32 sequence number: a copy read before its fill can be recognised. */
const MAGIC = [0xec, 0xa5, 0x51, 0x6d];

export class SignatureWork {
  readonly stats: SignatureWorkStats = { signs: 0, blinds: 0, blindSigns: 0, verifies: 0, mainThreadVerifies: 0, mainThreadSigns: 0, barriers: 0, batches: 0 };
  /** The next batch's jobs packed so far, with where each one's result goes. */
  private readonly batch = new JobBatch();
  private sinks: Sink[] = [];
  private whats: string[] = [];
  /** Withdrawals' jobs for the next batch, kept as objects until it is sent (Entry). */
  private waiting: Entry[] = [];
  /** Verifications waiting for their signature to be made before they can be sent. */
  private readonly pending = new PendingVerifies();
  /** Batches sent and not yet landed, oldest first. */
  private inflight: Flight[] = [];
  /** F_SIG's records, by scheme name. */
  private readonly made = new Map<string, Made>();
  private readonly blindMade = new WeakMap<Uint8Array, BlindMade>();
  /** A withdrawal's job, by the blinded-message placeholder its blinding returned. */
  private readonly chains = new WeakMap<Uint8Array, Entry>();
  private readonly publicKeys = new WeakMap<Uint8Array, Uint8Array>();
  /** Placeholders not yet overwritten, by the sequence number written into them. */
  private readonly unfilled = new Map<number, Uint8Array>();
  /** What to do once a placeholder holds its real bytes (whenReal), by sequence number. */
  private readonly onFill = new Map<number, () => void>();
  /** Keys made ahead on the executor (prepareKeys), by scheme name and seed, until keygen asks for them. */
  private readonly prepared = new Map<string, KeyPair>();
  private preparing: Promise<void> = Promise.resolve();
  /** The keygen batches sent since keysPrepared() last helped with them. */
  private preparingRuns: Promise<BatchResults>[] = [];
  private nextSequence = 0;
  /** Inside stream() (nested calls count). */
  private streaming = 0;
  /** Jobs the next batch sent inside stream() waits for. */
  private streamChunk = STREAM_FIRST;
  /** A settle is wanted for every placeholder made before this sequence number (none wanted: -1). */
  private settleBefore = -1;
  /** Jobs the next batch waits for: FIRST_BATCH after an empty pipeline, doubling up to the batch size. */
  private nextBatch: number;
  /** Batches in flight before a barrier waits for the oldest. */
  private readonly depth: number;

  constructor(
    private readonly executor: Executor,
    private readonly o: SignatureWorkOptions,
  ) {
    if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw new RangeError(`batch size must be a whole number >= 1, got ${o.batchSize}`);
    this.nextBatch = Math.min(FIRST_BATCH, o.batchSize);
    this.depth = o.depth ?? 2;
  }

  /** The suite the protocol runs on: the real schemes behind the deferral described above. */
  wrap(real: KeySuite): KeySuite {
    return {
      ra: this.signatureScheme(real.ra),
      issuer: this.signatureScheme(real.issuer),
      card: this.signatureScheme(real.card),
      bank: this.blindScheme(real.bank),
    };
  }

  /**
   * Runs `fn`, one long stretch of the main thread's own work that also queues jobs (the issuer writing a bank's
   * returned records to its stores, and checking them), sending its jobs as they are packed, in batches of 64
   * jobs and up (STREAM_FIRST), however many are in flight: the workers check records while the main thread
   * writes them, instead of waiting for the stretch to end. Like every send, it depends only on the order jobs
   * are queued in, so the batches are the same whatever the thread count.
   */
  stream<T>(fn: () => T): T {
    if (this.streaming === 0) this.streamChunk = STREAM_FIRST;
    this.streaming++;
    try {
      return fn();
    } finally {
      this.streaming--;
    }
  }

  /** No placeholder left to overwrite: every signature made so far holds its real bytes. */
  get settled(): boolean {
    return this.unfilled.size === 0;
  }

  /** Where the run is now in the order signatures are made: `settledBefore(mark)` asks about those made before. */
  mark(): number {
    return this.nextSequence;
  }

  /** Every signature made before `mark` holds its real bytes. */
  settledBefore(mark: number): boolean {
    // `unfilled` is in the order placeholders were made, so its first key is the oldest still waiting.
    for (const seq of this.unfilled.keys()) return seq >= mark;
    return true;
  }

  /**
   * Calls `then` once `sig` holds its real bytes: at once if it is not a placeholder waiting for them, else right
   * after the barrier that fills it (so at the same point of the run whatever the thread count).
   */
  whenReal(sig: Uint8Array, then: () => void): void {
    if (!this.isUnfilled(sig)) return then();
    const seq = this.sequenceOf(sig)!;
    if (this.onFill.has(seq)) throw new Error('signature work: whenReal was asked twice for one signature');
    this.onFill.set(seq, then);
  }

  /**
   * Starts making these keys on the executor; a keygen of one of these seeds after `keysPrepared()` takes the key
   * made here instead of making it on the main thread. Keygen is a function of the seed, so the keys are the
   * same bytes either way: what changes is only where the work runs, and that it overlaps the main thread's.
   */
  prepareKeys(scheme: string, blind: boolean, seeds: readonly Uint8Array[]): void {
    if (seeds.length === 0) return;
    const batch = new JobBatch();
    for (const seed of seeds) batch.add({ kind: 'keygen', scheme, blind, seed });
    const made = this.executor.run(batch);
    this.preparingRuns.push(made);
    const before = this.preparing;
    this.preparing = Promise.all([before, made]).then(([, results]) => {
      seeds.forEach((seed, i) => {
        if (!results.ok(i)) throw new Error(`signature work: a keygen job (${scheme}) failed: ${results.error(i)}`);
        // Copies: a result's outputs are views into its task's answer, and these keys live for the whole run.
        this.prepared.set(`${scheme}\0${keyOf(seed)}`, { publicKey: results.output(i, 0).slice(), secretKey: results.output(i, 1).slice() });
      });
    });
    // Raised where keysPrepared() is awaited, not as an unhandled rejection before it.
    this.preparing.catch(() => {});
  }

  /** Resolves when every prepareKeys so far has landed (rejects if one failed); the caller's thread helps. */
  keysPrepared(): Promise<void> {
    for (const run of this.preparingRuns) this.executor.help?.(run);
    this.preparingRuns = [];
    return this.preparing;
  }

  /**
   * The key prepareKeys made from this seed, handed out once, or else one the scheme makes now; either way its
   * public half is noted, so that what the key signs can be recorded and deferred.
   */
  private keygen(s: { readonly name: string; keygen(seed: Uint8Array): KeyPair }, seed: Uint8Array): KeyPair {
    const k = `${s.name}\0${keyOf(seed)}`;
    let kp = this.prepared.get(k);
    if (kp === undefined) kp = s.keygen(seed);
    else this.prepared.delete(k);
    this.publicKeys.set(kp.secretKey, kp.publicKey);
    return kp;
  }

  /** Whether the run loop should stop and await `barrier()`. */
  get wanted(): boolean {
    return this.settleBefore >= 0 || this.queued >= this.nextBatch;
  }

  /**
   * Asks for a barrier that leaves every signature made before `mark` real (default: every one so far), for an
   * event that reads signature bytes.
   */
  requestSettle(mark = this.nextSequence): void {
    this.settleBefore = Math.max(this.settleBefore, mark);
    this.o.onBarrierWanted();
  }

  /** Lands the oldest batch if the pipeline is full, sends the queued one; with a settle pending, lands all. */
  async barrier(): Promise<void> {
    this.stats.barriers++;
    while (this.inflight.length >= this.depth) await this.land();
    this.dispatch();
    if (this.settleBefore >= 0) {
      // Batches land oldest first, so this waits only as far as the newest signature the settle needs.
      while (!this.settledBefore(this.settleBefore) && this.inflight.length > 0) await this.land();
      if (!this.settledBefore(this.settleBefore)) throw new Error('signature work: a settle barrier left placeholders unfilled');
      this.settleBefore = -1;
      if (this.inflight.length === 0) this.nextBatch = Math.min(FIRST_BATCH, this.o.batchSize);
    }
  }

  /** Runs and checks everything queued: the run's every answer has then been confirmed by real cryptography. */
  async drain(): Promise<void> {
    while (this.inflight.length > 0 || this.queued > 0) {
      await this.land();
      this.dispatch();
    }
    // So the run's counts (tasks lost with a dead worker) are complete.
    await this.executor.answered?.();
  }

  // --- The wrapped schemes ------------------------------------------------------------------------------
  private madeBy(scheme: string): Made {
    let made = this.made.get(scheme);
    if (made === undefined) this.made.set(scheme, (made = new WeakMap()));
    return made;
  }

  private signatureScheme(s: SignatureScheme): SignatureScheme {
    const made = this.madeBy(s.name);
    const signing = `sign (${s.name})`;
    const verifying = `verify (${s.name})`;
    return {
      ...s,
      keygen: (seed) => this.keygen(s, seed),
      sign: (secretKey, message) => {
        const publicKey = this.publicKeys.get(secretKey);
        if (publicKey === undefined) {
          // A key keygen did not make: F_SIG cannot record what it signs, so it is signed here, for real.
          this.stats.mainThreadSigns++;
          return s.sign(secretKey, message);
        }
        const sig = this.placeholder(s.signatureSize);
        made.set(sig, fsigDigest(publicKey, message));
        this.stats.signs++;
        this.pack({ kind: 'sign', scheme: s.name, secretKey, message }, sig, signing);
        return sig;
      },
      verify: (publicKey, message, signature) => this.verify(s, made, false, verifying, publicKey, message, signature),
      verifyBatch: (items) => items.every((i) => this.verify(s, made, false, verifying, i.publicKey, i.message, i.signature)),
    };
  }

  private blindScheme(s: BlindSignatureScheme): BlindSignatureScheme {
    const made = this.madeBy(s.name);
    const chained = `blind-chain (${s.name})`;
    const verifying = `verify (${s.name})`;
    // The user's blinding runs in the withdrawal's job too, from 32 bytes drawn here from the run's stream (see
    // jobs.ts seededRandom), so what the stream gives out does not depend on where the job runs.
    const blindPrepared = (publicKey: Uint8Array, preparedMessage: Uint8Array, random: (n: number) => Uint8Array) => {
      const seed = random(32);
      const blindedMessage = this.placeholder(s.blindedMessageSize, true);
      const inverse = this.placeholder(s.inverseSize, true);
      const entry: Entry = {
        job: { kind: 'blind-chain', scheme: s.name, blind: { publicKey, preparedMessage, seed } },
        what: chained,
        out: [blindedMessage, inverse],
        queued: true,
      };
      this.chains.set(blindedMessage, entry);
      this.stats.blinds++;
      this.enqueue(entry);
      return { blindedMessage, inverse, preparedMessage };
    };
    return {
      ...s,
      keygen: (seed) => this.keygen(s, seed),
      prepare: (message, random) => s.prepare(message, random),
      blindPrepared,
      // The protocol blinds through blindPrepared above, deferred; blinding together is the jobs' business (jobs.ts).
      blindPreparedAll: undefined,
      blind: (publicKey, message, random) => blindPrepared(publicKey, s.prepare(message, random), random),
      blindSign: (secretKey, blindedMessage) => {
        const publicKey = this.publicKeys.get(secretKey);
        const chain = this.pendingChain(blindedMessage);
        if (publicKey === undefined) {
          if (chain !== undefined) this.runNow(chain); // signing here needs the real blinded bytes
          this.stats.mainThreadSigns++;
          return s.blindSign(secretKey, blindedMessage);
        }
        const out = this.placeholder(s.signatureSize, true);
        let entry: Entry;
        if (chain !== undefined) {
          const job = chain.job as Extract<Job, { kind: 'blind-chain' }>;
          if (job.sign !== undefined) throw new Error('signature work: a blinded message was signed twice before it was filled');
          chain.job = { ...job, sign: { secretKey } };
          chain.out.push(out);
          entry = chain;
        } else {
          entry = { job: { kind: 'blind-chain', scheme: s.name, sign: { secretKey, blindedMessage } }, what: chained, out: [out], queued: true };
          this.enqueue(entry);
        }
        this.blindMade.set(out, { publicKey, blindedMessage, entry });
        this.stats.blindSigns++;
        return out;
      },
      finalize: (publicKey, state, blindSignature) => {
        const b = this.blindMade.get(blindSignature);
        if (b === undefined || !this.isUnfilled(blindSignature)) {
          this.guardCopy(blindSignature);
          const chain = this.pendingChain(state.blindedMessage);
          if (chain !== undefined) this.runNow(chain);
          return s.finalize(publicKey, state, blindSignature);
        }
        if (!b.entry.queued) throw new Error('signature work: a blind signature was finalized after its batch was sent, before it was filled');
        const own = b.entry === this.chains.get(state.blindedMessage);
        if (!equalBytes(b.publicKey, publicKey) || !equalBytes(b.blindedMessage, state.blindedMessage) || (!own && this.isUnfilled(state.inverse))) {
          // Not this key's answer to this blinded message: the real finalize must refuse it. Run the jobs now,
          // so the refusal comes from the scheme itself, word for word.
          this.runNow(b.entry);
          const chain = this.pendingChain(state.blindedMessage);
          if (chain !== undefined) this.runNow(chain);
          return s.finalize(publicKey, state, blindSignature);
        }
        const sig = this.placeholder(s.signatureSize, true);
        const job = b.entry.job as Extract<Job, { kind: 'blind-chain' }>;
        b.entry.job = { ...job, finalize: { publicKey, preparedMessage: state.preparedMessage, ...(own ? {} : { inverse: state.inverse }) } };
        b.entry.out.push(sig);
        made.set(sig, fsigDigest(publicKey, state.preparedMessage));
        return sig;
      },
      verify: (publicKey, message, signature) => this.verify(s, made, true, verifying, publicKey, message, signature),
    };
  }

  /** The queued job a blinded-message placeholder comes from, while it can still take the next step. */
  private pendingChain(blindedMessage: Uint8Array): Entry | undefined {
    const chain = this.chains.get(blindedMessage);
    if (chain === undefined || !this.isUnfilled(blindedMessage)) return undefined;
    if (!chain.queued) throw new Error('signature work: a blinded message was used after its batch was sent, before it was filled');
    return chain;
  }

  private verify(
    s: SignatureScheme | BlindSignatureScheme,
    made: Made,
    blind: boolean,
    what: string,
    publicKey: Uint8Array,
    message: Uint8Array,
    signature: Uint8Array,
  ): boolean {
    const digest = made.get(signature);
    if (digest === undefined) {
      this.guardCopy(signature);
      this.stats.mainThreadVerifies++;
      return s.verify(publicKey, message, signature);
    }
    const valid = digest === fsigDigest(publicKey, message);
    this.stats.verifies++;
    const job = { kind: 'verify', scheme: s.name, blind, publicKey, message, signature } as const;
    // A signature still to be made waits, packed, for a batch sent after the one that makes it.
    if (this.isUnfilled(signature)) {
      this.pending.add(job, valid, what);
      this.wantBarrierIfFull();
    } else this.pack(job, valid, what);
    return valid;
  }

  // --- Placeholders -------------------------------------------------------------------------------------
  /**
   * `withdrawal`: the placeholder belongs to a withdrawal's blind-signature work (blinded message, inverse, blind
   * and unblinded signature), all dropped once the coin is issued. Those are 256 bytes for RSA, so they come
   * from a slab (protocol/bytes.ts), not an ArrayBuffer each. A signature that lives on in a coin or a
   * step has an array of its own, since a slab lives as long as its longest-lived view.
   */
  private placeholder(size: number, withdrawal = false): Uint8Array {
    if (size < 8) throw new Error(`signature work: a ${size}-byte signature cannot hold a placeholder`);
    const seq = this.nextSequence++ >>> 0;
    const p = withdrawal ? shortLived(size) : new Uint8Array(size);
    // Byte by byte, not through a DataView: reading `p.buffer` would move a small array's bytes off V8's heap
    // into an ArrayBuffer of their own (a malloc, and an object more per signature). Nor `set(MAGIC)`, which
    // from a plain array takes the generic path.
    p[0] = MAGIC[0]!;
    p[1] = MAGIC[1]!;
    p[2] = MAGIC[2]!;
    p[3] = MAGIC[3]!;
    p[4] = seq >>> 24;
    p[5] = (seq >>> 16) & 0xff;
    p[6] = (seq >>> 8) & 0xff;
    p[7] = seq & 0xff;
    this.unfilled.set(seq, p);
    return p;
  }

  private sequenceOf(p: Uint8Array): number | undefined {
    if (p.length < 8 || p[0] !== MAGIC[0] || p[1] !== MAGIC[1] || p[2] !== MAGIC[2] || p[3] !== MAGIC[3]) return undefined;
    return ((p[4]! << 24) | (p[5]! << 16) | (p[6]! << 8) | p[7]!) >>> 0;
  }

  /** This very object is a placeholder still waiting for its signature. */
  private isUnfilled(p: Uint8Array): boolean {
    const seq = this.sequenceOf(p);
    return seq !== undefined && this.unfilled.get(seq) === p;
  }

  /**
   * A signature the record does not know is about to be checked on its bytes. If those bytes are a copy of a
   * placeholder not yet filled, the check would see the placeholder instead of the signature: stop loudly.
   */
  private guardCopy(sig: Uint8Array): void {
    const seq = this.sequenceOf(sig);
    if (seq === undefined) return;
    const p = this.unfilled.get(seq);
    if (p !== undefined && equalBytes(p, sig)) {
      throw new Error('signature work: signature bytes were read before the signature was made (a copy of a placeholder)');
    }
  }

  // --- Batches ------------------------------------------------------------------------------------------
  /** Jobs queued for the next batch, packed or waiting. */
  private get queued(): number {
    return this.batch.length + this.waiting.length + this.pending.length;
  }

  /**
   * Queues a job packed now: its objects can die young, not wait for the batch (wire.ts). A full batch of packed
   * jobs is sent at once if the pipeline has room, without waiting for the event to end: one event can queue
   * thousands (the issuer checking a bank's returned records), and the workers would wait for all of them.
   * Sending needs no barrier, since nothing lands: placeholders are still filled only at barriers, and which
   * jobs go in which batch follows only the order they were queued in, whatever the thread count.
   */
  private pack(job: Job, sink: Sink, what: string): void {
    this.addToBatch(job, sink, what);
    if (this.batch.length >= this.nextBatch && this.inflight.length < this.depth) this.send();
    else if (this.streaming > 0 && this.batch.length >= this.streamChunk) {
      this.send();
      this.streamChunk = Math.min(2 * this.streamChunk, STREAM_MAX);
    } else this.wantBarrierIfFull();
  }

  /** Writes a job into the next batch, with where its result goes. */
  private addToBatch(job: Job, sink: Sink, what: string): void {
    this.batch.add(job);
    this.sinks.push(sink);
    this.whats.push(what);
  }

  /** Queues a job kept as an object until its batch is sent (Entry). */
  private enqueue(e: Entry): void {
    this.waiting.push(e);
    this.wantBarrierIfFull();
  }

  /** Asks the run loop for a barrier once the next batch has its jobs. */
  private wantBarrierIfFull(): void {
    if (this.queued >= this.nextBatch) this.o.onBarrierWanted();
  }

  /**
   * Sends the queued jobs, except verifications of signatures still to be made (they wait a batch). The
   * withdrawals' jobs go first in the batch, grouped by bank key: they are the heavy ones (a blind signature,
   * and a blinding), and at a batch's start they are claimed many at a time, so each claim blinds a key's
   * withdrawals with one modular inversion (jobs.ts blindTogether). At the batch's end, where claims shrink to a
   * job or two, the benchmark's 2-thread run inverted about 2,350 times, against 193 at 1 thread (one claim per
   * batch) and about 250 with this order. Then the verifications whose signatures are now real.
   */
  private dispatch(): void {
    const blindings = new Map<Uint8Array, Entry[]>();
    const others: Entry[] = [];
    for (const e of this.waiting) {
      e.queued = false;
      // By the key's object, which a bank hands out for every withdrawal under it: two copies of one key would
      // only make two groups, each still blinded together in its claims.
      const key = e.job.kind === 'blind-chain' ? e.job.blind?.publicKey : undefined;
      if (key === undefined) others.push(e);
      else {
        let group = blindings.get(key);
        if (group === undefined) blindings.set(key, (group = []));
        group.push(e);
      }
    }
    this.waiting = [];
    const sinks: Sink[] = [];
    const whats: string[] = [];
    for (const group of [...blindings.values(), others]) {
      for (const e of group) {
        this.batch.addFirst(e.job);
        sinks.push(e);
        whats.push(e.what);
      }
    }
    this.pending.release(
      (signature) => !this.isUnfilled(signature),
      this.batch,
      (expect, what) => {
        sinks.push(expect);
        whats.push(what);
      },
    );
    this.sinks = sinks.concat(this.sinks);
    this.whats = whats.concat(this.whats);
    this.send();
  }

  /** Sends the jobs packed into the next batch (none: nothing). */
  private send(): void {
    if (this.batch.length === 0) return;
    this.stats.batches++;
    this.nextBatch = Math.min(2 * this.nextBatch, this.o.batchSize);
    // The executor reads the batch before run() returns, so it is refilled from empty at once.
    const results = this.executor.run(this.batch);
    this.batch.clear();
    // A failure is raised where the batch lands; until then it must not count as an unhandled rejection.
    results.catch(() => {});
    this.inflight.push({ sinks: this.sinks, whats: this.whats, results });
    this.sinks = [];
    this.whats = [];
  }

  private async land(): Promise<void> {
    const f = this.inflight.shift();
    if (f === undefined) return;
    // The main thread would only wait: it runs what is left of the batch itself.
    this.executor.help?.(f.results);
    const results = await f.results;
    if (results.length !== f.sinks.length) throw new Error(`signature work: ${results.length} results for ${f.sinks.length} jobs`);
    for (let i = 0; i < results.length; i++) this.apply(f.sinks[i]!, f.whats[i]!, results, i);
  }

  /** Runs one waiting job on the main thread now (a refusal path; never on the honest path). */
  private runNow(e: Entry): void {
    this.waiting = this.waiting.filter((q) => q !== e);
    e.queued = false;
    this.apply(e, e.what, BatchResults.of(runJobs([e.job])), 0);
  }

  /** Job i's result, read where it lies in `results`, to where it goes. */
  private apply(sink: Sink, what: string, results: BatchResults, i: number): void {
    if (!results.ok(i)) throw new Error(`signature work: a ${what} job failed: ${results.error(i)}`);
    if (typeof sink === 'boolean') return this.confirm(what, sink, results.valid(i));
    const out = sink instanceof Uint8Array ? 1 : sink.out.length;
    if (results.outputs(i) !== out) throw new Error(`signature work: a ${what} job returned ${results.outputs(i)} outputs for ${out}`);
    if (sink instanceof Uint8Array) return this.fill(what, sink, results.output(i, 0));
    for (let k = 0; k < out; k++) this.fill(what, sink.out[k]!, results.output(i, k));
  }

  /** A verification's real verdict must be the answer the simulation acted on. */
  private confirm(what: string, expected: boolean, valid: boolean | undefined): void {
    if (valid !== expected) {
      throw new Error(`signature work: the ${what} the simulation was answered '${expected ? 'valid' : 'invalid'}' is ${valid ? 'valid' : 'invalid'} under the real scheme`);
    }
  }

  /** Overwrites placeholder `p` with the real signature, then runs what waited for it (whenReal). */
  private fill(what: string, p: Uint8Array, real: Uint8Array): void {
    if (real.length !== p.length) throw new Error(`signature work: a ${what} job returned ${real.length} bytes for a ${p.length}-byte signature`);
    const seq = this.sequenceOf(p)!;
    this.unfilled.delete(seq);
    p.set(real);
    const then = this.onFill.get(seq);
    if (then !== undefined) {
      this.onFill.delete(seq);
      then();
    }
  }
}
