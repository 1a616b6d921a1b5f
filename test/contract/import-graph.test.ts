/**
 * The contract room holds what the CDK app and the offline runtime share, and nothing else
 * joins them: read from every file's imports (TypeScript's own pre-processor, dynamic imports
 * included), infra/ imports nothing of src/ outside src/contract/, src/ imports nothing of
 * infra/, and the contract room imports neither side.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/contract/project-paths';

const CONTRACT = 'src/contract/';

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(PROJECT_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|js)$/.test(file))
    .map((file) => path.posix.join(dir, file.split(path.sep).join('/')));
}

/** Each relative import of `file`, as a project-relative path. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((imported) => imported.fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)));
}

type Edge = `${string} -> ${string}`;

function crossings(files: readonly string[], forbidden: (target: string) => boolean): Edge[] {
  return files.flatMap((file) =>
    importsOf(file)
      .filter(forbidden)
      .map((target): Edge => `${file} -> ${target}`),
  );
}

const infraFiles = sourceFiles('infra');
const srcFiles = sourceFiles('src');
const contractFiles = srcFiles.filter((file) => file.startsWith(CONTRACT));
const runtimeFiles = srcFiles.filter((file) => !file.startsWith(CONTRACT));

describe('the import graph between infra/, src/ and the contract room', () => {
  it('reads the files it judges (a walk that found nothing would pass anything)', () => {
    expect(infraFiles).toContain('infra/constructs/graphql-api.ts');
    expect(contractFiles).toContain('src/contract/resolver-manifest.ts');
    expect(runtimeFiles).toContain('src/server/app.ts');
    expect(importsOf('infra/constructs/graphql-api.ts')).toContain('src/contract/schema');
  });

  it('infra/ imports nothing of src/ outside src/contract/', () => {
    expect(crossings(infraFiles, (target) => target.startsWith('src/') && !target.startsWith(CONTRACT))).toEqual([]);
  });

  it('src/ imports nothing of infra/', () => {
    expect(crossings(srcFiles, (target) => target.startsWith('infra/'))).toEqual([]);
  });

  it('the contract room imports neither infra/ nor the rest of src/', () => {
    const outside = (target: string) =>
      target.startsWith('infra/') || (target.startsWith('src/') && !target.startsWith(CONTRACT));
    expect(crossings(contractFiles, outside)).toEqual([]);
  });
});
