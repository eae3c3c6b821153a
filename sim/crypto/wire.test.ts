// The wire format of signature work: what a worker unpacks is what the main thread packed, and a batch packed
// job by job as it is queued cuts into the tasks packJobs would make.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keySuite } from '../../protocol/suite.ts';
import { runJobs, type Job } from './jobs.ts';
import { JobBatch, packJobs, packResults, unpackJobs, unpackResults } from './wire.ts';

const enc = new TextEncoder();
const real = keySuite({ ra: 'ed25519', issuer: 'ed25519', bank: 'rsa-blind', card: 'ed25519' });

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
  assert.deepEqual(unpackJobs(packJobs(jobs)), jobs);
  const results = runJobs(jobs);
  assert.deepEqual(results[4], { ok: true, outputs: [kp.publicKey, kp.secretKey] }, 'keygen: the key pair the scheme makes');
  assert.equal(results[5]!.ok, false, 'a seed the scheme refuses is a failed job');
  assert.equal(results[1]!.ok && results[1]!.valid, false);
  assert.equal(results[2]!.ok, false, 'a malformed RSA key is a failed job, not a thrown error');
  assert.deepEqual(unpackResults(packResults(results)), results);
  const packed = packJobs(jobs);
  assert.throws(() => unpackJobs(packed.subarray(0, packed.length - 1)), /runs past the end/, 'a cut-off task is refused, not read short');
});

test('a batch cuts into contiguous tasks of about equal weight, each what packJobs gives for its jobs', () => {
  // Signs weigh 0.5 and verifications 1 (jobWeight): four signs, then two verifications, then four signs.
  const sign = (i: number): Job => ({ kind: 'sign', scheme: 'ed25519', secretKey: new Uint8Array([i]), message: enc.encode(`m${i}`) });
  const verify = (i: number): Job => ({ kind: 'verify', scheme: 'ed25519', blind: false, publicKey: new Uint8Array([i]), message: new Uint8Array(0), signature: new Uint8Array(2) });
  const jobs = [0, 1, 2, 3].map(sign).concat([verify(4), verify(5)], [6, 7, 8, 9].map(sign));
  const batch = new JobBatch();
  for (const job of jobs) batch.add(job);
  assert.equal(batch.length, 10);
  const cuts = batch.cuts(3);
  assert.deepEqual(cuts, [
    [0, 4],
    [4, 6],
    [6, 10],
  ]);
  for (const [from, to] of cuts) assert.deepEqual(batch.task(from, to), packJobs(jobs.slice(from, to)));
  assert.deepEqual(batch.cuts(1), [[0, 10]]);
  // More parts than jobs: each part at least one job, together every job once, in order.
  const many = batch.cuts(20);
  assert.deepEqual(many.flatMap(([from, to]) => Array.from({ length: to - from }, (_, k) => from + k)), [...jobs.keys()]);
  assert.ok(many.every(([from, to]) => to > from));
  assert.deepEqual(batch.jobs(), jobs);
  // Cleared, it is refilled from empty; tasks made before are copies, untouched.
  const before = batch.task(0, 2);
  batch.clear();
  assert.equal(batch.length, 0);
  assert.deepEqual(batch.cuts(4), []);
  batch.add(jobs[9]!);
  assert.deepEqual(batch.jobs(), [jobs[9]]);
  assert.deepEqual(before, packJobs(jobs.slice(0, 2)));
});
