/**
 * The Query resolvers as bundled for AppSync, run by the offline runtime over a recording data
 * source: argument checks happen before any data-source call, and requests and responses
 * have the shape the table needs.
 */
import { describe, expect, it } from 'vitest';
import { NoneDataSource } from '../../src/runtime/datasources/none';
import { Deferred } from '../../src/runtime/deferred';
import { ResolverRuntime } from '../../src/runtime/resolver-runtime';
import { fieldBundle } from '../helpers/bundles';
import { RecordingDataSource } from '../helpers/runtime';

async function resolverFor(field: 'score' | 'scoreHistory' | 'scores', source = new RecordingDataSource()) {
  const runtime = new ResolverRuntime({
    dataSource: source,
    dataSources: { none: new NoneDataSource() },
    env: { SCORES_TABLE: 'scores-table' },
  });
  runtime.loadBundles([await fieldBundle(`Query.${field}`)]);
  const call = (args: Record<string, unknown>) => runtime.resolve({ parentTypeName: 'Query', fieldName: field, args });
  return { call, source };
}

const item = (driverId: string, period: string) => ({ driverId, period, score: 80, band: 'B' });

/** A data source answering one page of D1 whose nextToken is sealed on first read, counting the seals. */
function pageWithDeferredToken(token: string) {
  const counts = { sealed: 0 };
  const nextToken = new Deferred(() => {
    counts.sealed += 1;
    return token;
  });
  const source = new RecordingDataSource().answer({
    result: { items: [item('D1', '2024-05')], nextToken, scannedCount: 1 },
  });
  return { source, counts };
}

describe('Query.score', () => {
  it.each([
    ['an empty id', { driverId: '' }, 'driverId'],
    ['a 65-character id', { driverId: 'A'.repeat(65) }, 'driverId'],
    ['spaces and punctuation', { driverId: 'RSS MRA;' }, 'driverId'],
    ['a 13th month', { driverId: 'D1', period: '2024-13' }, 'period'],
    ['a day in the period', { driverId: 'D1', period: '2024-05-01' }, 'period'],
  ])('refuses %s before calling the data source', async (_name, args, argument) => {
    const { call, source } = await resolverFor('score');
    const outcome = await call(args);
    expect(outcome.value).toBeNull();
    expect(outcome.errors[0]).toMatchObject({ errorType: 'ValidationError', errorInfo: { argument } });
    expect(source.requests).toHaveLength(0);
  });

  it('accepts every allowed character class and 64 characters', async () => {
    const { call, source } = await resolverFor(
      'score',
      new RecordingDataSource().answer({ result: { items: [], nextToken: null, scannedCount: 0 } }),
    );
    const outcome = await call({ driverId: `aZ09_-${'x'.repeat(58)}` });
    expect(outcome.errors).toEqual([]);
    expect(source.requests).toHaveLength(1);
  });

  it('reads the latest month with a newest-first Query limited to 1', async () => {
    const source = new RecordingDataSource().answer({
      result: { items: [item('D1', '2024-05')], nextToken: null, scannedCount: 1 },
    });
    const { call } = await resolverFor('score', source);
    expect((await call({ driverId: 'D1' })).value).toEqual(item('D1', '2024-05'));
    expect(source.requests[0]).toMatchObject({ operation: 'Query', scanIndexForward: false, limit: 1 });
    const query = source.requests[0].query as { expression: string; expressionValues: Record<string, unknown> };
    expect(Object.values(query.expressionValues)).toEqual([{ S: 'D1' }]);
  });

  it('answers without sealing the nextToken it never reads', async () => {
    const { source, counts } = pageWithDeferredToken('sealed');
    const { call } = await resolverFor('score', source);
    expect((await call({ driverId: 'D1' })).value).toEqual(item('D1', '2024-05'));
    expect(counts.sealed).toBe(0);
  });

  it('reads one month with a GetItem on (driverId, period)', async () => {
    const source = new RecordingDataSource().answer({ result: item('D1', '2024-02') });
    const { call } = await resolverFor('score', source);
    expect((await call({ driverId: 'D1', period: '2024-02' })).value).toEqual(item('D1', '2024-02'));
    expect(source.requests[0]).toEqual({
      operation: 'GetItem',
      key: { driverId: { S: 'D1' }, period: { S: '2024-02' } },
    });
  });

  it('answers null when the driver has no scores', async () => {
    const source = new RecordingDataSource().answer({ result: { items: [], nextToken: null, scannedCount: 0 } });
    const { call } = await resolverFor('score', source);
    expect(await call({ driverId: 'D1' })).toEqual({ value: null, errors: [] });
  });

  it('turns a data-source error into a field error of the same type', async () => {
    const source = new RecordingDataSource().answer({
      result: null,
      error: { message: 'Throughput exceeded', type: 'DynamoDB:ProvisionedThroughputExceededException' },
    });
    const { call } = await resolverFor('score', source);
    const outcome = await call({ driverId: 'D1' });
    expect(outcome.value).toBeNull();
    expect(outcome.errors[0]).toMatchObject({
      message: 'Throughput exceeded',
      errorType: 'DynamoDB:ProvisionedThroughputExceededException',
    });
  });
});

describe('Query.scoreHistory', () => {
  it('queries newest first with the page size and passes the token through', async () => {
    const source = new RecordingDataSource().answer({
      result: { items: [item('D1', '2024-05')], nextToken: 'next', scannedCount: 1 },
    });
    const { call } = await resolverFor('scoreHistory', source);
    const outcome = await call({ driverId: 'D1', from: '2024-01', to: '2024-06', limit: 5, nextToken: 'tok' });
    expect(outcome.value).toEqual({ items: [item('D1', '2024-05')], nextToken: 'next' });
    expect(source.requests[0]).toMatchObject({
      operation: 'Query',
      scanIndexForward: false,
      limit: 5,
      nextToken: 'tok',
    });
    const query = source.requests[0].query as { expression: string; expressionValues: Record<string, unknown> };
    expect(query.expression).toContain('BETWEEN');
    expect(Object.values(query.expressionValues)).toEqual([{ S: 'D1' }, { S: '2024-01' }, { S: '2024-06' }]);
  });

  it('answers the token a data source seals only when read, sealed once', async () => {
    const { source, counts } = pageWithDeferredToken('sealed-next');
    const { call } = await resolverFor('scoreHistory', source);
    expect((await call({ driverId: 'D1' })).value).toEqual({
      items: [item('D1', '2024-05')],
      nextToken: 'sealed-next',
    });
    expect(counts.sealed).toBe(1);
  });

  it.each([
    [{ from: '2024-03' }, '>=', [{ S: 'D1' }, { S: '2024-03' }]],
    [{ to: '2024-03' }, '<=', [{ S: 'D1' }, { S: '2024-03' }]],
    [{}, undefined, [{ S: 'D1' }]],
  ])('bounds the months with %o', async (range, operator, values) => {
    const source = new RecordingDataSource().answer({ result: { items: [], nextToken: null, scannedCount: 0 } });
    const { call } = await resolverFor('scoreHistory', source);
    await call({ driverId: 'D1', ...range });
    const query = source.requests[0].query as { expression: string; expressionValues: Record<string, unknown> };
    expect(Object.values(query.expressionValues)).toEqual(values);
    if (operator) expect(query.expression).toContain(`#period ${operator}`);
    else expect(query.expression).not.toContain('#period');
  });

  it('uses a page of 12 by default and null for the last page', async () => {
    const source = new RecordingDataSource().answer({ result: { items: [], nextToken: null, scannedCount: 0 } });
    const { call } = await resolverFor('scoreHistory', source);
    expect((await call({ driverId: 'D1' })).value).toEqual({ items: [], nextToken: null });
    expect(source.requests[0]).toMatchObject({ limit: 12 });
  });

  it.each([
    [{ driverId: 'D1', limit: 101 }, 'limit'],
    [{ driverId: 'D1', limit: 0 }, 'limit'],
    [{ driverId: 'D1', from: '2024-5' }, 'from'],
    [{ driverId: 'D1', to: 'soon' }, 'to'],
    [{ driverId: 'D1', from: '2024-06', to: '2024-01' }, 'from'],
  ])('refuses %o before calling the data source', async (args, argument) => {
    const { call, source } = await resolverFor('scoreHistory');
    const outcome = await call(args);
    expect(outcome.errors[0]).toMatchObject({ errorType: 'ValidationError', errorInfo: { argument } });
    expect(source.requests).toHaveLength(0);
  });
});

describe('Query.scores', () => {
  it('asks each distinct id once, on the table from ctx.env, and answers in the order asked', async () => {
    const source = new RecordingDataSource().answer({
      result: { data: { 'scores-table': [item('B', '2024-01'), null] }, unprocessedKeys: { 'scores-table': [] } },
    });
    const { call } = await resolverFor('scores', source);
    const outcome = await call({ driverIds: ['B', 'A', 'B'], period: '2024-01' });
    expect(outcome.value).toEqual([item('B', '2024-01'), null, item('B', '2024-01')]);
    expect(source.requests[0]).toEqual({
      operation: 'BatchGetItem',
      tables: {
        'scores-table': {
          keys: [
            { driverId: { S: 'B' }, period: { S: '2024-01' } },
            { driverId: { S: 'A' }, period: { S: '2024-01' } },
          ],
        },
      },
    });
  });

  it('reports unprocessed keys as an error instead of answering null for them', async () => {
    const source = new RecordingDataSource().answer({
      result: {
        data: { 'scores-table': [null] },
        unprocessedKeys: { 'scores-table': [{ driverId: 'A', period: '2024-01' }] },
      },
    });
    const { call } = await resolverFor('scores', source);
    const outcome = await call({ driverIds: ['A'], period: '2024-01' });
    expect(outcome.value).toBeNull();
    expect(outcome.errors[0].errorType).toBe('DynamoDB:ProvisionedThroughputExceededException');
  });

  it.each([
    [{ driverIds: [], period: '2024-01' }, 'driverIds'],
    [{ driverIds: Array.from({ length: 101 }, (_, i) => `D${i}`), period: '2024-01' }, 'driverIds'],
    [{ driverIds: ['ok', 'not ok'], period: '2024-01' }, 'driverIds'],
    [{ driverIds: ['ok'], period: '202401' }, 'period'],
  ])('refuses bad input before calling the data source (%#)', async (args, argument) => {
    const { call, source } = await resolverFor('scores');
    const outcome = await call(args);
    expect(outcome.errors[0]).toMatchObject({ errorType: 'ValidationError', errorInfo: { argument } });
    expect(source.requests).toHaveLength(0);
  });
});
