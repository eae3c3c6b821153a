// Signature work in batches: the answers the simulation acts on are the real schemes' answers, the results do
// not depend on the thread count or the batch size's timing, and a dead worker costs its claimed jobs' rerun,
// not the run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { keySuite } from '../../protocol/suite.ts';
import { DAY } from '../engine/index.ts';
import { smallConfig } from '../model/testing.ts';
import { toJson } from '../output.ts';
import { simulate } from '../simulate.ts';
import { InlineExecutor, PoolExecutor, type Executor } from './executor.ts';
import { runJobs, seededRandom, type Job, type JobResult } from './jobs.ts';
import { BatchResults } from './results.ts';
import { SignatureWork } from './signature-work.ts';
import { JobBatch } from './wire.ts';

const enc = new TextEncoder();
const real = keySuite({ ra: 'ed25519', issuer: 'ed25519', bank: 'rsa-blind', card: 'ed25519' });

function work(executor: Executor = new InlineExecutor(), batchSize = 1000): SignatureWork {
  return new SignatureWork(executor, { batchSize, onBarrierWanted: () => {} });
}

/** Results without wall-time fields: what must be identical run to run. */
const strip = (r: { performance: unknown }) => toJson({ ...r, performance: null });

test('the same scenario gives identical results with 1, 2 and 4 threads, and with any batch size', async () => {
  // A processing delay, so the issuer's settles wait only for the signatures they need, not for everything.
  const cfg = smallConfig({ users: 30, shops: 5, duration: 5 * DAY, issuerDelay: 3600 });
  const one = await simulate(cfg, { threads: 1 });
  one.model.parties.close();
  assert.ok(one.results.counts.payments > 200, `a run with something in it: ${one.results.counts.payments} payments`);
  assert.ok(one.model.work!.stats.batches > 3, 'several batches, so barriers fall mid-run');
  for (const [threads, batchSize] of [
    [2, 4096],
    [4, 4096],
    [2, 64],
  ] as const) {
    const other = await simulate(cfg, { threads, batchSize });
    other.model.parties.close();
    assert.equal(other.results.performance.threads, threads);
    if (batchSize === 4096) assert.equal(strip(other.results), strip(one.results), `${threads} threads`);
    else {
      // Another batch size moves the barriers, so a bank cache may see a placeholder where it saw a signature
      // and check once more; everything the protocol decides is the same.
      const pick = (r: typeof one.results) => toJson({ counts: r.counts, frauds: r.frauds, db: r.issuerDatabase, money: r.money, detection: r.detection });
      assert.equal(pick(other.results), pick(one.results), `batch ${batchSize}`);
    }
  }
});

test('after an empty pipeline the first batch is small, each next one twice the last up to the batch size, sent as soon as it is full while the pipeline has room', async () => {
  const sizes: number[] = [];
  const inline = new InlineExecutor();
  const recording: Executor = { threads: 1, retried: 0, mainThreadJobs: 0, run: (jobs) => (sizes.push(jobs.length), inline.run(jobs)), close: () => inline.close() };
  const w = work(recording, 1000);
  const suite = w.wrap(real);
  const kp = suite.card.keygen(new Uint8Array(32).fill(3));
  let n = 0;
  /** Signs until the work wants a barrier; returns how many signatures that took. */
  const signUntilWanted = () => {
    let k = 0;
    while (!w.wanted) (suite.card.sign(kp.secretKey, enc.encode(`step ${n++}`)), k++);
    return k;
  };
  // The first two batches go out mid-event, with no barrier; the third finds two in flight (the default depth)
  // and waits for a barrier, which lands the oldest and sends it.
  assert.equal(signUntilWanted(), 256 + 512 + 1000, 'capped at the batch size');
  assert.deepEqual(sizes, [256, 512]);
  await w.barrier();
  assert.deepEqual(sizes, [256, 512, 1000]);
  assert.equal(signUntilWanted(), 1000);
  await w.barrier();
  // A settle empties the pipeline: the workers would wait for a whole batch, so the next one is small again.
  w.requestSettle();
  await w.barrier();
  assert.equal(w.settled, true);
  assert.equal(signUntilWanted(), 256 + 512 + 1000, 'after a settle');
  await w.drain();
  assert.deepEqual(sizes, [256, 512, 1000, 1000, 256, 512, 1000]);
});

test('a signature is a placeholder until its batch lands, then the real, verifiable signature', async () => {
  const w = work();
  const suite = w.wrap(real);
  const kp = suite.card.keygen(new Uint8Array(32).fill(1));
  const msg = enc.encode('transfer step');
  const sig = suite.card.sign(kp.secretKey, msg);
  assert.equal(w.settled, false);
  assert.equal(real.card.verify(kp.publicKey, msg, sig), false, 'placeholder bytes are not a signature');
  assert.equal(suite.card.verify(kp.publicKey, msg, sig), true, 'F_SIG: made by this key over these bytes');
  assert.equal(suite.card.verify(kp.publicKey, enc.encode('another step'), sig), false, 'other bytes');
  await w.drain();
  assert.equal(w.settled, true);
  assert.deepEqual(sig, real.card.sign(kp.secretKey, msg), 'ed25519 is deterministic: the same bytes as signing directly');
  assert.equal(real.card.verify(kp.publicKey, msg, sig), true);
});

test('whenReal runs its callback once, when the barrier fills the placeholder; at once for real bytes', async () => {
  const w = work();
  const suite = w.wrap(real);
  const kp = suite.issuer.keygen(new Uint8Array(32).fill(2));
  const msg = enc.encode('coin');
  const sig = suite.issuer.sign(kp.secretKey, msg);
  const seen: boolean[] = [];
  w.whenReal(sig, () => seen.push(real.issuer.verify(kp.publicKey, msg, sig)));
  assert.throws(() => w.whenReal(sig, () => {}), /asked twice/);
  assert.equal(seen.length, 0, 'not before the fill');
  await w.drain();
  assert.equal(seen.join(), 'true', 'once, with the real signature in place');
  w.whenReal(sig, () => seen.push(true));
  assert.equal(seen.join(), 'true,true', 'a real signature: at once');
});

test('keys prepared on the executor are the bytes keygen makes, handed out once instead of made again', async () => {
  const w = work();
  let made = 0;
  const counted = { ...real, card: { ...real.card, keygen: (seed: Uint8Array) => (made++, real.card.keygen(seed)) } };
  const suite = w.wrap(counted);
  const seeds = [1, 2, 3].map((n) => new Uint8Array(32).fill(n));
  w.prepareKeys(real.card.name, false, seeds);
  await w.keysPrepared();
  assert.deepEqual(suite.card.keygen(seeds[1]!), real.card.keygen(seeds[1]!));
  assert.equal(made, 0, 'taken from the prepared keys');
  suite.card.keygen(seeds[1]!);
  assert.equal(made, 1, 'a second keygen of the same seed makes it');
  // A prepared key signs like one made here: the signature work knows its public key.
  const kp = suite.card.keygen(seeds[2]!);
  const sig = suite.card.sign(kp.secretKey, enc.encode('m'));
  await w.drain();
  assert.equal(real.card.verify(kp.publicKey, enc.encode('m'), sig), true);
  w.prepareKeys('no-such-scheme', false, [seeds[0]!]);
  await assert.rejects(w.keysPrepared(), /keygen job \(no-such-scheme\) failed/);
});

test('a worker that answers differently from what the simulation was told stops the run', async () => {
  const liar: Executor = {
    threads: 1,
    retried: 0,
    mainThreadJobs: 0,
    run: async (batch) => BatchResults.of(runJobs(batch.jobs()).map((r): JobResult => (r.ok && r.valid !== undefined ? { ok: true, outputs: [], valid: !r.valid } : r))),
    close: async () => {},
  };
  const w = work(liar);
  const suite = w.wrap(real);
  const kp = suite.card.keygen(new Uint8Array(32).fill(2));
  const sig = suite.card.sign(kp.secretKey, enc.encode('m'));
  suite.card.verify(kp.publicKey, enc.encode('m'), sig);
  await assert.rejects(() => w.drain(), /answered 'valid' is invalid under the real scheme/);
});

test('bytes copied from a placeholder before its fill are caught, not verified as garbage', () => {
  const w = work();
  const suite = w.wrap(real);
  const kp = suite.card.keygen(new Uint8Array(32).fill(3));
  const sig = suite.card.sign(kp.secretKey, enc.encode('m'));
  assert.throws(() => suite.card.verify(kp.publicKey, enc.encode('m'), sig.slice()), /read before the signature was made/);
});

test('signatures the run did not make are checked at once on the main thread, with the real answer', () => {
  const w = work();
  const suite = w.wrap(real);
  const kp = real.card.keygen(new Uint8Array(32).fill(4));
  const msg = enc.encode('m');
  const genuine = real.card.sign(kp.secretKey, msg);
  assert.equal(suite.card.verify(kp.publicKey, msg, genuine), true);
  assert.equal(suite.card.verify(kp.publicKey, msg, new Uint8Array(64)), false);
  assert.equal(w.stats.mainThreadVerifies, 2);
});

test('blinding, blind signing and finalize run as one job; a wrong key is refused by the real finalize', async () => {
  const w = work();
  const suite = w.wrap(real);
  const bank = suite.bank.keygen(new Uint8Array(32).fill(5));
  const other = suite.bank.keygen(new Uint8Array(32).fill(6));
  let counter = 0;
  const random = (n: number) => new Uint8Array(n).map(() => (counter++ * 37) & 0xff);
  const state = suite.bank.blind(bank.publicKey, enc.encode('user key'), random);
  const blinded = state.blindedMessage.slice();
  const sig = suite.bank.finalize(bank.publicKey, state, suite.bank.blindSign(bank.secretKey, state.blindedMessage));
  assert.equal(suite.bank.verify(bank.publicKey, state.preparedMessage, sig), true);
  assert.equal(w.stats.blinds, 1);
  await w.drain();
  assert.notDeepEqual(state.blindedMessage, blinded, 'the blinded message was a placeholder until its job ran');
  assert.equal(real.bank.verify(bank.publicKey, state.preparedMessage, sig), true, 'the filled signature is real');

  const state2 = suite.bank.blind(bank.publicKey, enc.encode('user key 2'), random);
  const wrong = suite.bank.blindSign(other.secretKey, state2.blindedMessage);
  assert.throws(() => suite.bank.finalize(bank.publicKey, state2, wrong));
});

test('withdrawals go first in their batch, grouped by bank key, and each result still fills its own placeholders', async () => {
  const batches: Job[][] = [];
  const inline = new InlineExecutor();
  const recording: Executor = { threads: 1, retried: 0, mainThreadJobs: 0, run: (b) => (batches.push(b.jobs()), inline.run(b)), close: () => inline.close() };
  const w = work(recording);
  const suite = w.wrap(real);
  const [a, b] = [suite.bank.keygen(new Uint8Array(32).fill(21)), suite.bank.keygen(new Uint8Array(32).fill(22))];
  const card = suite.card.keygen(new Uint8Array(32).fill(23));
  let counter = 0;
  const random = (n: number) => new Uint8Array(n).map(() => (counter++ * 29) & 0xff);
  const withdraw = (key: typeof a, i: number) => {
    const state = suite.bank.blind(key.publicKey, enc.encode(`user key ${i}`), random);
    return { key, state, sig: suite.bank.finalize(key.publicKey, state, suite.bank.blindSign(key.secretKey, state.blindedMessage)) };
  };
  // Payments' signatures and withdrawals interleaved, under two bank keys, as a run queues them.
  const steps = [0, 1, 2].map((i) => suite.card.sign(card.secretKey, enc.encode(`step ${i}`)));
  const coins = [withdraw(a, 1), withdraw(b, 2), withdraw(a, 3)];
  steps.push(suite.card.sign(card.secretKey, enc.encode('step 3')));
  coins.push(withdraw(b, 4));
  await w.drain();
  assert.equal(batches.length, 1);
  const keyOfJob = (j: Job) => (j.kind === 'blind-chain' ? j.blind?.publicKey : undefined);
  assert.deepEqual(batches[0]!.map(keyOfJob), [a.publicKey, a.publicKey, b.publicKey, b.publicKey, undefined, undefined, undefined, undefined]);
  for (const c of coins) assert.equal(real.bank.verify(c.key.publicKey, c.state.preparedMessage, c.sig), true, 'each coin got its own signature');
  steps.forEach((sig, i) => assert.deepEqual(sig, real.card.sign(card.secretKey, enc.encode(`step ${i}`))));
});

test('a worker that dies mid-run takes only its claimed jobs with it: they run on the main thread, same results, the lost tasks counted', async () => {
  const cfg = smallConfig({ users: 20, shops: 4, duration: 3 * DAY, fraud: [] });
  const inline = await simulate(cfg, { threads: 1 });
  inline.model.parties.close();
  const pool = new PoolExecutor({ threads: 2, crashTask: 1 });
  try {
    // Task 0 starts the worker, so the run's first batch (task 1, the crash) is sent: a batch the main thread
    // has run to the end before the worker is up is not sent at all.
    const warm = new JobBatch();
    const kp = real.card.keygen(new Uint8Array(32).fill(5));
    warm.add({ kind: 'sign', scheme: real.card.name, secretKey: kp.secretKey, message: enc.encode('warm') });
    assert.equal((await pool.run(warm)).length, 1);
    const crashed = await simulate(cfg, { executor: pool });
    crashed.model.parties.close();
    // The dead worker takes down the task that killed it and any others already sent to it (a worker holds
    // several, so none waits for the main thread to hand it the next).
    assert.ok(pool.retried >= 1 && pool.retried <= 64, `retried ${pool.retried}`);
    assert.equal(crashed.results.performance.signatureWork?.workerTasksRetried, pool.retried);
    assert.equal(strip(crashed.results), strip(inline.results));
  } finally {
    await pool.close();
  }
});

test('a pool that cannot start, or whose workers die at every task, stops the run with their error', async () => {
  const kp = real.card.keygen(new Uint8Array(32).fill(6));
  /** Runs one-job batches until one fails; its error and how many batches ran. */
  const runUntilFailure = async (pool: PoolExecutor): Promise<{ error: Error; batches: number }> => {
    for (let batches = 1; batches <= 100; batches++) {
      const b = new JobBatch();
      b.add({ kind: 'sign', scheme: real.card.name, secretKey: kp.secretKey, message: enc.encode(`m${batches}`) });
      try {
        // Until the pool counts as broken, a lost task's jobs run on the main thread: the answers still come.
        assert.equal((await pool.run(b)).length, 1);
      } catch (e) {
        return { error: e as Error, batches };
      }
    }
    throw new Error('the pool never failed');
  };
  // A worker file that will not load: piscina would leave every task after the first waiting forever.
  const missing = new PoolExecutor({ threads: 2, entry: { filename: new URL('./no-such-worker.mjs', import.meta.url).href } });
  try {
    const { error, batches } = await runUntilFailure(missing);
    assert.match(error.message, /the pool failed: .*no-such-worker/);
    assert.ok(batches <= 2, `failed at batch ${batches}`);
  } finally {
    await missing.close();
  }
  // A worker that dies at every task: each death is recovered from, until too many in a row (24 here, so the
  // test restarts the worker 24 times, not the default 3 x 64).
  const crashing = new PoolExecutor({ threads: 2, maxLostInARow: 24, entry: { filename: new URL('./testing/crashing-worker.mjs', import.meta.url).href } });
  try {
    const { error, batches } = await runUntilFailure(crashing);
    assert.match(error.message, /24 tasks lost in a row, none answered: .*exited with code: 70/);
    assert.equal(batches, 24);
    assert.equal(crashing.retried, 24);
  } finally {
    await crashing.close();
  }
});

test('with a pool, the main thread runs the jobs no worker has claimed when it helps, and none when it does not', async () => {
  assert.throws(() => new PoolExecutor({ threads: 1 }), /2 threads or more/);
  const kp = real.card.keygen(new Uint8Array(32).fill(4));
  const jobsOf = (tag: string): Job[] =>
    Array.from({ length: 600 }, (_, i) => ({ kind: 'sign', scheme: real.card.name, secretKey: kp.secretKey, message: enc.encode(`${tag} ${i}`) }));
  const batchOf = (jobs: readonly Job[]) => {
    const b = new JobBatch();
    for (const job of jobs) b.add(job);
    return b;
  };
  const pool = new PoolExecutor({ threads: 2 });
  try {
    // Just made, the pool's worker is not up yet: the main thread claims the whole batch as it helps.
    const first = jobsOf('first');
    const running = pool.run(batchOf(first));
    pool.help(running);
    assert.equal(pool.mainThreadJobs, first.length);
    assert.deepEqual((await running).all(), runJobs(first));
    // Not helped, a batch is the worker's alone.
    const second = jobsOf('second');
    assert.deepEqual((await pool.run(batchOf(second))).all(), runJobs(second));
    assert.equal(pool.mainThreadJobs, first.length);
  } finally {
    await pool.close();
  }
});

// With a timeout, so that waiting for the stuck worker fails the test instead of hanging the suite.
test('a batch the main thread runs to the end alone is done without waiting for the workers, even ones that never start', { timeout: 60_000 }, async () => {
  const kp = real.card.keygen(new Uint8Array(32).fill(7));
  const jobs: Job[] = Array.from({ length: 20 }, (_, i) => ({ kind: 'sign', scheme: real.card.name, secretKey: kp.secretKey, message: enc.encode(`m ${i}`) }));
  const pool = new PoolExecutor({ threads: 2, entry: { filename: new URL('./testing/stuck-worker.mjs', import.meta.url).href } });
  try {
    for (const round of [1, 2]) {
      const b = new JobBatch();
      for (const job of jobs) b.add(job);
      // The event loop must get a turn as such a batch lands, or a pool still starting would never come up: the
      // main thread runs a simulation without yielding, and would run every batch alone.
      let turned = false;
      setImmediate(() => (turned = true));
      const running = pool.run(b);
      pool.help(running);
      assert.deepEqual((await running).all(), runJobs(jobs), `round ${round}`);
      assert.ok(turned, `round ${round}: the event loop had no turn`);
      assert.equal(pool.mainThreadJobs, round * jobs.length);
    }
  } finally {
    await pool.close();
  }
});

test('a pool keeps nothing of a batch once its results are handed over', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const kp = real.card.keygen(new Uint8Array(32).fill(9));
  const pool = new PoolExecutor({ threads: 2 });
  try {
    const refs: WeakRef<Uint8Array>[] = [];
    for (let round = 0; round < 3; round++) {
      const b = new JobBatch();
      for (let i = 0; i < 50; i++) b.add({ kind: 'sign', scheme: real.card.name, secretKey: kp.secretKey, message: enc.encode(`r${round} m${i}`) });
      // Not helped: the worker runs the batch, and its answer is what could be kept.
      const results = await pool.run(b);
      assert.equal(results.length, 50);
      for (let i = 0; i < results.length; i++) if (results.ok(i)) refs.push(new WeakRef(results.output(i, 0)));
    }
    assert.equal(refs.length, 150, 'every job signed');
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    // Raced against one promise that lived as long as the pool, every batch's answers stayed reachable. (The
    // last batch's may be held a little longer by the last task's bookkeeping; the rounds before may not.)
    const kept = refs.slice(0, 100).filter((r) => r.deref() !== undefined).length;
    assert.equal(kept, 0, `${kept} signatures of the first two batches still reachable`);
  } finally {
    await pool.close();
  }
});

test('a blinding seed gives the same bytes wherever it is expanded, and different seeds differ', () => {
  const seed = new Uint8Array(32).fill(8);
  const a = seededRandom(seed);
  const b = seededRandom(seed);
  const drawn = [a(32), a(48), a(256)];
  assert.deepEqual([b(32), b(48), b(256)], drawn);
  const whole = seededRandom(seed)(336);
  assert.deepEqual(whole, new Uint8Array([...drawn[0]!, ...drawn[1]!, ...drawn[2]!]), 'draw sizes do not change the stream');
  assert.notDeepEqual(seededRandom(new Uint8Array(32).fill(9))(32), drawn[0]);
});

test('BLS verifications are checked in batches, with the verdicts single verifications give', () => {
  const bls = keySuite({ ra: 'bls12-381', issuer: 'bls12-381', bank: 'bls-blind', card: 'bls12-381' }).card;
  const kp = bls.keygen(new Uint8Array(32).fill(10));
  const jobs: Job[] = Array.from({ length: 6 }, (_, i) => {
    const message = enc.encode(`step ${i}`);
    const signature = bls.sign(kp.secretKey, i === 4 ? enc.encode('another step') : message);
    return { kind: 'verify', scheme: bls.name, blind: false, publicKey: kp.publicKey, message, signature };
  });
  const valid = runJobs(jobs).map((r) => r.ok && r.valid);
  assert.deepEqual(valid, [true, true, true, true, false, true]);
  assert.deepEqual(runJobs(jobs.filter((_, i) => i !== 4)).map((r) => r.ok && r.valid), [true, true, true, true, true]);
});

test('withdrawal jobs under one bank key are blinded together, with the bytes each gives alone; a bad one fails alone', () => {
  const rsa = real.bank;
  const [a, b] = [rsa.keygen(new Uint8Array(32).fill(11)), rsa.keygen(new Uint8Array(32).fill(12))];
  const withdrawal = (key: typeof a, i: number): Job => {
    const preparedMessage = rsa.prepare(enc.encode(`user key ${i}`), seededRandom(new Uint8Array(32).fill(100 + i)));
    return {
      kind: 'blind-chain',
      scheme: rsa.name,
      blind: { publicKey: key.publicKey, preparedMessage, seed: new Uint8Array(32).fill(i) },
      sign: { secretKey: key.secretKey },
      finalize: { publicKey: key.publicKey, preparedMessage },
    };
  };
  // Four under key a (one group), one under b (alone).
  const jobs = [withdrawal(a, 1), withdrawal(b, 2), withdrawal(a, 3), withdrawal(a, 4), withdrawal(a, 5)];
  const alone = jobs.map((job) => runJobs([job])[0]!);
  assert.deepEqual(runJobs(jobs), alone);
  for (const r of alone) assert.equal(r.ok && r.outputs.length, 4);
  const last = alone[4]!;
  assert.ok(last.ok);
  assert.equal(rsa.verify(a.publicKey, (jobs[4] as Extract<Job, { kind: 'blind-chain' }>).finalize!.preparedMessage, last.outputs[3]!), true);

  // A job whose message is not bytes makes its group throw: it fails alone, the others still blind.
  const broken = { ...(jobs[2] as Extract<Job, { kind: 'blind-chain' }>), blind: { ...(jobs[2] as Extract<Job, { kind: 'blind-chain' }>).blind!, preparedMessage: 'x' as unknown as Uint8Array } };
  const mixed = runJobs([jobs[0]!, broken, jobs[3]!]);
  assert.equal(mixed[1]!.ok, false);
  assert.deepEqual([mixed[0], mixed[2]], [alone[0], alone[3]]);
});
