/**
 * What the offline authorization server keeps in the data directory: the signing key
 * (`oauth-signing-key.json`, a private JWK) and the machine clients (`oauth-clients.json`), made
 * on the first start, private to the owner (0600 in a 0700 directory), and reused after, so
 * tokens and credentials handed out survive a restart.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  authenticateClient,
  CLIENTS_FILE,
  type MachineClient,
  resolveMachineClients,
} from '../../src/auth/oauth/clients';
import { createOfflineAuthorizationServer } from '../../src/auth/oauth/server';
import { resolveSigningKey, SIGNING_KEY_FILE } from '../../src/auth/oauth/signing-key';
import { MACHINE_CLIENTS, READ_SCOPE } from '../../src/contract/auth-modes';
import { tempDir } from '../helpers/service';

const ISSUER = 'http://localhost:4000';
const mode = async (file: string) => (await stat(file)).mode & 0o777;

let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => {
  ({ dir, remove } = await tempDir());
});
afterEach(async () => {
  vi.restoreAllMocks();
  await remove();
});

describe('the signing key', () => {
  it('is made on the first start as a private RS256 JWK, 0600 in a 0700 directory', async () => {
    const dataDir = path.join(dir, 'data');
    const server = await createOfflineAuthorizationServer({ dataDir, issuer: ISSUER });
    const file = path.join(dataDir, SIGNING_KEY_FILE);
    expect(await mode(dataDir)).toBe(0o700);
    expect(await mode(file)).toBe(0o600);
    const jwk = JSON.parse(await readFile(file, 'utf8'));
    expect(jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: server.signingKey.kid });
    expect(Object.keys(jwk)).toEqual(expect.arrayContaining(['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi']));
    // 2048-bit modulus: 256 bytes, base64url.
    expect(Buffer.from(jwk.n, 'base64url')).toHaveLength(256);
  });

  it('is reused after a restart: same kid, same published key', async () => {
    const first = await createOfflineAuthorizationServer({ dataDir: dir, issuer: ISSUER });
    const second = await createOfflineAuthorizationServer({ dataDir: dir, issuer: ISSUER });
    expect(second.signingKey.kid).toBe(first.signingKey.kid);
    expect(second.jwks()).toEqual(first.jwks());
  });

  it('publishes only the public members', async () => {
    const server = await createOfflineAuthorizationServer({ dataDir: dir, issuer: ISSUER });
    const [key] = server.jwks().keys;
    expect(Object.keys(key ?? {})).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
  });

  it('is one key when two servers start at once', async () => {
    const [a, b] = await Promise.all([resolveSigningKey(dir), resolveSigningKey(dir)]);
    expect(a.kid).toBe(b.kid);
  });

  it('replaces a file holding no usable key, with a warning that does not quote it', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    await writeFile(path.join(dir, SIGNING_KEY_FILE), '{"kty":"oct","k":"c2VjcmV0"}', { mode: 0o600 });
    const key = await resolveSigningKey(dir);
    expect(key.publicJwk.kty).toBe('RSA');
    expect(String(warn.mock.calls[0]?.[0])).not.toContain('c2VjcmV0');
  });

  it('is never made by a reader (the CLI): it names the file instead', async () => {
    await expect(resolveSigningKey(dir, { create: false })).rejects.toThrow(
      `no signing key at ${path.join(dir, SIGNING_KEY_FILE)}: is this the data directory the server ran with?`,
    );
  });
});

describe('the machine clients', () => {
  it('are made on the first start, one per contract client, 0600, with Cognito-shaped ids and secrets', async () => {
    const server = await createOfflineAuthorizationServer({ dataDir: dir, issuer: ISSUER });
    const file = path.join(dir, CLIENTS_FILE);
    expect(await mode(file)).toBe(0o600);
    const stored = JSON.parse(await readFile(file, 'utf8')) as MachineClient[];
    expect(stored).toEqual(server.clients);
    expect(stored.map((client) => client.name)).toEqual(MACHINE_CLIENTS.map((client) => client.name));
    for (const client of stored) {
      expect(Object.keys(client)).toEqual(['name', 'clientId', 'clientSecret', 'scopes']);
      expect(client.clientId).toMatch(/^[a-z0-9]{26}$/);
      expect(client.clientSecret).toMatch(/^[a-z0-9]{52}$/);
    }
    expect(stored[0]?.scopes).toEqual([READ_SCOPE]);
  });

  it('are reused after a restart', async () => {
    const first = await createOfflineAuthorizationServer({ dataDir: dir, issuer: ISSUER });
    const second = await createOfflineAuthorizationServer({ dataDir: dir, issuer: ISSUER });
    expect(second.clients).toEqual(first.clients);
  });

  it('follow the contract: credentials kept by name, scopes taken from it, dropped clients gone', async () => {
    const [systems] = await resolveMachineClients(dir);
    const clients = await resolveMachineClients(dir, {
      definitions: [
        { name: 'systems', scopes: ['scoredrive/scores.read', 'scoredrive/other'] },
        { name: 'reports', scopes: [] },
      ],
    });
    expect(clients[0]).toEqual({ ...systems, scopes: ['scoredrive/scores.read', 'scoredrive/other'] });
    expect(clients[1]?.name).toBe('reports');
    expect(clients[1]?.clientId).not.toBe(systems?.clientId);
    const afterDrop = await resolveMachineClients(dir, { definitions: [{ name: 'reports', scopes: [] }] });
    expect(afterDrop).toEqual([clients[1]]);
  });

  it('are one set when two servers start at once', async () => {
    const [a, b] = await Promise.all([resolveMachineClients(dir), resolveMachineClients(dir)]);
    expect(a).toEqual(b);
  });

  it('replace a file that is not a list of clients, warning without quoting it', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    await writeFile(path.join(dir, CLIENTS_FILE), '{"clientSecret":"leakme"}', { mode: 0o600 });
    const clients = await resolveMachineClients(dir);
    expect(clients).toHaveLength(MACHINE_CLIENTS.length);
    expect(String(warn.mock.calls[0]?.[0])).not.toContain('leakme');
  });

  it('are never made by a reader (the CLI): it names the file instead', async () => {
    await expect(resolveMachineClients(dir, { create: false })).rejects.toThrow(
      `no OAuth clients at ${path.join(dir, CLIENTS_FILE)}: is this the data directory the server ran with?`,
    );
  });

  it('authenticate by id and secret only, comparing the secret whatever its length', async () => {
    const clients = await resolveMachineClients(dir);
    const [client] = clients as [MachineClient];
    expect(authenticateClient(clients, client.clientId, client.clientSecret)).toEqual(client);
    expect(authenticateClient(clients, client.clientId, `${client.clientSecret}0`)).toBeUndefined();
    expect(authenticateClient(clients, client.clientId, '')).toBeUndefined();
    expect(authenticateClient(clients, 'unknown', client.clientSecret)).toBeUndefined();
    // Ids are not secrets, names are not ids.
    expect(authenticateClient(clients, client.name, client.clientSecret)).toBeUndefined();
  });

  it('give the start banner ids, names, scopes and the file, never a secret', async () => {
    const server = await createOfflineAuthorizationServer({ dataDir: dir, issuer: ISSUER });
    const summary = server.clientSummary();
    expect(summary.file).toBe(path.join(dir, CLIENTS_FILE));
    expect(summary.clients).toEqual(
      server.clients.map(({ name, clientId, scopes }) => ({ name, clientId, scopes: [...scopes] })),
    );
    const printed = JSON.stringify(summary);
    for (const client of server.clients) expect(printed).not.toContain(client.clientSecret);
  });
});

describe('the issuer', () => {
  it("is the server's origin, in one spelling", async () => {
    const server = await createOfflineAuthorizationServer({ dataDir: dir, issuer: 'http://localhost:4000/' });
    expect(server.issuer).toBe('http://localhost:4000');
  });

  it('may be known only once the server listens', async () => {
    let port = 0;
    const server = await createOfflineAuthorizationServer({ dataDir: dir, issuer: () => `http://127.0.0.1:${port}` });
    port = 4321;
    expect(server.issuer).toBe('http://127.0.0.1:4321');
    expect(server.discovery().issuer).toBe('http://127.0.0.1:4321');
  });

  it('refuses a path, a query or another scheme: the discovery routes are at the root', async () => {
    for (const issuer of ['http://localhost:4000/us-east-1_pool', 'http://localhost:4000/?a=1', 'ftp://localhost']) {
      await expect(createOfflineAuthorizationServer({ dataDir: dir, issuer })).rejects.toThrow(/issuer/);
    }
  });
});
