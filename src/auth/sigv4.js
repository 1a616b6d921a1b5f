// Verifies the Signature Version 4 signature of an HTTP request as an AWS service does: the
// signature is recomputed with @smithy/signature-v4 (the AWS SDK's own signer) over the request
// as received, from the secret of the access key it names, and compared in constant time. What
// a refusal says on the wire differs from service to service, so this module only tells why a
// request is refused (a `reason`); each service words it: the embedded store as DynamoDB
// (src/store/request-signature.js), the GraphQL API as AppSync (src/auth/iam/).
//
// Plain JavaScript: the embedded store runs it in a worker thread, which has no tsx loader.
// Its types are in sigv4.d.ts.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Sha256 } = require('@aws-crypto/sha256-js');
const { SignatureV4 } = require('@smithy/signature-v4');

export const ALGORITHM = 'AWS4-HMAC-SHA256';

/** 20130609T094515Z, the x-amz-date form. */
export const basicDate = (ms) =>
  new Date(ms)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');

/**
 * AWS's wording for a signing time outside the window, from a refusal of reason `expired` or
 * `not-yet-current`: "Signature expired: <signed> is now earlier than <now - window> (<now> - N min.)".
 */
export function skewMessage(refusal) {
  return refusal.reason === 'expired'
    ? `Signature expired: ${refusal.signed} is now earlier than ${refusal.limit} (${refusal.now} - ${refusal.minutes} min.)`
    : `Signature not yet current: ${refusal.signed} is still later than ${refusal.limit} (${refusal.now} + ${refusal.minutes} min.)`;
}

function firstValue(value) {
  return Array.isArray(value) ? value.join(',') : value;
}

/** A header's value; only the request's own entries count (a SignedHeaders of `constructor` names none). */
function header(headers, name) {
  if (!Object.hasOwn(headers, name)) return undefined;
  const value = firstValue(headers[name]);
  return typeof value === 'string' ? value : undefined;
}

/** `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` as a map of its parameters. */
function authorizationParameters(header) {
  const [algorithm, ...rest] = header.trim().split(/[\s,]+/);
  const parameters = { algorithm };
  for (const part of rest) {
    const equals = part.indexOf('=');
    if (equals > 0) parameters[part.slice(0, equals)] = part.slice(equals + 1);
  }
  return parameters;
}

function queryObject(search) {
  const query = Object.create(null);
  for (const [key, value] of new URLSearchParams(search)) {
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else query[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

const sameText = (a, b) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * A verifier for requests to `service` signed with one of `credentials`
 * ([{ accessKeyId, secretAccessKey }]). Options: `region` (undefined takes whatever region the
 * credential scope names), `maxSkewMs` (how far the signing time may be from the clock, either
 * way), `refuseSessionTokens` (a request carrying x-amz-security-token is refused as an
 * unrecognized client: these keys are long-term ones, with no session).
 *
 * verify({ method, url, headers, body }, nowMs) resolves to { ok: true, accessKeyId, region,
 * signedMs } or to { ok: false, reason, … }, the reasons checked in this order:
 *   missing              no `Authorization: AWS4-…` header (`authorization`: the header, if any)
 *   incomplete           a parameter or the x-amz-date header is absent: `missing` lists which
 *                        ('Credential', 'Signature', 'SignedHeaders', 'X-Amz-Date')
 *   unsigned-header      `header` is named in SignedHeaders but not in the request
 *   unrecognized-client  an access key id not among `credentials` (or a session token refused)
 *   expired, not-yet-current
 *                        the signing time is out of the window: `signed`, `limit`, `now`
 *                        (x-amz-date form) and `minutes`, for skewMessage
 *   wrong-service        the credential scope names `got`, not `expected`
 *   wrong-region         the credential scope names `got`, not the region asked for
 *   scope-date           the scope's date is not the x-amz-date's: `scopeDate`, `amzDate`
 *   mismatch             anything else: another algorithm or terminator, an unsigned host
 *                        header, a body whose hash is not the x-amz-content-sha256 it came
 *                        with, a signature that differs
 * `body` is the bytes received (Buffer, Uint8Array or string): its hash is part of what is signed.
 */
export function createSigV4Verifier(credentials, { service, region, maxSkewMs, refuseSessionTokens = false }) {
  const signers = new Map();
  for (const { accessKeyId, secretAccessKey } of credentials) {
    signers.set(
      accessKeyId,
      new SignatureV4({
        credentials: { accessKeyId, secretAccessKey },
        region: region ?? 'us-east-1', // each signature uses the region its credential scope names
        service,
        sha256: Sha256,
        // Add no header of its own: exactly the headers the client signed are signed again.
        applyChecksum: false,
      }),
    );
  }
  const minutes = Math.round(maxSkewMs / 60_000);

  return async function verify({ method, url, headers, body = '' }, nowMs) {
    const authorization = header(headers, 'authorization');
    if (!authorization?.trim().startsWith('AWS4-')) return { ok: false, reason: 'missing', authorization };

    const parameters = authorizationParameters(authorization);
    const amzDate = header(headers, 'x-amz-date');
    const missing = [
      ...['Credential', 'Signature', 'SignedHeaders'].filter((name) => !parameters[name]),
      ...(amzDate ? [] : ['X-Amz-Date']),
    ];
    if (missing.length > 0) return { ok: false, reason: 'incomplete', missing, authorization };
    const signedHeaders = parameters.SignedHeaders.split(';').filter(Boolean);
    const absent = signedHeaders.find((name) => header(headers, name) === undefined);
    if (absent !== undefined) return { ok: false, reason: 'unsigned-header', header: absent };

    const scope = parameters.Credential.split('/');
    const accessKeyId = scope[0];
    const signer = signers.get(accessKeyId);
    const sessionToken = header(headers, 'x-amz-security-token');
    if (!signer || (refuseSessionTokens && sessionToken !== undefined)) {
      return { ok: false, reason: 'unrecognized-client', accessKeyId };
    }

    const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!date) return { ok: false, reason: 'mismatch' };
    const signedMs = Date.UTC(+date[1], +date[2] - 1, +date[3], +date[4], +date[5], +date[6]);
    if (signedMs < nowMs - maxSkewMs) {
      return {
        ok: false,
        reason: 'expired',
        signed: amzDate,
        limit: basicDate(nowMs - maxSkewMs),
        now: basicDate(nowMs),
        minutes,
      };
    }
    if (signedMs > nowMs + maxSkewMs) {
      return {
        ok: false,
        reason: 'not-yet-current',
        signed: amzDate,
        limit: basicDate(nowMs + maxSkewMs),
        now: basicDate(nowMs),
        minutes,
      };
    }

    if (scope.length === 5 && scope[3] !== service) {
      return { ok: false, reason: 'wrong-service', expected: service, got: scope[3] };
    }
    if (scope.length === 5 && region !== undefined && scope[2] !== region) {
      return { ok: false, reason: 'wrong-region', got: scope[2] };
    }
    if (scope.length === 5 && scope[1] !== amzDate.slice(0, 8)) {
      return { ok: false, reason: 'scope-date', scopeDate: scope[1], amzDate };
    }
    const provided = parameters.Signature;
    if (
      parameters.algorithm !== ALGORITHM ||
      scope.length !== 5 ||
      scope[4] !== 'aws4_request' ||
      // Unsigned, the host could be changed: the signature would be good for any endpoint.
      !signedHeaders.includes('host') ||
      !/^[0-9a-f]{64}$/.test(provided)
    ) {
      return { ok: false, reason: 'mismatch' };
    }
    // The signer trusts x-amz-content-sha256 as the body's hash; a verifier must not.
    const claimedHash = header(headers, 'x-amz-content-sha256');
    if (claimedHash !== undefined && claimedHash !== createHash('sha256').update(body).digest('hex')) {
      return { ok: false, reason: 'mismatch' };
    }

    const toSign = Object.create(null);
    for (const name of signedHeaders) toSign[name] = header(headers, name);
    const question = url.indexOf('?');
    const signed = await signer.sign(
      {
        method,
        protocol: 'http:',
        hostname: (header(headers, 'host') ?? '').replace(/:\d+$/, ''),
        path: question < 0 ? url : url.slice(0, question),
        query: question < 0 ? {} : queryObject(url.slice(question + 1)),
        headers: toSign,
        body,
      },
      {
        signingDate: new Date(signedMs),
        signingRegion: scope[2],
        signingService: service,
        signableHeaders: new Set(signedHeaders),
      },
    );
    const expected = /Signature=([0-9a-f]{64})$/.exec(signed.headers.authorization)?.[1] ?? '';
    if (!sameText(expected, provided)) return { ok: false, reason: 'mismatch' };
    return { ok: true, accessKeyId, region: scope[2], signedMs };
  };
}
