/**
 * AWS's EvaluateCode answers for `util.*`, `util.transform.*` and the
 * `@aws-appsync/utils/dynamodb` helpers, as localstack/appsync-utils recorded them against
 * AWS (`__tests__/index.test.js` wraps each expression as `return <expression>` in a request
 * handler; `__tests__/__snapshots__/index.test.js.snap` holds the answers). Jest prints
 * snapshot keys sorted, so key order is not compared; values are.
 */
import { describe, expect, it } from 'vitest';
import { evaluateExpression } from './run';
import { cite, localstackSnapshot } from './sources';

interface RecordedCase {
  readonly entry: string;
  readonly expression: string;
  readonly expected: unknown;
}

const ddbItem = (update: Record<string, unknown>) => ({
  key: { id: { S: 'test' } },
  operation: 'UpdateItem',
  update,
});

const CASES: RecordedCase[] = [
  {
    entry: 'dynamodb helpers toDynamoDB string 1',
    expression: 'util.dynamodb.toDynamoDB("test")',
    expected: { S: 'test' },
  },
  {
    entry: 'dynamodb helpers toDynamoDB number 1',
    expression: 'util.dynamodb.toDynamoDB(12345)',
    expected: { N: 12345 },
  },
  {
    entry: 'dynamodb helpers toDynamoDB boolean 1',
    expression: 'util.dynamodb.toDynamoDB(true)',
    expected: { BOOL: true },
  },
  { entry: 'dynamodb helpers toString 1', expression: 'util.dynamodb.toString("test")', expected: { S: 'test' } },
  {
    entry: 'dynamodb helpers toStringSet 1',
    expression: 'util.dynamodb.toStringSet(["foo", "bar", "baz"])',
    expected: { SS: ['foo', 'bar', 'baz'] },
  },
  { entry: 'dynamodb helpers toNumber 1', expression: 'util.dynamodb.toNumber(12345)', expected: { N: 12345 } },
  {
    entry: 'dynamodb helpers toNumberSet 1',
    expression: 'util.dynamodb.toNumberSet([1, 23, 4.56])',
    expected: { NS: [1, 23, 4.56] },
  },
  { entry: 'dynamodb helpers toBinary 1', expression: 'util.dynamodb.toBinary("foo")', expected: { B: 'foo' } },
  {
    entry: 'dynamodb helpers toBinarySet 1',
    expression: 'util.dynamodb.toBinarySet(["foo", "bar", "baz"])',
    expected: { BS: ['foo', 'bar', 'baz'] },
  },
  { entry: 'dynamodb helpers toBoolean 1', expression: 'util.dynamodb.toBoolean(true)', expected: { BOOL: true } },
  { entry: 'dynamodb helpers toNull 1', expression: 'util.dynamodb.toNull()', expected: { NULL: null } },
  {
    entry: 'dynamodb helpers toList 1',
    expression: 'util.dynamodb.toList(["foo", 123, {bar: "baz" }])',
    expected: { L: [{ S: 'foo' }, { N: 123 }, { M: { bar: { S: 'baz' } } }] },
  },
  {
    entry: 'dynamodb helpers toMap 1',
    expression: 'util.dynamodb.toMap({ "foo": "bar", "baz": 1234, "beep": ["boop"] })',
    expected: { M: { baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] }, foo: { S: 'bar' } } },
  },
  {
    entry: 'dynamodb helpers toMapValues 1',
    expression: 'util.dynamodb.toMapValues({ "foo": "bar", "baz": 1234, "beep": ["boop"] })',
    expected: { baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] }, foo: { S: 'bar' } },
  },
  {
    entry: 'dynamodb helpers s3 objects three parameter function 1',
    expression: 'util.dynamodb.toS3Object("foo", "bar", "baz")',
    expected: { S: '{"s3":{"key":"foo","bucket":"bar","region":"baz"}}' },
  },
  {
    entry: 'dynamodb helpers s3 objects four parameter function 1',
    expression: 'util.dynamodb.toS3Object("foo", "bar", "baz", "beep")',
    expected: { S: '{"s3":{"key":"foo","bucket":"bar","region":"baz","version":"beep"}}' },
  },
  {
    entry: 'DynamoDB module functions get 1',
    expression: 'ddb.get({ key: { id: "id" }})',
    expected: { key: { id: { S: 'id' } }, operation: 'GetItem' },
  },
  {
    entry: 'DynamoDB module functions put 1',
    expression: 'ddb.put({ key: { id: "abc" }, item: { value: 10 }})',
    expected: { attributeValues: { value: { N: 10 } }, key: { id: { S: 'abc' } }, operation: 'PutItem' },
  },
  {
    entry: 'DynamoDB module functions remove 1',
    expression: 'ddb.remove({ key: { id: "test" } })',
    expected: { key: { id: { S: 'test' } }, operation: 'DeleteItem' },
  },
  {
    entry: 'DynamoDB module functions scan 1',
    expression: 'ddb.scan({ limit: 10, nextToken: "abc"})',
    expected: { limit: 10, nextToken: 'abc', operation: 'Scan' },
  },
  {
    entry: 'DynamoDB module functions update add 1',
    expression: 'ddb.update({ key: { id: "test" }, update: { age: ddb.operations.add(10), } })',
    expected: ddbItem({
      expression: 'SET #expName_1 = :expValue_1',
      expressionNames: { '#expName_1': 'age' },
      expressionValues: { ':expValue_1': { N: 10 } },
    }),
  },
  {
    entry: 'DynamoDB module functions update append 1',
    expression: 'ddb.update({ key: { id: "test" }, update: { values: ddb.operations.append([1, 2, 3]), } })',
    expected: ddbItem({
      expression: 'SET #expName_1 = list_append(#expName_1, :expValue_1)',
      expressionNames: { '#expName_1': 'values' },
      expressionValues: { ':expValue_1': { L: [{ N: 1 }, { N: 2 }, { N: 3 }] } },
    }),
  },
  {
    entry: 'DynamoDB module functions update decrement 1',
    expression: 'ddb.update({ key: { id: "test" }, update: { age: ddb.operations.decrement(10) } })',
    expected: ddbItem({
      expression: 'SET #expName_1 = #expName_1 - :expValue_1',
      expressionNames: { '#expName_1': 'age' },
      expressionValues: { ':expValue_1': { N: 10 } },
    }),
  },
  {
    entry: 'DynamoDB module functions update increment 1',
    expression: 'ddb.update({ key: { id: "test" }, update: { age: ddb.operations.increment(10) } })',
    expected: ddbItem({
      expression: 'SET #expName_1 = #expName_1 + :expValue_1',
      expressionNames: { '#expName_1': 'age' },
      expressionValues: { ':expValue_1': { N: 10 } },
    }),
  },
  {
    entry: 'DynamoDB module functions update prepend 1',
    expression: 'ddb.update({ key: { id: "test" }, update: { values: ddb.operations.prepend([1, 2, 3]) } })',
    expected: ddbItem({
      expression: 'SET #expName_1 = list_append(:expValue_1, #expName_1)',
      expressionNames: { '#expName_1': 'values' },
      expressionValues: { ':expValue_1': { L: [{ N: 1 }, { N: 2 }, { N: 3 }] } },
    }),
  },
  {
    entry: 'DynamoDB module functions update replace 1',
    expression: 'ddb.update({ key: { id: "test" }, update: { values: ddb.operations.replace({ a: 10 }) }})',
    expected: ddbItem({
      expression: 'SET #expName_1 = :expValue_1',
      expressionNames: { '#expName_1': 'values' },
      expressionValues: { ':expValue_1': { M: { a: { N: 10 } } } },
    }),
  },
  {
    entry: 'DynamoDB operations add 1',
    expression: 'ddb.operations.add(10)',
    expected: { type: 'OPERATION_ADD', value: 10 },
  },
  {
    entry: 'DynamoDB operations append 1',
    expression: 'ddb.operations.append([1, 2, 3])',
    expected: { items: [1, 2, 3], type: 'OPERATION_APPEND' },
  },
  {
    entry: 'DynamoDB operations decrement 1',
    expression: 'ddb.operations.decrement(10)',
    expected: { by: 10, type: 'OPERATION_DECREMENT' },
  },
  {
    entry: 'DynamoDB operations increment 1',
    expression: 'ddb.operations.increment(10)',
    expected: { by: 10, type: 'OPERATION_INCREMENT' },
  },
  {
    entry: 'DynamoDB operations prepend 1',
    expression: 'ddb.operations.prepend([1, 2, 3])',
    expected: { items: [1, 2, 3], type: 'OPERATION_PREPEND' },
  },
  {
    entry: 'DynamoDB operations replace 1',
    expression: 'ddb.operations.replace({ a: 10 })',
    expected: { type: 'OPERATION_REPLACE', value: { a: 10 } },
  },
  {
    entry: 'Transformations toDynamoDBFilterMap 1',
    expression: 'util.transform.toDynamoDBFilterExpression({ "title":{ "contains":"Hello World" } })',
    expected:
      '{"expression":"(contains(#title,:title_contains))","expressionNames":{"#title":"title"},"expressionValues":{":title_contains":{"S":"Hello World"}}}',
  },
];

describe('AWS EvaluateCode answers recorded by localstack/appsync-utils', () => {
  it.each(CASES.map((c) => ({ ...c, source: cite(localstackSnapshot(c.entry)) })))(
    '$expression ($source)',
    async ({ expression, expected }) => {
      expect(await evaluateExpression(expression)).toEqual(expected);
    },
  );

  it(`toDynamoDBConditionExpression returns AWS's JSON string (${cite(localstackSnapshot('Transformations toDynamoDBConditionExpression 1'))})`, async () => {
    // The recording sorts expressionNames/expressionValues before comparing; the expression text is AWS's own.
    const answer = await evaluateExpression(
      'util.transform.toDynamoDBConditionExpression({ id: { attributeExists: true }, version: { eq: 10 } })',
    );
    expect(typeof answer).toBe('string');
    expect(JSON.parse(answer as string)).toEqual({
      expression: '(attribute_exists(#id)) AND (#version = :version_eq)',
      expressionNames: { '#id': 'id', '#version': 'version' },
      expressionValues: { ':version_eq': { N: 10 } },
    });
  });
});
