// The wire format of signature work: what a worker reads is what the main thread packed, claims cover a shared
// batch exactly once, and a task's results come back as they went.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { keySuite } from '../../protocol/suite.ts';
import { runJobs, type Job } from './jobs.ts';
import { runTask } from './worker-task.ts';
import { BatchResults, walkAnswer } from './results.ts';
import { AnswerWriter, JobBatch, SharedBatch } from './wire.ts';

const enc = new TextEncoder();
const real = keySuite({ ra: 'ed25519', issuer: 'ed25519', bank: 'rsa-blind', card: 'ed25519' });

const batchOf = (jobs: readonly Job[]): JobBatch => {
  const batch = new JobBatch();
  for (const job of jobs) batch.add(job);
  return batch;
};

test('jobs and results survive packing byte for byte', () => {
  const kp = real.card.keygen(new Uint8Array(32).fill(7));
  const jobs: Job[] = [
    { kind: 'sign', scheme: 'ed25519@native', secretKey: kp.secretKey, message: enc.encode('a') },
    { kind: 'verify', scheme: 'ed25519', blind: false, publicKey: kp.publicKey, message: enc.encode('b'), signature: new Uint8Array(64) },
    { kind: 'blind-chain', scheme: 'rsa-blind', sign: { secretKey: new Uint8Array([1, 2]), blindedMessage: new Uint8Array([3]) }, finalize: { publicKey: new Uint8Array([4]), inverse: new Uint8Array([5]), preparedMessage: new Uint8Array([6]) } },
    { kind: 'blind-chain', scheme: 'rsa-blind', blind: { publicKey: new Uint8Array([7]), preparedMessage: new Uint8Array([8]), seed: new Uint8Array([9]) }, sign: { secretKey: new Uint8Array([10]) } },
    { kind: 'keygen', scheme: 'ed25519@native', blind: false, seed: new Uint8Array(32).fill(7) },
    { kind: 'keygen', scheme: 'rsa-blind', blind: true, seed: new Uint8Array(3) },
  ];
  const batch = batchOf(jobs);
  assert.deepEqual(batch.jobs(), jobs);
  const shared = new SharedBatch(batch.share());
  assert.deepEqual(shared.jobs(2, 5), jobs.slice(2, 5), 'any range reads alone');
  assert.deepEqual(shared.jobs(3, 3), []);
  assert.throws(() => shared.jobs(4, 7), /jobs \[4, 7\) of a batch of 6/);
  const results = runJobs(jobs);
  assert.deepEqual(results[4], { ok: true, outputs: [kp.publicKey, kp.secretKey] }, 'keygen: the key pair the scheme makes');
  assert.equal(results[5]!.ok, false, 'a seed the scheme refuses is a failed job');
  assert.equal(results[1]!.ok && results[1]!.valid, false);
  assert.equal(results[2]!.ok, false, 'a malformed RSA key is a failed job, not a thrown error');
  // An answer of two claims, out of job order, as two threads' claims can come.
  const answerOf = (claims: readonly [from: number, results: typeof results][]): Uint8Array => {
    const answer = new AnswerWriter();
    for (const [from, rs] of claims) answer.claim(from, rs);
    return answer.done();
  };
  const packed = answerOf([
    [3, results.slice(3)],
    [0, results.slice(0, 3)],
  ]);
  const back = new BatchResults(jobs.length);
  assert.equal(back.place(packed), jobs.length);
  assert.deepEqual(back.all(), results, 'each result read where it lies, in job order');
  assert.equal(BatchResults.count(packed), jobs.length);
  assert.throws(() => new BatchResults(jobs.length).place(packed.subarray(0, packed.length - 1)), /runs past the end/, 'a cut-off answer is refused, not read short');
  const longer = new Uint8Array(packed.length + 1);
  longer.set(packed);
  assert.throws(() => new BatchResults(jobs.length).place(longer), /1 bytes left over/, 'trailing bytes are refused too');
  assert.throws(() => back.place(answerOf([[3, results.slice(3)]])), /job 3 of a batch was answered twice/);
  assert.throws(() => new BatchResults(5).place(packed), /results for jobs \[3, 6\) of a batch of 5/);
  assert.throws(() => new BatchResults(6).output(0, 0), /job 0 of a batch of 6 has no result/);
});

/** The claims in a task's answer: where each starts, and how many results it holds. */
const claimsOf = (answer: Uint8Array): { from: number; count: number }[] => {
  const claims: { from: number; count: number }[] = [];
  walkAnswer(answer, (from, count) => claims.push({ from, count }));
  return claims;
};

test('a batch shared into a spare buffer, claimed and with longer jobs before, reads as one shared afresh', () => {
  const jobsOf = (tag: string, n: number, size: number): Job[] =>
    Array.from({ length: n }, (_, i) => ({ kind: 'sign', scheme: 'ed25519', secretKey: new Uint8Array(size).fill(i), message: enc.encode(`${tag}${i}`) }));
  const first = batchOf(jobsOf('a', 40, 200));
  const spare = new SharedArrayBuffer(first.sharedBytes);
  const before = new SharedBatch(first.share(spare));
  while (before.claim() !== undefined);
  assert.equal(before.allClaimed, true);
  const second = jobsOf('b', 30, 32);
  const batch = batchOf(second);
  const reused = new SharedBatch(batch.share(spare));
  assert.equal(reused.length, 30);
  assert.equal(reused.allClaimed, false, 'nothing claimed: the old counter is reset');
  assert.deepEqual(reused.jobs(0, 30), second);
  assert.deepEqual(reused.jobs(0, 30), new SharedBatch(batch.share()).jobs(0, 30));
  const big = batchOf(jobsOf('c', 50, 200));
  assert.throws(() => big.share(spare), /does not fit a spare buffer/);
});

test('jobs queued first come before every other job, in their own order, however the two are interleaved', () => {
  const job = (tag: string, size: number): Job => ({ kind: 'sign', scheme: 'ed25519', secretKey: new Uint8Array(size).fill(size), message: enc.encode(tag) });
  const [a, b, c, d, e] = [job('a', 3), job('b', 40), job('c', 5), job('d', 70), job('e', 1)];
  const batch = new JobBatch();
  batch.add(a);
  batch.addFirst(b);
  batch.add(c);
  batch.addFirst(d);
  batch.add(e);
  const order = [b, d, a, c, e];
  assert.equal(batch.length, 5);
  assert.deepEqual(batch.jobs(), order);
  assert.deepEqual(new SharedBatch(batch.share()).jobs(0, 5), order);
  assert.deepEqual(new SharedBatch(batch.share()).jobs(1, 3), [d, a], 'a range across the two parts reads alone');
  const spare = new SharedArrayBuffer(batch.sharedBytes);
  assert.deepEqual(new SharedBatch(batch.share(spare)).jobs(0, 5), order, 'sharedBytes is all a spare needs');
  batch.clear();
  assert.equal(batch.length, 0);
  batch.add(e);
  assert.deepEqual(batch.jobs(), [e], 'clear empties both parts');
});

test('a batch with its bytes cut short is refused where it is read', () => {
  const jobs: Job[] = [0, 1, 2].map((i) => ({ kind: 'sign', scheme: 'ed25519', secretKey: new Uint8Array([i]), message: enc.encode(`m${i}`) }));
  const sab = batchOf(jobs).share();
  const cut = new SharedArrayBuffer(sab.byteLength - 1);
  new Uint8Array(cut).set(new Uint8Array(sab, 0, cut.byteLength));
  assert.throws(() => new SharedBatch(cut).jobs(0, 3), /run past the end/);
  assert.deepEqual(new SharedBatch(cut).jobs(0, 2), jobs.slice(0, 2), 'the jobs before the cut are whole');
});

test('claims cover a shared batch exactly once, in ranges that shrink toward its end', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2000 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 40 }), (n, turns) => {
      const jobs: Job[] = Array.from({ length: n }, (_, i) => ({ kind: 'verify', scheme: 'ed25519', blind: false, publicKey: new Uint8Array([i & 0xff]), message: new Uint8Array(0), signature: new Uint8Array(1) }));
      const sab = batchOf(jobs).share();
      // Up to four readers of one buffer, as workers are, claiming in an arbitrary interleaving.
      const readers = [0, 1, 2, 3].map(() => new SharedBatch(sab));
      const seen = new Array<number>(n).fill(0);
      const sizes: number[] = [];
      let turn = 0;
      for (let range = readers[turns[0]!]!.claim(); range !== undefined; range = readers[turns[++turn % turns.length]!]!.claim()) {
        const [from, to] = range;
        assert.ok(from < to && to <= n);
        sizes.push(to - from);
        for (let i = from; i < to; i++) seen[i]!++;
      }
      assert.ok(seen.every((c) => c === 1), 'every job claimed once');
      for (const r of readers) assert.equal(r.claim(), undefined, 'nothing left for anyone');
      for (let k = 1; k < sizes.length - 1; k++) assert.ok(sizes[k]! <= sizes[k - 1]!, `claim sizes ${sizes.join(' ')} do not grow`);
    }),
  );
});

test('a task alone claims the whole batch, in order', () => {
  const kp = real.card.keygen(new Uint8Array(32).fill(1));
  const jobs: Job[] = Array.from({ length: 150 }, (_, i) => ({ kind: 'sign', scheme: 'ed25519', secretKey: kp.secretKey, message: enc.encode(`m${i}`) }));
  const want = runJobs(jobs);
  const answer = runTask({ batch: batchOf(jobs).share() });
  const whole = claimsOf(answer);
  assert.ok(whole.length > 1, 'claimed in several ranges');
  const back = new BatchResults(jobs.length);
  back.place(answer);
  assert.deepEqual(back.all(), want);
  assert.deepEqual(
    whole.map((c) => c.from),
    whole.reduce<number[]>((starts, c, k) => [...starts, k === 0 ? 0 : starts[k - 1]! + whole[k - 1]!.count], []),
    'one worker alone claims in order',
  );
});
