// A thread of bench/lib/raw-rate.ts's rawRates: times one operation per message. Registers tsx itself, since a
// worker thread does not inherit module hooks registered in code (as sim/crypto/worker.mjs does).
import { parentPort } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
const { secondsPerCall, splitOperation } = await import('./raw-rate.ts');
parentPort.postMessage({ ready: true });
parentPort.on('message', ({ operation, minSeconds }) => {
  try {
    const [scheme, op] = splitOperation(operation);
    parentPort.postMessage({ seconds: secondsPerCall(scheme, op, minSeconds) });
  } catch (e) {
    parentPort.postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
});
