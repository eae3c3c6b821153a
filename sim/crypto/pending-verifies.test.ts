// Verifications waiting for their signature: each leaves with its signature's real bytes, in the order it was
// queued, and those still waiting keep theirs intact however many times the others are released around them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Job } from './jobs.ts';
import { PendingVerifies } from './pending-verifies.ts';
import { JobBatch } from './wire.ts';

type VerifyJob = Extract<Job, { kind: 'verify' }>;

const verifyJob = (i: number, messageLength: number): VerifyJob => ({
  kind: 'verify',
  scheme: i % 2 === 0 ? 'ed25519' : 'rsa-blind',
  blind: i % 2 === 1,
  publicKey: new Uint8Array(32).fill(i),
  message: new Uint8Array(messageLength).fill(i + 1),
  signature: new Uint8Array(i % 2 === 0 ? 64 : 256).fill(0xee), // a placeholder
});

test('pending verifications leave with their real signatures, in queue order, over any rounds of releases', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(200), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 40 }),
      (specs) => {
        const pending = new PendingVerifies();
        const jobs = specs.map(([length], i) => verifyJob(i, length));
        jobs.forEach((job, i) => pending.add(job, i % 3 !== 0, `verify ${i}`));
        // Job i's signature becomes real at round specs[i][1]: its bytes are then written over the placeholder.
        const real = (i: number) => new Uint8Array(jobs[i]!.signature.length).fill(i);
        const released: { batch: Job[]; moved: [boolean, string][] }[] = [];
        for (let round = 0; round <= 3; round++) {
          jobs.forEach((job, i) => specs[i]![1] === round && job.signature.set(real(i)));
          const batch = new JobBatch();
          batch.add(verifyJob(99, 1)); // a job added first comes after the released ones
          const moved: [boolean, string][] = [];
          pending.release((s) => s[0] !== 0xee, batch, (expect, what) => moved.push([expect, what]));
          released.push({ batch: batch.jobs(), moved });
        }
        assert.equal(pending.length, 0);
        for (let round = 0; round <= 3; round++) {
          const due = jobs.flatMap((job, i) => (specs[i]![1] === round ? [i] : []));
          assert.deepEqual(released[round]!.moved, due.map((i) => [i % 3 !== 0, `verify ${i}`]));
          assert.deepEqual(released[round]!.batch, [...due.map((i) => ({ ...jobs[i]!, signature: real(i) })), verifyJob(99, 1)]);
        }
      },
    ),
  );
});
