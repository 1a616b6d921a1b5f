/** Factories for tests: a service on a fresh data directory, and GraphQL calls against it. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createService, type Service, type ServiceConfig } from '../../src/server/service';

export const TEST_API_KEY = 'da2-testkeytestkeytestkeytest';

export async function tempDir(prefix = 'scoredrive-test-'): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A service with a small demo data set in its own embedded store. */
export async function startTestService(
  overrides: Partial<ServiceConfig> = {},
): Promise<{ service: Service; stop: () => Promise<void>; dataDir: string }> {
  const { dir, remove } = await tempDir();
  const service = await createService({
    dataDir: dir,
    tableName: 'scoredrive-test-scores',
    apiKeys: TEST_API_KEY,
    demo: { drivers: 40, months: 4 },
    ...overrides,
  });
  await service.ready;
  return {
    service,
    dataDir: dir,
    stop: async () => {
      await service.close();
      await remove();
    },
  };
}

/** POST /graphql in-process; returns status and parsed body. */
export async function graphql(
  service: Service,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = { 'x-api-key': TEST_API_KEY },
): Promise<{ status: number; body: { data?: any; errors?: any[] } }> {
  const response = await service.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify({ query, variables }),
  });
  return { status: response.statusCode, body: response.json() };
}

/** POST /graphql with a raw body (for malformed requests); returns status and parsed body. */
export async function postRaw(service: Service, payload: string): Promise<{ status: number; body: any }> {
  const response = await service.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', 'x-api-key': TEST_API_KEY },
    payload,
  });
  return { status: response.statusCode, body: response.json() };
}

/**
 * An access token for the service's first machine client, from its own token endpoint, as a
 * system gets one (client credentials, client_secret_basic).
 */
export async function offlineToken(service: Service, scope?: string): Promise<string> {
  const client = service.auth.oauth?.clients[0];
  if (!client) throw new Error('this stage has no offline authorization server');
  const basic = Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`);
  const response = await service.app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${basic.toString('base64')}`,
    },
    payload: new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }).toString(),
  });
  if (response.statusCode !== 200) throw new Error(`token endpoint answered ${response.statusCode}: ${response.body}`);
  return response.json().access_token;
}
