/** Every answer is judged on its content, and failures are sorted into the kinds the report counts. */
import { describe, expect, it } from 'vitest';
import { checkAnswer } from '../../src/loadtest/check';
import { goodScore } from './fake-server';

const ID = 'RSSMRA80A01H501U';
const gql = (body: unknown, status = 200, exists = true) =>
  checkAnswer('graphql', ID, exists, status, typeof body === 'string' ? body : JSON.stringify(body));
const rest = (body: unknown, status = 200, exists = true) =>
  checkAnswer('rest', ID, exists, status, typeof body === 'string' ? body : JSON.stringify(body));

describe('checkAnswer (GraphQL)', () => {
  it('accepts a right score for the driver asked for', () => {
    expect(gql({ data: { score: goodScore(ID) } })).toEqual({ ok: true, answered: true });
  });

  it.each([
    ['another driver', { ...goodScore(ID), driverId: 'BNCLRA85B41F205X' }, /driverId is not the one asked for/],
    ['a score over 100', { ...goodScore(ID), score: 150, band: 'A' }, /score 150 is not an integer 0-100/],
    ['a negative score', { ...goodScore(ID), score: -1 }, /not an integer 0-100/],
    ['a fractional score', { ...goodScore(ID), score: 77.5 }, /not an integer 0-100/],
    [
      'a band the score does not give',
      { ...goodScore(ID, 30), band: 'A' },
      /band "A" does not match score 30 \(expected E\)/,
    ],
    ['a malformed period', { ...goodScore(ID), period: '2026-13' }, /period "2026-13" is not YYYY-MM/],
    ['a factor out of range', { ...goodScore(ID), factors: { ...goodScore(ID).factors, braking: 101 } }, /braking/],
  ])('counts %s as wrong_body', (_name, score, reason) => {
    const outcome = gql({ data: { score } });
    expect(outcome).toMatchObject({ ok: false, answered: true, kind: 'wrong_body' });
    expect(outcome.ok === false && outcome.detail).toMatch(reason);
  });

  it('applies the band floors of the domain rules', () => {
    for (const [score, band] of [
      [85, 'A'],
      [84, 'B'],
      [70, 'B'],
      [69, 'C'],
      [55, 'C'],
      [40, 'D'],
      [39, 'E'],
      [0, 'E'],
    ] as const) {
      expect(gql({ data: { score: { ...goodScore(ID), score, band } } }).ok).toBe(true);
    }
  });

  it('counts GraphQL errors by errorType, even with HTTP 200', () => {
    expect(
      gql({
        data: { score: null },
        errors: [{ errorType: 'DynamoDB:ProvisionedThroughputExceededException', message: 'slow down' }],
      }),
    ).toMatchObject({ kind: 'graphql_error:DynamoDB:ProvisionedThroughputExceededException', detail: 'slow down' });
    expect(gql({ data: null, errors: [{ message: 'Validation error of type FieldUndefined: x' }] })).toMatchObject({
      kind: 'graphql_error:ValidationError',
    });
  });

  it('counts HTTP statuses as http_4xx and http_5xx with the error named', () => {
    expect(
      gql(
        { errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }] },
        401,
      ),
    ).toMatchObject({
      kind: 'http_4xx',
      detail: 'HTTP 401: UnauthorizedException: Valid authorization header not provided.',
    });
    expect(gql('<html>Bad gateway</html>', 502)).toMatchObject({
      kind: 'http_5xx',
      detail: 'HTTP 502: <html>Bad gateway</html>',
    });
  });

  it('counts a body that is not JSON, or has no data.score, as wrong_body', () => {
    expect(gql('{"data":')).toMatchObject({ kind: 'wrong_body' });
    expect(gql({ data: {} })).toMatchObject({ kind: 'wrong_body' });
    expect(gql({ data: { score: null } })).toMatchObject({
      kind: 'wrong_body',
      detail: expect.stringMatching(/should exist/),
    });
  });

  it('expects null for a driver that does not exist', () => {
    expect(gql({ data: { score: null } }, 200, false).ok).toBe(true);
    expect(gql({ data: { score: goodScore(ID) } }, 200, false)).toMatchObject({ kind: 'wrong_body' });
  });
});

describe('checkAnswer (REST)', () => {
  it('accepts a right score and a 404 for a driver that does not exist', () => {
    expect(rest(goodScore(ID)).ok).toBe(true);
    expect(rest({ message: 'No score found' }, 404, false).ok).toBe(true);
  });

  it('counts a 404 for a driver that should exist as http_4xx, and a score for one that should not as wrong_body', () => {
    expect(rest({ message: 'No score found' }, 404)).toMatchObject({
      kind: 'http_4xx',
      detail: 'HTTP 404: No score found',
    });
    expect(rest(goodScore(ID), 200, false)).toMatchObject({ kind: 'wrong_body' });
  });

  it('checks the body as for GraphQL', () => {
    expect(rest({ ...goodScore(ID), score: 101 })).toMatchObject({ kind: 'wrong_body' });
    expect(rest({ message: 'Internal server error' }, 500)).toMatchObject({ kind: 'http_5xx' });
  });
});
