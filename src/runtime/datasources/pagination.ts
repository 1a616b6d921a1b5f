/**
 * Pagination tokens. AppSync encrypts DynamoDB's LastEvaluatedKey into an opaque token; offline
 * the token is base64url JSON with a version tag: opaque to clients (they must not parse it),
 * readable when debugging. A token that does not decode is refused the way AppSync refuses it.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

const VERSION = 1;

export class InvalidPaginationTokenError extends Error {
  override readonly name = 'UserIllegalArgumentException';
  readonly $metadata = { httpStatusCode: 400 };
  constructor() {
    super('Invalid pagination token given.');
  }
}

export function encodeNextToken(lastEvaluatedKey: Record<string, AttributeValue>): string {
  return Buffer.from(JSON.stringify({ v: VERSION, k: lastEvaluatedKey })).toString('base64url');
}

export function decodeNextToken(token: string | null | undefined): Record<string, AttributeValue> | undefined {
  if (token === undefined || token === null) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: number; k?: unknown };
    if (parsed.v === VERSION && parsed.k && typeof parsed.k === 'object' && !Array.isArray(parsed.k)) {
      return parsed.k as Record<string, AttributeValue>;
    }
  } catch {
    // fall through: any undecodable token is invalid
  }
  throw new InvalidPaginationTokenError();
}
