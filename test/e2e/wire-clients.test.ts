/**
 * Real GraphQL clients against the offline API on a loopback port, each as an integrator sets
 * it up for AppSync: urql with its defaults (GET for queries), graphql-request and Apollo Client
 * (POST, JSON), and Amplify JS v6's `generateClient` with an API key, whose "Unauthorized" (and
 * its hint) for a wrong key needs AppSync's `x-amzn-ErrorType: UnauthorizedException` header.
 */
import type { AddressInfo } from 'node:net';
import { ApolloClient, gql as apolloGql, HttpLink, InMemoryCache } from '@apollo/client';
import { Client, cacheExchange, fetchExchange, gql as urqlGql } from '@urql/core';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { GraphQLClient } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/server/service';
import { demoScores, lastCompletedPeriod } from '../../src/store/demo-data';
import { startTestService, TEST_API_KEY } from '../helpers/service';

const SCORE = 'query Score($id: ID!) { score(driverId: $id) { driverId period score band } }';
// The records the service seeded, computed independently of the API.
const expected = [...demoScores({ drivers: 40, months: 4, lastPeriod: lastCompletedPeriod() })].at(-1);
if (!expected) throw new Error('no demo record');
const answer = {
  driverId: expected.driverId,
  period: expected.period,
  score: expected.score,
  band: expected.band,
};

let service: Service;
let stop: () => Promise<void>;
let endpoint: string;
/** The method of every request the clients made, in order. */
const methods: string[] = [];
const watchedFetch: typeof fetch = (input, init) => {
  methods.push(init?.method ?? (input instanceof Request ? input.method : 'GET'));
  return fetch(input, init);
};

beforeAll(async () => {
  ({ service, stop } = await startTestService({ accessLog: false }));
  await service.app.listen({ port: 0, host: '127.0.0.1' });
  endpoint = `http://127.0.0.1:${(service.app.server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => stop());

describe('urql (@urql/core) with its defaults', () => {
  it('sends the query as a GET and gets the score', async () => {
    methods.length = 0;
    const client = new Client({
      url: endpoint,
      exchanges: [cacheExchange, fetchExchange],
      fetch: watchedFetch,
      fetchOptions: { headers: { 'x-api-key': TEST_API_KEY } },
    });
    const result = await client.query(urqlGql(SCORE), { id: expected.driverId }).toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data.score).toMatchObject(answer);
    expect(methods).toEqual(['GET']);
  });
});

describe('graphql-request', () => {
  it('posts the query and gets the score', async () => {
    const client = new GraphQLClient(endpoint, { headers: { 'x-api-key': TEST_API_KEY } });
    const data = await client.request<{ score: unknown }>(SCORE, { id: expected.driverId });
    expect(data.score).toEqual(answer);
  });

  it('surfaces a validation error with AppSync’s wording', async () => {
    const client = new GraphQLClient(endpoint, { headers: { 'x-api-key': TEST_API_KEY } });
    await expect(client.request('{ score(driverId: "x") { nope } }')).rejects.toThrow(
      "Validation error of type FieldUndefined: Field 'nope' in type 'Score' is undefined @ 'score/nope'",
    );
  });
});

describe('Apollo Client (core, no React)', () => {
  it('posts the query and gets the score, typenames included', async () => {
    const client = new ApolloClient({
      link: new HttpLink({ uri: endpoint, headers: { 'x-api-key': TEST_API_KEY } }),
      cache: new InMemoryCache(),
    });
    const result = await client.query({ query: apolloGql(SCORE), variables: { id: expected.driverId } });
    expect(result.data).toEqual({ score: { ...answer, __typename: 'Score' } });
  });
});

describe('Amplify JS v6 generateClient with an API key', () => {
  const configure = (apiKey: string) =>
    Amplify.configure({ API: { GraphQL: { endpoint, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey } } });

  it('gets the score', async () => {
    configure(TEST_API_KEY);
    const result = (await generateClient().graphql({ query: SCORE, variables: { id: expected.driverId } })) as {
      data: { score: unknown };
    };
    expect(result.data.score).toEqual(answer);
  });

  it('reports "Unauthorized", with its hint, for a wrong key', async () => {
    configure(`${TEST_API_KEY}-wrong`);
    let failure: { errors?: { message: string; recoverySuggestion?: string }[] } | undefined;
    try {
      await generateClient().graphql({ query: SCORE, variables: { id: expected.driverId } });
    } catch (error) {
      failure = error as typeof failure;
    }
    expect(failure?.errors?.[0].message).toBe('Unauthorized');
    expect(failure?.errors?.[0].recoverySuggestion).toContain('authMode');
  });
});
