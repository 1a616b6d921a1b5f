/**
 * The resolver manifest: which `Type.field` has which resolver, read from the layout of
 * `resolvers/` (the aws-samples convention):
 * - `<Type>.<field>.ts`: a unit resolver over the `scores` data source;
 * - `<Type>.<field>.[<ds>].ts`: a unit resolver over data source `<ds>`;
 * - `<Type>.<field>/`: a pipeline resolver, `index.ts` its own request/response (the before and
 *   after steps) and `<n>.<name>.[<ds>].ts` its functions, run in the order of `<n>`;
 * - `lib/`: helpers, bundled into whatever imports them.
 * Anything else in `resolvers/` is an error naming the file: a misnamed file must not be
 * silently left out of the API.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

import { checkDataSources, DATA_SOURCES, type DataSourceCatalogue, DEFAULT_DATA_SOURCE } from './data-sources';

/** A data source's name, one of the catalogue's (data-sources.ts). */
export type DataSourceName = string;

export interface UnitResolverEntry {
  readonly kind: 'unit';
  readonly typeName: string;
  readonly fieldName: string;
  readonly dataSource: DataSourceName;
  readonly sourceFile: string;
}

export interface PipelineFunctionEntry {
  readonly order: number;
  readonly name: string;
  readonly dataSource: DataSourceName;
  readonly sourceFile: string;
}

export interface PipelineResolverEntry {
  readonly kind: 'pipeline';
  readonly typeName: string;
  readonly fieldName: string;
  /** `index.ts`: the resolver's own request and response handlers. */
  readonly sourceFile: string;
  /** In the order they run. */
  readonly functions: readonly PipelineFunctionEntry[];
}

export type ResolverEntry = UnitResolverEntry | PipelineResolverEntry;

export class ResolverLayoutError extends Error {
  override readonly name = 'ResolverLayoutError';
}

const FIELD = '([A-Z][A-Za-z0-9]*)\\.([A-Za-z_][A-Za-z0-9_]*)';
const UNIT_FILE = new RegExp(`^${FIELD}(?:\\.\\[([a-z][a-z0-9-]*)\\])?\\.ts$`);
const PIPELINE_DIR = new RegExp(`^${FIELD}$`);
const FUNCTION_FILE = /^(\d+)\.([A-Za-z][A-Za-z0-9_-]*)\.\[([a-z][a-z0-9-]*)\]\.ts$/;
const HELPERS_DIR = 'lib';

function dataSourceOf(name: string, file: string, catalogue: DataSourceCatalogue): DataSourceName {
  if (Object.hasOwn(catalogue, name)) return name;
  throw new ResolverLayoutError(
    `${file}: names the data source "${name}", which does not exist (known: ${Object.keys(catalogue).join(', ')})`,
  );
}

async function readPipeline(
  dir: string,
  typeName: string,
  fieldName: string,
  catalogue: DataSourceCatalogue,
): Promise<PipelineResolverEntry> {
  const names = (await readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
  if (!names.some((e) => e.isFile() && e.name === 'index.ts')) {
    throw new ResolverLayoutError(`${dir}: a pipeline resolver folder needs an index.ts (its request and response)`);
  }
  const functions: PipelineFunctionEntry[] = [];
  for (const entry of names) {
    if (entry.name === 'index.ts') continue;
    const file = path.join(dir, entry.name);
    const match = entry.isFile() ? FUNCTION_FILE.exec(entry.name) : null;
    if (!match) {
      throw new ResolverLayoutError(`${file}: not a pipeline function (expected <n>.<name>.[<data source>].ts)`);
    }
    functions.push({
      order: Number(match[1]),
      name: match[2] as string,
      dataSource: dataSourceOf(match[3] as string, file, catalogue),
      sourceFile: file,
    });
  }
  if (functions.length === 0) throw new ResolverLayoutError(`${dir}: a pipeline resolver needs at least one function`);
  functions.sort((a, b) => a.order - b.order);
  for (let i = 1; i < functions.length; i++) {
    const [previous, current] = [functions[i - 1], functions[i]] as [PipelineFunctionEntry, PipelineFunctionEntry];
    if (previous.order === current.order) {
      throw new ResolverLayoutError(
        `${current.sourceFile}: has the same order number as ${path.basename(previous.sourceFile)}`,
      );
    }
    if (previous.name === current.name) {
      throw new ResolverLayoutError(`${current.sourceFile}: a second function named ${current.name}`);
    }
  }
  return { kind: 'pipeline', typeName, fieldName, sourceFile: path.join(dir, 'index.ts'), functions };
}

/** The manifest of `dir`, sorted by `Type.field`; data source names are checked against `catalogue`. */
export async function readResolverManifest(
  dir: string,
  catalogue: DataSourceCatalogue = DATA_SOURCES,
): Promise<ResolverEntry[]> {
  checkDataSources(catalogue);
  const entries: ResolverEntry[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === HELPERS_DIR) continue;
    const file = path.join(dir, entry.name);
    const unit = entry.isFile() ? UNIT_FILE.exec(entry.name) : null;
    const pipeline = entry.isDirectory() ? PIPELINE_DIR.exec(entry.name) : null;
    if (unit) {
      entries.push({
        kind: 'unit',
        typeName: unit[1] as string,
        fieldName: unit[2] as string,
        dataSource: unit[3] ? dataSourceOf(unit[3], file, catalogue) : DEFAULT_DATA_SOURCE,
        sourceFile: file,
      });
    } else if (pipeline) {
      entries.push(await readPipeline(file, pipeline[1] as string, pipeline[2] as string, catalogue));
    } else {
      throw new ResolverLayoutError(
        `${file}: not a resolver (expected <Type>.<field>.ts, <Type>.<field>.[<data source>].ts or a <Type>.<field>/ pipeline folder; helpers go in ${HELPERS_DIR}/)`,
      );
    }
  }
  const seen = new Map<string, string>();
  for (const entry of entries) {
    const key = `${entry.typeName}.${entry.fieldName}`;
    const other = seen.get(key);
    if (other) throw new ResolverLayoutError(`${entry.sourceFile}: ${key} already has a resolver in ${other}`);
    seen.set(key, entry.sourceFile);
  }
  return entries.sort((a, b) => `${a.typeName}.${a.fieldName}`.localeCompare(`${b.typeName}.${b.fieldName}`));
}
