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

/** Validation errors: AppSync answers 200 with data null and graphql-java's wording, no errorType. */
export function formatValidationError(error: GraphQLError, validationType: string) {
  return {
    path: null,
    locations: error.locations?.map(({ line, column }) => ({ line, column, sourceName: null })) ?? null,
    message: `Validation error of type ${validationType}: ${error.message}`,
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
  emptyBody: { status: 400, body: httpErrorBody('MalformedHttpRequestException', 'Request body is empty.') },
  unparseable: { status: 400, body: httpErrorBody('MalformedHttpRequestException', 'Unable to parse GraphQL query.') },
} as const;
