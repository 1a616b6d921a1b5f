/** The real resolver bundles, built once per test file into a private folder. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { PROJECT_ROOT } from '../../src/contract/project-paths';
import { APPSYNC_BUNDLE_OPTIONS, buildResolverBundles, type ResolverBundle } from '../../src/contract/resolver-bundles';

let built: Promise<ResolverBundle[]> | undefined;

export function resolverBundles(): Promise<ResolverBundle[]> {
  built ??= mkdtemp(path.join(tmpdir(), 'scoredrive-bundles-')).then((outDir) => buildResolverBundles({ outDir }));
  return built;
}

/** The bundle resolving `Type.field`. */
export async function fieldBundle(field: string): Promise<ResolverBundle> {
  const bundle = (await resolverBundles()).find((b) => `${b.typeName}.${b.fieldName}` === field);
  if (!bundle) throw new Error(`no bundle for ${field}`);
  return bundle;
}

/**
 * The code that reads the table for `Type.field`: a unit resolver's own, or the one function
 * of its pipeline over the `scores` data source.
 */
export async function dataAccessCode(field: string): Promise<string> {
  const bundle = await fieldBundle(field);
  if (bundle.kind === 'unit') return bundle.code;
  const readers = bundle.functions.filter((f) => f.dataSource === 'scores');
  if (readers.length !== 1) throw new Error(`${field}: expected one function over scores, found ${readers.length}`);
  return (readers[0] as { code: string }).code;
}

/** Bundles test sources as src/contract/resolver-bundles.ts bundles resolvers; `file` is relative to the project. */
export async function bundleForTest(
  input: Pick<BuildOptions, 'entryPoints' | 'stdin'>,
): Promise<{ file: string; code: string }[]> {
  const out = await build({
    ...APPSYNC_BUNDLE_OPTIONS,
    ...input,
    outdir: path.join(PROJECT_ROOT, 'build/test-fixtures'),
  });
  return out.outputFiles.map((f) => ({ file: path.relative(PROJECT_ROOT, f.path), code: f.text }));
}
