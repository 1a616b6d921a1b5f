/**
 * AWS_IAM authorization offline, as AppSync answers it. Requests are signed by two independent
 * SigV4 implementations, the AWS SDK's own signer (@smithy/signature-v4, service `appsync`) and
 * aws4fetch, and sent both in-process and over HTTP by AWS SDK clients. The refusals are AppSync's,
 * word for word where AppSync's answer is on record; the sources are cited in
 * src/auth/iam/refusals.ts and, for the identity, src/auth/iam/identity.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { AppSyncClient, ListGraphqlApisCommand } from '@aws-sdk/client-appsync';
import { SignatureV4 } from '@smithy/signature-v4';
import { AwsClient, AwsV4Signer } from 'aws4fetch';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AppSyncIamRequest,
  type AppSyncIamVerdict,
  createAppSyncIamVerifier,
  type IamCredential,
  offersSigV4,
  verifyAppSyncIamRequest,
} from '../../src/auth/iam';
import { basicDate } from '../../src/auth/sigv4';
import { authenticate, type Verifiers } from '../../src/server/authorization/authenticate';

// AWS's documentation example key: never a real one.
const KEY: IamCredential = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const OTHER_KEY: IamCredential = {
  accessKeyId: 'AKIAI44QH8DHBEXAMPLE',
  secretAccessKey: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
};
const REGION = 'eu-south-1';
const HOST = 'localhost:4000';
const BODY = JSON.stringify({ query: '{ score(driverId: "VRDLGU80A01H501Z") { score } }' });
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const MINUTE = 60_000;
const PEER = '127.0.0.1';

const MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

interface Signing {
  readonly body?: string;
  readonly at?: number;
  readonly credential?: IamCredential & { readonly sessionToken?: string };
  readonly region?: string;
  readonly service?: string;
  readonly headers?: Record<string, string>;
}

const lowerCased = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

/** A POST /graphql signed by the AWS SDK's signer (which also sends x-amz-content-sha256). */
async function sdkSigned({
  body = BODY,
  at = NOW,
  credential = KEY,
  region = REGION,
  service = 'appsync',
  headers = {},
}: Signing = {}): Promise<AppSyncIamRequest> {
  const signer = new SignatureV4({ credentials: credential, region, service, sha256: Sha256 });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: 'localhost',
      port: 4000,
      path: '/graphql',
      query: {},
      headers: { host: HOST, 'content-type': 'application/json', ...headers },
      body,
    },
    { signingDate: new Date(at) },
  );
  return { method: 'POST', url: '/graphql', headers: lowerCased(signed.headers), body, now: NOW, remoteAddress: PEER };
}

/** The same request signed by aws4fetch, an implementation of SigV4 independent of the SDK's. */
async function aws4fetchSigned({ body = BODY, at = NOW, credential = KEY }: Signing = {}): Promise<AppSyncIamRequest> {
  const signer = new AwsV4Signer({
    method: 'POST',
    url: `http://${HOST}/graphql`,
    headers: { 'content-type': 'application/json' },
    body,
    ...credential,
    service: 'appsync',
    region: REGION,
    datetime: basicDate(at),
  });
  const signed = await signer.sign();
  const headers: Record<string, string> = { host: HOST };
  signed.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { method: 'POST', url: '/graphql', headers, body, now: NOW, remoteAddress: PEER };
}

const verify = createAppSyncIamVerifier([KEY, OTHER_KEY], { region: REGION });

/** The refusal AppSync sends: status, x-amzn-ErrorType and { errors: [{ errorType, message }] }. */
const refusal = (status: number, errorType: string, message: string) => ({
  status,
  headers: { 'x-amzn-ErrorType': errorType },
  body: { errors: [{ errorType, message }] },
});

const identityOf = (verdict: AppSyncIamVerdict) => ('identity' in verdict ? verdict.identity : verdict);

describe('verifyAppSyncIamRequest', () => {
  it("plugs into the server's Verifiers.iam as it is, behind its routing", async () => {
    const verifiers: Verifiers = { iam: verify };
    const asSent = async (signing: Signing = {}) => ({ ...(await sdkSigned(signing)), body: BODY });
    expect(await authenticate(await asSent(), ['AWS_IAM', 'OPENID_CONNECT'], verifiers)).toMatchObject({
      mode: 'AWS_IAM',
      identity: { userArn: 'arn:aws:iam::000000000000:user/scoredrive', sourceIp: [PEER] },
    });
    expect(await authenticate(await asSent({ at: NOW - 10 * MINUTE }), ['AWS_IAM'], verifiers)).toMatchObject({
      status: 400,
      headers: { 'x-amzn-ErrorType': 'BadRequestException' },
    });
  });

  it('accepts a request the AWS SDK signed for appsync in the API region, and names the key that signed it', async () => {
    const verdict = await verify(await sdkSigned());
    expect(verdict).toMatchObject({
      mode: 'AWS_IAM',
      accessKeyId: KEY.accessKeyId,
      identity: { accountId: '000000000000' },
    });
    expect(await verify(await sdkSigned({ credential: OTHER_KEY }))).toMatchObject({
      accessKeyId: OTHER_KEY.accessKeyId,
    });
  });

  it('accepts the same request signed by aws4fetch (no x-amz-content-sha256: the body is hashed as received)', async () => {
    const request = await aws4fetchSigned();
    expect(request.headers['x-amz-content-sha256']).toBeUndefined();
    expect(await verify(request)).toHaveProperty('identity');
  });

  it('takes the credentials and region per call too', async () => {
    expect(await verifyAppSyncIamRequest(await sdkSigned(), [KEY], REGION)).toHaveProperty('identity');
    expect(await verifyAppSyncIamRequest(await sdkSigned(), [OTHER_KEY], REGION)).toEqual(
      refusal(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.'),
    );
  });

  it('answers a request without Authorization as AppSync logs it for AWS_IAM: 403 MissingAuthenticationTokenException', async () => {
    const { authorization: _, ...headers } = (await sdkSigned()).headers;
    expect(
      await verify({ method: 'POST', url: '/graphql', headers, body: BODY, now: NOW, remoteAddress: PEER }),
    ).toEqual(refusal(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token'));
  });

  it('answers an Authorization header that is no signature (a JWT) with IncompleteSignatureException, as AppSync does', async () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    expect(
      await verify({
        method: 'POST',
        url: '/graphql',
        headers: { host: HOST, authorization: jwt },
        body: BODY,
        now: NOW,
        remoteAddress: PEER,
      }),
    ).toEqual(
      refusal(
        403,
        'IncompleteSignatureException',
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
          "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of " +
          `either a 'X-Amz-Date' or a 'Date' header. Authorization=${jwt}`,
      ),
    );
    expect(offersSigV4({ authorization: jwt })).toBe(false);
  });

  it('names what a SigV4 Authorization header lacks', async () => {
    const signed = await sdkSigned();
    const authorization = String(signed.headers.authorization).replace(/, Signature=[0-9a-f]+$/, '');
    expect(await verify({ ...signed, headers: { ...signed.headers, authorization } })).toEqual(
      refusal(
        403,
        'IncompleteSignatureException',
        `Authorization header requires 'Signature' parameter. Authorization=${authorization}`,
      ),
    );
    expect(offersSigV4(signed.headers)).toBe(true);
  });

  it('refuses a signed header the request does not carry, in the words AppSync used for it', async () => {
    const { accept: _, ...headers } = (await sdkSigned({ headers: { accept: 'application/json' } })).headers;
    expect(
      await verify({ method: 'POST', url: '/graphql', headers, body: BODY, now: NOW, remoteAddress: PEER }),
    ).toEqual(
      refusal(
        403,
        'IncompleteSignatureException',
        "'accept' is named as a SignedHeader, but it does not exist in the HTTP request.",
      ),
    );
    // Only the request's own headers count, not what every object inherits.
    const signed = await sdkSigned();
    const authorization = String(signed.headers.authorization).replace('SignedHeaders=', 'SignedHeaders=constructor;');
    expect(await verify({ ...signed, headers: { ...signed.headers, authorization } })).toEqual(
      refusal(
        403,
        'IncompleteSignatureException',
        "'constructor' is named as a SignedHeader, but it does not exist in the HTTP request.",
      ),
    );
  });

  it('takes a request that signs two hundred headers, and refuses one naming thousands it lacks at the first', async () => {
    const many = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`x-signed-${i}`, `v${i}`]));
    expect(await verify(await sdkSigned({ headers: many }))).toHaveProperty('identity');
    // Bounded by the Authorization header's size; each name is looked up once, in order.
    const signed = await sdkSigned();
    const names = Array.from({ length: 2_000 }, (_, i) => `x-absent-${i}`).join(';');
    const authorization = String(signed.headers.authorization).replace('SignedHeaders=', `SignedHeaders=${names};`);
    expect(await verify({ ...signed, headers: { ...signed.headers, authorization } })).toEqual(
      refusal(
        403,
        'IncompleteSignatureException',
        "'x-absent-0' is named as a SignedHeader, but it does not exist in the HTTP request.",
      ),
    );
  });

  it('refuses an access key it does not know, and a session token (the offline keys are long-term ones)', async () => {
    const unknown = refusal(
      403,
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
    const stranger = { accessKeyId: 'AKIAJSTRANGEREXAMPLE', secretAccessKey: KEY.secretAccessKey };
    expect(await verify(await sdkSigned({ credential: stranger }))).toEqual(unknown);
    expect(await verify(await sdkSigned({ credential: { ...KEY, sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE' } }))).toEqual(
      unknown,
    );
  });

  it('refuses a wrong secret with InvalidSignatureException, 403, and AWS message', async () => {
    const wrong = { accessKeyId: KEY.accessKeyId, secretAccessKey: OTHER_KEY.secretAccessKey };
    expect(await verify(await sdkSigned({ credential: wrong }))).toEqual(
      refusal(403, 'InvalidSignatureException', MISMATCH_MESSAGE),
    );
    expect(await verify(await aws4fetchSigned({ credential: wrong }))).toEqual(
      refusal(403, 'InvalidSignatureException', MISMATCH_MESSAGE),
    );
  });

  it('verifies the body exactly: one changed after signing is refused, with or without x-amz-content-sha256', async () => {
    const mismatch = refusal(403, 'InvalidSignatureException', MISMATCH_MESSAGE);
    const changed = BODY.replace('VRDLGU80A01H501Z', 'VRDLGU80A01H501X');
    expect(await verify({ ...(await sdkSigned()), body: changed })).toEqual(mismatch);
    expect(await verify({ ...(await aws4fetchSigned()), body: changed })).toEqual(mismatch);
    // The body as bytes is the same body.
    expect(await verify({ ...(await sdkSigned()), body: Buffer.from(BODY) })).toHaveProperty('identity');
    // A client claiming an unsigned payload has not signed the body.
    expect(await verify(await sdkSigned({ headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }))).toEqual(
      mismatch,
    );
  });

  it('refuses a request whose signed headers, path or method changed after signing', async () => {
    const mismatch = refusal(403, 'InvalidSignatureException', MISMATCH_MESSAGE);
    const signed = await sdkSigned();
    expect(await verify({ ...signed, headers: { ...signed.headers, 'content-type': 'text/plain' } })).toEqual(mismatch);
    expect(await verify({ ...signed, headers: { ...signed.headers, host: 'localhost:4001' } })).toEqual(mismatch);
    expect(await verify({ ...signed, url: '/graphql?x=1' })).toEqual(mismatch);
    expect(await verify({ ...signed, method: 'PUT' })).toEqual(mismatch);
    // An unsigned header may change: proxies add them.
    expect(await verify({ ...signed, headers: { ...signed.headers, 'user-agent': 'curl/8' } })).toHaveProperty(
      'identity',
    );
  });

  it('takes a signing time up to 5 minutes off the clock, either way', async () => {
    for (const offset of [-5 * MINUTE, -4 * MINUTE, 4 * MINUTE, 5 * MINUTE]) {
      expect(await verify(await sdkSigned({ at: NOW + offset }))).toHaveProperty('identity');
    }
  });

  it("refuses a signature over 5 minutes old or ahead with AppSync's 400 BadRequestException and AWS's words", async () => {
    expect(await verify(await sdkSigned({ at: NOW - 6 * MINUTE }))).toEqual(
      refusal(
        400,
        'BadRequestException',
        'Signature expired: 20260101T115400Z is now earlier than 20260101T115500Z (20260101T120000Z - 5 min.)',
      ),
    );
    expect(await verify(await aws4fetchSigned({ at: NOW + 6 * MINUTE }))).toEqual(
      refusal(
        400,
        'BadRequestException',
        'Signature not yet current: 20260101T120600Z is still later than 20260101T120500Z (20260101T120000Z + 5 min.)',
      ),
    );
  });

  it('refuses a request signed for another service or region', async () => {
    expect(await verify(await sdkSigned({ service: 'execute-api' }))).toEqual(
      refusal(403, 'InvalidSignatureException', "Credential should be scoped to correct service: 'appsync'. "),
    );
    expect(await verify(await sdkSigned({ region: 'us-west-2' }))).toEqual(
      refusal(403, 'InvalidSignatureException', "Credential should be scoped to a valid region, not 'us-west-2'. "),
    );
  });
});

describe("the caller's ctx.identity", () => {
  it('has the AWS_IAM shape of the resolver context reference: an IAM user of the offline account, no Cognito identity', async () => {
    const signed = await sdkSigned();
    const verdict = await verify(signed);
    expect(identityOf(verdict)).toEqual({
      accountId: '000000000000',
      cognitoIdentityPoolId: null,
      cognitoIdentityId: null,
      sourceIp: ['127.0.0.1'],
      username: 'AIDASCOREDRIVEOFFLINE',
      userArn: 'arn:aws:iam::000000000000:user/scoredrive',
      cognitoIdentityAuthType: null,
      cognitoIdentityAuthProvider: null,
    });
  });

  it("lists x-forwarded-for's addresses before the TCP peer's, and names the configured account", async () => {
    const ours = createAppSyncIamVerifier([KEY], { region: REGION, accountId: '123456789012' });
    const signed = await sdkSigned();
    const verdict = await ours({
      ...signed,
      headers: { ...signed.headers, 'x-forwarded-for': '203.0.113.7, 198.51.100.2' },
      remoteAddress: '10.0.0.1',
    });
    expect(identityOf(verdict)).toMatchObject({
      accountId: '123456789012',
      sourceIp: ['203.0.113.7', '198.51.100.2', '10.0.0.1'],
      userArn: 'arn:aws:iam::123456789012:user/scoredrive',
    });
  });
});

describe('over HTTP, from AWS SDK clients', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
  });

  /** A server answering 200 to what the verifier accepts and AppSync's refusal to the rest, on the real clock. */
  async function serve(): Promise<string> {
    const verifier = createAppSyncIamVerifier([KEY], { region: REGION });
    const http = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', async () => {
        const verdict = await verifier({
          method: request.method ?? 'GET',
          url: request.url ?? '/',
          headers: request.headers,
          body: Buffer.concat(chunks),
          remoteAddress: request.socket.remoteAddress ?? '',
        });
        if ('status' in verdict) {
          response.writeHead(verdict.status, { 'content-type': 'application/json', ...verdict.headers });
          response.end(JSON.stringify(verdict.body));
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ graphqlApis: [], data: { identity: verdict.identity } }));
      });
    });
    server = http;
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  }

  it("takes the AWS SDK's AppSync client's requests, signed as it sends them, and the SDK reads the refusals' type and status", async () => {
    const endpoint = await serve();
    const client = new AppSyncClient({ endpoint, region: REGION, credentials: KEY, maxAttempts: 1 });
    const wrong = new AppSyncClient({
      endpoint,
      region: REGION,
      credentials: { accessKeyId: KEY.accessKeyId, secretAccessKey: OTHER_KEY.secretAccessKey },
      maxAttempts: 1,
    });
    const stranger = new AppSyncClient({ endpoint, region: REGION, credentials: OTHER_KEY, maxAttempts: 1 });
    try {
      expect((await client.send(new ListGraphqlApisCommand({}))).graphqlApis).toEqual([]);
      await expect(wrong.send(new ListGraphqlApisCommand({}))).rejects.toMatchObject({
        name: 'InvalidSignatureException',
        $metadata: { httpStatusCode: 403 },
      });
      await expect(stranger.send(new ListGraphqlApisCommand({}))).rejects.toMatchObject({
        name: 'UnrecognizedClientException',
        $metadata: { httpStatusCode: 403 },
      });
    } finally {
      for (const each of [client, wrong, stranger]) each.destroy();
    }
  });

  it('takes a GraphQL POST aws4fetch signed and fetch sent, with the TCP peer in sourceIp', async () => {
    const endpoint = await serve();
    const aws = new AwsClient({ ...KEY, service: 'appsync', region: REGION });
    const response = await aws.fetch(`${endpoint}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: BODY,
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { data: { identity: { sourceIp: string[] } } };
    expect(answer.data.identity.sourceIp).toEqual(['127.0.0.1']);
    const unsigned = await fetch(`${endpoint}/graphql`, { method: 'POST', body: BODY });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });
});
