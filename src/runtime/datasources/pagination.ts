/**
 * Pagination tokens, as AppSync makes them: "AWS AppSync encrypts and obfuscates the pagination
 * token returned from DynamoDB … these pagination tokens cannot be used across different
 * functions or resolvers." (js-aws-appsync-resolver-reference-dynamodb-query.html)
 *
 * Offline, the LastEvaluatedKey (which holds a driverId) is sealed with AES-256-GCM under a key
 * kept in the data directory, with the resolver's Type.field as associated data: a token is
 * unreadable to clients, tampering is detected, and another resolver's token is refused.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomFillSync } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AppSync checks a token before DynamoDB is called, and ctx.error then says, word for word (as
 * pasted from AppSync's answers in aws-amplify/amplify-hosting#433, amplify-cli#3411,
 * amplify-js#4880): type `DynamoDB:UserIllegalArgumentException`, message
 * `com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination
 * token given.` No DynamoDB request was made, so no "(Service: …)" suffix.
 */
export class InvalidPaginationTokenError extends Error {
  override readonly name = 'UserIllegalArgumentException';
  constructor() {
    super('com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.');
  }
}

export class PaginationTokens {
  /** `key`: 32 bytes; tokens made with one key only open with the same key. */
  constructor(private readonly key: Buffer = randomBytes(32)) {
    if (key.length !== 32) throw new Error('the pagination token key must be 32 bytes');
  }

  /** Random IVs, cut from one buffer refilled every 256 tokens: randomBytes(12) per token cost more than the cipher. */
  private readonly ivPool = Buffer.alloc(IV_BYTES * 256);
  private ivOffset = this.ivPool.length;

  seal(lastEvaluatedKey: Record<string, AttributeValue>, resolver: string): string {
    if (this.ivOffset === this.ivPool.length) {
      randomFillSync(this.ivPool);
      this.ivOffset = 0;
    }
    const iv = this.ivPool.subarray(this.ivOffset, this.ivOffset + IV_BYTES);
    this.ivOffset += IV_BYTES;
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(resolver));
    const sealed = Buffer.concat([cipher.update(JSON.stringify(lastEvaluatedKey)), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), sealed]).toString('base64url');
  }

  /** The LastEvaluatedKey inside `token`, or InvalidPaginationTokenError for anything else. */
  open(token: string | null | undefined, resolver: string): Record<string, AttributeValue> | undefined {
    if (token === undefined || token === null) return undefined;
    const bytes = Buffer.from(token, 'base64url');
    if (bytes.length <= 1 + IV_BYTES + TAG_BYTES || bytes[0] !== VERSION) throw new InvalidPaginationTokenError();
    try {
      const iv = bytes.subarray(1, 1 + IV_BYTES);
      const tag = bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(resolver)).setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(bytes.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as Record<string, AttributeValue>;
    } catch {
      throw new InvalidPaginationTokenError();
    }
  }
}
