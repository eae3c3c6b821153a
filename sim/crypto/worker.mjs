// The worker threads' entry point. The simulator is TypeScript run through tsx's module hooks, which a worker
// thread does not inherit when the CLI registered them in code (sim/cli/bin.mjs), so each worker registers its own.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
const { default: task } = await import('./worker-task.ts');
export default task;
