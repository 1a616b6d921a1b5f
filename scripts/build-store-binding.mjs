// Builds classic-level's native binding (LevelDB, under dynalite) from its patched source
// (patches/classic-level+3.0.0.patch) in place of the prebuilt binary, which lacks the
// synchronous iterator read the store's worker thread uses (iterator.nextvSync()). Measured on
// the 2-core machine: a Query's read through libuv's thread pool costs ~73 µs of CPU, on the
// store's thread ~8 µs (see README, Performance).
//
// Run by `npm install` / `npm ci` after patch-package (postinstall), or `npm run build:store-binding`.
// The build takes ~20 s and needs what node-gyp needs (python3, make, a C++ compiler, Node's
// headers). If it fails, the prebuilt binary stays, the store reads through the thread pool,
// this script says so, and so does `scoredrive serve` when it starts.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const packageDir = path.join(root, 'node_modules', 'classic-level');
const built = path.join(packageDir, 'build', 'Release', 'classic_level.node');
const source = path.join(packageDir, 'binding.cc');
const SYNC_READ = 'iterator_nextv_sync';

const warn = (message) => console.warn(`scoredrive: ${message}`);

if (!readFileSync(source, 'utf8').includes(SYNC_READ)) {
  // patch-package did not patch it (it says why itself): building would only copy the prebuilt.
  warn(`classic-level's source is not patched (${SYNC_READ} missing); the store reads through libuv's thread pool`);
  process.exit(0);
}
if (existsSync(built) && statSync(built).mtimeMs >= statSync(source).mtimeMs && hasSyncRead()) {
  process.exit(0); // built from this source already (a second `npm install`)
}

// npm gives its own node-gyp to install scripts; outside npm, the one on the PATH.
const nodeGyp = process.env.npm_config_node_gyp;
const [command, args] = nodeGyp ? [process.execPath, [nodeGyp]] : ['node-gyp', []];
const started = Date.now();
const build = spawnSync(command, [...args, 'rebuild', '-j', String(os.availableParallelism())], {
  cwd: packageDir,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
});
if (build.status !== 0 || !hasSyncRead()) {
  const output = `${build.stdout ?? ''}${build.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
  // A half-built binding must not shadow the prebuilt one (node-gyp-build prefers build/).
  rmSync(path.join(packageDir, 'build'), { recursive: true, force: true });
  warn(
    `building classic-level from its patched source failed (${build.error?.message ?? `exit code ${build.status}`}); ` +
      `the prebuilt binary stays and the store reads through libuv's thread pool, which costs more CPU per query.\n${output}`,
  );
  process.exit(0);
}
console.log(
  `scoredrive: classic-level built from its patched source in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);

/** Whether the binding node-gyp-build loads (build/ before prebuilds/) has the synchronous read. */
function hasSyncRead() {
  const probe = spawnSync(
    process.execPath,
    ['-e', `process.stdout.write(typeof require('./binding.js').${SYNC_READ})`],
    { cwd: packageDir, encoding: 'utf8' },
  );
  return probe.stdout === 'function';
}
