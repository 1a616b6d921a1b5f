/**
 * AppSync's answers to a request it refuses under AWS_IAM authorization, before GraphQL starts:
 * an HTTP status, the `x-amzn-ErrorType` header and AppSync's HTTP-level body
 * `{ errors: [{ errorType, message }] }`. The words are AWS's, as AppSync (or, where no AppSync
 * answer is on record, another AWS endpoint checking the same signature) answered them; each
 * source is a public issue quoting the answer.
 *
 * - No signature: `MissingAuthenticationTokenException` is what AppSync logged for an unsigned
 *   request to an AWS_IAM API (aws-amplify/amplify-js#1311, "ErrorType=MissingAuthenticationTokenException").
 *   No AppSync body is on record: message and status are API Gateway's for that exception
 *   ({"message":"Missing Authentication Token"}, 403: aws-samples/amazon-comprehend-medical-fhir-integration#9).
 * - An Authorization header that is not a whole SigV4 one: `IncompleteSignatureException`, "Authorization
 *   header requires 'Credential' parameter. … Authorization=<the header>", in AppSync's errors body
 *   (aws-amplify/amplify-js#7906, #2035); "'accept' is named as a SignedHeader, but it does not exist in
 *   the HTTP request." (awslabs/aws-mobile-appsync-sdk-js#702). The 403 is API Gateway's
 *   (aws-amplify/amplify-flutter#1539).
 * - An unknown access key: 403 `UnrecognizedClientException` "The security token included in the
 *   request is invalid." (AppSync under AWS_IAM: aws-amplify/amplify-js#3447; the errors body:
 *   aws-amplify/amplify-cli#3380).
 * - A signature that does not match: 403 `InvalidSignatureException` (AppSync under AWS_IAM:
 *   awslabs/aws-mobile-appsync-sdk-js#344, aws-amplify/amplify-js#2422), AWS's standard message
 *   (aws/aws-sdk-js#168). AppSync goes on with the canonical request and string to sign it expected
 *   (its realtime endpoint in awslabs/aws-mobile-appsync-sdk-js#561); that part is left out here.
 * - A signing time more than 5 minutes off: 400 `BadRequestException` "Signature expired: <x-amz-date>
 *   is now earlier than <now - 5 min> (<now> - 5 min.)" (AppSync: aws-amplify/amplify-js#11480, the
 *   type and the text; #5869, the 400 for API.graphql under IAM; the window and the wording:
 *   awslabs/aws-mobile-appsync-sdk-js#385, aws/aws-cli#6833). Ahead of the clock: "Signature not yet
 *   current: … is still later than … (… + 5 min.)" (the wording AWS uses, aws-amplify/amplify-js#9281,
 *   aws/aws-sdk-js#2565), with the same type and status.
 * - Signed for another service or region: 403 `InvalidSignatureException` "Credential should be scoped
 *   to correct service: 'appsync'. " and "Credential should be scoped to a valid region, not '<region>'. ",
 *   trailing space included (AWS's: aws/aws-sdk-ruby#431, disneystreaming/smithy4s#1568;
 *   joona/aws-es-curl#15, aws/aws-sdk-ruby#508).
 */
import type { SigV4Refusal } from '../sigv4';
import { skewMessage } from '../sigv4';

/** How AppSync refuses a request: status, x-amzn-ErrorType and body, ready to send. */
export interface AppSyncIamRefusal {
  readonly status: number;
  readonly headers: { readonly 'x-amzn-ErrorType': string };
  readonly body: { errors: { errorType: string; message: string }[] };
}

function refusal(status: number, errorType: string, message: string): AppSyncIamRefusal {
  return { status, headers: { 'x-amzn-ErrorType': errorType }, body: { errors: [{ errorType, message }] } };
}

export const MISSING_AUTHENTICATION_TOKEN = refusal(
  403,
  'MissingAuthenticationTokenException',
  'Missing Authentication Token',
);
export const UNRECOGNIZED_CLIENT = refusal(
  403,
  'UnrecognizedClientException',
  'The security token included in the request is invalid.',
);
export const SIGNATURE_MISMATCH = refusal(
  403,
  'InvalidSignatureException',
  'The request signature we calculated does not match the signature you provided. ' +
    'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
);

const REQUIREMENT = {
  Credential: "Authorization header requires 'Credential' parameter.",
  Signature: "Authorization header requires 'Signature' parameter.",
  SignedHeaders: "Authorization header requires 'SignedHeaders' parameter.",
  'X-Amz-Date': "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
} as const;

/** AppSync's answer for a request whose signature sigv4.js refused. */
export function appSyncRefusal(refused: SigV4Refusal, service: string): AppSyncIamRefusal {
  switch (refused.reason) {
    case 'missing':
      if (refused.authorization === undefined || refused.authorization.trim() === '') {
        return MISSING_AUTHENTICATION_TOKEN;
      }
      // Another kind of Authorization header (a JWT, an API key): nothing of SigV4 in it.
      return incomplete(['Credential', 'Signature', 'SignedHeaders', 'X-Amz-Date'], refused.authorization);
    case 'incomplete':
      return incomplete(refused.missing, refused.authorization);
    case 'unsigned-header':
      return refusal(
        403,
        'IncompleteSignatureException',
        `'${refused.header}' is named as a SignedHeader, but it does not exist in the HTTP request.`,
      );
    case 'unrecognized-client':
      return UNRECOGNIZED_CLIENT;
    case 'expired':
    case 'not-yet-current':
      return refusal(400, 'BadRequestException', skewMessage(refused));
    case 'wrong-service':
      return refusal(
        403,
        'InvalidSignatureException',
        `Credential should be scoped to correct service: '${service}'. `,
      );
    case 'wrong-region':
      return refusal(
        403,
        'InvalidSignatureException',
        `Credential should be scoped to a valid region, not '${refused.got}'. `,
      );
    default:
      return SIGNATURE_MISMATCH;
  }
}

function incomplete(missing: readonly (keyof typeof REQUIREMENT)[], authorization: string): AppSyncIamRefusal {
  const requirements = missing.map((name) => REQUIREMENT[name]).join(' ');
  return refusal(403, 'IncompleteSignatureException', `${requirements} Authorization=${authorization}`);
}
