/**
 * `scoredrive token`: an access token for a machine client of the offline server, signed with the
 * server's key from the data directory, with no server running; usage errors name the problem.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MachineClient } from '../../src/auth/oauth/clients';
import { createOfflineAuthorizationServer, type OfflineAuthorizationServer } from '../../src/auth/oauth/server';
import { READ_SCOPE } from '../../src/contract/auth-modes';
import { tempDir } from '../helpers/service';

const CLI = path.resolve(__dirname, '../../bin/scoredrive.js');
const run = (args: string[], env: Record<string, string> = {}) => {
  const { PORT: _port, SCOREDRIVE_OAUTH_ISSUER: _issuer, SCOREDRIVE_DATA_DIR: _dir, ...rest } = process.env;
  return promisify(execFile)(process.execPath, [CLI, 'token', ...args], { env: { ...rest, ...env } });
};

let dir: string;
let remove: () => Promise<void>;
let server: OfflineAuthorizationServer;
let client: MachineClient;
beforeAll(async () => {
  ({ dir, remove } = await tempDir());
  // The data directory of a server that has started once.
  server = await createOfflineAuthorizationServer({ dataDir: dir, issuer: 'http://localhost:4000' });
  [client] = server.clients as [MachineClient];
});
afterAll(async () => remove());

describe('scoredrive token', () => {
  it("prints a token the server's verifier accepts, for the client's id", async () => {
    const { stdout, stderr } = await run(['--client', client.clientId, '--data-dir', dir]);
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(stderr).toBe('');
    const verified = await server.verifier({ clientId: client.clientId })(stdout.trim());
    expect(verified).toMatchObject({ ok: true, claims: { scope: READ_SCOPE, client_id: client.clientId } });
  });

  it('takes the client by its contract name and a scope it is allowed', async () => {
    const { stdout } = await run(['--client', client.name, '--scope', READ_SCOPE, '--data-dir', dir]);
    expect(decodeJwt(stdout.trim())).toMatchObject({ client_id: client.clientId, scope: READ_SCOPE });
  });

  it('issues for the issuer on PORT, or the one given', async () => {
    const onPort = await run(['--client', client.clientId, '--data-dir', dir], { PORT: '4100' });
    expect(decodeJwt(onPort.stdout.trim()).iss).toBe('http://localhost:4100');
    const given = await run(['--client', client.clientId, '--data-dir', dir, '--issuer', 'http://127.0.0.1:9000/']);
    expect(decodeJwt(given.stdout.trim()).iss).toBe('http://127.0.0.1:9000');
  });

  it('names an unknown client, listing the ones there are', async () => {
    await expect(run(['--client', 'nosuchclient', '--data-dir', dir])).rejects.toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringContaining(
        `unknown client "nosuchclient"; the data directory's clients: systems (${client.clientId})`,
      ),
    });
  });

  it('names a scope the client is not allowed, and never prints its secret', async () => {
    const failure = run([
      '--client',
      client.clientId,
      '--scope',
      `${READ_SCOPE} scoredrive/scores.write`,
      '--data-dir',
      dir,
    ]);
    await expect(failure).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        `scope not allowed: scoredrive/scores.write for client systems (${client.clientId})`,
      ),
    });
    const error = (await failure.catch((e: unknown) => e)) as { stderr: string };
    expect(error.stderr).not.toContain(client.clientSecret);
  });

  it('refuses a data directory the server never ran with instead of making credentials', async () => {
    const empty = path.join(dir, 'no-server-here');
    await expect(run(['--client', client.clientId, '--data-dir', empty])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('is this the data directory the server ran with?'),
    });
    expect(existsSync(empty)).toBe(false);
  });

  it('asks for --client', async () => {
    await expect(run(['--data-dir', dir])).rejects.toMatchObject({
      stderr: expect.stringContaining("required option '--client <id>' not specified"),
    });
  });
});
