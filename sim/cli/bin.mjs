#!/usr/bin/env -S node --initial-old-space-size=256
// The `ecashsim` executable (package.json "bin"). The CLI is TypeScript, so it is loaded through tsx's module
// hooks; pointing tsx at this project's tsconfig lets the command run from any working directory.
//
// The shebang starts V8 with a 256 MiB old generation (package.json's scripts pass the same flag). V8's default
// starts small and grows a step per full collection, and a run promotes several times its live heap (records
// and jobs that live a few simulated hours): the sim benchmark's 2-thread run made ten full collections, and
// none with this flag, and V8's helper threads, which share the two cores with the signature work, took 0.7
// CPU-seconds instead of 1.1 (README, "Speed and scale"). A starting size, not a limit: a national run
// outgrows it early and V8 sizes its heap as before. NODE_OPTIONS refuses this flag, hence the shebang.

import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
