/**
 * Validation errors in AppSync's (graphql-java 9's) words. Each kind is first held to an answer
 * AppSync gave, pasted in a public thread: the same schema shape and query, the same message
 * (and location where the thread shows it). Then the same kinds on ScoreDrive's own schema,
 * through the running API. Sources are in src/server/wire/validation-messages.ts; where no
 * AppSync answer is known, graphql-js's message is kept behind graphql-java's kind.
 */
import { buildSchema, parse, specifiedRules, type ValueNode, visit } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/server/service';
import { javaBigDecimal, javaHashSetToString, javaLiteral } from '../../src/server/wire/java-text';
import { AppSyncValidation } from '../../src/server/wire/validation-messages';
import { graphql, startTestService } from '../helpers/service';

const GRAPHQL_JAVA_9_5 = 'graphql-java/graphql-java@cf1e838 (tag 9.5)';

/** AppSync's entries for `query` against `sdl`. */
function appSyncErrors(sdl: string, query: string) {
  const schema = buildSchema(sdl);
  const validation = new AppSyncValidation(schema, specifiedRules);
  const document = parse(query);
  return validation.entries(document, validation.validate(document));
}
const messages = (sdl: string, query: string) => appSyncErrors(sdl, query).map((entry) => entry.message);

/** The argument values of a document, in order. */
function argumentValues(query: string): ValueNode[] {
  const values: ValueNode[] = [];
  visit(parse(query, { noLocation: true }), {
    Argument(node) {
      values.push(node.value);
    },
  });
  return values;
}

describe('recorded AppSync answers, reproduced', () => {
  it('FieldUndefined, with its location (graphql/graphql-over-http#81, the AppSync team’s own list)', () => {
    expect(appSyncErrors('type Query { a: Int }', '{badfield}')).toEqual([
      {
        path: null,
        locations: [{ line: 1, column: 2, sourceName: null }],
        message: "Validation error of type FieldUndefined: Field 'badfield' in type 'Query' is undefined @ 'badfield'",
      },
    ]);
  });

  it('SubSelectionNotAllowed, at the field rather than its selection (aws-amplify/amplify-cli#1296)', () => {
    expect(
      appSyncErrors('type Query { sendSignatureRequest: String }', '{\n  sendSignatureRequest {\n    response\n  }\n}'),
    ).toEqual([
      {
        path: null,
        locations: [{ line: 2, column: 3, sourceName: null }],
        message:
          "Validation error of type SubSelectionNotAllowed: Sub selection not allowed on leaf type String of field sendSignatureRequest @ 'sendSignatureRequest'",
      },
    ]);
  });

  it('SubSelectionRequired, with the path of field names (aws-amplify/amplify-android#702)', () => {
    const sdl = `type Query { syncTasks: TaskConnection }
      type TaskConnection { items: [Task] }
      type Task { id: ID! reminder: Reminder }
      type Reminder { offSet: String }`;
    expect(messages(sdl, 'query { syncTasks { items { id reminder } } }')).toEqual([
      "Validation error of type SubSelectionRequired: Sub selection required for type Reminder of field reminder @ 'syncTasks/items/reminder'",
    ]);
  });

  it('MissingFieldArgument (aws-amplify/amplify-swift#854)', () => {
    const sdl = 'type Query { a: Int } type Subscription { onCreateTodo(owner: String!): Todo } type Todo { id: ID! }';
    expect(messages(sdl, 'subscription OnCreateTodo { onCreateTodo { id } }')).toEqual([
      "Validation error of type MissingFieldArgument: Missing field argument owner @ 'onCreateTodo'",
    ]);
  });

  it('UnknownArgument (aws-amplify/amplify-flutter#3388)', () => {
    const sdl = 'type Query { a: Int } type Subscription { onCreateTask: Task } type Task { id: ID! }';
    expect(messages(sdl, 'subscription { onCreateTask(authors: "me") { id } }')).toEqual([
      "Validation error of type UnknownArgument: Unknown field argument authors @ 'onCreateTask'",
    ]);
  });

  it('UnknownType with no path, in document order before a FieldUndefined (aws-amplify/learn#417)', () => {
    const errors = appSyncErrors(
      'type Query { listNotes(limit: Int, nextToken: String): [Note] } type Note { id: ID! }',
      'query SyncNotes($limit: Int, $nextToken: String, $lastSync: AWSTimestamp) {\n  syncNotes(limit: $limit, nextToken: $nextToken, lastSync: $lastSync) { id }\n}',
    );
    expect(errors).toEqual([
      {
        path: null,
        locations: [{ line: 1, column: 61, sourceName: null }],
        message: 'Validation error of type UnknownType: Unknown type AWSTimestamp',
      },
      {
        path: null,
        locations: [{ line: 2, column: 3, sourceName: null }],
        message:
          "Validation error of type FieldUndefined: Field 'syncNotes' in type 'Query' is undefined @ 'syncNotes'",
      },
    ]);
  });

  it('VariableTypeMismatch, at the variable’s use (apollographql/graphql-tag#652)', () => {
    const sdl = 'type Query { getCard(id: ID!): Card } type Card { name: String }';
    expect(messages(sdl, 'query getCard($cardId:String!){ getCard(id: $cardId) { name } }')).toEqual([
      "Validation error of type VariableTypeMismatch: Variable type 'String!' doesn't match expected type 'ID!' @ 'getCard'",
    ]);
  });

  it('WrongType for an input object missing a required field (aws/aws-appsync-community#273)', () => {
    const sdl = `type Query { a: Int }
      type Mutation { createUpdateTest(input: [CreateUpdateTestInput!]!): Result }
      input CreateUpdateTestInput { test: String! }
      type Result { id: ID }`;
    expect(messages(sdl, 'mutation createUpdateTest {\n  createUpdateTest(input: {testa: "test"}) { id }\n}')).toEqual([
      "Validation error of type WrongType: argument 'input' with value 'ObjectValue{objectFields=[ObjectField{name='testa', value=StringValue{value='test'}}]}' is missing required fields '[test]' @ 'createUpdateTest'",
    ]);
  });

  it('prints literals as graphql-java’s AST prints them (awslabs/aws-mobile-appsync-sdk-js#554)', () => {
    const [value] = argumentValues('{ f(a: {upvotes: 10}) }');
    expect(javaLiteral(value)).toBe(
      "ObjectValue{objectFields=[ObjectField{name='upvotes', value=IntValue{value=10}}]}",
    );
  });
});

describe(`graphql-java 9.5's own printing (${GRAPHQL_JAVA_9_5}), checked against OpenJDK 17`, () => {
  it('prints Float literals as BigDecimal.toString does', () => {
    const printed = [
      '1.5e3',
      '1e3',
      '1.50',
      '0.0',
      '0e5',
      '-0.0',
      '1.5e-10',
      '123.456e2',
      '0.0000001',
      '-2.5E-3',
      '10e-1',
    ];
    expect(printed.map(javaBigDecimal)).toEqual([
      '1.5E+3',
      '1E+3',
      '1.50',
      '0.0',
      '0E+5',
      '0.0',
      '1.5E-10',
      '12345.6',
      '1E-7',
      '-0.0025',
      '1.0',
    ]);
  });

  it('lists missing fields in HashSet order', () => {
    expect(javaHashSetToString(['name', 'country', 'driverId', 'period', 'test'])).toBe(
      '[country, period, driverId, test, name]',
    );
    expect(javaHashSetToString(Array.from({ length: 20 }, (_, i) => `field${i}`))).toBe(
      '[field19, field17, field18, field11, field12, field1, field0, field10, field15, field16, field13, field14, field7, field6, field9, field8, field3, field2, field5, field4]',
    );
  });

  it('prints every other literal kind as its AST node’s toString', () => {
    const values = argumentValues('{ f(a: "x", b: -0, c: true, d: A, e: null, f: $v, g: [1, 2.5]) }');
    expect(values.map(javaLiteral)).toEqual([
      "StringValue{value='x'}",
      'IntValue{value=0}',
      'BooleanValue{value=true}',
      "EnumValue{name='A'}",
      'NullValue{}',
      "VariableReference{name='v'}",
      'ArrayValue{values=[IntValue{value=1}, FloatValue{value=2.5}]}',
    ]);
  });
});

describe('ScoreDrive’s schema through the running API', () => {
  let service: Service;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ service, stop } = await startTestService({ accessLog: false }));
  });
  afterAll(async () => stop());

  const cases: [string, string, string[]][] = [
    [
      'an unknown field',
      '{ score(driverId: "A") { nope } }',
      ["Validation error of type FieldUndefined: Field 'nope' in type 'Score' is undefined @ 'score/nope'"],
    ],
    [
      'a missing required argument',
      '{ score { period } }',
      ["Validation error of type MissingFieldArgument: Missing field argument driverId @ 'score'"],
    ],
    [
      'an unknown argument',
      '{ score(driverId: "A", bogus: 1) { period } }',
      ["Validation error of type UnknownArgument: Unknown field argument bogus @ 'score'"],
    ],
    [
      'an object without a selection',
      '{ score(driverId: "A") }',
      ["Validation error of type SubSelectionRequired: Sub selection required for type Score of field score @ 'score'"],
    ],
    // graphql-java 9.5 names a wrapped type (here [Score]!) null.
    [
      'a list without a selection',
      '{ scores(driverIds: ["A"], period: "2025-01") }',
      [
        "Validation error of type SubSelectionRequired: Sub selection required for type null of field scores @ 'scores'",
      ],
    ],
    [
      'a selection on a leaf',
      '{ score(driverId: "A") { factors { braking { y } } } }',
      [
        "Validation error of type SubSelectionNotAllowed: Sub selection not allowed on leaf type null of field braking @ 'score/factors/braking'",
      ],
    ],
    [
      'an unknown type',
      'query($p: Period) { score(driverId: "A", period: $p) { period } }',
      ['Validation error of type UnknownType: Unknown type Period'],
    ],
    [
      'a variable of the wrong type',
      'query($ids: [String]) { scores(driverIds: $ids, period: "x") { period } }',
      [
        "Validation error of type VariableTypeMismatch: Variable type '[String]' doesn't match expected type '[ID!]!' @ 'scores'",
      ],
    ],
    [
      'a literal of the wrong type, one error per argument',
      '{ scores(driverIds: [1.5e3, true], period: 1) { period } }',
      [
        "Validation error of type WrongType: argument 'driverIds[0]' with value 'FloatValue{value=1.5E+3}' is not a valid 'ID' @ 'scores'",
        "Validation error of type WrongType: argument 'period' with value 'IntValue{value=1}' is not a valid 'String' @ 'scores'",
      ],
    ],
    [
      'a null in a list of non-null ids',
      '{ scores(driverIds: ["A", null], period: "x") { period } }',
      [
        "Validation error of type WrongType: argument 'driverIds[1]' with value 'NullValue{}' must not be null @ 'scores'",
      ],
    ],
    [
      'a field inside a fragment (the fragment’s name starts the path)',
      'fragment F on Score { nope } { score(driverId: "A") { ...F } }',
      ["Validation error of type FieldUndefined: Field 'nope' in type 'Score' is undefined @ 'F/nope'"],
    ],
    [
      'several mistakes, in graphql-java’s order',
      '{ score(driverIdx: "A") { nope } }',
      [
        "Validation error of type MissingFieldArgument: Missing field argument driverId @ 'score'",
        "Validation error of type UnknownArgument: Unknown field argument driverIdx @ 'score'",
        "Validation error of type FieldUndefined: Field 'nope' in type 'Score' is undefined @ 'score/nope'",
      ],
    ],
    // No AppSync answer known: graphql-js's words behind graphql-java's kind.
    [
      'an unused variable',
      'query($x: Int) { score(driverId: "A") { period } }',
      ['Validation error of type UnusedVariable: Variable "$x" is never used.'],
    ],
  ];

  for (const [kind, query, expected] of cases) {
    it(`words ${kind} as AppSync does: HTTP 200, data null, no errorType`, async () => {
      const { status, body } = await graphql(service, query);
      expect(status).toBe(200);
      expect(body.data).toBeNull();
      expect(body.errors?.map((error) => error.message)).toEqual(expected);
      for (const error of body.errors ?? []) {
        expect(error.path).toBeNull();
        expect(error.errorType).toBeUndefined();
      }
    });
  }
});
