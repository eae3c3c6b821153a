// One fuzz worker: builds its own corpus (deterministic, so every worker's is the same) and runs the targets
// the main thread hands it one at a time. Results do not depend on how targets are spread over workers.
import { parentPort, workerData } from 'node:worker_threads';
import { prepare, runTarget, type FuzzOptions } from './harness.ts';

const options = workerData as Omit<FuzzOptions, 'progress' | 'only' | 'clock'>;
const port = parentPort;
if (port === null) throw new Error('fuzz/worker.ts runs as a worker thread');
const fuzz = prepare();
port.on('message', (name: string | null) => {
  if (name === null) {
    fuzz.corpus.world.close();
    port.close();
    return;
  }
  const target = fuzz.targets.find((t) => t.name === name);
  if (target === undefined) throw new Error(`no fuzz target ${name}`);
  const stats = runTarget(fuzz, target, { ...options, clock: () => performance.now(), progress: (t, done) => port.postMessage({ progress: { target: t, done } }) });
  port.postMessage({ stats });
});
port.postMessage({ ready: true });
