// Checks the Signature Version 4 signature of an HTTP request to the embedded store, as DynamoDB
// does, before dynalite sees the request: the signature is recomputed with @smithy/signature-v4
// (the AWS SDK's own signer) over the request as received, from the store's secret, and compared
// in constant time. Plain JavaScript: it runs in the store's worker, which has no tsx loader.
//
// Checked in this order, each refusal a 400 with DynamoDB's own type and message:
//   no `Authorization: AWS4-…` header    MissingAuthenticationTokenException
//   an access key id other than ours     UnrecognizedClientException
//   an x-amz-date more than 15 min off   InvalidSignatureException (Signature expired / not yet current)
//   any other difference                 InvalidSignatureException (the signature does not match)
// A malformed header (no SignedHeaders, another algorithm, service or scope) is refused as a
// signature that does not match, where DynamoDB would sometimes say IncompleteSignatureException.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Sha256 } = require('@aws-crypto/sha256-js');
const { SignatureV4 } = require('@smithy/signature-v4');

// DynamoDB's answers, word for word (the sources are cited in test/store/store-access.test.ts).
export const MISSING_TOKEN = {
  type: 'MissingAuthenticationTokenException',
  message: 'Request is missing Authentication Token',
};
export const UNRECOGNIZED_CLIENT = {
  type: 'UnrecognizedClientException',
  message: 'The security token included in the request is invalid.',
};
export const SIGNATURE_MISMATCH = {
  type: 'InvalidSignatureException',
  message:
    'The request signature we calculated does not match the signature you provided. ' +
    'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
};

/** DynamoDB accepts a signing time up to 15 minutes from its own clock, either way. */
const MAX_SKEW_MS = 15 * 60 * 1000;

/** 20130609T094515Z, the x-amz-date form. */
const basic = (ms) =>
  new Date(ms)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');

function skewRefusal(signedMs, nowMs, signed) {
  if (signedMs < nowMs - MAX_SKEW_MS) {
    return {
      type: 'InvalidSignatureException',
      message: `Signature expired: ${signed} is now earlier than ${basic(nowMs - MAX_SKEW_MS)} (${basic(nowMs)} - 15 min.)`,
    };
  }
  if (signedMs > nowMs + MAX_SKEW_MS) {
    return {
      type: 'InvalidSignatureException',
      message: `Signature not yet current: ${signed} is still later than ${basic(nowMs + MAX_SKEW_MS)} (${basic(nowMs)} + 15 min.)`,
    };
  }
  return undefined;
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

function firstValue(value) {
  return Array.isArray(value) ? value.join(',') : value;
}

function queryObject(search) {
  const query = {};
  for (const [key, value] of new URLSearchParams(search)) {
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else query[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

/**
 * A verifier for requests signed with `credentials` ({ accessKeyId, secretAccessKey }).
 * verify({ method, url, headers, body: Buffer }) resolves to undefined for a good signature, or
 * to the refusal { type, message }. `now` gives the clock (milliseconds).
 */
export function createRequestVerifier(credentials, now = Date.now) {
  const signer = new SignatureV4({
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    region: 'us-east-1', // replaced by the region the request's credential scope names
    service: 'dynamodb',
    sha256: Sha256,
    // Add no header of its own: exactly the headers the client signed are signed again.
    applyChecksum: false,
  });

  return async function verify({ method, url, headers, body }) {
    const authorization = firstValue(headers.authorization);
    if (!authorization?.trim().startsWith('AWS4-')) return MISSING_TOKEN;
    const parameters = authorizationParameters(authorization);
    const scope = (parameters.Credential ?? '').split('/');
    if (scope[0] !== credentials.accessKeyId) return UNRECOGNIZED_CLIENT;

    const amzDate = firstValue(headers['x-amz-date']) ?? '';
    const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!date) return SIGNATURE_MISMATCH;
    const signedMs = Date.UTC(+date[1], +date[2] - 1, +date[3], +date[4], +date[5], +date[6]);
    const skew = skewRefusal(signedMs, now(), amzDate);
    if (skew) return skew;

    const signedHeaders = (parameters.SignedHeaders ?? '').split(';').filter(Boolean);
    const provided = parameters.Signature ?? '';
    if (
      parameters.algorithm !== 'AWS4-HMAC-SHA256' ||
      scope.length !== 5 ||
      scope[3] !== 'dynamodb' ||
      scope[4] !== 'aws4_request' ||
      signedHeaders.length === 0 ||
      !/^[0-9a-f]{64}$/.test(provided)
    ) {
      return SIGNATURE_MISMATCH;
    }
    // The signer trusts x-amz-content-sha256 as the body's hash; a verifier must not.
    const claimedHash = firstValue(headers['x-amz-content-sha256']);
    if (claimedHash !== undefined && claimedHash !== createHash('sha256').update(body).digest('hex')) {
      return SIGNATURE_MISMATCH;
    }

    const toSign = {};
    for (const name of signedHeaders) {
      const value = firstValue(headers[name]);
      if (value !== undefined) toSign[name] = value;
    }
    const question = url.indexOf('?');
    const signed = await signer.sign(
      {
        method,
        protocol: 'http:',
        hostname: String(firstValue(headers.host) ?? '').replace(/:\d+$/, ''),
        path: question < 0 ? url : url.slice(0, question),
        query: question < 0 ? {} : queryObject(url.slice(question + 1)),
        headers: toSign,
        body,
      },
      {
        signingDate: new Date(signedMs),
        signingRegion: scope[2],
        signingService: 'dynamodb',
        signableHeaders: new Set(signedHeaders),
      },
    );
    const expected = /Signature=([0-9a-f]{64})$/.exec(signed.headers.authorization)?.[1] ?? '';
    const matches =
      expected.length === provided.length && timingSafeEqual(Buffer.from(expected), Buffer.from(provided));
    return matches ? undefined : SIGNATURE_MISMATCH;
  };
}
