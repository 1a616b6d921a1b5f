/** The real resolver bundles, built once per test file into a private folder. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildResolverBundles, type ResolverBundle } from '../../src/build/resolver-bundles';

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
