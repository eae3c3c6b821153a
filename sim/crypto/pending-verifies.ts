// Verifications of signatures still to be made. A payee checks the payer's new transfer step in the event that
// signed it, so about half of a run's verifications are asked for while their signature is a placeholder whose
// signing job has not landed; such a job can only go in a batch sent after the signature is real.
//
// They wait packed (wire.ts), not as objects: a job, its message and its bookkeeping held for two or three
// batches outlived several young-generation collections and were promoted, only to die in the old generation
// (43,000 of them in the benchmark's run). Packed, the message's bytes sit in one buffer and its objects die
// young; what stays per verification is its place in four arrays.
import type { Job } from './jobs.ts';
import { packJob, Writer, type JobBatch } from './wire.ts';

type VerifyJob = Extract<Job, { kind: 'verify' }>;

export class PendingVerifies {
  private readonly w = new Writer();
  /** Per verification, in the order they were queued: the placeholder it waits for, where its bytes end in `w`
   * (each starts where the one before ends), the answer the simulation was given, and its `kind (scheme)`. */
  private signatures: Uint8Array[] = [];
  private ends: number[] = [];
  private expects: boolean[] = [];
  private whats: string[] = [];

  get length(): number {
    return this.signatures.length;
  }

  /** Queues `job`, whose signature is a placeholder: its bytes are written in when it is released. */
  add(job: VerifyJob, expect: boolean, what: string): void {
    packJob(this.w, job);
    this.signatures.push(job.signature);
    this.ends.push(this.w.length);
    this.expects.push(expect);
    this.whats.push(what);
  }

  /**
   * Moves every verification whose signature `isReal` into `batch`, ahead of the jobs added to it (addFirst),
   * with its signature's real bytes, in the order they were queued, calling `moved` for each; keeps the others.
   */
  release(isReal: (signature: Uint8Array) => boolean, batch: JobBatch, moved: (expect: boolean, what: string) => void): void {
    let kept = 0;
    let keptEnd = 0;
    let start = 0;
    for (let i = 0; i < this.signatures.length; i++) {
      const signature = this.signatures[i]!;
      const end = this.ends[i]!;
      if (isReal(signature)) {
        // The signature is the job's last field (packJob), the same length as its placeholder.
        this.w.written(end - signature.length, end).set(signature);
        batch.addPackedFirst(this.w.written(start, end));
        moved(this.expects[i]!, this.whats[i]!);
      } else {
        if (keptEnd !== start) this.w.copyWithin(keptEnd, start, end);
        keptEnd += end - start;
        this.signatures[kept] = signature;
        this.ends[kept] = keptEnd;
        this.expects[kept] = this.expects[i]!;
        this.whats[kept] = this.whats[i]!;
        kept++;
      }
      start = end;
    }
    this.signatures.length = kept;
    this.ends.length = kept;
    this.expects.length = kept;
    this.whats.length = kept;
    this.w.length = keptEnd;
  }
}
