/** ctx.identity's shapes and sourceIp, as resolver-context-reference-js («Identity») describes them. */
import { describe, expect, it } from 'vitest';
import { oidcIdentity, sourceIpOf } from '../../src/server/authorization/identity';
import { cite, devguide } from '../conformance/sources';

const IDENTITY = cite(devguide('resolver-context-reference-js', 'Identity'));

describe(`ctx.identity (${IDENTITY})`, () => {
  it('is { claims, issuer, sub } for an OIDC token (@aws-appsync/utils AppSyncIdentityOIDC)', () => {
    const claims = {
      iss: 'http://127.0.0.1:4000',
      sub: 'client-1',
      client_id: 'client-1',
      scope: 'scoredrive/scores.read',
    };
    expect(oidcIdentity(claims)).toEqual({ claims, issuer: 'http://127.0.0.1:4000', sub: 'client-1' });
  });

  it('has only the TCP address as sourceIp without x-forwarded-for', () => {
    expect(sourceIpOf({}, '127.0.0.1')).toEqual(['127.0.0.1']);
  });

  it('lists the x-forwarded-for addresses, then the TCP address, with one', () => {
    expect(sourceIpOf({ 'x-forwarded-for': '203.0.113.7, 10.0.0.2' }, '127.0.0.1')).toEqual([
      '203.0.113.7',
      '10.0.0.2',
      '127.0.0.1',
    ]);
    expect(sourceIpOf({ 'x-forwarded-for': ['203.0.113.7', '10.0.0.2'] }, '::1')).toEqual([
      '203.0.113.7',
      '10.0.0.2',
      '::1',
    ]);
  });
});
