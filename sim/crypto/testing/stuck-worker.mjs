// A worker that never finishes loading, for the test that a batch the main thread ran to the end alone does not wait
// for the workers (signature-work.test.ts): a worker still starting is the same thing, only shorter. The
// interval keeps the worker alive, so it stays stuck instead of exiting with an unsettled top-level await.
setInterval(() => {}, 60_000);
await new Promise(() => {});
export default function task() {
  throw new Error('stuck-worker: never reached');
}
