/**
 * util.* fidelity: each case reproduces an example from AWS's documentation, cited by URL.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, probeResolver } from '../helpers/runtime';

const UTIL_DYNAMODB = 'https://docs.aws.amazon.com/appsync/latest/devguide/dynamodb-helpers-in-util-dynamodb-js.html';
const BUILT_IN_UTIL = 'https://docs.aws.amazon.com/appsync/latest/devguide/built-in-util-js.html';

// The printed examples of both pages are conformance cases: test/conformance/devguide-util.test.ts.
describe(`util.dynamodb (${UTIL_DYNAMODB})`, () => {
  it('toS3Object writes the S3 object JSON (compact, as EvaluateCode answers)', async () => {
    const value = (await evaluate('util.dynamodb.toS3Object("foo", "bar", "baz")')) as { S: string };
    expect(JSON.parse(value.S)).toEqual({ s3: { key: 'foo', bucket: 'bar', region: 'baz' } });
    const versioned = (await evaluate('util.dynamodb.toS3Object("foo", "bar", "baz", "beep")')) as { S: string };
    expect(JSON.parse(versioned.S)).toEqual({ s3: { key: 'foo', bucket: 'bar', region: 'baz', version: 'beep' } });
  });
});

describe(`util core (${BUILT_IN_UTIL})`, () => {
  it("matches the whole value, as Java's Pattern.matches does", async () => {
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
