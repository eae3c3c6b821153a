// The size reader's thread entry point: like sim/crypto/worker.mjs, it registers tsx's hooks itself, since a
// worker thread does not inherit hooks the CLI registered in code. A failure to start is reported the way the
// reader reports one, so the main thread stops instead of waiting.
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

try {
  register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
  const { startReader } = await import('./size-reader-thread.ts');
  const read = startReader(workerData);
  parentPort.on('message', (ticket) => read(ticket));
} catch (e) {
  workerData.port.postMessage({ ticket: 0, error: `could not start: ${e instanceof Error ? e.message : String(e)}` });
  const flags = new Int32Array(workerData.flags);
  for (const slot of [0, 1]) {
    Atomics.store(flags, slot, -1);
    Atomics.notify(flags, slot);
  }
}
