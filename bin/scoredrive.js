#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so a fresh clone needs no compile step before
// `scoredrive` works; tsx only transpiles (esbuild) and adds ~0.2 s to start-up.
import { register } from 'tsx/esm/api';

// The AWS SDK warns once per process that versions from 2027 on need Node 22; the lock file
// pins this one, so the warning tells a user nothing they can act on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
await import('../src/cli/main.ts');
