#!/usr/bin/env node
// The `ecashsim` executable (package.json "bin"). The CLI is TypeScript, so it is loaded through tsx's module
// hooks; pointing tsx at this project's tsconfig lets the command run from any working directory.

import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
