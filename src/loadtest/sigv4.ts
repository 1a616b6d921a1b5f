/**
 * IAM authorisation: every request signed with Signature Version 4, as AppSync (service
 * `appsync`) and API Gateway (`execute-api`) verify it. Credentials come from the standard AWS
 * chain unless given; the region from the hostname when it is an AWS one.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { PreparedRequest } from './target';

export type SigningService = 'appsync' | 'execute-api';

/**
 * The region in an AWS endpoint's hostname: `<id>.appsync-api.eu-south-1.amazonaws.com`,
 * `<id>.execute-api.us-east-1.amazonaws.com` (also `.vpce.` and `.amazonaws.com.cn`).
 * Undefined for custom domains and everything else.
 */
export function regionFromHostname(hostname: string): string | undefined {
  return /\.([a-z]{2}(?:-[a-z]+)+-\d+)\.(?:vpce\.)?amazonaws\.com(?:\.cn)?$/.exec(hostname.toLowerCase())?.[1];
}

export interface SigV4Options {
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly region: string;
  readonly service: SigningService;
  /** The signing time (tests fix it). @default the current time */
  readonly now?: () => Date;
}

/** A function that returns the request with `authorization`, `x-amz-date` (and a session token) added. */
export function createSigV4Signer(
  url: URL,
  options: SigV4Options,
): (request: PreparedRequest) => Promise<PreparedRequest> {
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: options.service,
    sha256: Sha256,
  });
  const now = options.now ?? (() => new Date());
  const port = url.port ? Number(url.port) : undefined;
  return async (request) => {
    const signed = await signer.sign(
      {
        method: request.method,
        protocol: url.protocol,
        hostname: url.hostname,
        port,
        path: request.path,
        query: {},
        // The host header is signed, so the one sent must be exactly this one.
        headers: { ...request.headers, host: url.host },
        body: request.body,
      },
      { signingDate: now() },
    );
    return { ...request, headers: signed.headers };
  };
}
