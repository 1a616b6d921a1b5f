/**
 * dynalite's parsed condition expressions, reused across requests (our patch, validations/index.js
 * parsedConditions): a reused parse must answer exactly as a fresh one. Each case sends the same
 * expression text several times with other values, names or types. The expected answers are
 * dynalite's own parser's: the test passes as well with the reuse switched off (conditionCacheKey
 * returning null), and fails when a reused parse forgets which names it used.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RawDynalite, startRawDynalite } from '../helpers/dynalite-raw';

let dynalite: RawDynalite;
const call: RawDynalite['call'] = (target, body) => dynalite.call(target, body);
const TABLE = 'expression-cache';

const item = (id: string, month: string, score: number, name: string) => ({
  id: { S: id },
  month: { S: month },
  score: { N: String(score) },
  name: { S: name },
});

beforeAll(async () => {
  dynalite = await startRawDynalite();
  await call('CreateTable', {
    TableName: TABLE,
    AttributeDefinitions: [
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'month', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'id', KeyType: 'HASH' },
      { AttributeName: 'month', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  const items = [
    item('a', '2026-09', 40, 'alpha'),
    item('a', '2026-10', 60, 'alpine'),
    item('b', '2026-09', 80, 'beta'),
    item('b', '2026-10', 90, 'bravo'),
  ];
  const put = await call('BatchWriteItem', {
    RequestItems: { [TABLE]: items.map((Item) => ({ PutRequest: { Item } })) },
  });
  expect(put.status).toBe(200);
});
afterAll(async () => dynalite.close());

const query = (id: string, extra: Record<string, unknown> = {}, values: Record<string, unknown> = {}) =>
  call('Query', {
    TableName: TABLE,
    KeyConditionExpression: '(#id = :id_eq)',
    ExpressionAttributeNames: { '#id': 'id', ...((extra.names as object) ?? {}) },
    ExpressionAttributeValues: { ':id_eq': { S: id }, ...values },
    ...(extra.filter ? { FilterExpression: extra.filter } : {}),
    ScanIndexForward: false,
  });

const months = (answer: { body: Record<string, unknown> }) =>
  (answer.body.Items as { id: { S: string }; month: { S: string } }[]).map((i) => `${i.id.S}/${i.month.S}`);

describe("dynalite's reused condition parses", () => {
  it('take each request’s own values: the same key condition for two partitions', async () => {
    for (const round of [1, 2]) {
      expect(months(await query('a')), `round ${round}`).toEqual(['a/2026-10', 'a/2026-09']);
      expect(months(await query('b')), `round ${round}`).toEqual(['b/2026-10', 'b/2026-09']);
      expect(months(await query('nobody')), `round ${round}`).toEqual([]);
    }
  });

  it('take each request’s own values in a filter', async () => {
    const filtered = (min: number) =>
      query('b', { filter: '#score > :min', names: { '#score': 'score' } }, { ':min': { N: String(min) } });
    expect(months(await filtered(85))).toEqual(['b/2026-10']);
    expect(months(await filtered(10))).toEqual(['b/2026-10', 'b/2026-09']);
    expect(months(await filtered(95))).toEqual([]);
  });

  it('check the types of each request’s values: begins_with on a number is refused after a string', async () => {
    const prefixed = (value: unknown) =>
      query('a', { filter: 'begins_with(#name, :p)', names: { '#name': 'name' } }, { ':p': value });
    expect(months(await prefixed({ S: 'alp' }))).toEqual(['a/2026-10', 'a/2026-09']);
    expect(months(await prefixed({ S: 'alpi' }))).toEqual(['a/2026-10']);
    expect(await prefixed({ N: '1' })).toEqual({
      status: 400,
      body: {
        __type: 'com.amazon.coral.validate#ValidationException',
        message:
          'Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
      },
    });
  });

  it('compare BETWEEN bounds every time, as their order depends on the values', async () => {
    const between = (lo: number, hi: number) =>
      query(
        'b',
        { filter: '#score BETWEEN :lo AND :hi', names: { '#score': 'score' } },
        {
          ':lo': { N: String(lo) },
          ':hi': { N: String(hi) },
        },
      );
    expect(months(await between(85, 95))).toEqual(['b/2026-10']);
    expect(await between(95, 85)).toEqual({
      status: 400,
      body: {
        __type: 'com.amazon.coral.validate#ValidationException',
        message:
          'Invalid FilterExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:95}, upper bound operand: AttributeValue: {N:85}',
      },
    });
  });

  it('refuse a value the expression names but the request lacks, after the same text succeeded', async () => {
    const filter = { filter: '#score > :min', names: { '#score': 'score' } };
    expect(months(await query('a', filter, { ':min': { N: '50' } }))).toEqual(['a/2026-10']);
    expect(await query('a', filter, { ':other': { N: '50' } })).toEqual({
      status: 400,
      body: {
        __type: 'com.amazon.coral.validate#ValidationException',
        message:
          'Invalid FilterExpression: An expression attribute value used in expression is not defined; attribute value: :min',
      },
    });
  });

  it('resolve the names of each request: the same text naming another attribute', async () => {
    const present = (attribute: string) => query('a', { filter: 'attribute_exists(#f)', names: { '#f': attribute } });
    expect(months(await present('name'))).toEqual(['a/2026-10', 'a/2026-09']);
    expect(months(await present('nothing'))).toEqual([]);
    expect(months(await present('score'))).toEqual(['a/2026-10', 'a/2026-09']);
  });

  it('answer right past the count it keeps (1,000): the first text again after 1,005 others', async () => {
    const filtered = (spaces: number, min: number) =>
      query(
        'b',
        { filter: `#score >${' '.repeat(spaces + 1)}:min`, names: { '#score': 'score' } },
        {
          ':min': { N: String(min) },
        },
      );
    expect(months(await filtered(0, 85))).toEqual(['b/2026-10']);
    for (let from = 1; from <= 1005; from += 67) {
      const answers = await Promise.all(Array.from({ length: 67 }, (_, i) => filtered(from + i, 10)));
      expect(answers.every((answer) => months(answer).length === 2)).toBe(true);
    }
    expect(months(await filtered(0, 10))).toEqual(['b/2026-10', 'b/2026-09']);
  });

  it('answer as well for names too long to keep, parsed every time', async () => {
    const long = 'x'.repeat(9000);
    const filtered = (min: number) =>
      query(
        'b',
        { filter: 'attribute_not_exists(#long) AND #score > :min', names: { '#long': long, '#score': 'score' } },
        { ':min': { N: String(min) } },
      );
    expect(months(await filtered(85))).toEqual(['b/2026-10']);
    expect(months(await filtered(10))).toEqual(['b/2026-10', 'b/2026-09']);
  });

  it('count the names a condition uses whatever an update expression before it used', async () => {
    const update = (updateExpression: string, max: number) =>
      call('UpdateItem', {
        TableName: TABLE,
        Key: { id: { S: 'a' }, month: { S: '2026-09' } },
        UpdateExpression: updateExpression,
        ConditionExpression: '#n < :max',
        ExpressionAttributeNames: { '#n': 'score', '#o': 'other' },
        ExpressionAttributeValues: { ':n': { N: '41' }, ':o': { N: '1' }, ':max': { N: String(max) } },
        ReturnValues: 'ALL_NEW',
      });
    // The first uses #n in the update as well; the second only in the condition.
    const first = await update('SET #n = :n, #o = :o', 100);
    expect(first.status).toBe(200);
    expect(first.body.Attributes).toMatchObject({ score: { N: '41' }, other: { N: '1' } });
    const second = await update('SET #o = :n + :o', 100);
    expect(second.status).toBe(200);
    expect(second.body.Attributes).toMatchObject({ score: { N: '41' }, other: { N: '42' } });
    // The same condition with a lower bound now fails on the stored value, not on the first request's.
    const refused = await update('SET #o = :n + :o', 41);
    expect(refused.status).toBe(400);
    expect(refused.body.__type).toBe('com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException');
  });
});
