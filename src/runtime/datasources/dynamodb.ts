/**
 * The DynamoDB data source: executes the request objects AppSync's JavaScript resolvers
 * return (GetItem, Query, BatchGetItem, …) as DynamoDB API calls (through the AWS SDK v3, or
 * the embedded store's direct protocol: src/store/dynamodb-api.ts), and hands back results in
 * the shape AppSync gives response handlers: plain JSON items, an opaque `nextToken`, batch
 * `data` aligned with the request keys (null where missing) and `unprocessedKeys`, transaction
 * `items`/`keys` with `cancellationReasons`.
 * https://docs.aws.amazon.com/appsync/latest/devguide/js-resolver-reference-dynamodb.html
 */
import type { AttributeValue, CancellationReason, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { type DynamoDBApi, DynamoDBServiceError, type ErrorMembers } from '../../store/dynamodb-api';
import { Deferred } from '../deferred';
import { UnsupportedError } from '../errors';
import { fromSdkItem, toSdkAttributeMap } from '../util/dynamodb-values';
import { InvalidPaginationTokenError, PaginationTokens } from './pagination';

type Plain = Record<string, unknown>;

interface Expression {
  expression: string;
  expressionNames?: Record<string, string>;
  expressionValues?: Record<string, unknown>;
}

/** A transaction item's condition: an expression, and whether a failure returns the stored item. */
interface TransactCondition extends Expression {
  returnValuesOnConditionCheckFailure?: boolean;
}

/** The outcome of a data-source call: AppSync's ctx.result and ctx.error. */
export interface DataSourceResult {
  result: unknown;
  error?: { message: string; type: string };
}

export interface DynamoDBDataSourceConfig {
  /** The SDK for an endpoint, or the embedded store's direct protocol (src/store/dynamodb-api.ts). */
  readonly api: DynamoDBApi;
  /** The table the data source is bound to (single-table operations). */
  readonly tableName: string;
  /** Seals nextToken values; a fresh random key when not given (tokens then die with the process). */
  readonly paginationTokens?: PaginationTokens;
}

/** Which resolver a call comes from: pagination tokens only work for the resolver that made them. */
export interface InvocationInfo {
  readonly resolver: string;
  /**
   * The runtime copies results with realm.fromHostResult, so a nextToken may come as a Deferred
   * and be sealed only if the code reads it; other callers get the token itself.
   */
  readonly deferTokens?: boolean;
}

/** Expressions may arrive as objects or, from util.transform, as JSON strings. */
function expression(value: unknown): Expression | undefined {
  if (value === undefined || value === null) return undefined;
  return (typeof value === 'string' ? JSON.parse(value) : value) as Expression;
}

/** Adds `from` into `into`; the same placeholder meaning two things would make DynamoDB read the wrong one. */
function mergePlaceholders(into: Record<string, unknown>, from: Record<string, unknown> | undefined): void {
  for (const [placeholder, meaning] of Object.entries(from ?? {})) {
    if (placeholder in into && JSON.stringify(into[placeholder]) !== JSON.stringify(meaning)) {
      throw new TypeError(`placeholder ${placeholder} stands for two different things in one request`);
    }
    into[placeholder] = meaning;
  }
}

/** Merges the names and values of several expressions (key condition, filter, …) into one SDK parameter set. */
function expressionParameters(...parts: (Expression | undefined)[]) {
  const names: Record<string, string> = {};
  const values: Plain = {};
  for (const part of parts) {
    if (!part) continue;
    mergePlaceholders(names, part.expressionNames);
    mergePlaceholders(values, part.expressionValues);
  }
  return {
    ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
    ExpressionAttributeValues: Object.keys(values).length ? toSdkAttributeMap(values as never) : undefined,
  };
}

const item = (value: Record<string, AttributeValue> | undefined) => (value ? fromSdkItem(value) : null);

/**
 * DynamoDB's error, as AppSync reports it in ctx.error. An error DynamoDB never answered (a
 * refused connection, a time-out) carries the endpoint's address in its message
 * (`connect ECONNREFUSED 127.0.0.1:4301`): the caller gets a plain service error instead, as it
 * would from AppSync, and the cause stays in the server's log (/health names it too).
 */
function toDataSourceError(error: unknown): DataSourceResult {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
  if (error instanceof InvalidPaginationTokenError) {
    return { result: null, error: { type: `DynamoDB:${error.name}`, message: error.message } };
  }
  const status = e.$metadata?.httpStatusCode;
  if (status === undefined) {
    return {
      result: null,
      error: {
        type: 'DynamoDB:DynamoDbException',
        message: 'The data source could not be reached (Service: DynamoDb, Status Code: 503, Request ID: none)',
      },
    };
  }
  return {
    result: null,
    error: {
      type: `DynamoDB:${e.name ?? 'DynamoDbException'}`,
      message: `${e.message ?? 'DynamoDB request failed'} (Service: DynamoDb, Status Code: ${status}, Request ID: ${e.$metadata?.requestId ?? 'unknown'})`,
    },
  };
}

export class DynamoDBDataSource {
  private readonly tokens: PaginationTokens;

  constructor(private readonly config: DynamoDBDataSourceConfig) {
    this.tokens = config.paginationTokens ?? new PaginationTokens();
  }

  /** Runs one request object; DynamoDB errors become ctx.error, as in AppSync. */
  async invoke(request: Plain, info: InvocationInfo = { resolver: 'unknown' }): Promise<DataSourceResult> {
    try {
      return { result: await this.execute(request, info) };
    } catch (error) {
      if (error instanceof UnsupportedError || error instanceof TypeError) throw error;
      return { ...toDataSourceError(error), result: failedTransactionResult(request, error) };
    }
  }

  private async execute(request: Plain, info: InvocationInfo): Promise<unknown> {
    const { api, tableName } = this.config;
    const TableName = tableName;
    switch (request.operation) {
      case 'GetItem': {
        const projection = expression(request.projection);
        const out = await api.call('GetItem', {
          TableName,
          Key: toSdkAttributeMap(request.key as never),
          ConsistentRead: request.consistentRead as boolean | undefined,
          ProjectionExpression: projection?.expression,
          ...expressionParameters(projection),
        });
        return item(out.Item);
      }
      case 'PutItem': {
        const condition = expression(request.condition);
        const Item = {
          ...toSdkAttributeMap(request.attributeValues as never),
          ...toSdkAttributeMap(request.key as never),
        };
        await api.call('PutItem', {
          TableName,
          Item,
          ConditionExpression: condition?.expression,
          ...expressionParameters(condition),
        });
        return fromSdkItem(Item);
      }
      case 'UpdateItem': {
        const update = expression(request.update) as Expression;
        const condition = expression(request.condition);
        const out = await api.call('UpdateItem', {
          TableName,
          Key: toSdkAttributeMap(request.key as never),
          UpdateExpression: update.expression,
          ConditionExpression: condition?.expression,
          ReturnValues: 'ALL_NEW',
          ...expressionParameters(update, condition),
        });
        return item(out.Attributes);
      }
      case 'DeleteItem': {
        const condition = expression(request.condition);
        const out = await api.call('DeleteItem', {
          TableName,
          Key: toSdkAttributeMap(request.key as never),
          ConditionExpression: condition?.expression,
          ReturnValues: 'ALL_OLD',
          ...expressionParameters(condition),
        });
        return item(out.Attributes);
      }
      case 'Query':
      case 'Scan':
        return this.readPage(request, info);
      case 'BatchGetItem':
        return this.batchGet(request);
      case 'BatchPutItem':
      case 'BatchDeleteItem':
        return this.batchWrite(request);
      case 'TransactGetItems':
        return this.transactGet(request);
      case 'TransactWriteItems':
        return this.transactWrite(request);
      default:
        throw new UnsupportedError(`DynamoDB operation ${String(request.operation)}`);
    }
  }

  private async readPage(request: Plain, info: InvocationInfo): Promise<unknown> {
    const { api, tableName } = this.config;
    const key = expression(request.query);
    const filter = expression(request.filter);
    const projection = expression(request.projection);
    const common = {
      TableName: tableName,
      IndexName: request.index as string | undefined,
      Limit: request.limit as number | undefined,
      ConsistentRead: request.consistentRead as boolean | undefined,
      ExclusiveStartKey: this.tokens.open(request.nextToken as string | undefined, info.resolver),
      FilterExpression: filter?.expression,
      ProjectionExpression: projection?.expression,
      Select: projection ? 'SPECIFIC_ATTRIBUTES' : (request.select as 'ALL_ATTRIBUTES' | undefined),
      ...expressionParameters(key, filter, projection),
    } as const;
    const out =
      request.operation === 'Query'
        ? await api.call('Query', {
            ...common,
            KeyConditionExpression: key?.expression,
            ScanIndexForward: request.scanIndexForward as boolean | undefined,
          })
        : await api.call('Scan', {
            ...common,
            Segment: request.segment as number | undefined,
            TotalSegments: request.totalSegments as number | undefined,
          });
    return {
      items: (out.Items ?? []).map(fromSdkItem),
      nextToken: out.LastEvaluatedKey ? this.token(out.LastEvaluatedKey, info) : null,
      scannedCount: out.ScannedCount ?? 0,
    };
  }

  private token(lastEvaluatedKey: Record<string, AttributeValue>, info: InvocationInfo): string | Deferred<string> {
    const seal = () => this.tokens.seal(lastEvaluatedKey, info.resolver);
    return info.deferTokens ? new Deferred(seal) : seal();
  }

  private async batchGet(request: Plain): Promise<unknown> {
    const tables = request.tables as Record<
      string,
      { keys: Plain[]; consistentRead?: boolean; projection?: Expression }
    >;
    const RequestItems: Record<string, Plain> = {};
    for (const [table, spec] of Object.entries(tables)) {
      const projection = expression(spec.projection);
      RequestItems[table] = {
        Keys: spec.keys.map((key) => toSdkAttributeMap(key as never)),
        ConsistentRead: spec.consistentRead,
        ProjectionExpression: projection?.expression,
        ExpressionAttributeNames: projection?.expressionNames,
      };
    }
    const out = await this.config.api.call('BatchGetItem', { RequestItems: RequestItems as never });
    const data: Record<string, (Plain | null)[]> = {};
    const unprocessedKeys: Record<string, Plain[]> = {};
    for (const [table, spec] of Object.entries(tables)) {
      // DynamoDB returns items in no particular order: align them with the requested keys.
      const keys = spec.keys.map(plainItem);
      const keyNames = Object.keys(keys[0] ?? {});
      const byKey = new Map(
        (out.Responses?.[table] ?? [])
          .map(fromSdkItem)
          .map((found) => [canonical(keyNames.map((n) => found[n])), found]),
      );
      data[table] = keys.map((key) => byKey.get(canonical(keyNames.map((n) => key[n]))) ?? null);
      unprocessedKeys[table] = (out.UnprocessedKeys?.[table]?.Keys ?? []).map(fromSdkItem);
    }
    return { data, unprocessedKeys };
  }

  private async batchWrite(request: Plain): Promise<unknown> {
    const isPut = request.operation === 'BatchPutItem';
    const tables = request.tables as Record<string, Plain[]>;
    const RequestItems: Record<string, Plain[]> = {};
    for (const [table, entries] of Object.entries(tables)) {
      RequestItems[table] = entries.map((entry) =>
        isPut
          ? { PutRequest: { Item: toSdkAttributeMap(entry as never) } }
          : { DeleteRequest: { Key: toSdkAttributeMap(entry as never) } },
      );
    }
    const out = await this.config.api.call('BatchWriteItem', { RequestItems: RequestItems as never });
    const data: Record<string, (Plain | null)[]> = {};
    const unprocessed: Record<string, Plain[]> = {};
    for (const [table, entries] of Object.entries(tables)) {
      const left = (out.UnprocessedItems?.[table] ?? []).map((w) =>
        fromSdkItem((isPut ? w.PutRequest?.Item : w.DeleteRequest?.Key) ?? {}),
      );
      unprocessed[table] = left;
      const notWritten = new Set(left.map(canonical));
      data[table] = entries.map(plainItem).map((entry) => (notWritten.has(canonical(entry)) ? null : entry));
    }
    return isPut ? { data, unprocessedItems: unprocessed } : { data, unprocessedKeys: unprocessed };
  }

  /**
   * Each request item names its own table (the data source's does not matter); items come back
   * in request order, null where there is none.
   * https://docs.aws.amazon.com/appsync/latest/devguide/js-aws-appsync-resolver-reference-dynamodb-transact-get-items.html
   */
  private async transactGet(request: Plain): Promise<unknown> {
    const TransactItems = transactItems(request).map((entry) => {
      const projection = expression(entry.projection);
      return {
        Get: {
          TableName: entry.table as string,
          Key: toSdkAttributeMap(entry.key as never),
          ProjectionExpression: projection?.expression,
          ...expressionParameters(projection),
        },
      };
    });
    const out = await this.config.api.call('TransactGetItems', { TransactItems });
    return { items: (out.Responses ?? []).map((response) => item(response.Item)), cancellationReasons: null };
  }

  /**
   * PutItem, UpdateItem, DeleteItem and ConditionCheck items, all or nothing; the keys of the
   * request items come back in request order.
   * https://docs.aws.amazon.com/appsync/latest/devguide/js-aws-appsync-resolver-reference-dynamodb-transact-write-items.html
   */
  private async transactWrite(request: Plain): Promise<unknown> {
    const entries = transactItems(request);
    const TransactItems = entries.map(transactWriteItem);
    const duplicates = sharedTargets(entries);
    if (duplicates.some(Boolean)) throw multipleOperationsOnOneItem(duplicates);
    await this.config.api.call('TransactWriteItems', { TransactItems });
    return { keys: entries.map((entry) => plainItem(entry.key as Plain)), cancellationReasons: null };
  }
}

function transactItems(request: Plain): Plain[] {
  const entries = request.transactItems;
  if (!Array.isArray(entries)) {
    throw new TypeError(`${String(request.operation)} needs transactItems, a list of request items`);
  }
  entries.forEach((entry, i) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new TypeError(`transactItems[${i}] is not a request item object`);
    }
  });
  return entries as Plain[];
}

/** One TransactWriteItems request item of AppSync's form as DynamoDB's. */
function transactWriteItem(entry: Plain, index: number): TransactWriteItem {
  const condition = expression(entry.condition) as TransactCondition | undefined;
  const Key = toSdkAttributeMap(entry.key as never);
  const common = {
    TableName: entry.table as string,
    ConditionExpression: condition?.expression,
    // "This value defaults to true": a failed condition brings back the stored item.
    ReturnValuesOnConditionCheckFailure: condition
      ? condition.returnValuesOnConditionCheckFailure === false
        ? ('NONE' as const)
        : ('ALL_OLD' as const)
      : undefined,
  };
  switch (entry.operation) {
    case 'PutItem':
      return {
        Put: {
          ...common,
          Item: { ...toSdkAttributeMap(entry.attributeValues as never), ...Key },
          ...expressionParameters(condition),
        },
      };
    case 'UpdateItem': {
      const update = expression(entry.update);
      return {
        Update: { ...common, Key, UpdateExpression: update?.expression, ...expressionParameters(update, condition) },
      };
    }
    case 'DeleteItem':
      return { Delete: { ...common, Key, ...expressionParameters(condition) } };
    case 'ConditionCheck':
      return { ConditionCheck: { ...common, Key, ...expressionParameters(condition) } } as TransactWriteItem;
    default:
      throw new TypeError(
        `transactItems[${index}]: operation must be PutItem, UpdateItem, DeleteItem or ConditionCheck, not ${String(entry.operation)}`,
      );
  }
}

/** For each request item, whether another one targets the same item (same table and key). */
function sharedTargets(entries: Plain[]): boolean[] {
  const targets = entries.map((entry) => `${String(entry.table)} ${canonical(plainItem((entry.key ?? {}) as Plain))}`);
  return targets.map((target) => targets.filter((other) => other === target).length > 1);
}

/**
 * AppSync's reference says two request items on one item "will cause TransactionCanceledException
 * error" (DynamoDB itself answers a ValidationException, and so does the embedded store). The
 * reasons are inferred: DynamoDB's code and words for a user error on each item involved.
 */
function multipleOperationsOnOneItem(shared: boolean[]): Error {
  const CancellationReasons: CancellationReason[] = shared.map((isShared) =>
    isShared
      ? { Code: 'ValidationError', Message: 'Transaction request cannot include multiple operations on one item' }
      : { Code: 'None' },
  );
  const codes = CancellationReasons.map((reason) => reason.Code).join(', ');
  return new DynamoDBServiceError(
    'TransactionCanceledException',
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
    400,
    undefined,
    { CancellationReasons },
  );
}

/**
 * ctx.result of a transaction that failed: "The keys items and cancellationReasons are
 * guaranteed to be present" (keys and cancellationReasons for writes), the reasons in request
 * order when DynamoDB cancelled it; null for any other operation. ctx.error meanwhile is built
 * as for every DynamoDB error (toDataSourceError): `DynamoDB:TransactionCanceledException` and
 * DynamoDB's message. No page prints that ctx.error, so its exact type and text are inferred.
 */
function failedTransactionResult(request: Plain, error: unknown): Plain | null {
  const reasons = (error as ErrorMembers | null)?.CancellationReasons;
  const cancellationReasons = reasons ? reasons.map(cancellationReason) : null;
  if (request.operation === 'TransactGetItems') return { items: null, cancellationReasons };
  if (request.operation === 'TransactWriteItems') return { keys: null, cancellationReasons };
  return null;
}

/** One of DynamoDB's cancellation reasons as AppSync prints them. */
function cancellationReason(reason: CancellationReason): Plain {
  const code = reason.Code ?? 'None';
  if (code === 'None') return { type: 'None', message: 'None' };
  const out: Plain = reason.Item ? { item: fromSdkItem(reason.Item) } : {};
  // AppSync's words for a failed condition, not DynamoDB's ("ConditionalCheckFailed", "The conditional request failed").
  if (code === 'ConditionalCheckFailed')
    return { ...out, type: 'ConditionCheckFailed', message: 'The condition check failed.' };
  return { ...out, type: code, message: reason.Message ?? code };
}

/** A typed (AppSync-form) item or key as plain JSON. */
function plainItem(typed: Plain): Plain {
  return fromSdkItem(toSdkAttributeMap(typed as never) ?? {});
}

/** JSON with object keys sorted, so equal values compare equal however their maps were ordered. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Plain).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
