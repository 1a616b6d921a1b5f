/** How a call counts: ok, 4xx (the caller's fault) or 5xx (the service's), GraphQL errors included. */
import { describe, expect, it } from 'vitest';
import { outcomeOf } from '../../src/observability/api-call';

describe('outcomeOf', () => {
  it('follows the HTTP status first', () => {
    expect(outcomeOf({ status: 200 })).toBe('ok');
    expect(outcomeOf({ status: 404, errorType: 'NotFound' })).toBe('4xx');
    expect(outcomeOf({ status: 499, errorType: 'ClientClosedRequest' })).toBe('4xx');
    expect(outcomeOf({ status: 503, errorType: 'ServiceUnavailable' })).toBe('5xx');
  });

  it('splits GraphQL errors in a 200 as AppSync does: the caller’s mistakes 4xx, everything else 5xx', () => {
    for (const errorType of ['ValidationError', 'GraphQLValidation', 'Unauthorized', 'UnauthorizedException']) {
      expect(outcomeOf({ status: 200, errorType }), errorType).toBe('4xx');
    }
    for (const errorType of ['DynamoDB:ProvisionedThroughputExceededException', 'ExecutionError', 'Code']) {
      expect(outcomeOf({ status: 200, errorType }), errorType).toBe('5xx');
    }
  });
});
