// Checks the Signature Version 4 signature of an HTTP request to the embedded store, as DynamoDB
// does, before dynalite sees the request. The check is src/auth/sigv4.js's (the signature
// recomputed with @smithy/signature-v4 over the request as received, from the store's secret,
// compared in constant time); this file words its refusals as DynamoDB does. Plain JavaScript:
// it runs in the store's worker, which has no tsx loader.
//
// Checked in this order, each refusal a 400 with DynamoDB's own type and message:
//   no `Authorization: AWS4-…` header    MissingAuthenticationTokenException
//   an access key id other than ours     UnrecognizedClientException
//   an x-amz-date more than 15 min off   InvalidSignatureException (Signature expired / not yet current)
//   any other difference                 InvalidSignatureException (the signature does not match)
// A malformed header (a parameter or x-amz-date missing, a named header absent, another
// algorithm, service or scope) is refused as a signature that does not match, where DynamoDB
// would sometimes say IncompleteSignatureException.
import { createSigV4Verifier, skewMessage } from '../auth/sigv4.js';

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

/**
 * A verifier for requests signed with `credentials` ({ accessKeyId, secretAccessKey }).
 * verify({ method, url, headers, body: Buffer }) resolves to undefined for a good signature, or
 * to the refusal { type, message }. `now` gives the clock (milliseconds).
 */
export function createRequestVerifier(credentials, now = Date.now) {
  // Any region: the store is no region's, and takes the one the client signed for.
  const verifySignature = createSigV4Verifier([credentials], { service: 'dynamodb', maxSkewMs: MAX_SKEW_MS });

  return async function verify(request) {
    const verdict = await verifySignature(request, now());
    if (verdict.ok) return undefined;
    switch (verdict.reason) {
      case 'missing':
        return MISSING_TOKEN;
      case 'unrecognized-client':
        return UNRECOGNIZED_CLIENT;
      case 'expired':
      case 'not-yet-current':
        return { type: 'InvalidSignatureException', message: skewMessage(verdict) };
      default:
        return SIGNATURE_MISMATCH;
    }
  };
}
