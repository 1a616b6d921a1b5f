/**
 * Conversions between plain JSON and DynamoDB attribute values, as AppSync's
 * `util.dynamodb.*` does them: numbers stay JSON numbers (`{ N: 12345 }`), lists rather than
 * sets, maps for objects.
 * https://docs.aws.amazon.com/appsync/latest/devguide/dynamodb-helpers-in-util-dynamodb-js.html
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** An attribute value in AppSync's JSON form: like DynamoDB's, but `N` may be a number. */
export type AppSyncAttributeValue =
  | { S: string }
  | { N: number | string }
  | { BOOL: boolean }
  | { NULL: true | null }
  | { B: string }
  | { SS: string[] }
  | { NS: (number | string)[] }
  | { BS: string[] }
  | { L: AppSyncAttributeValue[] }
  | { M: Record<string, AppSyncAttributeValue> };

export function toDynamoDB(value: unknown): AppSyncAttributeValue {
  if (value === null || value === undefined) {
    return { NULL: null };
  }
  if (typeof value === 'string') {
    return { S: value };
  }
  if (typeof value === 'number') {
    return { N: value };
  }
  if (typeof value === 'boolean') {
    return { BOOL: value };
  }
  if (Array.isArray(value)) {
    return { L: value.map(toDynamoDB) };
  }
  if (typeof value === 'object') {
    return { M: toMapValues(value as Record<string, unknown>) };
  }
  throw new TypeError(`util.dynamodb.toDynamoDB: cannot convert a ${typeof value}`);
}

/**
 * Sets a member whatever its name: an attribute may be called `__proto__`, which a plain
 * assignment would take as the object's prototype (losing the attribute).
 */
export function setMember<T>(out: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__')
    Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  else out[key] = value;
}

export function toMapValues(map: Record<string, unknown>): Record<string, AppSyncAttributeValue> {
  const out: Record<string, AppSyncAttributeValue> = {};
  for (const [key, value] of Object.entries(map)) {
    if (value !== undefined) setMember(out, key, toDynamoDB(value));
  }
  return out;
}

/** An item's attributes other than its key's, typed: PutItem's attributeValues. */
export function attributesBesidesKey(item: Record<string, unknown>, key: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item ?? {})) if (!Object.hasOwn(key, name)) setMember(out, name, value);
  return toMapValues(out);
}

/** The `util.dynamodb` object handed to resolvers. */
export const dynamodbUtil = {
  toDynamoDB,
  toMapValues,
  toString: (value: string | null | undefined) => (value == null ? null : { S: value }),
  toStringSet: (values: string[] | null | undefined) => (values == null ? null : { SS: [...values] }),
  toNumber: (value: number | null | undefined) => (value == null ? null : { N: value }),
  toNumberSet: (values: number[] | null | undefined) => (values == null ? null : { NS: [...values] }),
  toBinary: (value: string | null | undefined) => (value == null ? null : { B: value }),
  toBinarySet: (values: string[] | null | undefined) => (values == null ? null : { BS: [...values] }),
  toBoolean: (value: boolean | null | undefined) => (value == null ? null : { BOOL: value }),
  toNull: () => ({ NULL: null }),
  toList: (values: unknown[] | null | undefined) => (values == null ? null : { L: values.map(toDynamoDB) }),
  toMap: (map: Record<string, unknown>) => ({ M: toMapValues(map) }),
  /** Compact JSON, as AppSync's EvaluateCode answers (the doc's printed example is malformed). */
  toS3Object: (key: string, bucket: string, region: string, version?: string) => ({
    S: JSON.stringify({ s3: version === undefined ? { key, bucket, region } : { key, bucket, region, version } }),
  }),
  fromS3ObjectJson: (value: string) => {
    const parsed = JSON.parse(value) as { s3?: Record<string, string> };
    if (!parsed.s3) {
      throw new TypeError('util.dynamodb.fromS3ObjectJson: not an S3 object');
    }
    return { ...parsed.s3 };
  },
};

/** Turns AppSync-form attribute values (numbers as numbers) into the SDK's wire form. */
export function toSdkAttributeValue(value: AppSyncAttributeValue | AttributeValue): AttributeValue {
  const v = value as Record<string, unknown>;
  if ('N' in v) {
    return { N: String(v.N) };
  }
  if ('NS' in v) {
    return { NS: (v.NS as unknown[]).map(String) };
  }
  if ('NULL' in v) {
    return { NULL: true };
  }
  if ('B' in v && typeof v.B === 'string') {
    return { B: Buffer.from(v.B, 'base64') };
  }
  if ('BS' in v) {
    return {
      BS: (v.BS as unknown[]).map((b) => (typeof b === 'string' ? Buffer.from(b, 'base64') : (b as Uint8Array))),
    };
  }
  if ('L' in v) {
    return { L: (v.L as AppSyncAttributeValue[]).map(toSdkAttributeValue) };
  }
  if ('M' in v) {
    return { M: toSdkAttributeMap(v.M as Record<string, AppSyncAttributeValue>) ?? {} };
  }
  return value as AttributeValue;
}

export function toSdkAttributeMap(
  map: Record<string, AppSyncAttributeValue | AttributeValue> | undefined,
): Record<string, AttributeValue> | undefined {
  if (map === undefined || map === null) {
    return undefined;
  }
  const out: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(map)) {
    out[key] = toSdkAttributeValue(value);
  }
  return out;
}

/**
 * An SDK attribute value as the plain JSON AppSync hands to response handlers: numbers as
 * JSON numbers, sets as lists, binary as base64.
 */
export function fromSdkAttributeValue(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.M !== undefined) return fromSdkItem(value.M);
  if (value.L !== undefined) return value.L.map(fromSdkAttributeValue);
  if (value.SS !== undefined) return [...value.SS];
  if (value.NS !== undefined) return value.NS.map(Number);
  if (value.B !== undefined) return Buffer.from(value.B).toString('base64');
  if (value.BS !== undefined) return value.BS.map((b) => Buffer.from(b).toString('base64'));
  throw new TypeError(`unknown DynamoDB attribute value: ${Object.keys(value).join(',')}`);
}

export function fromSdkItem(item: Record<string, AttributeValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    setMember(out, key, fromSdkAttributeValue(value));
  }
  return out;
}
