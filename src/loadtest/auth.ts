/**
 * How the bench authenticates: an API key (`--api-key`, else SCOREDRIVE_API_KEY, else — for a
 * loopback URL — the offline server's key in `<data-dir>/api-key`), SigV4 with the standard AWS
 * credential chain (`--iam`), or nothing. Keys are never printed or written, only where they
 * came from.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { createSigV4Signer, regionFromHostname } from './sigv4';
import { isLoopback, type PreparedRequest, type Target } from './target';
import { UsageError } from './usage';

export type AuthKind = 'api-key' | 'iam' | 'none';

export interface Auth {
  readonly kind: AuthKind;
  /** Where the credentials come from, for people (no secret in it). */
  readonly description: string;
  apply(request: PreparedRequest): PreparedRequest | Promise<PreparedRequest>;
}

export interface AuthOptions {
  readonly apiKey?: string;
  /** SCOREDRIVE_API_KEY (comma-separated like `serve` takes it: the first key is used). */
  readonly envApiKey?: string;
  readonly iam?: boolean;
  readonly region?: string;
  readonly dataDir: string;
  /** Credentials for --iam. @default the standard AWS chain (@aws-sdk/credential-provider-node) */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** AWS_REGION / AWS_DEFAULT_REGION. */
  readonly envRegion?: string;
}

function withApiKey(key: string, description: string): Auth {
  return {
    kind: 'api-key',
    description,
    apply: (request) => ({ ...request, headers: { ...request.headers, 'x-api-key': key } }),
  };
}

async function readDataDirKey(dataDir: string): Promise<string | undefined> {
  try {
    return (await readFile(path.join(dataDir, 'api-key'), 'utf8')).trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read ${path.join(dataDir, 'api-key')}: ${(error as Error).message}`);
  }
}

export async function resolveAuth(target: Target, options: AuthOptions): Promise<Auth> {
  if (options.iam) {
    if (options.apiKey) throw new UsageError('--iam and --api-key exclude each other: choose one');
    const region = options.region ?? regionFromHostname(target.url.hostname) ?? options.envRegion;
    if (!region) {
      throw new UsageError(
        `--iam needs a region: ${target.url.hostname} does not name one; pass --region or set AWS_REGION`,
      );
    }
    const service = target.api === 'graphql' ? 'appsync' : 'execute-api';
    let credentials = options.credentials;
    if (!credentials) {
      const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
      credentials = defaultProvider();
    }
    if (typeof credentials === 'function') {
      // Fail now, clearly, rather than with every request; the chain keeps (and refreshes) them.
      try {
        await credentials();
      } catch (error) {
        throw new UsageError(`--iam: no AWS credentials from the standard chain: ${(error as Error).message}`);
      }
    }
    return {
      kind: 'iam',
      description: `IAM (SigV4, service ${service}, region ${region})`,
      apply: createSigV4Signer(target.url, { credentials, region, service }),
    };
  }
  if (options.apiKey) return withApiKey(options.apiKey, 'API key from --api-key');
  const envKey = options.envApiKey
    ?.split(',')
    .map((key) => key.trim())
    .find((key) => key !== '');
  if (envKey) return withApiKey(envKey, 'API key from SCOREDRIVE_API_KEY');
  if (isLoopback(target.url)) {
    const stored = await readDataDirKey(options.dataDir);
    if (stored) return withApiKey(stored, `API key from ${path.join(options.dataDir, 'api-key')}`);
  }
  return { kind: 'none', description: 'none (no --api-key, SCOREDRIVE_API_KEY or --iam)', apply: (request) => request };
}
