/**
 * Who can reach the embedded store's table: by default only this process (the worker's message
 * port, no TCP port at all); with `listen: true`, also whoever holds the data directory's store
 * credentials, proven by a SigV4 signature. And the data directory is private to its owner.
 *
 * The refusals are DynamoDB's own, word for word, as DynamoDB answered them:
 * - MissingAuthenticationTokenException "Request is missing Authentication Token": the body
 *   DynamoDB sent in aws-amplify/aws-sdk-ios-samples#111, also in
 *   amazon-archives/aws-dynamodb-session-tomcat#42 (AmazonDynamoDBv2, 400).
 * - UnrecognizedClientException "The security token included in the request is invalid." (an
 *   unknown access key; with the full stop): yegor256/s3auth#237 and jcabi/jcabi-dynamo#101
 *   (AmazonDynamoDBv2, 400).
 * - InvalidSignatureException "The request signature we calculated does not match the signature
 *   you provided. Check your AWS Secret Access Key and signing method. Consult the service
 *   documentation for details.": DynamoDB's PutItem answer in
 *   ttsuruoka/php-simple-amazon-dynamodb#1 (type com.amazon.coral.service#InvalidSignatureException,
 *   the message string(178), nothing after "details.").
 * - "Signature expired: <x-amz-date> is now earlier than <now - 15 min> (<now> - 15 min.)":
 *   sebdah/dynamic-dynamodb#118 (DynamoDB); "Signature not yet current: … is still later than …
 *   (… + 15 min.)": aws/aws-sdk-js#2565 (a DynamoDB putItem).
 */
import { chmod, mkdir, readdir, readFile, readlink, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveApiKeys, resolveLogHashKey, resolvePaginationKey } from '../../src/server/api-keys';
import { createDynamoDBClient, createEmbeddedStoreClient } from '../../src/store/client';
import { type EmbeddedStore, type ListeningEmbeddedStore, startEmbeddedStore } from '../../src/store/embedded-store';
import { restrictUmask } from '../../src/store/private-files';
import { parseStoreCredentials } from '../../src/store/store-credentials';
import { ensureScoresTable } from '../../src/store/table';
import { graphql, startTestService, tempDir } from '../helpers/service';

const TABLE = 'access-test-scores';
const ITEM = { driverId: { S: 'VRDLGU80A01H501Z' }, period: { S: '2025-03' }, score: { N: '64' } };
const KEY = { driverId: ITEM.driverId, period: ITEM.period };

const mode = async (file: string) => (await stat(file)).mode & 0o777;

/** Listening TCP sockets held by this process (worker threads included): /proc/net/tcp{,6} ∩ /proc/self/fd. */
async function listeningSockets(): Promise<number> {
  const listening = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === '0A') listening.add(fields[9]); // st 0A = LISTEN; field 9 = inode
    }
  }
  let count = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode && listening.has(inode)) count += 1;
  }
  return count;
}

let dataDir: string;
let removeDir: () => Promise<void>;
const toClose: { close(): Promise<void> }[] = [];

beforeEach(async () => {
  ({ dir: dataDir, remove: removeDir } = await tempDir());
});
afterEach(async () => {
  for (const closable of toClose.splice(0)) await closable.close();
  await removeDir();
});

async function start(listen: boolean): Promise<EmbeddedStore> {
  const store = await startEmbeddedStore(dataDir, { listen });
  toClose.push(store);
  return store;
}

/**
 * A client over the store's message port. Never destroyed: an SDK client's destroy() also
 * destroys its request handler, here the store's own (worker-transport.ts).
 */
const portClient = (store: EmbeddedStore) => createEmbeddedStoreClient(undefined, store.requestHandler);

/** The table's item, read over the message port (what is really in the store). */
async function storedItem(store: EmbeddedStore) {
  return (await portClient(store).send(new GetItemCommand({ TableName: TABLE, Key: KEY }))).Item;
}

describe('by default', () => {
  it.runIf(process.platform === 'linux')(
    'opens no TCP port: the store is reached over the message port only',
    async () => {
      const before = await listeningSockets();
      const store = await start(false);
      expect(await listeningSockets()).toBe(before);
      expect(store.endpoint).toBeUndefined();
      expect('credentials' in store).toBe(false);
      const client = createEmbeddedStoreClient(store.endpoint, store.requestHandler);
      await ensureScoresTable(client, TABLE, true);
      await client.send(new PutItemCommand({ TableName: TABLE, Item: ITEM }));
      expect(await storedItem(store)).toEqual(ITEM);
      // Closing a store that never listened closes its database (it can be opened again at once).
      await store.close();
      toClose.splice(0);
      expect(await storedItem(await start(false))).toEqual(ITEM);
    },
  );

  it.runIf(process.platform === 'linux')(
    "the server answers from the embedded store without a port of the store's",
    async () => {
      const before = await listeningSockets();
      const { service, stop } = await startTestService();
      toClose.push({ close: stop });
      // The service itself is not bound to a port in tests (app.inject), so any listener would be the store's.
      expect(await listeningSockets()).toBe(before);
      expect(service.embedded).toBe(true);
      const driverId = await service.exampleDriverId();
      const { body } = await graphql(service, `{ score(driverId: "${driverId}") { driverId } }`);
      expect(body.data.score).toEqual({ driverId });
    },
  );
});

describe('with listen: true', () => {
  let store: ListeningEmbeddedStore;

  beforeEach(async () => {
    store = (await start(true)) as ListeningEmbeddedStore;
    await ensureScoresTable(portClient(store), TABLE, true);
  });

  const post = (target: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(store.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${target}`,
        ...headers,
      },
      body: JSON.stringify(body),
    });

  /** A PutItem request signed (SigV4, the SDK's signer) with the store's key, at `signingDate`. */
  const sign = (body: string, signingDate = new Date()) => {
    const url = new URL(store.endpoint);
    const signer = new SignatureV4({
      credentials: store.credentials,
      region: 'eu-south-1',
      service: 'dynamodb',
      sha256: Sha256,
    });
    return signer.sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        headers: {
          host: url.host,
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.PutItem',
        },
        body,
      },
      { signingDate },
    );
  };

  it("refuses unsigned requests with DynamoDB's answers, and writes nothing", async () => {
    const put = { TableName: TABLE, Item: ITEM };
    const noAuthorization = await post('PutItem', put);
    expect(noAuthorization.status).toBe(400);
    expect(await noAuthorization.json()).toEqual({
      __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
      message: 'Request is missing Authentication Token',
    });
    // A well-formed Authorization header without a real signature (what dynalite alone takes).
    const unsigned = (accessKeyId: string) => ({
      authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20000101/local/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0`,
      'x-amz-date': '20000101T000000Z',
    });
    const unknownKey = await post('PutItem', put, unsigned('local'));
    expect(unknownKey.status).toBe(400);
    expect(await unknownKey.json()).toEqual({
      __type: 'com.amazon.coral.service#UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
    const ourKey = await post('PutItem', put, unsigned(store.credentials.accessKeyId));
    expect(ourKey.status).toBe(400);
    expect(((await ourKey.json()) as { __type: string }).__type).toBe(
      'com.amazon.coral.service#InvalidSignatureException',
    );
    expect(await storedItem(store)).toBeUndefined();
  });

  it('refuses a request signed with another key (the dummy "local" one clients used to send): nothing written, nothing read', async () => {
    const client = createDynamoDBClient({ endpoint: store.endpoint }); // dummy credentials
    const another = createDynamoDBClient({
      endpoint: store.endpoint,
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: store.credentials.secretAccessKey },
    });
    try {
      for (const attempt of [
        client.send(new PutItemCommand({ TableName: TABLE, Item: ITEM })),
        another.send(new PutItemCommand({ TableName: TABLE, Item: ITEM })),
      ]) {
        await expect(attempt).rejects.toMatchObject({
          name: 'UnrecognizedClientException',
          message: 'The security token included in the request is invalid.',
          $metadata: { httpStatusCode: 400 },
        });
      }
      expect(await storedItem(store)).toBeUndefined();

      await portClient(store).send(new PutItemCommand({ TableName: TABLE, Item: ITEM }));
      await expect(client.send(new GetItemCommand({ TableName: TABLE, Key: KEY }))).rejects.toMatchObject({
        name: 'UnrecognizedClientException',
      });
    } finally {
      client.destroy();
      another.destroy();
    }
  });

  it('refuses a wrong secret, and a signed request whose body was changed afterwards', async () => {
    const mismatch = {
      name: 'InvalidSignatureException',
      message:
        'The request signature we calculated does not match the signature you provided. ' +
        'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      $metadata: { httpStatusCode: 400 },
    };
    const wrongSecret = createDynamoDBClient({
      endpoint: store.endpoint,
      credentials: { accessKeyId: store.credentials.accessKeyId, secretAccessKey: 'not-the-secret' },
    });
    try {
      await expect(wrongSecret.send(new PutItemCommand({ TableName: TABLE, Item: ITEM }))).rejects.toMatchObject(
        mismatch,
      );
    } finally {
      wrongSecret.destroy();
    }

    // Signed for one body, sent with another.
    const signed = await sign(JSON.stringify({ TableName: TABLE, Item: { ...ITEM, score: { N: '1' } } }));
    const tampered = await fetch(store.endpoint, {
      method: 'POST',
      headers: signed.headers,
      body: JSON.stringify({ TableName: TABLE, Item: ITEM }),
    });
    expect(tampered.status).toBe(400);
    expect(await tampered.json()).toEqual({
      __type: 'com.amazon.coral.service#InvalidSignatureException',
      message: mismatch.message,
    });
    expect(await storedItem(store)).toBeUndefined();
  });

  it('refuses a signature more than 15 minutes old or ahead', async () => {
    for (const [minutes, pattern] of [
      [-20, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/],
      [20, /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/],
    ] as const) {
      const body = JSON.stringify({ TableName: TABLE, Item: ITEM });
      const signed = await sign(body, new Date(Date.now() + minutes * 60_000));
      const response = await fetch(store.endpoint, { method: 'POST', headers: signed.headers, body });
      expect(response.status).toBe(400);
      const answer = (await response.json()) as { __type: string; message: string };
      expect(answer.__type).toBe('com.amazon.coral.service#InvalidSignatureException');
      expect(answer.message).toMatch(pattern);
    }
    // The same request signed now is taken: only the time was wrong.
    const body = JSON.stringify({ TableName: TABLE, Item: ITEM });
    const signed = await sign(body);
    expect((await fetch(store.endpoint, { method: 'POST', headers: signed.headers, body })).status).toBe(200);
    expect(await storedItem(store)).toEqual(ITEM);
  });

  it('listens on loopback and takes requests signed with the key in <data-dir>/store-credentials (0600, AWS credentials file format)', async () => {
    expect(store.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const file = path.join(dataDir, 'store-credentials');
    expect(await mode(file)).toBe(0o600);
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^\[scoredrive-store\]$/m);
    const credentials = parseStoreCredentials(text);
    expect(credentials).toEqual(store.credentials);
    const client = createDynamoDBClient({ endpoint: store.endpoint, credentials });
    try {
      await client.send(new PutItemCommand({ TableName: TABLE, Item: ITEM }));
      expect((await client.send(new GetItemCommand({ TableName: TABLE, Key: KEY }))).Item).toEqual(ITEM);
    } finally {
      client.destroy();
    }
    // The same key after a restart, so tools configured with the file keep working.
    await store.close();
    toClose.splice(0);
    const withoutStore = await listeningSockets();
    const again = (await start(true)) as ListeningEmbeddedStore;
    if (process.platform === 'linux') expect(await listeningSockets()).toBe(withoutStore + 1);
    expect(again.credentials).toEqual({
      accessKeyId: credentials?.accessKeyId,
      secretAccessKey: credentials?.secretAccessKey,
    });
  });
});

describe('the data directory', () => {
  it('is 0700, with the LevelDB directory 0700 and every secret 0600', async () => {
    const fresh = path.join(dataDir, 'fresh');
    await start(true).then((store) => store.close());
    toClose.splice(0);
    const { stop } = await startTestService({ dataDir: fresh, apiKeys: undefined });
    toClose.push({ close: stop });
    expect(await mode(fresh)).toBe(0o700);
    expect(await mode(path.join(fresh, 'dynamodb'))).toBe(0o700);
    for (const secret of ['api-key', 'pagination-key', 'log-hash-key']) {
      expect(await mode(path.join(fresh, secret)), secret).toBe(0o600);
    }
    expect(await mode(path.join(dataDir, 'store-credentials'))).toBe(0o600);
  });

  it('is made private when it exists with wider permissions, and so are its secrets and LevelDB directory', async () => {
    await chmod(dataDir, 0o755);
    await mkdir(path.join(dataDir, 'dynamodb'), { mode: 0o755 });
    await chmod(path.join(dataDir, 'dynamodb'), 0o755);
    await writeFile(path.join(dataDir, 'api-key'), 'da2-abcdefghijklmnopqrstuvwxyz\n', { mode: 0o644 });
    await chmod(path.join(dataDir, 'api-key'), 0o644);
    await start(false);
    expect(await mode(dataDir)).toBe(0o700);
    expect(await mode(path.join(dataDir, 'dynamodb'))).toBe(0o700);
    expect(await resolveApiKeys(undefined, dataDir)).toEqual(['da2-abcdefghijklmnopqrstuvwxyz']);
    expect(await mode(path.join(dataDir, 'api-key'))).toBe(0o600);
  });

  it('is left alone when it is a shared (sticky) directory, with a warning; its contents are still private', async () => {
    const shared = path.join(dataDir, 'shared');
    await mkdir(shared);
    await chmod(shared, 0o1777);
    const warnings: string[] = [];
    const listener = (warning: Error) => warnings.push(warning.message);
    process.on('warning', listener);
    try {
      await startEmbeddedStore(shared).then((store) => store.close());
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listener);
    }
    expect((await stat(shared)).mode & 0o7777).toBe(0o1777);
    expect(warnings.join('\n')).toContain(`${shared} is 01777 and shared`);
    expect(await mode(path.join(shared, 'dynamodb'))).toBe(0o700);
  });

  it('gets each secret once, atomically: concurrent first starts agree on the keys', async () => {
    const [keys, paginations, hashes] = await Promise.all([
      Promise.all(Array.from({ length: 8 }, () => resolveApiKeys(undefined, dataDir))),
      Promise.all(Array.from({ length: 8 }, () => resolvePaginationKey(dataDir))),
      Promise.all(Array.from({ length: 8 }, () => resolveLogHashKey(dataDir))),
    ]);
    expect(new Set(keys.map(([key]) => key)).size).toBe(1);
    expect(new Set(paginations.map((key) => key.toString('hex'))).size).toBe(1);
    expect(new Set(hashes.map((key) => key.toString('hex'))).size).toBe(1);
    expect((await readdir(dataDir)).sort()).toEqual(['api-key', 'log-hash-key', 'pagination-key']); // no temporaries left
  });
});

describe('restrictUmask', () => {
  it('makes what the process creates afterwards, LevelDB files included, private to its owner', async () => {
    const previous = restrictUmask();
    try {
      await start(false).then((store) => store.close());
      toClose.splice(0);
      const level = path.join(dataDir, 'dynamodb');
      const files = await readdir(level);
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) expect((await mode(path.join(level, file))) & 0o077, file).toBe(0);
    } finally {
      expect(process.umask(previous)).toBe(0o077);
    }
  });
});
