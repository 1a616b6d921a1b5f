/**
 * Where the expected answers of the conformance suite come from. Every case names one of
 * these: an output AWS recorded (EvaluateCode), an example AWS printed with its output, or a
 * test case AWS wrote for its own eslint plugin. Our reading of a sentence is never a source.
 */

/** A file of a public repository at a commit. */
export interface RepositorySource {
  readonly kind: 'repository';
  readonly repo: string;
  readonly path: string;
  readonly commit: string;
  /** The entry inside the file (snapshot name, test title). */
  readonly entry?: string;
}

/** A page of AWS documentation, and the section holding the example. */
export interface DocumentationSource {
  readonly kind: 'documentation';
  readonly url: string;
  readonly section: string;
}

/** A test case of an npm package AWS publishes (read from node_modules at the pinned version). */
export interface PackageSource {
  readonly kind: 'package';
  readonly name: string;
  readonly version: string;
  readonly file: string;
}

export type Source = RepositorySource | DocumentationSource | PackageSource;

/** localstack/appsync-utils records AWS's EvaluateCode answers as Jest snapshots (`npm run test:aws`). */
export const LOCALSTACK_COMMIT = '8f8ef7f0279e1378d0f785030620bf8428c1c62b';

export function localstackSnapshot(entry: string, file = 'index.test.js.snap'): RepositorySource {
  return {
    kind: 'repository',
    repo: 'localstack/appsync-utils',
    path: `__tests__/__snapshots__/${file}`,
    commit: LOCALSTACK_COMMIT,
    entry,
  };
}

export const DEVGUIDE = 'https://docs.aws.amazon.com/appsync/latest/devguide';

export function devguide(page: string, section: string): DocumentationSource {
  return { kind: 'documentation', url: `${DEVGUIDE}/${page}.html`, section };
}

/** A one-line citation for test titles. */
export function cite(source: Source): string {
  switch (source.kind) {
    case 'repository':
      return `${source.repo}@${source.commit.slice(0, 7)}:${source.path}${source.entry ? ` «${source.entry}»` : ''}`;
    case 'documentation':
      return `${source.url} «${source.section}»`;
    case 'package':
      return `${source.name}@${source.version}:${source.file}`;
  }
}
