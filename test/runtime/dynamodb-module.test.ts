/**
 * The `@aws-appsync/utils/dynamodb` module: the request objects its helpers build, compared
 * with AWS's own answers for the same calls (AppSync EvaluateCode, APPSYNC_JS 1.0.0, as
 * recorded by localstack/appsync-utils), for the helpers documented at
 * https://docs.aws.amazon.com/appsync/latest/devguide/built-in-modules-js.html
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../helpers/runtime';

const ddb = (call: string) => evaluate(call, "import * as ddb from '@aws-appsync/utils/dynamodb';");

describe('get, put, remove, scan', () => {
  it('get({ key }) is a GetItem with a typed key', async () => {
    expect(await ddb('ddb.get({ key: { id: "id" } })')).toEqual({ operation: 'GetItem', key: { id: { S: 'id' } } });
  });

  it('put({ key, item }) types the item into attributeValues', async () => {
    expect(await ddb('ddb.put({ key: { id: "abc" }, item: { value: 10 } })')).toEqual({
      operation: 'PutItem',
      key: { id: { S: 'abc' } },
      attributeValues: { value: { N: 10 } },
    });
  });

  it('remove({ key }) is a DeleteItem', async () => {
    expect(await ddb('ddb.remove({ key: { id: "test" } })')).toEqual({
      operation: 'DeleteItem',
      key: { id: { S: 'test' } },
    });
  });

  it('scan passes limit and nextToken through', async () => {
    expect(await ddb('ddb.scan({ limit: 10, nextToken: "abc" })')).toEqual({
      operation: 'Scan',
      limit: 10,
      nextToken: 'abc',
    });
  });
});

describe('update with operations', () => {
  const updateOf = async (update: string) =>
    ((await ddb(`ddb.update({ key: { id: "test" }, update: ${update} })`)) as { update: unknown }).update;

  it('operations.add(10) sets the attribute', async () => {
    expect(await updateOf('{ age: ddb.operations.add(10) }')).toEqual({
      expression: 'SET #expName_1 = :expValue_1',
      expressionNames: { '#expName_1': 'age' },
      expressionValues: { ':expValue_1': { N: 10 } },
    });
  });

  it('append, prepend, increment, decrement, replace', async () => {
    expect(await updateOf('{ values: ddb.operations.append([1, 2, 3]) }')).toMatchObject({
      expression: 'SET #expName_1 = list_append(#expName_1, :expValue_1)',
      expressionValues: { ':expValue_1': { L: [{ N: 1 }, { N: 2 }, { N: 3 }] } },
    });
    expect(await updateOf('{ values: ddb.operations.prepend([1, 2, 3]) }')).toMatchObject({
      expression: 'SET #expName_1 = list_append(:expValue_1, #expName_1)',
    });
    expect(await updateOf('{ age: ddb.operations.increment(10) }')).toMatchObject({
      expression: 'SET #expName_1 = #expName_1 + :expValue_1',
      expressionValues: { ':expValue_1': { N: 10 } },
    });
    expect(await updateOf('{ age: ddb.operations.decrement(10) }')).toMatchObject({
      expression: 'SET #expName_1 = #expName_1 - :expValue_1',
    });
    expect(await updateOf('{ values: ddb.operations.replace({ a: 10 }) }')).toMatchObject({
      expression: 'SET #expName_1 = :expValue_1',
      expressionValues: { ':expValue_1': { M: { a: { N: 10 } } } },
    });
  });

  it('numbers SET clauses first, then REMOVE, and writes null as NULL', async () => {
    expect(await updateOf('{ gone: ddb.operations.remove(), name: "Toni", bio: null }')).toEqual({
      expression: 'SET #expName_1 = :expValue_1, #expName_2 = :expValue_2 REMOVE #expName_3',
      expressionNames: { '#expName_1': 'name', '#expName_2': 'bio', '#expName_3': 'gone' },
      expressionValues: { ':expValue_1': { S: 'Toni' }, ':expValue_2': { NULL: null } },
    });
  });
});

describe('query', () => {
  it('builds the key condition in the filter spelling, options passed through', async () => {
    expect(
      await ddb(
        'ddb.query({ query: { id: { eq: "x" }, createdAt: { beginsWith: "2024" } }, limit: 5, scanIndexForward: false })',
      ),
    ).toEqual({
      operation: 'Query',
      query: {
        expression: '(#id = :id_eq) AND (begins_with(#createdAt,:createdAt_beginsWith))',
        expressionNames: { '#id': 'id', '#createdAt': 'createdAt' },
        expressionValues: { ':id_eq': { S: 'x' }, ':createdAt_beginsWith': { S: '2024' } },
      },
      limit: 5,
      scanIndexForward: false,
    });
  });

  it('refuses operators DynamoDB does not allow in a key condition', async () => {
    await expect(ddb('ddb.query({ query: { id: { ne: "x" } } })')).rejects.toThrow(
      'operator ne is not allowed in a key condition',
    );
  });
});

describe('filters with and, or, not', () => {
  it('prefixes value placeholders with the group path so they never collide', async () => {
    const filter = (await ddb(
      'ddb.scan({ filter: { or: [{ score: { gt: 90 } }, { score: { lt: 10 } }], not: { band: { eq: "C" } } } })',
    )) as {
      filter: unknown;
    };
    expect(filter.filter).toEqual({
      expression: '((#score > :or_0_score_gt) OR (#score < :or_1_score_lt)) AND (NOT (#band = :not_band_eq))',
      expressionNames: { '#score': 'score', '#band': 'band' },
      expressionValues: { ':or_0_score_gt': { N: 90 }, ':or_1_score_lt': { N: 10 }, ':not_band_eq': { S: 'C' } },
    });
  });
});

describe('update with nested objects and list items (built-in-modules-js, "Operations")', () => {
  const updateOf = async (update: string) =>
    ((await ddb(`ddb.update({ key: { id: 1 }, update: ${update} })`)) as { update: unknown }).update;

  it('an operation inside a plain object updates that member only: info.address = …', async () => {
    // The guide's replace example: `info: { address: operations.replace({...}) }`.
    expect(await updateOf('{ info: { address: ddb.operations.replace({ city: "New York", zip: "10001" }) } }')).toEqual(
      {
        expression: 'SET #expName_1.#expName_2 = :expValue_1',
        expressionNames: { '#expName_1': 'info', '#expName_2': 'address' },
        expressionValues: { ':expValue_1': { M: { city: { S: 'New York' }, zip: { S: '10001' } } } },
      },
    );
  });

  it('a list of updateListItem operations replaces those elements: friendsIds[1], friendsIds[2]', async () => {
    // The guide's updateListItem example.
    expect(
      await updateOf(
        '{ friendsIds: [ddb.operations.updateListItem("102", 1), ddb.operations.updateListItem("112", 2)] }',
      ),
    ).toEqual({
      expression: 'SET #expName_1[1] = :expValue_1, #expName_1[2] = :expValue_2',
      expressionNames: { '#expName_1': 'friendsIds' },
      expressionValues: { ':expValue_1': { S: '102' }, ':expValue_2': { S: '112' } },
    });
  });

  it('never writes an operation object into the item as a map', async () => {
    const update = JSON.stringify(
      await updateOf('{ a: { b: { c: ddb.operations.increment(2), d: ddb.operations.remove() } } }'),
    );
    expect(update).not.toContain('OPERATION_');
    expect(JSON.parse(update)).toEqual({
      expression:
        'SET #expName_1.#expName_2.#expName_3 = #expName_1.#expName_2.#expName_3 + :expValue_1 REMOVE #expName_1.#expName_2.#expName_4',
      expressionNames: { '#expName_1': 'a', '#expName_2': 'b', '#expName_3': 'c', '#expName_4': 'd' },
      expressionValues: { ':expValue_1': { N: 2 } },
    });
  });

  it('a plain list is written whole, and an attribute name with a dot stays one name', async () => {
    expect(await updateOf('{ "a.b": [1, 2] }')).toEqual({
      expression: 'SET #expName_1 = :expValue_1',
      expressionNames: { '#expName_1': 'a.b' },
      expressionValues: { ':expValue_1': { L: [{ N: 1 }, { N: 2 }] } },
    });
  });

  it('refuses an update that changes nothing, and operations in a list other than updateListItem', async () => {
    await expect(ddb('ddb.update({ key: { id: 1 }, update: {} })')).rejects.toThrow(
      'update() needs at least one attribute to change',
    );
    await expect(ddb('ddb.update({ key: { id: 1 }, update: { l: [ddb.operations.increment(1)] } })')).rejects.toThrow(
      'not other operations',
    );
  });

  it('increment() and decrement() default to 1', async () => {
    expect(await ddb('ddb.operations.increment()')).toEqual({ type: 'OPERATION_INCREMENT', by: 1 });
    expect(await ddb('ddb.operations.decrement()')).toEqual({ type: 'OPERATION_DECREMENT', by: 1 });
  });
});

describe('update refuses what would write operation markers into the item', () => {
  it('a list mixing updateListItem operations and values', async () => {
    await expect(
      ddb("ddb.update({ key: { id: 1 }, update: { l: [ddb.operations.updateListItem('x', 1), 'plain'] } })"),
    ).rejects.toThrow('not both');
  });
});

describe('attribute names that are also names of object members', () => {
  it('put keeps attributes named constructor or __proto__, and leaves out only the key', async () => {
    const request = (await ddb(
      'ddb.put({ key: { id: \'a\' }, item: JSON.parse(\'{"id":"a","constructor":"c","__proto__":"p","toString":1}\') })',
    )) as { attributeValues: Record<string, unknown> };
    expect(Object.keys(request.attributeValues).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(request.attributeValues.constructor).toEqual({ S: 'c' });
  });
});
