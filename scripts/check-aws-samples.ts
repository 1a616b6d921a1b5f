/**
 * Runs the load-time checks on every resolver of a checkout of
 * aws-samples/aws-appsync-resolver-samples: AppSync deploys them all, so the deploy checks
 * must accept them all. (Their code is read from the checkout, never copied into this
 * repository.) Also says which ones use something the offline runtime does not implement.
 *
 *   git clone https://github.com/aws-samples/aws-appsync-resolver-samples /tmp/samples
 *   npx tsx scripts/check-aws-samples.ts /tmp/samples
 *
 * Exit code 1 when a sample is refused by a deploy check, 2 on bad usage.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { APPSYNC_BUNDLE_OPTIONS } from '../src/contract/resolver-bundles';
import { appSyncModules } from '../src/runtime/appsync-modules';
import { checkResolverCode } from '../src/runtime/code-check';
import { UnsupportedCodeError } from '../src/runtime/errors';
import { loadResolver, type ModuleTable } from '../src/runtime/sandbox';
import { SUBSCRIPTION_ONLY } from '../src/runtime/util/extensions';

const SKIPPED_DIRS = new Set(['node_modules', 'cdk.out', '.git', 'codegen', 'test']);

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) yield* sourceFiles(full);
    } else if (/\.(js|ts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      yield full;
    }
  }
}

/** A resolver or AppSync function: it exports a request and a response handler. */
const isHandlerFile = (text: string) =>
  /export\s+(function|const)\s+request\b/.test(text) ||
  /export\s*\{[^}]*\brequest\b/.test(text) ||
  /export\s*\{[^}]*\bas\s+response\b/.test(text);

/** What the offline server would refuse when loading the code (AWS accepting it). */
function offlineGaps(code: string, name: string, modules: ModuleTable, globals: Record<string, unknown>): string[] {
  try {
    loadResolver(code, name, { modules, globals, log: () => {}, refused: SUBSCRIPTION_ONLY, requiredExports: [] });
    return [];
  } catch (error) {
    if (error instanceof UnsupportedCodeError) return error.violations.map((v) => v.message);
    return [`loading failed: ${(error as Error).message.split('\n')[0]}`];
  }
}

async function main(): Promise<number> {
  const root = process.argv[2];
  if (!root) {
    console.error('usage: tsx scripts/check-aws-samples.ts <checkout of aws-samples/aws-appsync-resolver-samples>');
    return 2;
  }
  const { modules, globals } = appSyncModules(() => {
    throw new Error('not invoked');
  });
  const counts = { checked: 0, refused: 0, unbundled: 0, offlineGaps: 0 };
  for (const top of ['samples', 'examples']) {
    for await (const file of sourceFiles(path.join(root, top))) {
      const text = await readFile(file, 'utf8');
      if (!isHandlerFile(text)) continue;
      const name = path.relative(root, file);
      let code: string;
      try {
        const out = await build({
          ...APPSYNC_BUNDLE_OPTIONS,
          entryPoints: [file],
          outdir: path.join(root, '.bundles'),
        });
        code = out.outputFiles[0].text;
      } catch (error) {
        counts.unbundled += 1;
        console.log(`not bundled  ${name}: ${(error as Error).message.split('\n')[0]}`);
        continue;
      }
      counts.checked += 1;
      const refused = checkResolverCode(code, name);
      if (refused.length > 0) {
        counts.refused += 1;
        console.log(`REFUSED      ${name}`);
        for (const v of refused) console.log(`    ${v.file}:${v.line}:${v.column} ${v.rule}: ${v.message}`);
        continue;
      }
      const gaps = offlineGaps(code, name, modules, globals);
      if (gaps.length > 0) {
        counts.offlineGaps += 1;
        console.log(`loads on AWS ${name}; offline lacks: ${[...new Set(gaps)].join('; ')}`);
      } else {
        console.log(`accepted     ${name}`);
      }
    }
  }
  console.log(
    `\n${counts.checked} bundles checked: ${counts.checked - counts.refused} accepted by the deploy checks, ${counts.refused} refused; ` +
      `${counts.offlineGaps} of the accepted use something the offline runtime lacks; ${counts.unbundled} could not be bundled from the checkout`,
  );
  return counts.refused > 0 ? 1 : 0;
}

process.exitCode = await main();
