/**
 * An external DynamoDB endpoint that goes away: /health says so (503), and no answer tells the
 * caller the endpoint's host or port.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type Service } from '../../src/server/service';
import { graphql, TEST_API_KEY, tempDir } from '../helpers/service';

const TABLE = 'outage-scores';

/** Just enough of DynamoDB for the service to start: DescribeTable of a table with the right keys. */
function fakeDynamoDB(): Server {
  return createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.setHeader('content-type', 'application/x-amz-json-1.0');
      response.end(
        JSON.stringify({
          Table: {
            TableName: TABLE,
            TableStatus: 'ACTIVE',
            KeySchema: [
              { AttributeName: 'driverId', KeyType: 'HASH' },
              { AttributeName: 'period', KeyType: 'RANGE' },
            ],
          },
        }),
      );
    });
  });
}

describe('an external store that stops answering', () => {
  let server: Server;
  let service: Service;
  let port: number;
  let removeDir: () => Promise<void>;
  beforeAll(async () => {
    server = fakeDynamoDB();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    const dir = await tempDir();
    removeDir = dir.remove;
    service = await createService({
      dataDir: dir.dir,
      tableName: TABLE,
      apiKeys: TEST_API_KEY,
      dynamodbEndpoint: `http://127.0.0.1:${port}`,
      accessLog: false,
    });
    await service.ready;
  });
  afterAll(async () => {
    await service.close();
    await removeDir();
  });

  it('reports 200 while the store answers', async () => {
    const response = await service.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', store: 'external' });
  });

  it('reports 503 once the store is gone, naming the failure but not the address', async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // past the probe's one-second reuse
    const response = await service.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      status: 'unavailable',
      problem: 'the store cannot be reached (ECONNREFUSED)',
    });
    expect(response.body).not.toContain(String(port));
    expect(response.body).not.toContain('127.0.0.1');
  });

  it('answers GraphQL with a service error that names neither host nor port', async () => {
    const { body } = await graphql(service, '{ score(driverId: "AB12") { score } }');
    expect(body.data).toEqual({ score: null });
    expect(body.errors?.[0]).toMatchObject({
      errorType: 'DynamoDB:DynamoDbException',
      message: 'The data source could not be reached (Service: DynamoDb, Status Code: 503, Request ID: none)',
    });
    const text = JSON.stringify(body);
    expect(text).not.toContain(String(port));
    expect(text).not.toContain('127.0.0.1');
    expect(text).not.toContain('ECONNREFUSED');
  });
});
