/**
 * What the GraphQL layer hands a resolver in ctx.info and ctx.request, checked through a probe
 * resolver on Query.score that returns its ctx inside a field.
 * https://docs.aws.amazon.com/appsync/latest/devguide/resolver-context-reference-js.html
 */
import { describe, expect, it } from 'vitest';
import { ResolverRuntime } from '../../src/runtime/resolver-runtime';
import { GraphQLService } from '../../src/server/graphql-service';
import { loadSchema } from '../../src/server/schema';
import { RecordingDataSource } from '../helpers/runtime';

const PROBE = `import { runtime } from '@aws-appsync/utils';
export function request(ctx) {
  return runtime.earlyReturn({
    driverId: 'D1', period: '2024-01', score: 1, band: 'A', kmDriven: 1, trips: 1, updatedAt: '2024-02-01T00:00:00Z',
    factors: { acceleration: 1, braking: 1, cornering: 1, speeding: 1, nightDriving: 1 },
    modelVersion: JSON.stringify({ info: ctx.info, headers: ctx.request.headers }),
  });
}
export function response(ctx) { return ctx.result; }`;
const UNUSED = 'export function request() { return {}; }\nexport function response() { return null; }';

async function probeService() {
  const runtime = new ResolverRuntime({ dataSource: new RecordingDataSource(), env: {} });
  runtime.load('Query', 'score', PROBE);
  runtime.load('Query', 'scoreHistory', UNUSED);
  runtime.load('Query', 'scores', UNUSED);
  return new GraphQLService(await loadSchema(), runtime);
}

describe('ctx.info and ctx.request through GraphQL', () => {
  it('lists the selection set with nested paths, fragments flattened, and passes variables and headers', async () => {
    const service = await probeService();
    const answer = await service.handle(
      {
        query: `query Q($id: ID!) { score(driverId: $id) { period factors { braking ...F } ... on Score { band } modelVersion __typename } }
                fragment F on ScoreFactors { speeding }`,
        variables: { id: 'D1' },
      },
      { headers: { 'x-custom': 'nadia', cookie: 'secret=1' } },
    );
    const seen = JSON.parse((answer.body.data as { score: { modelVersion: string } }).score.modelVersion);
    expect(seen.info).toEqual({
      fieldName: 'score',
      parentTypeName: 'Query',
      variables: { id: 'D1' },
      selectionSetList: ['period', 'factors', 'factors/braking', 'factors/speeding', 'band', 'modelVersion'],
      selectionSetGraphQL: expect.stringContaining('factors {'),
    });
    // AppSync does not expose the cookie header to resolvers.
    expect(seen.headers).toEqual({ 'x-custom': 'nadia' });
  });

  it('refuses to start when the resolvers and the schema disagree', async () => {
    const runtime = new ResolverRuntime({ dataSource: new RecordingDataSource(), env: {} });
    runtime.load('Query', 'score', UNUSED);
    runtime.load('Query', 'extra', UNUSED);
    const schema = await loadSchema();
    expect(() => new GraphQLService(schema, runtime)).toThrow(
      /schema field Query\.scoreHistory has no resolver[\s\S]*resolver Query\.extra matches no field of schema\/schema\.graphql/,
    );
  });
});
