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

export async function bundleCode(field: string): Promise<string> {
  const bundle = (await resolverBundles()).find((b) => `${b.typeName}.${b.fieldName}` === field);
  if (!bundle) throw new Error(`no bundle for ${field}`);
  return bundle.code;
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
