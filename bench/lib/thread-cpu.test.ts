import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitCpu, threadTimes } from './thread-cpu.ts';

test('CPU between two readings splits into the main thread, threads started since, and threads there before', () => {
  const helper = process.pid + 1;
  const worker = process.pid + 2;
  const before = new Map([
    [process.pid, 1.0],
    [helper, 0.5],
  ]);
  const after = new Map([
    [process.pid, 3.5],
    [helper, 0.75],
    [worker, 4.0],
  ]);
  assert.deepEqual(splitCpu(before, after), { main: 2.5, started: 4.0, helpers: 0.25, total: 6.75 });
});

test('on Linux, the main thread is among the threads read, and its CPU time grows with work', { skip: process.platform !== 'linux' }, () => {
  const first = threadTimes()!;
  assert.ok(first.has(process.pid), 'the main thread is listed under the process id');
  let x = 0;
  const until = process.cpuUsage().user + 150_000; // 0.15 s of CPU: more than one 10 ms clock tick
  while (process.cpuUsage().user < until) x += Math.sqrt(x + 1);
  const second = threadTimes()!;
  assert.ok(second.get(process.pid)! > first.get(process.pid)!, `main thread CPU grew (${x > 0})`);
});
