/**
 * Builds the APPSYNC_JS resolver bundles: the one artifact both CDK deploys and the offline
 * runtime executes. Bundled exactly as AWS documents for JavaScript resolvers: esbuild, ESM,
 * `@aws-appsync/*` left external, an inline source map without sources.
 * https://docs.aws.amazon.com/appsync/latest/devguide/additional-utilities.html#working-with-typescript
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { MAX_RESOLVER_CODE_CHARACTERS, resolverCodeCharacters } from '../runtime/code-check/code-size';

/**
 * esbuild as AWS documents it for APPSYNC_JS: one ESM bundle per resolver, `@aws-appsync/*`
 * left external (AppSync provides them), an inline source map without sources content.
 */
export const APPSYNC_BUNDLE_OPTIONS = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'esnext',
  sourcemap: 'inline',
  sourcesContent: false,
  external: ['@aws-appsync/*'],
  logLevel: 'silent',
  write: false,
} as const satisfies BuildOptions;

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESOLVERS_DIR = path.join(PROJECT_ROOT, 'resolvers');
export const BUNDLES_DIR = path.join(PROJECT_ROOT, 'build', 'resolvers');

/** One resolver bundle, named after the schema field it resolves. */
export interface ResolverBundle {
  readonly typeName: string;
  readonly fieldName: string;
  /** Path of the TypeScript source. */
  readonly sourceFile: string;
  /** Path of the bundle on disk (what CDK uploads). */
  readonly bundleFile: string;
  readonly code: string;
}

const RESOLVER_FILE = /^([A-Z][A-Za-z0-9]*)\.([A-Za-z_][A-Za-z0-9_]*)\.ts$/;

/** Lists `resolvers/<Type>.<field>.ts`; helpers live in `resolvers/lib/` and are bundled in. */
export async function listResolverSources(dir = RESOLVERS_DIR): Promise<string[]> {
  const names = await readdir(dir);
  return names.filter((name) => RESOLVER_FILE.test(name)).map((name) => path.join(dir, name));
}

/**
 * Bundles every resolver into `outDir` and returns the bundles. Fails when a bundle exceeds
 * AppSync's code size limit (32,768 characters), naming the file.
 */
export async function buildResolverBundles(
  options: { sourceDir?: string; outDir?: string } = {},
): Promise<ResolverBundle[]> {
  const sourceDir = options.sourceDir ?? RESOLVERS_DIR;
  const outDir = path.resolve(options.outDir ?? BUNDLES_DIR);
  const sources = await listResolverSources(sourceDir);
  if (sources.length === 0) {
    throw new Error(`no resolvers found in ${sourceDir} (expected files named <Type>.<field>.ts)`);
  }
  const result = await build({
    ...APPSYNC_BUNDLE_OPTIONS,
    entryPoints: sources,
    outdir: outDir,
  });
  await mkdir(outDir, { recursive: true });
  const bundles = await Promise.all(
    sources.map((source) => {
      const bundle = describeBundle(source, outDir);
      const output = result.outputFiles.find((file) => file.path === bundle.bundleFile);
      if (!output) throw new Error(`esbuild produced no bundle for ${source}`);
      return { ...bundle, code: output.text };
    }),
  );
  // Written with a rename, so a server starting at the same moment never reads half a file.
  await Promise.all(bundles.map((bundle) => writeAtomically(bundle.bundleFile, bundle.code)));
  const oversized = bundles.filter((bundle) => resolverCodeCharacters(bundle.code) > MAX_RESOLVER_CODE_CHARACTERS);
  if (oversized.length > 0) {
    const list = oversized.map((b) => `${b.bundleFile} (${resolverCodeCharacters(b.code)} characters)`).join(', ');
    throw new Error(`resolver bundle over AppSync's ${MAX_RESOLVER_CODE_CHARACTERS}-character limit: ${list}`);
  }
  return bundles;
}

function describeBundle(sourceFile: string, outDir: string): Omit<ResolverBundle, 'code'> {
  const base = path.basename(sourceFile);
  const match = RESOLVER_FILE.exec(base);
  if (!match) {
    throw new Error(`not a resolver file name: ${base}`);
  }
  return {
    typeName: match[1],
    fieldName: match[2],
    sourceFile,
    bundleFile: path.join(outDir, base.replace(/\.ts$/, '.js')),
  };
}

async function writeAtomically(file: string, content: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, file);
}
