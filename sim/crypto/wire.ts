// The wire format of signature work (jobs.ts): a task's jobs packed into one buffer, transferred to a worker, not
// copied (structured clone of many small Uint8Arrays would copy each one's whole backing buffer, and node's pooled
// Buffers are 8 KiB), and its results packed the same way back.
//
// A batch is packed as its jobs are queued (JobBatch), not when it is sent: a job waits for its batch through
// several young-generation collections, and as objects (the job, its message) each one would be copied and then
// promoted to the old generation only to die there. Packed, its bytes sit in one off-heap buffer, and the job's
// objects die young.
import { jobWeight, type Job, type JobResult } from './jobs.ts';

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
  /** Bytes [start, end) written so far, not copied. */
  written(start: number, end: number): Uint8Array {
    return this.buf.subarray(start, end);
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

/** One job onto `w`, in the task format above (without the task's count). */
function packJob(w: Writer, job: Job): void {
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

export function packJobs(jobs: readonly Job[]): Uint8Array {
  const batch = new JobBatch();
  for (const job of jobs) batch.add(job);
  return batch.task(0, batch.length);
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

/**
 * Jobs packed as they are added, each with its weight (jobWeight), cut into tasks of about equal weight when the
 * batch is sent. A task is what packJobs gives for its jobs.
 */
export class JobBatch {
  private readonly w = new Writer();
  /** Where each job's bytes end in `w`. */
  private readonly ends: number[] = [];
  private readonly weights: number[] = [];

  get length(): number {
    return this.ends.length;
  }

  add(job: Job): void {
    packJob(this.w, job);
    this.ends.push(this.w.length);
    this.weights.push(jobWeight(job));
  }

  /** Jobs [from, to) as one task buffer, of its own (a tight copy, so a transfer moves nothing else). */
  task(from: number, to: number): Uint8Array {
    const start = from === 0 ? 0 : this.ends[from - 1]!;
    const end = to === 0 ? 0 : this.ends[to - 1]!;
    const out = new Uint8Array(4 + end - start);
    new DataView(out.buffer).setUint32(0, to - from);
    out.set(this.w.written(start, end), 4);
    return out;
  }

  /**
   * Contiguous runs of jobs, at most `parts` of them, of about equal weight, as [from, to) index pairs: results
   * concatenate back in job order.
   */
  cuts(parts: number): [number, number][] {
    const n = this.length;
    if (n === 0) return [];
    const total = this.weights.reduce((s, x) => s + x, 0);
    const target = total / Math.max(1, Math.min(parts, n));
    const out: [number, number][] = [];
    let from = 0;
    let weight = 0;
    for (let i = 0; i < n; i++) {
      weight += this.weights[i]!;
      if (weight >= target && out.length < parts - 1) {
        out.push([from, i + 1]);
        from = i + 1;
        weight = 0;
      }
    }
    if (from < n) out.push([from, n]);
    return out;
  }

  /**
   * Empties the batch for the next one, keeping its buffer's capacity. Only once the batch has been read: an
   * executor reads it before run() returns.
   */
  clear(): void {
    this.w.length = 0;
    this.ends.length = 0;
    this.weights.length = 0;
  }

  /** The jobs back, as views into a copy of the packed bytes (the inline executor, tests). */
  jobs(): Job[] {
    return unpackJobs(this.task(0, this.length));
  }
}
