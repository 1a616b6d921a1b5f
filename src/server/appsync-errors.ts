/**
 * AppSync's shapes for errors, in the GraphQL response and at the HTTP level.
 * Entry key order and nulls follow the JSON AWS prints in its DynamoDB resolver tutorial:
 * { path, data, errorType, errorInfo, locations: [{ line, column, sourceName }], message }.
 */
import type { GraphQLError } from 'graphql';
import { ResolverError } from '../runtime/errors';

export interface AppSyncErrorEntry {
  path: readonly (string | number)[] | null;
  data: unknown;
  errorType: string | null;
  errorInfo: unknown;
  locations: { line: number; column: number; sourceName: null }[] | null;
  message: string;
}

export function formatExecutionError(error: GraphQLError): AppSyncErrorEntry {
  const original = error.originalError;
  const resolverError = original instanceof ResolverError ? original : null;
  return {
    path: error.path ?? null,
    data: resolverError?.data ?? null,
    errorType: resolverError ? resolverError.errorType : original ? 'Code' : null,
    errorInfo: resolverError?.errorInfo ?? null,
    locations: error.locations?.map(({ line, column }) => ({ line, column, sourceName: null })) ?? null,
    message: resolverError || !original ? error.message : 'Internal error while resolving the field',
  };
}

/** An HTTP-level error body: { errors: [{ errorType, message }] }. */
export function httpErrorBody(errorType: string, message: string) {
  return { errors: [{ errorType, message }] };
}

/** AppSync's answers to requests it refuses before GraphQL starts. */
export const HTTP_ERRORS = {
  missingKey: { status: 401, body: httpErrorBody('UnauthorizedException', 'Valid authorization header not provided.') },
  wrongKey: { status: 401, body: httpErrorBody('UnauthorizedException', 'You are not authorized to make this call.') },
  /** An OIDC credential that is no JWT (aws-amplify/amplify-js#2645). */
  unparseableToken: { status: 401, body: httpErrorBody('UnauthorizedException', 'Unable to parse JWT token.') },
  emptyBody: { status: 400, body: httpErrorBody('MalformedHttpRequestException', 'Request body is empty.') },
  unparseable: { status: 400, body: httpErrorBody('MalformedHttpRequestException', 'Unable to parse GraphQL query.') },
  tooLarge: { status: 413, body: httpErrorBody('MalformedHttpRequestException', 'Request body is too large.') },
  /** AWS documents no answer for a media type it does not read (wire/graphql-http.ts): type and words are ours. */
  unsupportedMediaType: {
    status: 415,
    body: httpErrorBody('UnsupportedMediaTypeException', 'Use Content-Type: application/json or application/graphql.'),
  },
  internal: { status: 500, body: httpErrorBody('InternalFailure', 'Internal server error.') },
} as const;

/**
 * AppSync's answers for the API's limits. Sources: the developer guide's "Configuring GraphQL
 * run complexity, query depth, and introspection" (the error types, which fields fail, how depth
 * is counted) and the service quotas page (15,000 tokens, "Maximum char length exceeded").
 * AWS prints no message text for the depth limit; the resolver-count text is the one users
 * quote from AppSync's answers (aws-amplify/amplify-js#8342).
 */
export const APPSYNC_LIMIT_ERRORS = {
  resolverCount: (_limit: number) =>
    new ResolverError('Resolver invocation limit reached', 'ResolverExecutionLimitReached'),
  depth: (limit: number) => new ResolverError(`Query depth limit of ${limit} reached`, 'QueryDepthLimitReached'),
  /** AppSync's most tokens per document, and its message. The envelope is not printed: a parse error's is used. */
  maxTokens: 15_000,
  tooManyTokens: 'Maximum char length exceeded',
} as const;
