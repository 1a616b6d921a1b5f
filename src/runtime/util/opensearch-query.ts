/**
 * `util.transform.toElasticsearchQueryDSL`: an OpenSearch query object (the filter input of a
 * searchable model: field → { operator: value }, plus `and`, `or`, `not`) turned into the
 * OpenSearch Query DSL, returned as a JSON string.
 * https://docs.aws.amazon.com/appsync/latest/devguide/transformation-helpers-in-utils-transform-js.html
 *
 * Where the mapping comes from. The guide prints one example (eq → term, ne → bool.must_not.term,
 * range [a, b] → range { gte: a, lte: b }, wildcard → wildcard; several operators on one field and
 * several fields → bool.must) and says "The default operator is assumed to be AND." Neither the JS
 * page nor its VTL twin (transformation-helpers-in-utils-transform.html) has an operator table.
 * The operator list is the one `@aws-appsync/utils` types (lib/transform-utils.d.ts,
 * OpenSearchQueryObject / OpenSearchQueryOperation): eq, ne, gt, gte, lt, lte, range, match,
 * matchPhrase, matchPhrasePrefix, multiMatch, wildcard, regexp, exists, and and/or/not. Operators
 * the guide does not print follow the printed pattern `{ <query>: { <field>: value } }`, as the
 * Amplify AppSync simulator's port of the same helper does (aws-amplify/amplify-cli,
 * packages/amplify-appsync-simulator/src/velocity/util/elasticsearch-utils.ts); so do `exists:
 * false` → bool.must_not.exists and `or` → bool.should with minimum_should_match 1. That port turns
 * eq into a match on `<field>.keyword`; the guide prints a term, and the guide is followed here.
 * The types have no `in`, and neither has the port, so `in` is an unknown operator here.
 */
import { descend, describeValue, isRecord } from './subscription-filter';

const WHO = 'util.transform.toElasticsearchQueryDSL';

type Clause = Record<string, unknown>;

function fail(message: string): TypeError {
  return new TypeError(`${WHO}: ${message}`);
}

type Check = (value: unknown) => boolean;

const isText: Check = (value) => typeof value === 'string';
const isBound: Check = (value) => isText(value) || (typeof value === 'number' && Number.isFinite(value));
const isScalar: Check = (value) => isBound(value) || typeof value === 'boolean';

/** An operator: what it accepts (for the error message), the check, and the clause it makes. */
interface Operator {
  readonly takes: string;
  readonly accepts: Check;
  readonly clause: (field: string, value: unknown) => Clause;
}

const on =
  (query: string) =>
  (field: string, value: unknown): Clause => ({ [query]: { [field]: value } });

const comparison = (bound: string): Operator => ({
  takes: 'a number or a string',
  accepts: isBound,
  clause: (field, value) => ({ range: { [field]: { [bound]: value } } }),
});

const text = (query: string): Operator => ({ takes: 'a string', accepts: isText, clause: on(query) });

const OPERATORS: Readonly<Record<string, Operator>> = {
  // Printed: "term":{"title":"hihihi"}.
  eq: { takes: 'a string, number or Boolean', accepts: isScalar, clause: on('term') },
  // Printed: "bool":{"must_not":{"term":{"upvotes":15}}}.
  ne: {
    takes: 'a string, number or Boolean',
    accepts: isScalar,
    clause: (field, value) => ({ bool: { must_not: on('term')(field, value) } }),
  },
  gt: comparison('gt'),
  gte: comparison('gte'),
  lt: comparison('lt'),
  lte: comparison('lte'),
  // Printed: "range":[10,20] → "range":{"upvotes":{"gte":10,"lte":20}}.
  range: {
    takes: 'a pair [from, to] of numbers or strings',
    accepts: (value) => Array.isArray(value) && value.length === 2 && value.every(isBound),
    clause: (field, value) => {
      const [from, to] = value as unknown[];
      return { range: { [field]: { gte: from, lte: to } } };
    },
  },
  match: text('match'),
  matchPhrase: text('match_phrase'),
  matchPhrasePrefix: text('match_phrase_prefix'),
  multiMatch: text('multi_match'),
  // Printed: "wildcard":{"title":"h*i"}.
  wildcard: text('wildcard'),
  regexp: text('regexp'),
  exists: {
    takes: 'a Boolean',
    accepts: (value) => typeof value === 'boolean',
    clause: (field, value) => {
      const exists = { exists: { field } };
      return value === true ? exists : { bool: { must_not: exists } };
    },
  },
};

/** "The default operator is assumed to be AND": one clause stands alone, several go in bool.must. */
function allOf(clauses: Clause[]): Clause | undefined {
  if (clauses.length <= 1) return clauses[0];
  return { bool: { must: clauses } };
}

function fieldClauses(field: string, conditions: unknown): Clause[] {
  const where = JSON.stringify(field);
  if (!isRecord(conditions)) {
    throw fail(`${where} must map operators to values, like { "eq": value }; got ${describeValue(conditions)}`);
  }
  return Object.entries(conditions).map(([name, value]) => {
    const operator = Object.hasOwn(OPERATORS, name) ? OPERATORS[name] : undefined;
    if (operator === undefined) {
      throw fail(
        `unknown operator ${JSON.stringify(name)} on ${where} (operators: ${Object.keys(OPERATORS).join(', ')})`,
      );
    }
    if (!operator.accepts(value)) throw fail(`${where}: ${name} takes ${operator.takes}; got ${describeValue(value)}`);
    return operator.clause(field, value);
  });
}

function queryClauses(query: Record<string, unknown>, ancestors: Set<object>, path: string): Clause[] {
  const nested = (member: unknown, where: string): Clause | undefined => {
    if (!isRecord(member)) throw fail(`${where} must be a query object; got ${describeValue(member)}`);
    return descend(WHO, member, ancestors, where, () => allOf(queryClauses(member, ancestors, `${where} → `)));
  };
  return Object.entries(query).flatMap(([key, value]): Clause[] => {
    const where = `${path}"${key}"`;
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value)) throw fail(`${where} expects an array of query objects; got ${describeValue(value)}`);
      const members = value.flatMap((member, i) => nested(member, `${where}[${i}]`) ?? []);
      if (members.length === 0) return [];
      return [key === 'and' ? { bool: { must: members } } : { bool: { should: members, minimum_should_match: 1 } }];
    }
    if (key === 'not') {
      const negated = nested(value, where);
      return negated === undefined ? [] : [{ bool: { must_not: negated } }];
    }
    const clause = allOf(fieldClauses(key, value));
    return clause === undefined ? [] : [clause];
  });
}

/**
 * `util.transform.toElasticsearchQueryDSL(object)`: the OpenSearch Query DSL for a query object,
 * as a JSON string. Conditions are ANDed: several operators on one field, and several fields, go
 * into `bool.must`; a single one stands alone. `and` → bool.must, `or` → bool.should (with
 * minimum_should_match 1), `not` → bool.must_not. A query with no condition at all gives `"null"`.
 *
 * @throws TypeError naming util.transform.toElasticsearchQueryDSL for a non-object, an unknown
 *   operator or a value of the wrong type
 */
export function toElasticsearchQueryDSL(object: unknown): string {
  if (!isRecord(object))
    throw fail(`expects a query object (field → { operator: value }); got ${describeValue(object)}`);
  return JSON.stringify(allOf(queryClauses(object, new Set([object]), '')) ?? null);
}
