/**
 * util.* fidelity: each case reproduces an example from AWS's documentation, cited by URL.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, probeResolver } from '../helpers/runtime';

const UTIL_DYNAMODB = 'https://docs.aws.amazon.com/appsync/latest/devguide/dynamodb-helpers-in-util-dynamodb-js.html';
const UTIL_TIME_VTL = 'https://docs.aws.amazon.com/appsync/latest/devguide/time-helpers-in-util-time.html';
const BUILT_IN_UTIL = 'https://docs.aws.amazon.com/appsync/latest/devguide/built-in-util-js.html';

describe(`util.dynamodb (${UTIL_DYNAMODB})`, () => {
  it('toDynamoDB("foo") is { S: "foo" }', async () => {
    expect(await evaluate('util.dynamodb.toDynamoDB("foo")')).toEqual({ S: 'foo' });
  });

  it('toDynamoDB(12345) is { N: 12345 }, a JSON number as AppSync gives it', async () => {
    expect(await evaluate('util.dynamodb.toDynamoDB(12345)')).toEqual({ N: 12345 });
  });

  it('toDynamoDB(true) is { BOOL: true }', async () => {
    expect(await evaluate('util.dynamodb.toDynamoDB(true)')).toEqual({ BOOL: true });
  });

  it('toDynamoDB of a list nests L and M', async () => {
    expect(await evaluate('util.dynamodb.toDynamoDB([ "foo", 123, { "bar" : "baz" } ])')).toEqual({
      L: [{ S: 'foo' }, { N: 123 }, { M: { bar: { S: 'baz' } } }],
    });
  });

  it('toDynamoDB of a map uses lists rather than sets', async () => {
    expect(await evaluate('util.dynamodb.toDynamoDB({ "foo": "bar", "baz" : 1234, "beep": [ "boop"] })')).toEqual({
      M: { foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] } },
    });
  });

  it('toMapValues returns only the contents of the M', async () => {
    expect(await evaluate('util.dynamodb.toMapValues({ "foo": "bar", "baz" : 1234, "beep": [ "boop"] })')).toEqual({
      foo: { S: 'bar' },
      baz: { N: 1234 },
      beep: { L: [{ S: 'boop' }] },
    });
  });

  it('toString, toStringSet, toNumber, toNumberSet, toBinary, toBinarySet, toBoolean, toNull', async () => {
    expect(await evaluate('util.dynamodb.toString("foo")')).toEqual({ S: 'foo' });
    expect(await evaluate('util.dynamodb.toStringSet([ "foo", "bar", "baz" ])')).toEqual({ SS: ['foo', 'bar', 'baz'] });
    expect(await evaluate('util.dynamodb.toNumber(12345)')).toEqual({ N: 12345 });
    expect(await evaluate('util.dynamodb.toNumberSet([ 1, 23, 4.56 ])')).toEqual({ NS: [1, 23, 4.56] });
    expect(await evaluate('util.dynamodb.toBinary("foo")')).toEqual({ B: 'foo' });
    expect(await evaluate('util.dynamodb.toBinarySet([ "foo", "bar", "baz" ])')).toEqual({ BS: ['foo', 'bar', 'baz'] });
    expect(await evaluate('util.dynamodb.toBoolean(true)')).toEqual({ BOOL: true });
    expect(await evaluate('util.dynamodb.toNull()')).toEqual({ NULL: null });
  });

  it('toList and toMap match toDynamoDB for lists and maps', async () => {
    expect(await evaluate('util.dynamodb.toList([ "foo", 123, { "bar" : "baz" } ])')).toEqual({
      L: [{ S: 'foo' }, { N: 123 }, { M: { bar: { S: 'baz' } } }],
    });
    expect(await evaluate('util.dynamodb.toMap({ "foo": "bar" })')).toEqual({ M: { foo: { S: 'bar' } } });
  });

  it('toS3Object writes the S3 object JSON (compact, as EvaluateCode answers)', async () => {
    const value = (await evaluate('util.dynamodb.toS3Object("foo", "bar", "baz")')) as { S: string };
    expect(JSON.parse(value.S)).toEqual({ s3: { key: 'foo', bucket: 'bar', region: 'baz' } });
    const versioned = (await evaluate('util.dynamodb.toS3Object("foo", "bar", "baz", "beep")')) as { S: string };
    expect(JSON.parse(versioned.S)).toEqual({ s3: { key: 'foo', bucket: 'bar', region: 'baz', version: 'beep' } });
  });
});

describe(`util.time (examples from the VTL page, same functions: ${UTIL_TIME_VTL})`, () => {
  // The doc's clock: 2018-02-06T19:01:35.749Z
  const now = () => Date.UTC(2018, 1, 6, 19, 1, 35, 749);
  const at = async (expression: string) => {
    const invoke = probeResolver(
      `import { util } from '@aws-appsync/utils';\nexport function request(ctx) { return runtime.earlyReturn({ value: ${expression} }); }\nexport function response(ctx) { return ctx.result; }`,
      { now },
    );
    return ((await invoke()).value as { value: unknown }).value;
  };

  it('nowISO8601, nowEpochSeconds, nowEpochMilliSeconds', async () => {
    expect(await at('util.time.nowISO8601()')).toBe('2018-02-06T19:01:35.749Z');
    expect(await at('util.time.nowEpochSeconds()')).toBe(1517943695);
    expect(await at('util.time.nowEpochMilliSeconds()')).toBe(1517943695749);
  });

  it('nowFormatted in UTC, at an offset and in a named zone', async () => {
    expect(await at('util.time.nowFormatted("yyyy-MM-dd HH:mm:ssZ")')).toBe('2018-02-06 19:01:35+0000');
    expect(await at('util.time.nowFormatted("yyyy-MM-dd HH:mm:ssZ", "+08:00")')).toBe('2018-02-07 03:01:35+0800');
    expect(await at('util.time.nowFormatted("yyyy-MM-dd HH:mm:ssZ", "Australia/Perth")')).toBe(
      '2018-02-07 03:01:35+0800',
    );
  });

  it('converts epoch milliseconds', async () => {
    expect(await evaluate('util.time.epochMilliSecondsToSeconds(1517943695758)')).toBe(1517943695);
    expect(await evaluate('util.time.epochMilliSecondsToISO8601(1517943695758)')).toBe('2018-02-06T19:01:35.758Z');
    expect(await evaluate('util.time.epochMilliSecondsToFormatted(1517943695758, "yyyy-MM-dd HH:mm:ssZ")')).toBe(
      '2018-02-06 19:01:35+0000',
    );
    expect(
      await evaluate('util.time.epochMilliSecondsToFormatted(1517943695758, "yyyy-MM-dd HH:mm:ssZ", "+08:00")'),
    ).toBe('2018-02-07 03:01:35+0800');
  });

  it('parses ISO-8601 and formatted timestamps', async () => {
    expect(await evaluate('util.time.parseISO8601ToEpochMilliSeconds("2018-02-01T17:21:05.180+08:00")')).toBe(
      1517476865180,
    );
    expect(
      await evaluate('util.time.parseFormattedToEpochMilliSeconds("2018-02-02 01:19:22+0800", "yyyy-MM-dd HH:mm:ssZ")'),
    ).toBe(1517505562000);
    expect(
      await evaluate(
        'util.time.parseFormattedToEpochMilliSeconds("2018-02-02 01:19:22", "yyyy-MM-dd HH:mm:ss", "+08:00")',
      ),
    ).toBe(1517505562000);
  });
});

describe(`util core (${BUILT_IN_UTIL})`, () => {
  it('matches("a*b", "aaaaab") is true, as in the doc; the whole value must match', async () => {
    expect(await evaluate('util.matches("a*b", "aaaaab")')).toBe(true);
    expect(await evaluate('util.matches("a*b", "aaaaabc")')).toBe(false);
  });

  it('autoId is a random 128-bit UUID', async () => {
    const [a, b] = [await evaluate('util.autoId()'), await evaluate('util.autoId()')];
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });

  it('autoUlid is a 26-character ULID; autoKsuid a 27-character base62 KSUID', async () => {
    expect(await evaluate('util.autoUlid()')).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(await evaluate('util.autoKsuid()')).toMatch(/^[0-9A-Za-z]{27}$/);
  });

  it('base64 and URL encoding round-trip UTF-8 text', async () => {
    expect(await evaluate('util.base64Encode("ciao è")')).toBe(Buffer.from('ciao è').toString('base64'));
    expect(await evaluate('util.base64Decode(util.base64Encode("ciao è"))')).toBe('ciao è');
    expect(await evaluate('util.urlEncode("a b&c=d/é")')).toBe('a+b%26c%3Dd%2F%C3%A9');
    expect(await evaluate('util.urlDecode("a+b%26c%3Dd%2F%C3%A9")')).toBe('a b&c=d/é');
  });

  it("authType names the API-key mode with AppSync's wording", async () => {
    expect(await evaluate('util.authType()')).toBe('API Key Authorization');
  });

  it('str.normalize applies the named Unicode form', async () => {
    expect(await evaluate('util.str.normalize("e\\u0301", "nfc")')).toBe('é');
  });

  it('transform.toDynamoDBFilterExpression returns the JSON string AWS returns for the same filter', async () => {
    // As AWS's EvaluateCode answers it (https://docs.aws.amazon.com/appsync/latest/devguide/transformation-helpers-in-utils-transform-js.html).
    const json = await evaluate('util.transform.toDynamoDBFilterExpression({ "title":{ "contains":"Hello World" } })');
    expect(JSON.parse(json as string)).toEqual({
      expression: '(contains(#title,:title_contains))',
      expressionNames: { '#title': 'title' },
      expressionValues: { ':title_contains': { S: 'Hello World' } },
    });
  });

  it('transform.toDynamoDBConditionExpression joins fields with AND, attributeExists without a value', async () => {
    const json = await evaluate(
      'util.transform.toDynamoDBConditionExpression({ id: { attributeExists: true }, version: { eq: 10 } })',
    );
    expect(JSON.parse(json as string)).toEqual({
      expression: '(attribute_exists(#id)) AND (#version = :version_eq)',
      expressionNames: { '#id': 'id', '#version': 'version' },
      expressionValues: { ':version_eq': { N: 10 } },
    });
  });
});

describe('what the offline runtime does not implement', () => {
  // Members read by a computed name: the load-time check cannot see them, so the read itself fails.
  it('fails loudly, naming the member, instead of returning undefined', async () => {
    const invoke = probeResolver(
      "import { util } from '@aws-appsync/utils';\nexport function request(ctx) { const name = 'notA' + 'Thing'; return { value: util[name]() }; }\nexport function response(ctx) { return ctx.result; }",
    );
    const outcome = await invoke();
    expect(outcome.value).toBeNull();
    expect(outcome.errors[0]).toMatchObject({
      message: 'unsupported in the offline runtime: util.notAThing',
      errorType: 'Unsupported',
    });
  });

  it('names nested members too', async () => {
    await expect(evaluate('util.time["nowSome" + "thing"]()')).rejects.toThrow(
      'unsupported in the offline runtime: util.time.nowSomething',
    );
    await expect(evaluate('util["rd" + "s"].toJsonObject({})')).rejects.toThrow(
      'unsupported in the offline runtime: util.rds',
    );
  });
});
