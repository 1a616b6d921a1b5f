/**
 * A feature the offline runtime does not implement reaches the caller as an error naming it,
 * and the server logs its first use once, with the resolver's source file and line.
 */
import path from 'node:path';
import { Writable } from 'node:stream';
import { buildSchema } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/contract/project-paths';
import { ResolverRuntime } from '../../src/runtime/resolver-runtime';
import { GraphQLService } from '../../src/server/graphql-service';
import { logUnsupportedOnce } from '../../src/server/unsupported-features';
import { bundleForTest } from '../helpers/bundles';
import { RecordingDataSource } from '../helpers/runtime';

const FIXTURE = path.join(PROJECT_ROOT, 'test/fixtures/computed-util-resolver.ts');

async function bundle(): Promise<string> {
  return (await bundleForTest({ entryPoints: [FIXTURE] }))[0].code;
}

describe('an unsupported feature used at run time', () => {
  it('answers a field error naming it and logs the first use with the TypeScript file and line', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    });
    const runtime = new ResolverRuntime({
      dataSource: new RecordingDataSource(),
      env: {},
      onUnsupported: logUnsupportedOnce(pino(sink)),
    });
    runtime.load('Query', 'probe', await bundle(), 'build/test-fixtures/computed-util-resolver.js');
    const service = new GraphQLService(buildSchema('type Query { probe(kind: String): String }'), runtime);

    for (const _ of [1, 2]) {
      const answer = await service.handle({ query: '{ probe(kind: "sql") }' }, { headers: {} });
      expect(answer.body).toEqual({
        data: { probe: null },
        errors: [
          expect.objectContaining({
            path: ['probe'],
            errorType: 'Unsupported',
            message: 'unsupported in the offline runtime: util.rds (only the DynamoDB data source is emulated)',
          }),
        ],
      });
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 40,
      resolver: 'Query.probe',
      feature: 'unsupported in the offline runtime: util.rds (only the DynamoDB data source is emulated)',
      file: expect.stringMatching(/test\/fixtures\/computed-util-resolver\.ts$/),
      line: 7,
    });
  });
});
