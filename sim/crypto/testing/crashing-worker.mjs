// A worker whose every task kills it, for the test of a pool that never answers (signature-work.test.ts).
export default function task() {
  process.exit(70);
}
