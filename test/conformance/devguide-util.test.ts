/**
 * The input → output examples the AppSync developer guide prints for `util`, each run through
 * the offline EvaluateCode and compared with the printed output. Examples the guide prints
 * malformed (the S3 object ones) are left out; test/runtime/util.test.ts covers those helpers.
 */
import { describe, expect, it } from 'vitest';
import { evaluateExpression } from './run';
import { cite, devguide } from './sources';

interface PrintedCase {
  readonly page: string;
  readonly section: string;
  readonly input: string;
  readonly output: unknown;
}

const DDB = 'dynamodb-helpers-in-util-dynamodb-js';
const map = { M: { foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] } } };
const list = { L: [{ S: 'foo' }, { N: 123 }, { M: { bar: { S: 'baz' } } }] };

const UTIL_DYNAMODB: PrintedCase[] = [
  { page: DDB, section: 'toDynamoDB, String example', input: 'util.dynamodb.toDynamoDB("foo")', output: { S: 'foo' } },
  { page: DDB, section: 'toDynamoDB, Number example', input: 'util.dynamodb.toDynamoDB(12345)', output: { N: 12345 } },
  {
    page: DDB,
    section: 'toDynamoDB, Boolean example',
    input: 'util.dynamodb.toDynamoDB(true)',
    output: { BOOL: true },
  },
  {
    page: DDB,
    section: 'toDynamoDB, List example',
    input: 'util.dynamodb.toDynamoDB([ "foo", 123, { "bar" : "baz" } ])',
    output: list,
  },
  {
    page: DDB,
    section: 'toDynamoDB, Map example',
    input: 'util.dynamodb.toDynamoDB({ "foo": "bar", "baz" : 1234, "beep": [ "boop"] })',
    output: map,
  },
  { page: DDB, section: 'toString', input: 'util.dynamodb.toString("foo")', output: { S: 'foo' } },
  {
    page: DDB,
    section: 'toStringSet',
    input: 'util.dynamodb.toStringSet([ "foo", "bar", "baz" ])',
    output: { SS: ['foo', 'bar', 'baz'] },
  },
  { page: DDB, section: 'toNumber', input: 'util.dynamodb.toNumber(12345)', output: { N: 12345 } },
  {
    page: DDB,
    section: 'toNumberSet',
    input: 'util.dynamodb.toNumberSet([ 1, 23, 4.56 ])',
    output: { NS: [1, 23, 4.56] },
  },
  { page: DDB, section: 'toBinary', input: 'util.dynamodb.toBinary("foo")', output: { B: 'foo' } },
  {
    page: DDB,
    section: 'toBinarySet',
    input: 'util.dynamodb.toBinarySet([ "foo", "bar", "baz" ])',
    output: { BS: ['foo', 'bar', 'baz'] },
  },
  { page: DDB, section: 'toBoolean', input: 'util.dynamodb.toBoolean(true)', output: { BOOL: true } },
  { page: DDB, section: 'toNull', input: 'util.dynamodb.toNull()', output: { NULL: null } },
  { page: DDB, section: 'toList', input: 'util.dynamodb.toList([ "foo", 123, { "bar" : "baz" } ])', output: list },
  {
    page: DDB,
    section: 'toMap',
    input: 'util.dynamodb.toMap({ "foo": "bar", "baz" : 1234, "beep": [ "boop"] })',
    output: map,
  },
  {
    page: DDB,
    section: 'toMapValues',
    input: 'util.dynamodb.toMapValues({ "foo": "bar", "baz" : 1234, "beep": [ "boop"] })',
    output: map.M,
  },
];

// The JavaScript time page prints no examples; the template (VTL) page of the same functions does.
const TIME = 'time-helpers-in-util-time';
const UTIL_TIME: PrintedCase[] = [
  {
    page: TIME,
    section: 'Conversion examples',
    input: 'util.time.epochMilliSecondsToSeconds(1517943695758)',
    output: 1517943695,
  },
  {
    page: TIME,
    section: 'Conversion examples',
    input: 'util.time.epochMilliSecondsToISO8601(1517943695758)',
    output: '2018-02-06T19:01:35.758Z',
  },
  {
    page: TIME,
    section: 'Conversion examples',
    input: 'util.time.epochMilliSecondsToFormatted(1517943695758, "yyyy-MM-dd HH:mm:ssZ")',
    output: '2018-02-06 19:01:35+0000',
  },
  {
    page: TIME,
    section: 'Conversion examples',
    input: 'util.time.epochMilliSecondsToFormatted(1517943695758, "yyyy-MM-dd HH:mm:ssZ", "+08:00")',
    output: '2018-02-07 03:01:35+0800',
  },
  {
    page: TIME,
    section: 'Parsing examples',
    input: 'util.time.parseISO8601ToEpochMilliSeconds("2018-02-01T17:21:05.180+08:00")',
    output: 1517476865180,
  },
  {
    page: TIME,
    section: 'Parsing examples',
    input: 'util.time.parseFormattedToEpochMilliSeconds("2018-02-02 01:19:22+0800", "yyyy-MM-dd HH:mm:ssZ")',
    output: 1517505562000,
  },
  {
    page: TIME,
    section: 'Parsing examples',
    input: 'util.time.parseFormattedToEpochMilliSeconds("2018-02-02 01:19:22", "yyyy-MM-dd HH:mm:ss", "+08:00")',
    output: 1517505562000,
  },
];

/** The page's standalone examples ran at 2018-02-06T19:01:35.749Z (its nowISO8601 answer). */
const STANDALONE_NOW = Date.UTC(2018, 1, 6, 19, 1, 35, 749);
const UTIL_TIME_NOW: PrintedCase[] = [
  {
    page: TIME,
    section: 'Standalone function examples',
    input: 'util.time.nowISO8601()',
    output: '2018-02-06T19:01:35.749Z',
  },
  { page: TIME, section: 'Standalone function examples', input: 'util.time.nowEpochSeconds()', output: 1517943695 },
  {
    page: TIME,
    section: 'Standalone function examples',
    input: 'util.time.nowFormatted("yyyy-MM-dd HH:mm:ssZ")',
    output: '2018-02-06 19:01:35+0000',
  },
  {
    page: TIME,
    section: 'Standalone function examples',
    input: 'util.time.nowFormatted("yyyy-MM-dd HH:mm:ssZ", "+08:00")',
    output: '2018-02-07 03:01:35+0800',
  },
  {
    page: TIME,
    section: 'Standalone function examples',
    input: 'util.time.nowFormatted("yyyy-MM-dd HH:mm:ssZ", "Australia/Perth")',
    output: '2018-02-07 03:01:35+0800',
  },
];

/** The AWSDate/AWSDateTime examples ran on 2018-07-11 at 22:14:45 UTC (15:14:15 at -07:00:30). */
const SCALARS_NOW = Date.UTC(2018, 6, 11, 22, 14, 45);
const UTIL_TIME_SCALARS: PrintedCase[] = [
  {
    page: TIME,
    section: 'Usage with AWS AppSync defined scalars',
    input: 'util.time.nowFormatted("yyyy-MM-dd[XXX]", "-07:00:30")',
    output: '2018-07-11-07:00',
  },
  {
    page: TIME,
    section: 'Usage with AWS AppSync defined scalars',
    input: 'util.time.nowFormatted("yyyy-MM-dd\'T\'HH:mm:ss[XXXXX]", "-07:00:30")',
    output: '2018-07-11T15:14:15-07:00:30',
  },
];

const OTHER: PrintedCase[] = [
  // "The pattern must be a regular expression such as util.matches("a*b", "aaaaab")."
  {
    page: 'built-in-util-js',
    section: 'Type and pattern matching utils',
    input: 'util.matches("a*b", "aaaaab")',
    output: true,
  },
  {
    page: 'js-aws-appsync-resolver-reference-dynamodb-filter',
    section: 'Example',
    input: "JSON.parse(util.transform.toDynamoDBFilterExpression({ title: { beginsWith: 'far away' } }))",
    output: {
      expression: '(begins_with(#title,:title_beginsWith))',
      expressionNames: { '#title': 'title' },
      expressionValues: { ':title_beginsWith': { S: 'far away' } },
    },
  },
  {
    page: 'writing-code',
    section: 'Example pipeline resolver with Amazon DynamoDB (ddb.get generates the GetItem operation)',
    input: 'ddb.get({ key: { id: ctx.args.id } })',
    output: { operation: 'GetItem', key: { id: { S: '1' } } },
  },
];

const table = (cases: PrintedCase[]) => cases.map((c) => ({ ...c, source: cite(devguide(c.page, c.section)) }));

describe('util examples printed in the AppSync developer guide', () => {
  it.each(table([...UTIL_DYNAMODB, ...UTIL_TIME, ...OTHER]))(
    '$input → printed output ($source)',
    async ({ input, output }) => {
      expect(await evaluateExpression(input, { arguments: { id: '1' } })).toEqual(output);
    },
  );

  it.each(table(UTIL_TIME_NOW))('$input at the example clock ($source)', async ({ input, output }) => {
    expect(await evaluateExpression(input, {}, { now: () => STANDALONE_NOW })).toEqual(output);
  });

  it.each(table(UTIL_TIME_SCALARS))('$input at the example clock ($source)', async ({ input, output }) => {
    expect(await evaluateExpression(input, {}, { now: () => SCALARS_NOW })).toEqual(output);
  });
});
