/**
 * The DynamoDB operations the runtime's data source calls, behind one small interface with two
 * implementations:
 *
 * - `sdkDynamoDBApi`: the AWS SDK v3 client, for DynamoDB itself and any endpoint over HTTP;
 * - `embeddedStoreApi`: DynamoDB's JSON protocol (the same request and response bodies the SDK
 *   puts on the wire) posted straight to the embedded store's worker, without the SDK.
 *
 * Why the second one exists: on the 2-core bench machine the SDK's per-call machinery
 * (middleware stack, schema serde, endpoint resolution) was the largest item in the server
 * thread's CPU profile, about 0.4 ms per call. `npm run bench:store` measures both: the latest-
 * month Query at 10 in flight gave 8,350 ops/s (p99 4.7 ms) this way and 4,609 ops/s (p99 7.0 ms)
 * through the SDK on 2026-11-27. test/store/dynamodb-api.test.ts runs the same calls through both
 * and requires identical answers and errors.
 */
import type {
  AttributeValue,
  BatchGetItemCommandInput,
  BatchGetItemCommandOutput,
  BatchWriteItemCommandInput,
  BatchWriteItemCommandOutput,
  CancellationReason,
  DeleteItemCommandInput,
  DeleteItemCommandOutput,
  DynamoDBClient,
  GetItemCommandInput,
  GetItemCommandOutput,
  PutItemCommandInput,
  PutItemCommandOutput,
  QueryCommandInput,
  QueryCommandOutput,
  ScanCommandInput,
  ScanCommandOutput,
  TransactGetItemsCommandInput,
  TransactGetItemsCommandOutput,
  TransactWriteItemsCommandInput,
  TransactWriteItemsCommandOutput,
  UpdateItemCommandInput,
  UpdateItemCommandOutput,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { WorkerRequestHandler } from './worker-transport';

export interface DynamoDBOperations {
  GetItem: [GetItemCommandInput, GetItemCommandOutput];
  PutItem: [PutItemCommandInput, PutItemCommandOutput];
  UpdateItem: [UpdateItemCommandInput, UpdateItemCommandOutput];
  DeleteItem: [DeleteItemCommandInput, DeleteItemCommandOutput];
  Query: [QueryCommandInput, QueryCommandOutput];
  Scan: [ScanCommandInput, ScanCommandOutput];
  BatchGetItem: [BatchGetItemCommandInput, BatchGetItemCommandOutput];
  BatchWriteItem: [BatchWriteItemCommandInput, BatchWriteItemCommandOutput];
  TransactGetItems: [TransactGetItemsCommandInput, TransactGetItemsCommandOutput];
  TransactWriteItems: [TransactWriteItemsCommandInput, TransactWriteItemsCommandOutput];
}
export type DynamoDBOperation = keyof DynamoDBOperations;

/** A DynamoDB answer as it travels: HTTP status and JSON body (what API Gateway's AWS integration sees). */
export interface WireAnswer {
  readonly statusCode: number;
  readonly body: string;
}

export interface DynamoDBApi {
  call<O extends DynamoDBOperation>(
    operation: O,
    input: DynamoDBOperations[O][0],
  ): Promise<Omit<DynamoDBOperations[O][1], '$metadata'>>;
  /** Any action the wire protocol names (e.g. `Query`, `DescribeTable`), body in and body out. */
  callWire(action: string, body: string): Promise<WireAnswer>;
}

const COMMANDS: Record<string, new (input: never) => unknown> = {
  DescribeTable: DescribeTableCommand,
  GetItem: GetItemCommand,
  PutItem: PutItemCommand,
  UpdateItem: UpdateItemCommand,
  DeleteItem: DeleteItemCommand,
  Query: QueryCommand,
  Scan: ScanCommand,
  BatchGetItem: BatchGetItemCommand,
  BatchWriteItem: BatchWriteItemCommand,
  TransactGetItems: TransactGetItemsCommand,
  TransactWriteItems: TransactWriteItemsCommand,
};

const ERROR_TYPE_PREFIX = 'com.amazonaws.dynamodb.v20120810#';

export function sdkDynamoDBApi(client: DynamoDBClient): DynamoDBApi {
  const send = (operation: string, input: unknown) => {
    const Command = COMMANDS[operation] as unknown as new (input: unknown) => Parameters<DynamoDBClient['send']>[0];
    if (!Command) throw new TypeError(`DynamoDB action ${operation} is not supported here`);
    return client.send(new Command(input)) as unknown as Promise<Record<string, unknown>>;
  };
  return {
    call: (operation, input) => send(operation, input) as never,
    // The SDK parses answers; turn them back into the wire's JSON (and errors into its error body).
    async callWire(action, body) {
      try {
        const { $metadata: _, ...output } = await send(action, JSON.parse(body, fromWire));
        return { statusCode: 200, body: JSON.stringify(output, toWire) };
      } catch (error) {
        const e = error as ErrorMembers & { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
        if (e.$metadata?.httpStatusCode === undefined) throw error;
        const members = { CancellationReasons: e.CancellationReasons, Item: e.Item };
        return {
          statusCode: e.$metadata.httpStatusCode,
          body: JSON.stringify({ __type: `${ERROR_TYPE_PREFIX}${e.name}`, message: e.message, ...members }, toWire),
        };
      }
    },
  };
}

/** The members some DynamoDB errors carry besides their message, as the SDK's exceptions hold them. */
export interface ErrorMembers {
  /** TransactionCanceledException: one reason per request item, in request order. */
  readonly CancellationReasons?: CancellationReason[];
  /** ConditionalCheckFailedException with ReturnValuesOnConditionCheckFailure ALL_OLD. */
  readonly Item?: Record<string, AttributeValue>;
}

/** An error answer of the JSON protocol, shaped as the SDK throws it (name, message, $metadata, members). */
export class DynamoDBServiceError extends Error implements ErrorMembers {
  readonly $metadata: { httpStatusCode: number; requestId?: string };
  readonly CancellationReasons?: CancellationReason[];
  readonly Item?: Record<string, AttributeValue>;

  constructor(name: string, message: string, httpStatusCode: number, requestId?: string, members: ErrorMembers = {}) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode, requestId };
    // Only the members the answer has, as the SDK's exceptions (no `Item: undefined` to compare).
    if (members.CancellationReasons !== undefined) this.CancellationReasons = members.CancellationReasons;
    if (members.Item !== undefined) this.Item = members.Item;
  }
}

// dynalite checks the shape of SigV4 headers, not the signature: the store never leaves this process.
const HEADERS = {
  'content-type': 'application/x-amz-json-1.0',
  authorization:
    'AWS4-HMAC-SHA256 Credential=local/20000101/local/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0',
  'x-amz-date': '20000101T000000Z',
  host: 'localhost',
};

/** Binary attribute values travel as base64 in the JSON protocol; the SDK's shapes hold bytes. */
function toWire(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  return original instanceof Uint8Array ? Buffer.from(original).toString('base64') : value;
}

/**
 * The inverse, for `B` and `BS` members (an attribute named B or BS maps to an object, so it never
 * matches). Plain Uint8Arrays, as the SDK returns, not Buffers.
 */
function fromWire(key: string, value: unknown): unknown {
  if (key === 'B' && typeof value === 'string') return bytes(value);
  if (key === 'BS' && Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.map(bytes);
  return value;
}

/**
 * JSON text of a request, through the replacer only when the request holds bytes: V8's
 * JSON.stringify and JSON.parse are several times slower with a replacer or a reviver, and most
 * requests and answers carry no binary attribute.
 */
function requestText(input: unknown): string {
  return holdsBytes(input) ? JSON.stringify(input, toWire) : JSON.stringify(input);
}

/** Objects looked into before the replacer is used anyway: bounds the walk (and a cycle, which JSON.stringify then refuses). */
const BYTES_WALK_BUDGET = 10_000;

function holdsBytes(value: unknown): boolean {
  const pending: unknown[] = [value];
  for (let budget = BYTES_WALK_BUDGET; pending.length > 0; budget -= 1) {
    if (budget === 0) return true;
    const next = pending.pop();
    if (next instanceof Uint8Array) return true;
    if (next !== null && typeof next === 'object') {
      for (const member of Object.values(next)) if (member !== null && typeof member === 'object') pending.push(member);
    }
  }
  return false;
}

/** A `B` or `BS` member can only be written as this key (an unescaped quote ends a JSON string). */
const BINARY_MEMBER = /"BS?"\s*:/;

function answerOf(text: string): Record<string, unknown> {
  return (BINARY_MEMBER.test(text) ? JSON.parse(text, fromWire) : JSON.parse(text)) as Record<string, unknown>;
}

function bytes(base64: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

export function embeddedStoreApi(transport: WorkerRequestHandler): DynamoDBApi {
  const exchange = (action: string, body: string) =>
    transport.exchange({
      method: 'POST',
      url: '/',
      headers: { ...HEADERS, 'x-amz-target': `DynamoDB_20120810.${action}` },
      body,
    });
  return {
    async callWire(action, body) {
      const reply = await exchange(action, body);
      return { statusCode: reply.statusCode, body: reply.body };
    },
    async call(operation, input) {
      const reply = await exchange(operation, requestText(input));
      const body = reply.body ? answerOf(reply.body) : {};
      if (reply.statusCode >= 300) {
        const type = String(body.__type ?? 'UnknownError');
        throw new DynamoDBServiceError(
          type.slice(type.lastIndexOf('#') + 1),
          String(body.message ?? body.Message ?? ''),
          reply.statusCode,
          reply.headers['x-amzn-requestid'],
          body as ErrorMembers,
        );
      }
      return body as never;
    },
  };
}
