/**
 * dynalite's type checks of a request's values (validations/index.js checkType), which our patch
 * made cheaper by parsing each type description once: every kind of wrong value in an item, at
 * the top and nested in M and L, still gets DynamoDB's SerializationException with the same
 * words. The expected answers were recorded from dynalite 4.0.0's own checkType (the code before
 * the patch's change) with this test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RawDynalite, startRawDynalite } from '../helpers/dynalite-raw';

let dynalite: RawDynalite;
beforeAll(async () => {
  dynalite = await startRawDynalite();
});
afterAll(async () => dynalite.close());
const call: RawDynalite['call'] = (target, body) => dynalite.call(target, body);

const putOf = (item: unknown) => ({ RequestItems: { 'type-checks': [{ PutRequest: { Item: item } }] } });

const CASES: [string, unknown, string][] = [
  ['a number for S', { id: { S: 5 } }, 'NUMBER_VALUE cannot be converted to String'],
  ['a decimal for N', { id: { S: 'a' }, n: { N: 1.5 } }, 'DECIMAL_VALUE cannot be converted to String'],
  ['a boolean for S', { id: { S: true } }, 'TRUE_VALUE cannot be converted to String'],
  ['a list for S', { id: { S: ['a'] } }, 'Unrecognized collection type class java.lang.String'],
  ['a string for BOOL', { id: { S: 'a' }, b: { BOOL: 'maybe' } }, 'Unexpected token received from parser'],
  ['a string for L', { id: { S: 'a' }, l: { L: 'x' } }, 'Unexpected field type'],
  [
    'an object for SS',
    { id: { S: 'a' }, ss: { SS: { a: 'b' } } },
    'Start of structure or map found where not expected',
  ],
  [
    'a number in a nested M',
    { id: { S: 'a' }, m: { M: { deep: { M: { x: { S: 1 } } } } } },
    'NUMBER_VALUE cannot be converted to String',
  ],
  [
    'a list for M',
    { id: { S: 'a' }, m: { M: [] } },
    'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>',
  ],
  ['a string as an attribute value', { id: { S: 'a' }, v: 'plain' }, 'Unexpected value type in payload'],
  [
    'a bad base64 B in a list',
    { id: { S: 'a' }, l: { L: [{ B: 'abc' }] } },
    'Base64 encoded length is expected a multiple of 4 bytes but found: 3',
  ],
];

describe('dynalite’s type checks of item values', () => {
  for (const [name, item, message] of CASES) {
    it(`refuses ${name}`, async () => {
      expect(await call('BatchWriteItem', putOf(item))).toEqual({
        status: 400,
        body: { __type: 'com.amazon.coral.service#SerializationException', Message: message },
      });
    });
  }

  it('takes right values, at every depth, past the type checks (to the missing table)', async () => {
    const item = { id: { S: 'a' }, n: { N: '1.5' }, l: { L: [{ M: { x: { SS: ['a'] } } }, { BOOL: true }] } };
    const answer = await call('BatchWriteItem', putOf(item));
    expect(answer.status).toBe(400);
    expect((answer.body as { __type: string }).__type).toBe(
      'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
    );
  });
});
