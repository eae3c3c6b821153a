// The signature work the simulator hands to worker threads: a job is one real operation of one key scheme on
// plain bytes, so a job runs the same on the main thread (`--threads 1`) or any worker, and its result depends
// only on its inputs. Jobs travel packed into one ArrayBuffer per task (transferred, not copied): structured
// clone of many small Uint8Arrays would copy each one's whole backing buffer, and node's pooled Buffers are 8 KiB.
import { hash } from 'node:crypto';
import { getBlindScheme } from '../../protocol/crypto/blind/index.ts';
import { getSignatureScheme } from '../../protocol/crypto/index.ts';
import type { BlindingState, RandomBytes } from '../../protocol/crypto/scheme.ts';
import { keyOf } from '../../protocol/hash.ts';

export type Job =
  | { readonly kind: 'sign'; readonly scheme: string; readonly secretKey: Uint8Array; readonly message: Uint8Array }
  /** A key pair from its seed (outputs: public key, secret key); `blind` for a blind scheme's (a bank's RSA key). */
  | { readonly kind: 'keygen'; readonly scheme: string; readonly blind: boolean; readonly seed: Uint8Array }
  | {
      readonly kind: 'verify';
      readonly scheme: string;
      /** A blind scheme's verify (the issuer checking a bank's unblinded signature). */
      readonly blind: boolean;
      readonly publicKey: Uint8Array;
      readonly message: Uint8Array;
      readonly signature: Uint8Array;
    }
  | {
      /** A withdrawal's blind-signature work, as far as the flow went in one event; each part optional. */
      readonly kind: 'blind-chain';
      readonly scheme: string;
      /** The user's blinding, from a seed the main thread drew from the run's stream (see seededRandom). */
      readonly blind?: { readonly publicKey: Uint8Array; readonly preparedMessage: Uint8Array; readonly seed: Uint8Array };
      /** The bank's blind signature; the blinded message is `blind`'s when that is in the job. */
      readonly sign?: { readonly secretKey: Uint8Array; readonly blindedMessage?: Uint8Array };
      /** The user's finalize of the bank's answer; the inverse is `blind`'s when that is in the job. */
      readonly finalize?: { readonly publicKey: Uint8Array; readonly preparedMessage: Uint8Array; readonly inverse?: Uint8Array };
    };

/**
 * Outputs in order (sign: the signature; keygen: public key, secret key; blind-chain: blinded message and inverse
 * if it blinds, the blind signature if it signs, the final signature if it finalizes), or a verdict.
 */
export type JobResult = { readonly ok: true; readonly outputs: Uint8Array[]; readonly valid?: boolean } | { readonly ok: false; readonly error: string };

/** Rough relative cost, for splitting a batch into tasks of similar length (RSA private-key ops dominate). */
export function jobWeight(job: Job): number {
  if (job.kind === 'blind-chain') {
    const rsa = job.scheme.startsWith('rsa');
    return (job.blind ? (rsa ? 4 : 8) : 0) + (job.sign ? (rsa ? 12 : 8) : 0) + (job.finalize ? (rsa ? 1 : 16) : 0);
  }
  if (job.kind === 'keygen') return job.blind ? 500 : 1;
  return job.kind === 'sign' ? 0.5 : 1;
}

function batchable(name: string): boolean {
  try {
    return getSignatureScheme(name).verifyBatch !== undefined;
  } catch {
    return false; // an unknown name fails as its own job, with the registry's message
  }
}

/** Verifications checked together, where a scheme can (BLS): small enough that a failed batch costs little. */
const VERIFY_BATCH = 64;

/**
 * Runs jobs with the real schemes; results in job order. Never throws: a failing job reports its error. A
 * scheme with verifyBatch (BLS: one weighted multi-pairing) checks its verifications in groups first; only a
 * group that fails is checked one by one, so every verdict is the one a single verify gives.
 */
export function runJobs(jobs: readonly Job[]): JobResult[] {
  const results: (JobResult | undefined)[] = new Array(jobs.length);
  const groups = new Map<string, number[]>();
  jobs.forEach((job, i) => {
    if (job.kind !== 'verify' || job.blind || !batchable(job.scheme)) return;
    const g = groups.get(job.scheme) ?? [];
    groups.set(job.scheme, g);
    g.push(i);
  });
  for (const [scheme, indices] of groups) {
    const s = getSignatureScheme(scheme);
    for (let k = 0; k < indices.length; k += VERIFY_BATCH) {
      const group = indices.slice(k, k + VERIFY_BATCH);
      const items = group.map((i) => jobs[i] as Extract<Job, { kind: 'verify' }>);
      let all = false;
      try {
        all = s.verifyBatch!(items.map((j) => ({ publicKey: j.publicKey, message: j.message, signature: j.signature })));
      } catch {
        all = false;
      }
      if (all) for (const i of group) results[i] = { ok: true, outputs: [], valid: true };
    }
  }
  const blinded = blindTogether(jobs);
  jobs.forEach((job, i) => {
    if (results[i] !== undefined) return;
    try {
      results[i] = runJob(job, blinded.get(i));
    } catch (e) {
      results[i] = { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  });
  return results as JobResult[];
}

/**
 * The users' blinding of the task's withdrawal jobs, together for each bank key where the scheme can
 * (blindPreparedAll: RSA's one inverse for all), by job index. Each job's draws come from its own seed, so the
 * bytes are the ones it gives alone. A group that throws is left to its jobs, which then run one by one from
 * fresh streams: a bad job fails alone, with its own error.
 */
function blindTogether(jobs: readonly Job[]): Map<number, BlindingState> {
  const groups = new Map<string, number[]>();
  jobs.forEach((job, i) => {
    if (job.kind !== 'blind-chain' || job.blind === undefined) return;
    const k = `${job.scheme}\0${keyOf(job.blind.publicKey)}`;
    const g = groups.get(k) ?? [];
    groups.set(k, g);
    g.push(i);
  });
  const states = new Map<number, BlindingState>();
  for (const indices of groups.values()) {
    if (indices.length < 2) continue;
    const group = indices.map((i) => (jobs[i] as Extract<Job, { kind: 'blind-chain' }>).blind!);
    try {
      const s = getBlindScheme((jobs[indices[0]!] as Extract<Job, { kind: 'blind-chain' }>).scheme);
      if (s.blindPreparedAll === undefined) continue;
      const out = s.blindPreparedAll(group[0]!.publicKey, group.map((b) => ({ preparedMessage: b.preparedMessage, random: seededRandom(b.seed) })));
      indices.forEach((i, k) => states.set(i, out[k]!));
    } catch {
      // One by one in runJob.
    }
  }
  return states;
}

function runJob(job: Job, blinded?: BlindingState): JobResult {
  switch (job.kind) {
    case 'sign':
      return { ok: true, outputs: [getSignatureScheme(job.scheme).sign(job.secretKey, job.message)] };
    case 'keygen': {
      const kp = (job.blind ? getBlindScheme(job.scheme) : getSignatureScheme(job.scheme)).keygen(job.seed);
      return { ok: true, outputs: [kp.publicKey, kp.secretKey] };
    }
    case 'verify': {
      const s = job.blind ? getBlindScheme(job.scheme) : getSignatureScheme(job.scheme);
      return { ok: true, outputs: [], valid: s.verify(job.publicKey, job.message, job.signature) };
    }
    case 'blind-chain': {
      const s = getBlindScheme(job.scheme);
      const outputs: Uint8Array[] = [];
      let state: BlindingState | undefined;
      if (job.blind !== undefined) {
        state = blinded ?? s.blindPrepared(job.blind.publicKey, job.blind.preparedMessage, seededRandom(job.blind.seed));
        outputs.push(state.blindedMessage, state.inverse);
      }
      let blindSig: Uint8Array | undefined;
      if (job.sign !== undefined) {
        const blinded = state?.blindedMessage ?? job.sign.blindedMessage;
        if (blinded === undefined) throw new Error('blind-chain job: nothing to sign');
        blindSig = s.blindSign(job.sign.secretKey, blinded);
        outputs.push(blindSig);
      }
      if (job.finalize !== undefined) {
        const f = job.finalize;
        const inverse = state?.inverse ?? f.inverse;
        if (blindSig === undefined || inverse === undefined) throw new Error('blind-chain job: nothing to finalize');
        const blindedMessage = state?.blindedMessage ?? job.sign?.blindedMessage ?? new Uint8Array(0);
        outputs.push(s.finalize(f.publicKey, { blindedMessage, inverse, preparedMessage: f.preparedMessage }, blindSig));
      }
      return { ok: true, outputs };
    }
  }
}

/**
 * The user's randomness for a blinding done off the main thread: SHA-256(seed || counter) blocks, so the bytes
 * depend only on the 32-byte seed the main thread drew from the run's stream, wherever the job runs.
 */
export function seededRandom(seed: Uint8Array): RandomBytes {
  let block = new Uint8Array(0);
  let used = 0;
  let counter = 0;
  const input = new Uint8Array(seed.length + 4);
  input.set(seed);
  const view = new DataView(input.buffer);
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; ) {
      if (used === block.length) {
        view.setUint32(seed.length, counter++);
        block = new Uint8Array(hash('sha256', input, 'buffer'));
        used = 0;
      }
      const take = Math.min(n - i, block.length - used);
      out.set(block.subarray(used, used + take), i);
      used += take;
      i += take;
    }
    return out;
  };
}

// --- Wire format ---------------------------------------------------------------------------------------
// Task: u32 count, then per job: u8 kind (0 sign, 1 verify, 2 verify blind, 3 blind-chain, 4 keygen, 5 keygen
// blind), the scheme name as u32 length + UTF-8, then its byte fields, each u32 length + bytes; a blind-chain's
// fields are each optional, a u8 presence flag before each.
// Result: per job: u8 status (0 error, 1 ok, 2 ok+valid, 3 ok+invalid), then either an error string or the
// u8 number of outputs and each as u32 length + bytes.

const KIND = { sign: 0, verify: 1, verifyBlind: 2, blindChain: 3, keygen: 4, keygenBlind: 5 } as const;

const NAMES = new Map<string, Uint8Array>();
const DECODER = new TextDecoder();

class Writer {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(x: number): void {
    this.room(1);
    this.buf[this.length++] = x;
  }
  u32(x: number): void {
    this.room(4);
    this.view.setUint32(this.length, x);
    this.length += 4;
  }
  bytes(b: Uint8Array): void {
    this.u32(b.length);
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  text(s: string): void {
    // Every job names its scheme: encode each name once, not once per job.
    let encoded = NAMES.get(s);
    if (encoded === undefined) NAMES.set(s, (encoded = new TextEncoder().encode(s)));
    this.bytes(encoded);
  }
  /** A tight copy, so the transferred buffer holds nothing else. */
  done(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

class Reader {
  private at = 0;
  private readonly view: DataView;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  u8(): number {
    if (this.at >= this.buf.length) throw new Error(`crypto jobs: a byte at ${this.at} runs past the end (${this.buf.length})`);
    return this.buf[this.at++]!;
  }
  u32(): number {
    const x = this.view.getUint32(this.at);
    this.at += 4;
    return x;
  }
  /**
   * A view into the packed buffer, not a copy: a task's fields live as long as its jobs, and a copy was a
   * malloc, a free and an ArrayBuffer for the garbage collector to sweep per field, millions in a national run.
   * Nothing keeps a field past its task: key caches keep parsed keys and strings, never the bytes.
   */
  bytes(): Uint8Array {
    const n = this.u32();
    if (this.at + n > this.buf.length) throw new Error(`crypto jobs: a field of ${n} bytes at ${this.at} runs past the end (${this.buf.length})`);
    const b = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return b;
  }
  text(): string {
    return DECODER.decode(this.bytes());
  }
}

export function packJobs(jobs: readonly Job[]): Uint8Array {
  const w = new Writer();
  w.u32(jobs.length);
  for (const job of jobs) {
    switch (job.kind) {
      case 'sign':
        w.u8(KIND.sign);
        w.text(job.scheme);
        w.bytes(job.secretKey);
        w.bytes(job.message);
        break;
      case 'keygen':
        w.u8(job.blind ? KIND.keygenBlind : KIND.keygen);
        w.text(job.scheme);
        w.bytes(job.seed);
        break;
      case 'verify':
        w.u8(job.blind ? KIND.verifyBlind : KIND.verify);
        w.text(job.scheme);
        w.bytes(job.publicKey);
        w.bytes(job.message);
        w.bytes(job.signature);
        break;
      case 'blind-chain':
        w.u8(KIND.blindChain);
        w.text(job.scheme);
        for (const field of [
          job.blind?.publicKey,
          job.blind?.preparedMessage,
          job.blind?.seed,
          job.sign?.secretKey,
          job.sign?.blindedMessage,
          job.finalize?.publicKey,
          job.finalize?.preparedMessage,
          job.finalize?.inverse,
        ]) {
          w.u8(field === undefined ? 0 : 1);
          if (field !== undefined) w.bytes(field);
        }
        break;
    }
  }
  return w.done();
}

export function unpackJobs(packed: Uint8Array): Job[] {
  const r = new Reader(packed);
  const jobs: Job[] = [];
  for (let n = r.u32(), i = 0; i < n; i++) {
    const kind = r.u8();
    const scheme = r.text();
    if (kind === KIND.sign) jobs.push({ kind: 'sign', scheme, secretKey: r.bytes(), message: r.bytes() });
    else if (kind === KIND.keygen || kind === KIND.keygenBlind) jobs.push({ kind: 'keygen', scheme, blind: kind === KIND.keygenBlind, seed: r.bytes() });
    else if (kind === KIND.verify || kind === KIND.verifyBlind) {
      jobs.push({ kind: 'verify', scheme, blind: kind === KIND.verifyBlind, publicKey: r.bytes(), message: r.bytes(), signature: r.bytes() });
    } else if (kind === KIND.blindChain) {
      const f = Array.from({ length: 8 }, () => (r.u8() === 1 ? r.bytes() : undefined));
      const [bPk, bPrepared, bSeed, sSk, sBlinded, fPk, fPrepared, fInverse] = f;
      jobs.push({
        kind: 'blind-chain',
        scheme,
        ...(bPk && bPrepared && bSeed ? { blind: { publicKey: bPk, preparedMessage: bPrepared, seed: bSeed } } : {}),
        ...(sSk ? { sign: { secretKey: sSk, ...(sBlinded ? { blindedMessage: sBlinded } : {}) } } : {}),
        ...(fPk && fPrepared ? { finalize: { publicKey: fPk, preparedMessage: fPrepared, ...(fInverse ? { inverse: fInverse } : {}) } } : {}),
      });
    } else throw new Error(`crypto jobs: unknown job kind ${kind} at job ${i}`);
  }
  return jobs;
}

export function packResults(results: readonly JobResult[]): Uint8Array {
  const w = new Writer();
  w.u32(results.length);
  for (const r of results) {
    if (!r.ok) {
      w.u8(0);
      w.text(r.error);
      continue;
    }
    w.u8(r.valid === undefined ? 1 : r.valid ? 2 : 3);
    w.u8(r.outputs.length);
    for (const o of r.outputs) w.bytes(o);
  }
  return w.done();
}

export function unpackResults(packed: Uint8Array): JobResult[] {
  const r = new Reader(packed);
  const results: JobResult[] = [];
  for (let n = r.u32(), i = 0; i < n; i++) {
    const status = r.u8();
    if (status === 0) {
      results.push({ ok: false, error: r.text() });
      continue;
    }
    const outputs: Uint8Array[] = [];
    for (let k = r.u8(), j = 0; j < k; j++) outputs.push(r.bytes());
    results.push(status === 1 ? { ok: true, outputs } : { ok: true, outputs, valid: status === 2 });
  }
  return results;
}
