/**
 * The explorer's auth chooser in a real browser (Debian's Chromium): on the test stage (API
 * key, IAM, OIDC) the page offers all three, gets a token from the offline authorization server
 * with one choice, and sends it as Authorization with no x-api-key; the last answer's
 * x-amzn-RequestId is shown; no CSP violation. On prod (IAM, OIDC) it signs its requests with
 * SigV4 (aws4fetch, the server's region, the offline key), which the server accepts, traced
 * too; under a Host that is not loopback (rebind.test, mapped to 127.0.0.1) nothing it is served
 * holds the secret, and a pasted key signs instead. On the default stage (offline: API key
 * only), the API key is all it offers.
 */
import { existsSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsClient } from 'aws4fetch';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/server/service';
import { CHROMIUM, watchPageProblems } from '../helpers/browser';
import { startTestService } from '../helpers/service';

/** Not the default (eu-south-1): the page must sign for the region the server is configured with. */
const REGION = 'eu-west-3';

const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'];

interface Listening {
  readonly url: string;
  readonly port: number;
  readonly service: Service;
  /** The headers of each POST /graphql as the server received them. */
  readonly graphqlRequests: IncomingHttpHeaders[];
  readonly stop: () => Promise<void>;
}

async function listen(stage?: string): Promise<Listening> {
  const started = await startTestService({ accessLog: false, region: REGION, ...(stage ? { stage } : {}) });
  const graphqlRequests: IncomingHttpHeaders[] = [];
  started.service.app.addHook('onRequest', async (request) => {
    if (request.method === 'POST' && request.url === '/graphql') graphqlRequests.push({ ...request.headers });
  });
  await started.service.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = started.service.app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, port, service: started.service, graphqlRequests, stop: started.stop };
}

/** The next answer to an operation of the user's (not GraphiQL's schema fetch). */
const nextAnswer = (page: Page) =>
  page.waitForResponse(
    (response) => response.url().endsWith('/graphql') && !response.request().postData()?.includes('IntrospectionQuery'),
  );

/** The example query's answer for `driverId`, fetched apart from the page: signed in Node by aws4fetch. */
async function scoreSignedInNode(listening: Listening, driverId: string): Promise<unknown> {
  const key = listening.service.auth.iam?.credentials[0];
  if (!key) throw new Error('this stage has no IAM keys');
  const client = new AwsClient({ ...key, service: 'appsync', region: REGION, retries: 0 });
  const response = await client.fetch(`${listening.url}graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `query ($id: ID!) { score(driverId: $id) { driverId period score band kmDriven trips } }`,
      variables: { id: driverId },
    }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { score: unknown } }).data.score;
}

/** Runs the editor's query; the answer must be a 200 without errors. */
async function runAnswered(page: Page) {
  const answered = nextAnswer(page);
  await page.click('.graphiql-execute-button');
  const response = await answered;
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.errors).toBeUndefined();
  return { response, body };
}

/** The Auth chooser's options, as [value, label]. */
const offeredModes = (page: Page) =>
  page
    .locator('#auth-mode option')
    .evaluateAll((options) => options.map((option) => [option.getAttribute('value'), option.textContent]));

describe.runIf(existsSync(CHROMIUM))('the explorer’s auth chooser', () => {
  let browser: Browser;
  const stops: (() => Promise<void>)[] = [];

  /** A prod server (stopped after the test), its first offline IAM key and a driver of its demo data. */
  async function listenOnProd() {
    const listening = await listen('prod');
    stops.push(listening.stop);
    const key = listening.service.auth.iam?.credentials[0];
    const driverId = await listening.service.exampleDriverId();
    if (!key || !driverId) throw new Error('prod has IAM keys and the demo data a driver');
    return { listening, key, driverId };
  }
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    for (const stop of stops) await stop();
  });

  it('on the test stage, sends an OIDC token in place of the API key and shows the request id', async () => {
    const { url, stop } = await listen('test');
    stops.push(stop);
    const page = await browser.newPage();
    const problems = await watchPageProblems(page);
    await page.goto(url);
    await page.waitForSelector('.graphiql-execute-button');

    expect(await page.textContent('#explorer-stage')).toBe('test');
    // The API as CDK names it on that stage (infra/scoredrive-stack.ts).
    expect(await page.textContent('#explorer-api')).toBe('scoredrive-test');
    expect(await page.textContent('#explorer-modes')).toBe('API_KEY, AWS_IAM, OPENID_CONNECT');
    const offered = await offeredModes(page);
    expect(offered).toEqual([
      ['API_KEY', 'API key'],
      ['AWS_IAM', 'IAM (SigV4)'],
      ['OPENID_CONNECT', 'OIDC (client credentials)'],
    ]);

    const tokenAnswered = page.waitForResponse((response) => response.url().endsWith('/oauth2/token'));
    await page.selectOption('#auth-mode', 'OPENID_CONNECT');
    expect((await tokenAnswered).status()).toBe(200);
    await page.locator('#auth-status', { hasText: 'token obtained' }).waitFor();

    const answered = nextAnswer(page);
    await page.click('.graphiql-execute-button');
    const response = await answered;
    expect(response.status()).toBe(200);
    const sent = await response.request().allHeaders();
    expect(sent.authorization).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sent['x-api-key']).toBeUndefined();
    const body = await response.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.score.driverId).toBeTruthy();
    await page.locator('.result-window', { hasText: '"band"' }).waitFor();

    const requestId = await response.headerValue('x-amzn-RequestId');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await page.locator('#request-id', { hasText: requestId as string }).waitFor();
    expect(await page.textContent('#request-id')).toBe(requestId);

    expect(problems).toEqual([]);
    await page.close();
  });

  it('carries the OIDC client’s secret at a loopback address only', async () => {
    const started = await startTestService({ accessLog: false, stage: 'test' });
    stops.push(started.stop);
    const client = started.service.auth.oauth?.clients[0];
    expect(client).toBeDefined();
    const page = (host: string) => started.service.app.inject({ method: 'GET', url: '/', headers: { host } });
    // inject's socket has no local port: the loopback rule then takes any port (loopback.ts).
    const loopback = await page('127.0.0.1');
    const elsewhere = await page('rebinding.example');
    expect(elsewhere.statusCode).toBe(200);
    expect(elsewhere.body).not.toContain(client?.clientSecret);
    expect(elsewhere.body).toContain('"oidcClient":null');
    expect(loopback.body).toContain(`"clientSecret":${JSON.stringify(client?.clientSecret)}`);
  });

  it('on prod, signs with SigV4 for the server’s region, is accepted, shows the score, the request id and the trace', async () => {
    const { listening, key, driverId } = await listenOnProd();
    const page = await browser.newPage();
    const problems = await watchPageProblems(page);
    await page.goto(listening.url);
    await page.waitForSelector('.graphiql-execute-button');

    expect(await page.textContent('#explorer-modes')).toBe('AWS_IAM, OPENID_CONNECT');
    const offered = await offeredModes(page);
    expect(offered).toEqual([
      ['AWS_IAM', 'IAM (SigV4)'],
      ['OPENID_CONNECT', 'OIDC (client credentials)'],
    ]);
    // The stage's default mode is chosen first.
    expect(await page.inputValue('#auth-mode')).toBe('AWS_IAM');
    await page
      .locator('#auth-status', {
        hasText: `signs with SigV4 (appsync, ${REGION}) with the offline key ${key.accessKeyId}`,
      })
      .waitFor();
    expect(await page.isHidden('#iam-paste')).toBe(true);

    await page.check('#trace-toggle');
    const { response, body } = await runAnswered(page);
    // The same score as a request signed apart from the page gets, for the example driver.
    const expected = (await scoreSignedInNode(listening, driverId)) as Record<string, unknown>;
    expect(expected.driverId).toBe(driverId);
    expect(body.data.score).toMatchObject(expected);
    // And what the user sees of it in the result pane.
    const result = page.locator('.result-window');
    for (const shown of [
      `"driverId": "${driverId}"`,
      `"period": "${expected.period}"`,
      `"score": ${expected.score}`,
      `"band": "${expected.band}"`,
    ]) {
      await result.filter({ hasText: shown }).waitFor();
    }

    // As the server received it: signed, for appsync in the server's region, the trace header
    // among the signed headers; no x-api-key.
    const seen = listening.graphqlRequests.filter((headers) => headers['x-scoredrive-trace'] === '1');
    expect(seen).toHaveLength(1);
    const [signed] = seen;
    expect(signed.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${key.accessKeyId}/\\d{8}/${REGION}/appsync/aws4_request, ` +
          'SignedHeaders=([a-z0-9-]+;)*host;([a-z0-9-]+;)*x-amz-date;x-scoredrive-trace, Signature=[0-9a-f]{64}$',
      ),
    );
    expect(signed['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(signed['x-api-key']).toBeUndefined();
    // GraphiQL's schema fetch was signed as well (prod answers it without the schema: no introspection).
    expect(listening.graphqlRequests.every((headers) => headers.authorization?.startsWith('AWS4-HMAC-SHA256 '))).toBe(
      true,
    );

    const requestId = await response.headerValue('x-amzn-RequestId');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await page.locator('#request-id', { hasText: requestId as string }).waitFor();
    await page.locator('#trace-panel h2', { hasText: 'Resolver trace: 1 field' }).waitFor();
    expect(await page.textContent('#trace-panel')).toContain('score at score');
    expect(problems).toEqual([]);

    // The body's hash is signed: the same request with its body changed on the way is refused.
    await page.route('**/graphql', (route) =>
      route.continue({ postData: route.request().postData()?.replace('LatestScore', 'LatestScorf') }),
    );
    const tampered = nextAnswer(page);
    await page.click('.graphiql-execute-button');
    expect((await tampered).status()).toBe(403);
    expect((await (await tampered).json()).errors[0].errorType).toBe('InvalidSignatureException');
    await page.close();
  });

  it('carries the IAM key at a loopback address only', async () => {
    const started = await startTestService({ accessLog: false, stage: 'prod', region: REGION });
    stops.push(started.stop);
    const key = started.service.auth.iam?.credentials[0];
    if (!key) throw new Error('prod has IAM keys');
    const page = (host: string) => started.service.app.inject({ method: 'GET', url: '/', headers: { host } });
    // inject's socket has no local port: the loopback rule then takes any port (loopback.ts).
    const loopback = await page('127.0.0.1');
    const elsewhere = await page('rebinding.example');
    expect(elsewhere.statusCode).toBe(200);
    expect(elsewhere.body).not.toContain(key.secretAccessKey);
    expect(elsewhere.body).not.toContain(key.accessKeyId);
    expect(elsewhere.body).toContain(`"iam":{"service":"appsync","region":"${REGION}","key":null}`);
    expect(loopback.body).toContain(
      `"iam":{"service":"appsync","region":"${REGION}","key":${JSON.stringify({
        accessKeyId: key.accessKeyId,
        secretAccessKey: key.secretAccessKey,
      })}}`,
    );
    for (const body of [loopback.body, elsewhere.body]) expect(body).toContain('<script src="/explorer/aws4fetch.js">');
  });

  it('under a Host that is not loopback, serves no IAM secret, and signs with a pasted key in a secure context', async () => {
    const { listening, key, driverId } = await listenOnProd();
    const origin = `http://rebind.test:${listening.port}`;
    // A hostname of another site whose DNS now answers 127.0.0.1 (DNS rebinding); in the second
    // browser, a secure context as an https tunnel's name would be, where WebCrypto exists.
    const resolve = '--host-resolver-rules=MAP rebind.test 127.0.0.1';
    const plain = await chromium.launch({ executablePath: CHROMIUM, args: [...BROWSER_ARGS, resolve] });
    const secure = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...BROWSER_ARGS, resolve, `--unsafely-treat-insecure-origin-as-secure=${origin}`],
    });
    try {
      for (const [browserHere, secureContext] of [
        [plain, false],
        [secure, true],
      ] as const) {
        const page = await browserHere.newPage();
        // Everything the page is served: its HTML and every script and style sheet.
        const served: Promise<string>[] = [];
        page.on('response', (response) => {
          if (response.url().startsWith(origin) && !response.url().endsWith('/graphql')) served.push(response.text());
        });
        await page.goto(`${origin}/`);
        await page.waitForSelector('.graphiql-execute-button');
        expect(await page.inputValue('#auth-mode')).toBe('AWS_IAM');
        const texts = await Promise.all(served);
        expect(texts.length).toBeGreaterThanOrEqual(6);
        expect(texts.some((text) => text.includes('AwsV4Signer'))).toBe(true);
        for (const text of texts) expect(text).not.toContain(key.secretAccessKey);

        if (!secureContext) {
          // Plain http under a name that is not loopback: no WebCrypto, so no signing at all.
          await page.locator('#auth-status', { hasText: 'signs only in a secure context' }).waitFor();
          expect(await page.isHidden('#iam-paste')).toBe(true);
          await page.close();
          continue;
        }
        await page.locator('#auth-status', { hasText: 'carries no IAM key: paste' }).waitFor();
        await page.fill('#iam-access-key-id', key.accessKeyId);
        await page.fill('#iam-secret-access-key', key.secretAccessKey);
        const { response, body } = await runAnswered(page);
        expect(body.data.score.driverId).toBe(driverId);
        await page.locator('.result-window', { hasText: `"driverId": "${driverId}"` }).waitFor();
        const sent = await response.request().allHeaders();
        expect(sent.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${key.accessKeyId}/`));
        // The secret signs; it is never sent.
        for (const value of Object.values(sent)) expect(value).not.toContain(key.secretAccessKey);
        expect(response.request().postData()).not.toContain(key.secretAccessKey);
        await page.close();
      }
    } finally {
      await plain.close();
      await secure.close();
    }
  });

  it('on the default stage, offers the API key only and sends it', async () => {
    const { url, stop } = await listen();
    stops.push(stop);
    const page = await browser.newPage();
    const problems = await watchPageProblems(page);
    await page.goto(url);
    await page.waitForSelector('.graphiql-execute-button');

    expect(await page.textContent('#explorer-stage')).toBe('offline');
    expect(await page.textContent('#explorer-modes')).toBe('API_KEY');
    const offered = await page
      .locator('#auth-mode option')
      .evaluateAll((options) => options.map((option) => option.getAttribute('value')));
    expect(offered).toEqual(['API_KEY']);

    const answered = nextAnswer(page);
    await page.click('.graphiql-execute-button');
    const response = await answered;
    const sent = await response.request().allHeaders();
    expect(sent['x-api-key']).toBeTruthy();
    expect(sent.authorization).toBeUndefined();
    await page
      .locator('#request-id', { hasText: (await response.headerValue('x-amzn-RequestId')) as string })
      .waitFor();

    expect(problems).toEqual([]);
    await page.close();
  });
});
