// The wire format of signature work (jobs.ts): a batch's jobs packed into one SharedArrayBuffer that every worker
// reads (structured clone of many small Uint8Arrays would copy each one's whole backing buffer, and node's pooled
// Buffers are 8 KiB), and each task's results packed into one buffer back, transferred, not copied.
//
// A batch is packed as its jobs are queued (JobBatch), not when it is sent: a job waits for its batch through
// several young-generation collections, and as objects (the job, its message) each one would be copied and then
// promoted to the old generation only to die there. Packed, its bytes sit in one off-heap buffer, and the job's
// objects die young.
import type { Job, JobResult } from './jobs.ts';

// Job: u8 kind (0 sign, 1 verify, 2 verify blind, 3 blind-chain, 4 keygen, 5 keygen blind), the scheme name as
// u32 length + UTF-8, then its byte fields, each u32 length + bytes; a blind-chain's fields are each optional, a
// u8 presence flag before each.
// Result: u8 status (0 error, 1 ok, 2 ok+valid, 3 ok+invalid), then either an error string or the u8 number of
// outputs and each as u32 length + bytes.

const KIND = { sign: 0, verify: 1, verifyBlind: 2, blindChain: 3, keygen: 4, keygenBlind: 5 } as const;

const NAMES = new Map<string, Uint8Array>();
export const DECODER = new TextDecoder();

/** Bytes appended to a buffer that grows as needed, in the formats above. */
export class Writer {
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
  /** Overwrites the u32 written at `at`. */
  setU32(at: number, x: number): void {
    this.view.setUint32(at, x);
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
  /** `b` as it is, with no length before it (bytes packed elsewhere in these formats). */
  raw(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  /** Moves bytes [start, end) written so far to `target`, as Uint8Array.copyWithin. */
  copyWithin(target: number, start: number, end: number): void {
    this.buf.copyWithin(target, start, end);
  }
  /** Bytes [start, end) written so far, not copied. */
  written(start: number, end: number): Uint8Array {
    return this.buf.subarray(start, end);
  }
  /** A tight copy, so the transferred buffer holds nothing else. */
  done(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export class Reader {
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
    if (this.at + 4 > this.buf.length) throw new Error(`crypto jobs: a length at ${this.at} runs past the end (${this.buf.length})`);
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
  /** Where the next read starts. */
  get position(): number {
    return this.at;
  }
  /** Steps over one result (the format above), checking that it lies within the bytes. */
  skipResult(): void {
    const status = this.u8();
    for (let k = status === 0 ? 1 : this.u8(), j = 0; j < k; j++) {
      const n = this.u32();
      if (this.at + n > this.buf.length) throw new Error(`crypto jobs: a field of ${n} bytes at ${this.at} runs past the end (${this.buf.length})`);
      this.at += n;
    }
  }
  /** Every byte was read: a field list longer than its bytes says, or trailing bytes, is a malformed message. */
  end(): void {
    if (this.at !== this.buf.length) throw new Error(`crypto jobs: ${this.buf.length - this.at} bytes left over at ${this.at}`);
  }
}

/** One job onto `w`, in the task format above (without the task's count). A verification's signature comes last. */
export function packJob(w: Writer, job: Job): void {
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

/** One job from `r`, in the task format above; `i` names it in errors. */
function readJob(r: Reader, i: number): Job {
  const kind = r.u8();
  const scheme = r.text();
  if (kind === KIND.sign) return { kind: 'sign', scheme, secretKey: r.bytes(), message: r.bytes() };
  if (kind === KIND.keygen || kind === KIND.keygenBlind) return { kind: 'keygen', scheme, blind: kind === KIND.keygenBlind, seed: r.bytes() };
  if (kind === KIND.verify || kind === KIND.verifyBlind) {
    return { kind: 'verify', scheme, blind: kind === KIND.verifyBlind, publicKey: r.bytes(), message: r.bytes(), signature: r.bytes() };
  }
  if (kind === KIND.blindChain) {
    const f = Array.from({ length: 8 }, () => (r.u8() === 1 ? r.bytes() : undefined));
    const [bPk, bPrepared, bSeed, sSk, sBlinded, fPk, fPrepared, fInverse] = f;
    return {
      kind: 'blind-chain',
      scheme,
      ...(bPk && bPrepared && bSeed ? { blind: { publicKey: bPk, preparedMessage: bPrepared, seed: bSeed } } : {}),
      ...(sSk ? { sign: { secretKey: sSk, ...(sBlinded ? { blindedMessage: sBlinded } : {}) } } : {}),
      ...(fPk && fPrepared ? { finalize: { publicKey: fPk, preparedMessage: fPrepared, ...(fInverse ? { inverse: fInverse } : {}) } } : {}),
    };
  }
  throw new Error(`crypto jobs: unknown job kind ${kind} at job ${i}`);
}

/** Results onto `w`: the u32 count, then each in the result format above. */
function writeResults(w: Writer, results: readonly JobResult[]): void {
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
}

/**
 * A task's answer, written claim by claim as each is run, so no result waits as an object for the others:
 * u32 number of claims, then per claim u32 `from` and its results. Read back by BatchResults (results.ts).
 */
export class AnswerWriter {
  private readonly w = new Writer();
  private claims = 0;
  /** Jobs whose results are written. */
  jobs = 0;

  constructor() {
    this.w.u32(0);
  }

  claim(from: number, results: readonly JobResult[]): void {
    this.w.u32(from);
    writeResults(this.w, results);
    this.claims++;
    this.jobs += results.length;
  }

  done(): Uint8Array {
    this.w.setU32(0, this.claims);
    return this.w.done();
  }
}

// A batch as sent: one SharedArrayBuffer that every worker reads, and the main thread when it helps, so that each
// claims jobs from it until none are left (SharedBatch.claim), and none sits idle while another still holds a
// share cut in advance.
// Layout: i32 next job to claim, i32 job count n, i32 x n where each job's bytes end, then the jobs' bytes.
const HEADER = 2;

/**
 * Jobs packed as they are queued, into one growing buffer, sent as a SharedArrayBuffer (share). Jobs queued with
 * addFirst come before all the others: a batch is claimed in large claims at its start and in small ones toward
 * its end (SharedBatch.claim), and the withdrawals' blinding must come in large claims to be blinded together
 * (jobs.ts blindTogether: one modular inversion for every blinding under a key in one claim).
 */
export class JobBatch {
  private readonly w = new Writer();
  /** Where each job's bytes end in `w`. */
  private readonly ends: number[] = [];
  private readonly front = new Writer();
  private readonly frontEnds: number[] = [];

  get length(): number {
    return this.frontEnds.length + this.ends.length;
  }

  add(job: Job): void {
    packJob(this.w, job);
    this.ends.push(this.w.length);
  }

  /** Queues a job ahead of every job add() queues, in the order of addFirst calls. */
  addFirst(job: Job): void {
    packJob(this.front, job);
    this.frontEnds.push(this.front.length);
  }

  /** Queues a job packed elsewhere (packJob) as addFirst does. */
  addPackedFirst(packed: Uint8Array): void {
    this.front.raw(packed);
    this.frontEnds.push(this.front.length);
  }

  /** Bytes the batch takes in shared memory (share). */
  get sharedBytes(): number {
    return 4 * (HEADER + this.length) + this.front.length + this.w.length;
  }

  /**
   * The batch in shared memory, in the layout above, nothing claimed yet: a copy, so the batch can be cleared.
   * Into `spare` if given (a buffer no thread reads any more, at least sharedBytes long), else a new buffer.
   */
  share(spare?: SharedArrayBuffer): SharedArrayBuffer {
    const n = this.length;
    const nf = this.frontEnds.length;
    if (spare !== undefined && spare.byteLength < this.sharedBytes) throw new RangeError(`crypto jobs: a batch of ${this.sharedBytes} bytes does not fit a spare buffer of ${spare.byteLength}`);
    const sab = spare ?? new SharedArrayBuffer(this.sharedBytes);
    const head = new Int32Array(sab, 0, HEADER + n);
    head[0] = 0;
    head[1] = n;
    for (let i = 0; i < nf; i++) head[HEADER + i] = this.frontEnds[i]!;
    for (let i = nf; i < n; i++) head[HEADER + i] = this.front.length + this.ends[i - nf]!;
    this.copyJobs(new Uint8Array(sab, 4 * (HEADER + n)));
    return sab;
  }

  /** The jobs' bytes into `into`, in claim order: those queued with addFirst, then the others. */
  private copyJobs(into: Uint8Array): void {
    into.set(this.front.written(0, this.front.length));
    into.set(this.w.written(0, this.w.length), this.front.length);
  }

  /**
   * Empties the batch for the next one, keeping its buffers' capacity. Only once the batch has been read: an
   * executor shares it before run() returns.
   */
  clear(): void {
    this.w.length = 0;
    this.ends.length = 0;
    this.front.length = 0;
    this.frontEnds.length = 0;
  }

  /** The jobs back, in the order they are claimed, as views into one copy of their bytes (the inline executor, tests). */
  jobs(): Job[] {
    const bytes = new Uint8Array(this.front.length + this.w.length);
    this.copyJobs(bytes);
    return readJobs(bytes, 0, this.length);
  }
}

/** `count` jobs numbered from `first` (for errors), read from `bytes`, which hold exactly them. */
function readJobs(bytes: Uint8Array, first: number, count: number): Job[] {
  const r = new Reader(bytes);
  const jobs: Job[] = [];
  for (let i = first; i < first + count; i++) jobs.push(readJob(r, i));
  r.end();
  return jobs;
}

/**
 * Jobs claimed at a time: an eighth of what is left, so claims shrink toward the end and the threads finish
 * together, down to one job, so that a batch of a few heavy jobs (the banks' RSA keys at the start, 20-150 ms
 * each) splits as evenly as it can. Against claims of at least 4 the difference is within the host's noise
 * (README, "Where the time goes"); a 300 ms wait first blamed on it was the order of the workers' answers.
 */
const MIN_CLAIM = 1;
const MAX_CLAIM = 64;

/** A thread's side of a shared batch: claiming jobs, and reading them. */
export class SharedBatch {
  private readonly head: Int32Array;
  private readonly data: Uint8Array;
  readonly length: number;

  constructor(sab: SharedArrayBuffer) {
    const n = new Int32Array(sab, 0, HEADER)[1]!;
    if (n < 0 || 4 * (HEADER + n) > sab.byteLength) throw new Error(`crypto jobs: a batch of ${n} jobs does not fit its ${sab.byteLength} bytes`);
    this.length = n;
    this.head = new Int32Array(sab, 0, HEADER + n);
    this.data = new Uint8Array(sab, 4 * (HEADER + n));
  }

  /** No job is left to claim. */
  get allClaimed(): boolean {
    return Atomics.load(this.head, 0) >= this.length;
  }

  /** The next jobs no one has claimed, as [from, to), or undefined when none are left. Atomic across threads. */
  claim(): [number, number] | undefined {
    const left = this.length - Atomics.load(this.head, 0);
    if (left <= 0) return undefined;
    const size = Math.min(MAX_CLAIM, Math.max(MIN_CLAIM, Math.ceil(left / 8)));
    const from = Atomics.add(this.head, 0, size);
    if (from >= this.length) return undefined;
    return [from, Math.min(this.length, from + size)];
  }

  /**
   * Jobs [from, to), whose fields are views into a private copy of their bytes: native code (libsodium,
   * OpenSSL) is handed ordinary memory, never shared memory another thread could write.
   */
  jobs(from: number, to: number): Job[] {
    if (!(0 <= from && from <= to && to <= this.length)) throw new RangeError(`crypto jobs: jobs [${from}, ${to}) of a batch of ${this.length}`);
    const start = from === 0 ? 0 : this.head[HEADER + from - 1]!;
    const end = to === 0 ? 0 : this.head[HEADER + to - 1]!;
    if (!(0 <= start && start <= end && end <= this.data.length)) throw new Error(`crypto jobs: jobs [${from}, ${to}) at bytes [${start}, ${end}) run past the end (${this.data.length})`);
    return readJobs(this.data.slice(start, end), from, to - from);
  }
}
