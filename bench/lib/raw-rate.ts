// What one scheme operation costs with nothing else around it: the "raw" side of `npm run bench -- sim`'s
// bound. A tight loop on one key in steady use, as the crypto table measures, so the bound is generous (a run
// also parses thousands of keys). `rawRates` runs the loops on N worker threads at once and adds their rates:
// on a shared VM two busy threads do not run twice as fast as one, and the bound for N threads must be what
// this machine can do on N threads, measured in the same run.
import { Worker } from 'node:worker_threads';
import { getBlindScheme } from '../../protocol/crypto/blind/index.ts';
import { getSignatureScheme } from '../../protocol/crypto/index.ts';
import type { BlindSignatureScheme, SignatureScheme } from '../../protocol/crypto/scheme.ts';
import { FIXED_COST_SUFFIX, fixedBlind, fixedSignature } from '../../sim/model/fixed-cost.ts';

const MESSAGE = new Uint8Array(128).map((_, i) => (i * 31 + 7) & 0xff);

function counterRandom(): (n: number) => Uint8Array {
  let c = 1;
  return (n) => new Uint8Array(n).map(() => (c = (c * 1103515245 + 12345) >>> 0) >>> 24);
}

/** A distinct seed for every i: keygen caches the key it makes, so a repeated seed would time a cache hit. */
function seedOf(i: number): Uint8Array {
  const seed = new Uint8Array(32).map((_, k) => (k * 17 + 1) & 0xff);
  new DataView(seed.buffer).setUint32(0, i);
  return seed;
}

/** Seconds per call of `op` on `scheme` (e.g. `ed25519@native`, `verify`): best of 3 rounds of at least `minSeconds`. */
export function secondsPerCall(schemeName: string, op: string, minSeconds: number): number {
  // A fixed-cost run's stand-ins (`ed25519@sodium+fixed-cost`) are timed as that run makes them, around the
  // real scheme of the same name: so the bench can tell their hashing from the main thread's own work.
  const standIn = schemeName.endsWith(FIXED_COST_SUFFIX);
  const realName = standIn ? schemeName.slice(0, -FIXED_COST_SUFFIX.length) : schemeName;
  let signature: SignatureScheme | undefined;
  let blind: BlindSignatureScheme | undefined;
  try {
    signature = getSignatureScheme(realName);
    if (standIn) signature = fixedSignature(signature);
  } catch {
    blind = getBlindScheme(realName);
    if (standIn) blind = fixedBlind(blind);
  }
  let call: (i: number) => void;
  if (signature !== undefined) {
    const s = signature;
    const kp = s.keygen(seedOf(0));
    const sig = s.sign(kp.secretKey, MESSAGE);
    if (op === 'keygen') call = (i) => s.keygen(seedOf(i + 1));
    else if (op === 'sign') call = () => s.sign(kp.secretKey, MESSAGE);
    else if (op === 'verify') call = () => s.verify(kp.publicKey, MESSAGE, sig);
    else throw new Error(`raw rate: no timing for '${schemeName} ${op}'`);
  } else {
    const s = blind!;
    const kp = s.keygen(seedOf(0));
    const random = counterRandom();
    const state = s.blind(kp.publicKey, MESSAGE.subarray(0, 32), random);
    const blindSig = s.blindSign(kp.secretKey, state.blindedMessage);
    const sig = s.finalize(kp.publicKey, state, blindSig);
    if (op === 'keygen' && !standIn) {
      // RSA keygen is a prime search: seconds, and seed-dependent. Three seeds, once each.
      const t0 = performance.now();
      for (let i = 1; i <= 3; i++) s.keygen(seedOf(1000 + i));
      return (performance.now() - t0) / 1000 / 3;
    }
    if (op === 'keygen') call = (i) => s.keygen(seedOf(i + 1));
    else if (op === 'blind') call = () => s.blind(kp.publicKey, MESSAGE.subarray(0, 32), random);
    else if (op === 'blindSign') call = () => s.blindSign(kp.secretKey, state.blindedMessage);
    else if (op === 'finalize') call = () => s.finalize(kp.publicKey, state, blindSig);
    else if (op === 'verify') call = () => s.verify(kp.publicKey, state.preparedMessage, sig);
    else throw new Error(`raw rate: no timing for '${schemeName} ${op}'`);
  }
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    let n = 0;
    const t0 = performance.now();
    let elapsed = 0;
    do {
      for (let k = 0; k < 16; k++) call(n++);
      elapsed = (performance.now() - t0) / 1000;
    } while (elapsed < minSeconds);
    best = Math.min(best, elapsed / n);
  }
  return best;
}

/** `<scheme> <op>` as the run's counts name it, e.g. `ed25519@native verify`. */
export function splitOperation(key: string): [scheme: string, op: string] {
  const at = key.lastIndexOf(' ');
  return [key.slice(0, at), key.slice(at + 1)];
}

/**
 * Seconds per call of each operation when `threads` worker threads run it at the same time: 1 / (sum of the
 * threads' rates), so on N threads that scale perfectly it is 1/N of one thread's.
 */
export async function rawRates(operations: readonly string[], threads: number, minSeconds: number): Promise<Record<string, number>> {
  const workers = Array.from({ length: threads }, () => new Worker(new URL('./raw-rate-worker.mjs', import.meta.url)));
  /** The worker's next message; both listeners go once it comes, so none pile up over the operations. */
  const next = (w: Worker) =>
    new Promise<{ seconds?: number; error?: string }>((resolve, reject) => {
      const onMessage = (m: { seconds?: number; error?: string }) => (w.off('error', onError), resolve(m));
      const onError = (e: Error) => (w.off('message', onMessage), reject(e));
      w.once('message', onMessage);
      w.once('error', onError);
    });
  const ask = async (w: Worker, operation: string) => {
    const reply = next(w);
    w.postMessage({ operation, minSeconds });
    const m = await reply;
    if (m.error !== undefined) throw new Error(m.error);
    return m.seconds!;
  };
  try {
    // Each says when it has loaded, so no thread starts timing while another is still compiling.
    await Promise.all(workers.map(next));
    const out: Record<string, number> = {};
    for (const operation of operations) {
      // Every thread times the same operation at once, as the run's workers would run it side by side.
      const each = await Promise.all(workers.map((w) => ask(w, operation)));
      out[operation] = 1 / each.reduce((s, t) => s + 1 / t, 0);
    }
    return out;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
