/**
 * Builds the APPSYNC_JS resolver bundles: the one artifact both CDK deploys and the offline
 * runtime executes. Bundled exactly as AWS documents for JavaScript resolvers: esbuild, ESM,
 * `@aws-appsync/*` left external, an inline source map without sources.
 * https://docs.aws.amazon.com/appsync/latest/devguide/additional-utilities.html#working-with-typescript
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { MAX_RESOLVER_CODE_CHARACTERS, resolverCodeCharacters } from './code-size';
import { DATA_SOURCES, type DataSourceCatalogue } from './data-sources';
import { BUNDLES_DIR, RESOLVERS_DIR } from './project-paths';
import { type DataSourceName, readResolverManifest } from './resolver-manifest';

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

/** One bundled piece of code: a resolver's own, or a pipeline function's. */
export interface CodeBundle {
  /** Path of the TypeScript source. */
  readonly sourceFile: string;
  /** Path of the bundle on disk (what CDK uploads). */
  readonly bundleFile: string;
  readonly code: string;
}

export interface FunctionBundle extends CodeBundle {
  readonly name: string;
  readonly order: number;
  readonly dataSource: DataSourceName;
}

/** One resolver bundle, named after the schema field it resolves (resolver-manifest.ts). */
export interface ResolverBundle extends CodeBundle {
  readonly typeName: string;
  readonly fieldName: string;
  readonly kind: 'unit' | 'pipeline';
  /** A unit resolver's data source (a pipeline's functions name their own). */
  readonly dataSource?: DataSourceName;
  /** A pipeline's functions, in the order they run; empty for a unit resolver. */
  readonly functions: readonly FunctionBundle[];
}

/** The unit resolvers' TypeScript sources (helpers in `resolvers/lib/` are bundled in). */
export async function listResolverSources(
  dir = RESOLVERS_DIR,
  catalogue: DataSourceCatalogue = DATA_SOURCES,
): Promise<string[]> {
  return (await readResolverManifest(dir, catalogue)).flatMap((entry) =>
    entry.kind === 'unit' ? [entry.sourceFile] : [entry.sourceFile, ...entry.functions.map((f) => f.sourceFile)],
  );
}

/**
 * Bundles every resolver and pipeline function of the manifest into `outDir` (the layout of
 * `resolvers/` kept) and returns the bundles. Fails when a bundle exceeds AppSync's code size
 * limit (32,768 characters), naming the file, and on a layout error (resolver-manifest.ts).
 */
export async function buildResolverBundles(
  options: { sourceDir?: string; outDir?: string; dataSources?: DataSourceCatalogue } = {},
): Promise<ResolverBundle[]> {
  const sourceDir = path.resolve(options.sourceDir ?? RESOLVERS_DIR);
  const outDir = path.resolve(options.outDir ?? BUNDLES_DIR);
  const catalogue = options.dataSources ?? DATA_SOURCES;
  const manifest = await readResolverManifest(sourceDir, catalogue);
  if (manifest.length === 0) {
    throw new Error(`no resolvers found in ${sourceDir} (expected files named <Type>.<field>.ts)`);
  }
  const sources = await listResolverSources(sourceDir, catalogue);
  const result = await build({
    ...APPSYNC_BUNDLE_OPTIONS,
    entryPoints: sources,
    outdir: outDir,
    outbase: sourceDir,
  });
  const bundled = (sourceFile: string): CodeBundle => {
    const bundleFile = path.join(outDir, path.relative(sourceDir, sourceFile)).replace(/\.ts$/, '.js');
    const output = result.outputFiles.find((file) => file.path === bundleFile);
    if (!output) throw new Error(`esbuild produced no bundle for ${sourceFile}`);
    return { sourceFile, bundleFile, code: output.text };
  };
  const bundles = manifest.map(
    (entry): ResolverBundle => ({
      typeName: entry.typeName,
      fieldName: entry.fieldName,
      kind: entry.kind,
      ...bundled(entry.sourceFile),
      ...(entry.kind === 'unit' ? { dataSource: entry.dataSource } : {}),
      functions:
        entry.kind === 'pipeline'
          ? entry.functions.map((f) => ({
              name: f.name,
              order: f.order,
              dataSource: f.dataSource,
              ...bundled(f.sourceFile),
            }))
          : [],
    }),
  );
  const all = bundles.flatMap((bundle): CodeBundle[] => [bundle, ...bundle.functions]);
  // Written with a rename, so a server starting at the same moment never reads half a file.
  await Promise.all(all.map((bundle) => writeAtomically(bundle.bundleFile, bundle.code)));
  const oversized = all.filter((bundle) => resolverCodeCharacters(bundle.code) > MAX_RESOLVER_CODE_CHARACTERS);
  if (oversized.length > 0) {
    const list = oversized.map((b) => `${b.bundleFile} (${resolverCodeCharacters(b.code)} characters)`).join(', ');
    throw new Error(`resolver bundle over AppSync's ${MAX_RESOLVER_CODE_CHARACTERS}-character limit: ${list}`);
  }
  return bundles;
}

async function writeAtomically(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, file);
}
