// The signature work the simulator hands to worker threads: a job is one real operation of one key scheme on
// plain bytes, so a job runs the same on the main thread (`--threads 1`) or any worker, and its result depends
// only on its inputs. Jobs travel packed into one ArrayBuffer per task (transferred, not copied): structured
// clone of many small Uint8Arrays would copy each one's whole backing buffer, and node's pooled Buffers are 8 KiB.
import { getBlindScheme } from '../../protocol/crypto/blind/index.ts';
import { getSignatureScheme } from '../../protocol/crypto/index.ts';

export type Job =
  | { readonly kind: 'sign'; readonly scheme: string; readonly secretKey: Uint8Array; readonly message: Uint8Array }
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
      readonly kind: 'blind-sign';
      readonly scheme: string;
      readonly secretKey: Uint8Array;
      readonly blindedMessage: Uint8Array;
      /** The user's finalize, run on the bank's answer in the same job when the flow did so in the same event. */
      readonly finalize?: { readonly publicKey: Uint8Array; readonly inverse: Uint8Array; readonly preparedMessage: Uint8Array };
    };

/** Outputs in order (sign: the signature; blind-sign: the blind signature, then the finalized one), or a verdict. */
export type JobResult = { readonly ok: true; readonly outputs: Uint8Array[]; readonly valid?: boolean } | { readonly ok: false; readonly error: string };

/** Rough relative cost, for splitting a batch into tasks of similar length (RSA private-key ops dominate). */
export function jobWeight(job: Job): number {
  if (job.kind === 'blind-sign') return job.scheme.startsWith('rsa') ? 12 : 8;
  return job.kind === 'sign' ? 0.5 : 1;
}

/** Runs jobs in order with the real schemes. Never throws: a failing job reports its error. */
export function runJobs(jobs: readonly Job[]): JobResult[] {
  const results: JobResult[] = [];
  for (const job of jobs) {
    try {
      results.push(runJob(job));
    } catch (e) {
      results.push({ ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return results;
}

function runJob(job: Job): JobResult {
  switch (job.kind) {
    case 'sign':
      return { ok: true, outputs: [getSignatureScheme(job.scheme).sign(job.secretKey, job.message)] };
    case 'verify': {
      const s = job.blind ? getBlindScheme(job.scheme) : getSignatureScheme(job.scheme);
      return { ok: true, outputs: [], valid: s.verify(job.publicKey, job.message, job.signature) };
    }
    case 'blind-sign': {
      const s = getBlindScheme(job.scheme);
      const blindSig = s.blindSign(job.secretKey, job.blindedMessage);
      if (job.finalize === undefined) return { ok: true, outputs: [blindSig] };
      const f = job.finalize;
      const state = { blindedMessage: job.blindedMessage, inverse: f.inverse, preparedMessage: f.preparedMessage };
      return { ok: true, outputs: [blindSig, s.finalize(f.publicKey, state, blindSig)] };
    }
  }
}

// --- Wire format ---------------------------------------------------------------------------------------
// Task: u32 count, then per job: u8 kind (0 sign, 1 verify, 2 verify blind, 3 blind-sign, 4 blind-sign +
// finalize), u16 scheme-name length + UTF-8 name, then its byte fields, each u32 length + bytes.
// Result: per job: u8 status (0 error, 1 ok, 2 ok+valid, 3 ok+invalid), then either an error string or the
// u8 number of outputs and each as u32 length + bytes.

const KIND = { sign: 0, verify: 1, verifyBlind: 2, blindSign: 3, blindSignFinalize: 4 } as const;

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
    this.bytes(new TextEncoder().encode(s));
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
    return this.buf[this.at++]!;
  }
  u32(): number {
    const x = this.view.getUint32(this.at);
    this.at += 4;
    return x;
  }
  bytes(): Uint8Array {
    const n = this.u32();
    const b = this.buf.slice(this.at, this.at + n);
    this.at += n;
    return b;
  }
  text(): string {
    return new TextDecoder().decode(this.bytes());
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
      case 'verify':
        w.u8(job.blind ? KIND.verifyBlind : KIND.verify);
        w.text(job.scheme);
        w.bytes(job.publicKey);
        w.bytes(job.message);
        w.bytes(job.signature);
        break;
      case 'blind-sign':
        w.u8(job.finalize === undefined ? KIND.blindSign : KIND.blindSignFinalize);
        w.text(job.scheme);
        w.bytes(job.secretKey);
        w.bytes(job.blindedMessage);
        if (job.finalize !== undefined) {
          w.bytes(job.finalize.publicKey);
          w.bytes(job.finalize.inverse);
          w.bytes(job.finalize.preparedMessage);
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
    else if (kind === KIND.verify || kind === KIND.verifyBlind) {
      jobs.push({ kind: 'verify', scheme, blind: kind === KIND.verifyBlind, publicKey: r.bytes(), message: r.bytes(), signature: r.bytes() });
    } else if (kind === KIND.blindSign) jobs.push({ kind: 'blind-sign', scheme, secretKey: r.bytes(), blindedMessage: r.bytes() });
    else if (kind === KIND.blindSignFinalize) {
      const secretKey = r.bytes();
      const blindedMessage = r.bytes();
      jobs.push({ kind: 'blind-sign', scheme, secretKey, blindedMessage, finalize: { publicKey: r.bytes(), inverse: r.bytes(), preparedMessage: r.bytes() } });
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
