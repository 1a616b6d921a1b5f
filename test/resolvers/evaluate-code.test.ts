/**
 * The Query resolvers tested the way AWS documents testing resolvers: EvaluateCode on the
 * deployed bundle with a context, reading `evaluationResult`
 * (https://docs.aws.amazon.com/appsync/latest/devguide/test-resolvers.html), here offline.
 */
import { describe, expect, it } from 'vitest';
import { evaluateCode } from '../../src/evaluate/index';
import { dataAccessCode } from '../helpers/bundles';

const runtime = { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' };

async function evaluate(field: string, fn: 'request' | 'response', context: Record<string, unknown>) {
  const out = await evaluateCode({
    runtime,
    code: await dataAccessCode(field),
    context: JSON.stringify(context),
    function: fn,
  });
  return { ...out, result: out.evaluationResult === undefined ? undefined : JSON.parse(out.evaluationResult) };
}

const score = { driverId: 'D1', period: '2024-05', score: 81, band: 'B' };

describe('Query.score through EvaluateCode', () => {
  it('asks for one month with a GetItem', async () => {
    const { result } = await evaluate('Query.score', 'request', { arguments: { driverId: 'D1', period: '2024-05' } });
    expect(result).toEqual({ operation: 'GetItem', key: { driverId: { S: 'D1' }, period: { S: '2024-05' } } });
  });

  it('asks for the latest month with a newest-first Query of one item', async () => {
    const { result } = await evaluate('Query.score', 'request', { arguments: { driverId: 'D1' } });
    expect(result).toMatchObject({ operation: 'Query', scanIndexForward: false, limit: 1 });
  });

  it('answers the first item of the Query, or null when there is none', async () => {
    const found = await evaluate('Query.score', 'response', {
      arguments: { driverId: 'D1' },
      result: { items: [score] },
    });
    expect(found.result).toEqual(score);
    const none = await evaluate('Query.score', 'response', { arguments: { driverId: 'D1' }, result: { items: [] } });
    expect(none.result).toBeNull();
  });

  it('refuses a malformed driverId before any data-source call, without echoing it', async () => {
    const out = await evaluate('Query.score', 'request', { arguments: { driverId: 'RSS MRA;' } });
    expect(out.error?.message).toBe('Invalid driverId: expected 1-64 characters of A-Z, a-z, 0-9, _ or -');
    expect(out.evaluationResult).toBeUndefined();
  });

  it("raises the data source's error as a field error", async () => {
    const out = await evaluate('Query.score', 'response', {
      arguments: { driverId: 'D1', period: '2024-05' },
      error: { message: 'Throughput exceeded', type: 'DynamoDB:ProvisionedThroughputExceededException' },
      result: null,
    });
    expect(out.error?.message).toBe('Throughput exceeded');
  });
});

describe('Query.scores through EvaluateCode', () => {
  it('reads the table named by ctx.env and answers in the order asked', async () => {
    const context = {
      arguments: { driverIds: ['D1', 'D2', 'D1'], period: '2024-05' },
      env: { SCORES_TABLE: 'scoredrive-test-scores' },
      result: { data: { 'scoredrive-test-scores': [score, null] }, unprocessedKeys: { 'scoredrive-test-scores': [] } },
    };
    const request = await evaluate('Query.scores', 'request', context);
    expect(Object.keys(request.result.tables)).toEqual(['scoredrive-test-scores']);
    expect((await evaluate('Query.scores', 'response', context)).result).toEqual([score, null, score]);
  });
});
