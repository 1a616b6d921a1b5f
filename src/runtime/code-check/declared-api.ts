/**
 * AppSync's declared API, as data: the members TypeScript finds on `util`, `extensions`,
 * `runtime` and the `@aws-appsync/utils/dynamodb` module. AppSync type-checks the code it is
 * given against its bundled copy of these types and refuses a member they lack
 * (`error TS2339: Property 'sync' does not exist on type …`).
 *
 * Read from @aws-appsync/utils@2.1.1 (node_modules/@aws-appsync/utils/lib): `index.d.ts`
 * (Util, Extensions, Runtime), `time-utils.d.ts`, `dynamodb-utils.d.ts`, `rds-utils.d.ts`,
 * `http-utils.d.ts`, `xml-utils.d.ts`, `transform-utils.d.ts`, `math-utils.d.ts`,
 * `string-utils.d.ts`, and `dynamodb-helpers.d.ts` (the module's functions and `operations`).
 * One deliberate difference: 2.1.1 declares `sync` in dynamodb-helpers.d.ts, but AWS's copy does
 * not. AWS answered `ddb.sync(…)` with `code.js(5,14): error TS2339: Property 'sync' does not
 * exist on type 'typeof import("/var/task/node_modules/@amzn/awsapp-sync-jsvtltranspiler/bundled/@aws-appsync/utils/lib/dynamo-db-helpers")'`
 * (recorded in localstack/appsync-utils `__tests__/index.test.js`, commit 9077688), so it is
 * left out here.
 */

/** An object type whose members TypeScript checks. */
export interface DeclaredType {
  /** The type as TypeScript prints it in its message. */
  readonly typeName: string;
  /** Each member: its own DeclaredType when it is an object of known members, null when it is a function or value. */
  readonly members: Readonly<Record<string, DeclaredType | null>>;
}

const type = (typeName: string, functions: readonly string[], objects: Record<string, DeclaredType> = {}) => ({
  typeName,
  members: { ...Object.fromEntries(functions.map((name) => [name, null])), ...objects },
});

const TIME_UTILS = type('TimeUtils', [
  'nowISO8601',
  'nowEpochSeconds',
  'nowEpochMilliSeconds',
  'nowFormatted',
  'parseFormattedToEpochMilliSeconds',
  'parseISO8601ToEpochMilliSeconds',
  'epochMilliSecondsToSeconds',
  'epochMilliSecondsToISO8601',
  'epochMilliSecondsToFormatted',
]);

const DYNAMODB_UTIL = type('DynamodbUtil', [
  'toDynamoDB',
  'toString',
  'toStringSet',
  'toNumber',
  'toNumberSet',
  'toBinary',
  'toBinarySet',
  'toBoolean',
  'toNull',
  'toList',
  'toMap',
  'toMapValues',
  'toS3Object',
  'fromS3ObjectJson',
]);

const UTIL = type(
  'Util',
  [
    'escapeJavaScript',
    'urlEncode',
    'urlDecode',
    'base64Encode',
    'base64Decode',
    'autoId',
    'autoUlid',
    'autoKsuid',
    'unauthorized',
    'error',
    'appendError',
    'matches',
    'authType',
  ],
  {
    time: TIME_UTILS,
    dynamodb: DYNAMODB_UTIL,
    rds: type('RdsUtil', ['toJsonObject']),
    http: type('HttpUtils', ['copyHeaders', 'addResponseHeader', 'addResponseHeaders']),
    xml: type('XmlUtils', ['toMap', 'toJsonString']),
    transform: type('TransformUtils', [
      'toDynamoDBFilterExpression',
      'toDynamoDBConditionExpression',
      'toElasticsearchQueryDSL',
      'toSubscriptionFilter',
    ]),
    math: type('MathUtils', ['roundNum', 'minVal', 'maxVal', 'randomDouble', 'randomWithinRange']),
    str: type('StringUtils', ['normalize']),
  },
);

const EXTENSIONS = type('Extensions', [
  'evictFromApiCache',
  'setSubscriptionFilter',
  'setSubscriptionInvalidationFilter',
  'invalidateSubscriptions',
]);

const RUNTIME = type('Runtime', ['earlyReturn']);

export const DYNAMODB_MODULE = '@aws-appsync/utils/dynamodb';

const DYNAMODB_HELPERS = type(
  `typeof import("${DYNAMODB_MODULE}")`,
  [
    'query',
    'scan',
    'update',
    'remove',
    'put',
    'get',
    'batchGet',
    'batchPut',
    'batchDelete',
    'transactGet',
    'transactWrite',
    'toStringSet',
    'toNumberSet',
    'toBinarySet',
  ],
  {
    operations: type('DynamoDBOperation', [
      'add',
      'remove',
      'replace',
      'increment',
      'decrement',
      'append',
      'prepend',
      'updateListItem',
    ]),
  },
);

/** The declared type of each root a reference chain can start from (see references.ts). */
export const DECLARED_ROOTS: Readonly<Record<string, DeclaredType>> = {
  util: UTIL,
  extensions: EXTENSIONS,
  runtime: RUNTIME,
  [DYNAMODB_MODULE]: DYNAMODB_HELPERS,
};
