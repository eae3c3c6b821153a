// The signature work the simulator hands to worker threads: a job is one real operation of one key scheme on
// plain bytes, so a job runs the same on the main thread (`--threads 1`) or any worker, and its result depends
// only on its inputs. Jobs travel packed into one ArrayBuffer per task (wire.ts).
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
