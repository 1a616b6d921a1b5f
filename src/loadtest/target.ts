/**
 * What the bench calls: the API's URL (offline server, AppSync, API Gateway stage) and the
 * request for one driver, GraphQL `score(driverId)` or REST `GET /drivers/{driverId}/score`.
 */
import { UsageError } from './usage';

export type BenchApi = 'graphql' | 'rest';

/** The fields the bench asks for and checks: everything a Score has. */
export const SCORE_QUERY =
  'query Score($driverId: ID!) { score(driverId: $driverId) { driverId period score band factors { acceleration braking cornering speeding nightDriving } kmDriven trips modelVersion updatedAt } }';

export interface PreparedRequest {
  readonly method: 'GET' | 'POST';
  /** Path (and nothing else) on the target's origin. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export interface Target {
  readonly api: BenchApi;
  readonly url: URL;
  /** scheme://host[:port], what connections are opened to. */
  readonly origin: string;
  /** The URL as printed and written: no credentials, no query. */
  readonly displayUrl: string;
  request(driverId: string): PreparedRequest;
}

/** `localhost`, 127.0.0.0/8 and ::1: the offline server's addresses. */
export function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function createTarget(rawUrl: string, api: BenchApi): Target {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new UsageError(
      `invalid url "${rawUrl}": expected e.g. http://localhost:4000 or https://<id>.appsync-api.<region>.amazonaws.com`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`invalid url "${rawUrl}": only http and https are supported`);
  }
  const base = url.pathname.replace(/\/+$/, '');
  const graphqlPath = base.endsWith('/graphql') ? base : `${base}/graphql`;
  const restBase = base.endsWith('/graphql') ? base.slice(0, -'/graphql'.length) : base;
  const path = api === 'graphql' ? graphqlPath : `${restBase}/drivers/{driverId}/score`;
  return {
    api,
    url,
    origin: url.origin,
    displayUrl: `${url.origin}${path}`,
    request:
      api === 'graphql'
        ? (driverId) => ({
            method: 'POST',
            path: graphqlPath,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: SCORE_QUERY, variables: { driverId } }),
          })
        : (driverId) => ({
            method: 'GET',
            path: `${restBase}/drivers/${encodeURIComponent(driverId)}/score`,
            headers: { accept: 'application/json' },
          }),
  };
}
