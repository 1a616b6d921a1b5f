#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so a fresh clone needs no compile step before
// `scoredrive` works; tsx only transpiles (esbuild) and adds ~0.2 s to start-up.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
