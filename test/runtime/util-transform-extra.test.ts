/**
 * util.transform.toSubscriptionFilter, util.transform.toElasticsearchQueryDSL and the checks of the
 * subscription extensions, beyond the examples the guide prints (those are in
 * test/conformance/devguide-transform.test.ts): every operator, every documented limit, and the
 * inputs they refuse.
 */
import { describe, expect, it } from 'vitest';
import { toElasticsearchQueryDSL } from '../../src/runtime/util/opensearch-query';
import {
  SUBSCRIPTION_FILTER_OPERATORS,
  toSubscriptionFilter,
  validateInvalidation,
  validateSubscriptionFilter,
} from '../../src/runtime/util/subscription-filter';
import { cite, devguide } from '../conformance/sources';

const ENHANCED = devguide('aws-appsync-real-time-enhanced-filtering', 'Creating enhanced subscription filters');
const CLIENT_FILTERS = devguide(
  'aws-appsync-real-time-enhanced-filtering',
  'Defining enhanced filters from the client',
);
const NESTED = devguide('aws-appsync-real-time-enhanced-filtering', 'Additional enhanced filtering restrictions');
const FILTER_JSON = devguide('extensions-js', 'Argument: filterJsonObject');
const INVALIDATION_JSON = devguide('extensions-js', 'Argument: invalidationJsonObject');

const rule = (fieldName: string, operator: string, value: unknown) => ({ fieldName, operator, value });
const groups = (...filters: ReturnType<typeof rule>[][]) => ({ filterGroup: filters.map((f) => ({ filters: f })) });
/** `{ f0: { eq: 0 }, f1: { eq: 1 }, … }`: n fields of one condition each. */
const fields = (n: number, prefix = 'f') =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, { eq: i }]));
/** `[{ f0: { eq: 0 } }, …]`: n alternatives for an "or". */
const alternatives = (n: number, prefix = 'f') =>
  Array.from({ length: n }, (_, i) => ({ [`${prefix}${i}`]: { eq: i } }));
const cyclic = (key: string) => {
  const filter: Record<string, unknown[]> = { [key]: [] };
  filter[key]?.push({ x: { eq: 1 } }, filter);
  return filter;
};

describe('util.transform.toSubscriptionFilter', () => {
  describe('conversion', () => {
    it('turns one condition into one group of one rule', () => {
      expect(toSubscriptionFilter({ a: { eq: 1 } })).toEqual(groups([rule('a', 'eq', 1)]));
    });

    it('ANDs the fields of one map, in key order', () => {
      expect(toSubscriptionFilter({ b: { eq: 2 }, a: { eq: 1 } })).toEqual(
        groups([rule('b', 'eq', 2), rule('a', 'eq', 1)]),
      );
    });

    it('ORs the conditions of one field, one group each', () => {
      expect(toSubscriptionFilter({ a: { eq: 1, ne: 2 } })).toEqual(groups([rule('a', 'eq', 1)], [rule('a', 'ne', 2)]));
    });

    it('multiplies an "or" nested in an "and" out', () => {
      const filter = toSubscriptionFilter({ and: [{ a: { eq: 1 } }, { or: [{ b: { eq: 2 } }, { c: { eq: 3 } }] }] });

      expect(filter).toEqual(
        groups([rule('a', 'eq', 1), rule('b', 'eq', 2)], [rule('a', 'eq', 1), rule('c', 'eq', 3)]),
      );
    });

    it(`gives one group per member of a top-level "or", keeping "in" as written (${cite(ENHANCED)})`, () => {
      const filter = toSubscriptionFilter({
        or: [
          { severity: { ge: 7 }, priority: { in: ['high', 'medium'] } },
          { category: { eq: 'security' }, group: { in: ['admin', 'operators'] } },
        ],
      });

      expect(filter).toEqual(
        groups(
          [rule('severity', 'ge', 7), rule('priority', 'in', ['high', 'medium'])],
          [rule('category', 'eq', 'security'), rule('group', 'in', ['admin', 'operators'])],
        ),
      );
    });

    it(`reads a JSON string, such as a String argument ctx.args.filter, as the map it holds (${cite(CLIENT_FILTERS)})`, () => {
      expect(toSubscriptionFilter('{"severity":{"le":2}}')).toEqual(groups([rule('severity', 'le', 2)]));
    });

    it(`keeps a field path written with "." as it is (${cite(devguide('aws-appsync-real-time-enhanced-filtering', 'Defining enhanced filters for nested schema fields'))})`, () => {
      expect(toSubscriptionFilter({ 'location.address.country': { eq: 'USA' } })).toEqual(
        groups([rule('location.address.country', 'eq', 'USA')]),
      );
    });

    it(`keeps a field at nesting level five and ignores one at level six (${cite(NESTED)})`, () => {
      const filter = toSubscriptionFilter({
        'venue.address.country.metadata.continent': { eq: 'North America' },
        'venue.address.country.metadata.capital.financial': { eq: 'New York' },
      });

      expect(filter).toEqual(groups([rule('venue.address.country.metadata.continent', 'eq', 'North America')]));
    });

    it('drops ignored fields inside nested "and" and "or", and an alternative left empty by that', () => {
      const filter = toSubscriptionFilter(
        { a: { eq: 1 }, and: [{ or: [{ secret: { eq: 2 } }, { b: { eq: 3 } }] }, { secret: { ne: 4 } }] },
        ['secret'],
      );

      expect(filter).toEqual(groups([rule('a', 'eq', 1), rule('b', 'eq', 3)]));
    });

    it.each([
      ['an empty map', {}],
      ['a field without conditions', { a: {} }],
      ['an empty "and"', { and: [] }],
      ['an "or" of empty maps', { or: [{}, {}] }],
      ['only ignored fields', { secret: { eq: 1 } }],
    ])('gives no group for %s', (_, filter) => {
      expect(toSubscriptionFilter(filter, ['secret'])).toEqual({ filterGroup: [] });
    });

    it('makes every rule a group of its own when argument 1 has no condition', () => {
      expect(toSubscriptionFilter({}, [], { r1: { eq: 1 }, r2: { beginsWith: 'x' } })).toEqual(
        groups([rule('r1', 'eq', 1)], [rule('r2', 'beginsWith', 'x')]),
      );
    });

    it('adds the rules to every group, the groups of argument 1 varying slowest', () => {
      const filter = toSubscriptionFilter({ a: { eq: 1, ne: 2 } }, null, {
        r1: { eq: 'x' },
        r2: { eq: 'y' },
      });

      expect(filter).toEqual(
        groups(
          [rule('a', 'eq', 1), rule('r1', 'eq', 'x')],
          [rule('a', 'eq', 1), rule('r2', 'eq', 'y')],
          [rule('a', 'ne', 2), rule('r1', 'eq', 'x')],
          [rule('a', 'ne', 2), rule('r2', 'eq', 'y')],
        ),
      );
    });

    it('takes null for the optional arguments as their absence', () => {
      expect(toSubscriptionFilter({ a: { eq: 1 } }, null, null)).toEqual(groups([rule('a', 'eq', 1)]));
    });

    it('answers fresh entries, so that editing one group leaves the others alone', () => {
      const filter = toSubscriptionFilter({ a: { in: [1, 2] }, or: [{ b: { eq: 1 } }, { c: { eq: 2 } }] });
      const [first, second] = filter.filterGroup.map((group) => group.filters[0]?.value);
      if (!Array.isArray(first)) throw new Error('the first rule should be the "in"');
      first.push(3);

      expect(second).toEqual([1, 2]);
    });
  });

  describe('operators', () => {
    const VALUES: Record<string, unknown> = {
      eq: true,
      ne: 'AWS AppSync',
      le: 5,
      lt: 5.5,
      ge: 'm',
      gt: 5,
      contains: 10,
      notContains: 'launch',
      beginsWith: 'AWS',
      in: [1, 2, 3],
      notIn: ['a', 'b'],
      between: [1, 5],
      containsAny: [10, 15],
      lte: 50,
      gte: 20,
    };

    it("knows the operators of AWS's table, and the lte/gte its examples write", () => {
      expect([...SUBSCRIPTION_FILTER_OPERATORS].sort()).toEqual(Object.keys(VALUES).sort());
    });

    it.each(Object.entries(VALUES))('carries %s and its value through', (operator, value) => {
      expect(toSubscriptionFilter({ field: { [operator]: value } })).toEqual(groups([rule('field', operator, value)]));
    });

    it.each([
      ['eq', { a: 1 }],
      ['eq', null],
      ['eq', Number.NaN],
      ['ne', [1]],
      ['le', true],
      ['gt', undefined],
      ['contains', false],
      ['beginsWith', 1],
      ['in', 'x'],
      ['in', []],
      ['notIn', [true]],
      ['containsAny', 'x'],
      ['containsAny', [{}]],
      ['between', [1]],
      ['between', [1, 2, 3]],
      ['between', [1, 'z']],
      ['between', 5],
    ])('refuses %s with the value %j', (operator, value) => {
      expect(() => toSubscriptionFilter({ field: { [operator]: value } })).toThrow(
        new RegExp(`^util\\.transform\\.toSubscriptionFilter: "field": ${operator} takes `),
      );
    });

    it.each(['bogus', 'EQ', 'beginswith', 'attributeExists'])('refuses the unknown operator %s', (operator) => {
      expect(() => toSubscriptionFilter({ field: { [operator]: 1 } })).toThrow(TypeError);
      expect(() => toSubscriptionFilter({ field: { [operator]: 1 } })).toThrow(`unknown operator "${operator}"`);
    });

    it('reads "not" as a field name, so its map of fields is a map of unknown operators', () => {
      expect(() => toSubscriptionFilter({ not: { a: { eq: 1 } } })).toThrow('"not": unknown operator "a"');
    });
  });

  describe('limits', () => {
    it('allows 10 filters in a filterGroup and refuses 11', () => {
      expect(toSubscriptionFilter({ or: alternatives(10) }).filterGroup).toHaveLength(10);
      expect(() => toSubscriptionFilter({ or: alternatives(11) })).toThrow(
        /^util\.transform\.toSubscriptionFilter: each filterGroup can have a maximum of 10 filters/,
      );
    });

    it('counts each value of an "in" as one filter', () => {
      const inFive = { a: { in: [1, 2, 3, 4, 5] } };

      expect(toSubscriptionFilter({ ...inFive, or: alternatives(2) }).filterGroup).toHaveLength(2);
      expect(() => toSubscriptionFilter({ ...inFive, or: alternatives(3) })).toThrow(
        /maximum of 10 filters.*this one has 15/,
      );
    });

    it('fails before multiplying a large filter out', () => {
      const twentyFieldsOfTwo = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, { eq: 1, ne: 2 }]));

      expect(() => toSubscriptionFilter(twentyFieldsOfTwo)).toThrow('this one has more than 10');
    });

    it('allows five unique fieldName items in a filter, however often each appears, and refuses six', () => {
      const five = { ...fields(4), and: [{ f4: { gt: 1 } }, { f4: { lt: 5 } }] };

      expect(toSubscriptionFilter(five).filterGroup[0]?.filters).toHaveLength(6);
      expect(() => toSubscriptionFilter(fields(6))).toThrow(
        'there can be a maximum of 5 unique fieldName items per filter (combined using AND logic); filterGroup[0] has 6',
      );
    });

    it('counts the rules of argument 3 among the fields of a filter', () => {
      expect(() => toSubscriptionFilter(fields(5), [], { r: { eq: 1 } })).toThrow('maximum of 5 unique fieldName');
    });

    it.each([
      ['in', 5],
      ['notIn', 5],
      ['containsAny', 20],
    ])('allows %s %i values and refuses one more', (operator, max) => {
      const values = (n: number) => Array.from({ length: n }, (_, i) => i);

      expect(() => toSubscriptionFilter({ a: { [operator]: values(max) } })).not.toThrow();
      expect(() => toSubscriptionFilter({ a: { [operator]: values(max + 1) } })).toThrow(
        `there can be a maximum of ${max} values for the ${operator} operator; got ${max + 1}`,
      );
    });

    it('allows strings of 256 characters and refuses 257, in values, lists and field names', () => {
      const long = 'x'.repeat(257);

      expect(() => toSubscriptionFilter({ a: { eq: 'x'.repeat(256) } })).not.toThrow();
      for (const filter of [{ a: { eq: long } }, { a: { in: ['ok', long] } }, { [long]: { eq: 1 } }]) {
        expect(() => toSubscriptionFilter(filter)).toThrow(
          'each string can be a maximum of 256 characters; this one has 257',
        );
      }
    });
  });

  describe('inputs it refuses', () => {
    it.each([
      ['null', null],
      ['undefined', undefined],
      ['a number', 42],
      ['a Boolean', true],
      ['a list', [{ a: { eq: 1 } }]],
      ['a JSON string holding a list', '[1]'],
      ['a JSON string holding a string', '"a"'],
    ])('refuses %s as argument 1', (_, filter) => {
      expect(() => toSubscriptionFilter(filter)).toThrow(
        /^util\.transform\.toSubscriptionFilter: argument 1 must be a map of field names, "and" and "or" to conditions/,
      );
    });

    it('refuses a string that is not JSON', () => {
      expect(() => toSubscriptionFilter('{severity: {le: 2}}')).toThrow(
        /^util\.transform\.toSubscriptionFilter: argument 1 is a string but not a JSON filter: /,
      );
    });

    it('refuses a field holding a value instead of conditions', () => {
      expect(() => toSubscriptionFilter({ a: 1 })).toThrow(
        '"a" must map operators to values, like { "eq": value }; got number 1',
      );
    });

    it.each([
      ['a map', { and: { a: { eq: 1 } } }],
      ['null', { or: null }],
      ['a list holding a value', { and: [{ a: { eq: 1 } }, 'b'] }],
    ])('refuses "and"/"or" holding %s', (_, filter) => {
      expect(() => toSubscriptionFilter(filter)).toThrow(/expects an array of conditions \(maps\)/);
    });

    it.each([
      ['a string', 'percentageUp'],
      ['a list holding a number', ['a', 1]],
    ])('refuses %s as argument 2', (_, ignored) => {
      expect(() => toSubscriptionFilter({ a: { eq: 1 } }, ignored)).toThrow(
        'argument 2 (the ignored fields) must be a list of field names',
      );
    });

    it('refuses argument 3 unless it maps field names to one condition each', () => {
      expect(() => toSubscriptionFilter({}, [], ['r'])).toThrow('argument 3 (the rules) must be a map');
      expect(() => toSubscriptionFilter({}, [], { or: [{ r: { eq: 1 } }] })).toThrow(
        'argument 3 (the rules) cannot have "and" or "or"',
      );
      expect(() => toSubscriptionFilter({}, [], { r: { ge: 1, le: 5 } })).toThrow(
        'argument 3 (the rules) cannot have multiple conditions in the same key; "r" has ge, le',
      );
    });

    it.each(['and', 'or'])('refuses a filter whose "%s" contains the filter itself', (key) => {
      expect(() => toSubscriptionFilter(cyclic(key))).toThrow(`"${key}"[1] contains itself, so its nesting never ends`);
    });

    it('refuses a cycle deeper down', () => {
      const inner: Record<string, unknown[]> = { or: [] };
      const outer = { and: [{ a: { eq: 1 } }, inner] };
      inner.or?.push(outer);

      expect(() => toSubscriptionFilter(outer)).toThrow('"and"[1] → "or"[0] contains itself');
    });
  });
});

describe('validateSubscriptionFilter', () => {
  const WHO = 'extensions.setSubscriptionFilter';

  it(`accepts the filterJsonObject of the extensions page and answers a copy (${cite(FILTER_JSON)})`, () => {
    const filter = groups([rule('userId', 'eq', 1)], [rule('group', 'in', ['Admin', 'Developer'])]);

    const checked = validateSubscriptionFilter(filter, WHO);

    expect(checked).toEqual(filter);
    expect(checked).not.toBe(filter);
  });

  it(`counts the page's "in" of two values as two filters (${cite(devguide('extensions', 'Exceptions'))})`, () => {
    const nine = Array.from({ length: 9 }, (_, i) => [rule('userId', 'eq', i)]);

    expect(() => validateSubscriptionFilter(groups(...nine, [rule('group', 'in', ['Admin'])]), WHO)).not.toThrow();
    expect(() =>
      validateSubscriptionFilter(groups(...nine, [rule('group', 'in', ['Admin', 'Developer'])]), WHO),
    ).toThrow(
      `${WHO}: each filterGroup can have a maximum of 10 filters (combined using OR logic, each value of an "in" counting as one filter); this one has 11`,
    );
  });

  it('accepts what toSubscriptionFilter answers', () => {
    const filter = toSubscriptionFilter({
      a: { between: ['a', 'm'] },
      or: [{ b: { containsAny: [1, 2] } }, { c: { gte: 1 } }],
    });

    expect(validateSubscriptionFilter(filter, WHO)).toEqual(filter);
  });

  it('names its caller in every error', () => {
    expect(() => validateSubscriptionFilter(null, 'extensions.setSubscriptionInvalidationFilter')).toThrow(
      /^extensions\.setSubscriptionInvalidationFilter: expects a filterJsonObject/,
    );
  });

  it.each([
    ['a string', '{"filterGroup":[]}', 'expects a filterJsonObject'],
    ['the input of toSubscriptionFilter', { a: { eq: 1 } }, 'expects a filterJsonObject'],
    ['a filterGroup that is not a list', { filterGroup: {} }, 'expects a filterJsonObject'],
    [
      'a group without filters',
      { filterGroup: [{}] },
      'filterGroup[0] must be { filters: [{ fieldName, operator, value }] }',
    ],
    ['a group of no rules', { filterGroup: [{ filters: [] }] }, 'filterGroup[0].filters is empty'],
    ['a rule that is not a map', { filterGroup: [{ filters: ['a eq 1'] }] }, 'filterGroup[0].filters[0] must be'],
    ['a rule without fieldName', groups([rule('', 'eq', 1)]), 'filterGroup[0].filters[0].fieldName must name'],
    ['an operator that is not a string', groups([rule('a', 1 as unknown as string, 1)]), '.operator must be a string'],
    ['an unknown operator', groups([rule('a', 'like', 'x')]), 'filterGroup[0].filters[0]: unknown operator "like"'],
    [
      'a value of the wrong type',
      groups([rule('a', 'beginsWith', 1)]),
      'filterGroup[0].filters[0]: beginsWith takes a string',
    ],
    ['too many values', groups([rule('a', 'notIn', [1, 2, 3, 4, 5, 6])]), 'maximum of 5 values for the notIn operator'],
    [
      'six fields in a filter',
      groups(Object.keys(fields(6)).map((f) => rule(f, 'eq', 1))),
      'maximum of 5 unique fieldName',
    ],
  ])('refuses %s', (_, filter, message) => {
    expect(() => validateSubscriptionFilter(filter, WHO)).toThrow(TypeError);
    expect(() => validateSubscriptionFilter(filter, WHO)).toThrow(message);
  });

  it('leaves out rules past nesting level five, and a filter they leave empty', () => {
    const deep = rule('a.b.c.d.e.f', 'eq', 1);

    expect(validateSubscriptionFilter(groups([rule('a', 'eq', 1), deep], [deep]), WHO)).toEqual(
      groups([rule('a', 'eq', 1)]),
    );
  });

  it('keeps only the three documented attributes of a rule', () => {
    const filter = { filterGroup: [{ filters: [{ ...rule('a', 'eq', 1), note: 'x' }], label: 'g' }] };

    expect(validateSubscriptionFilter(filter, WHO)).toEqual(groups([rule('a', 'eq', 1)]));
  });
});

describe('validateInvalidation', () => {
  it(`accepts the extensions page's invalidationJsonObject (${cite(INVALIDATION_JSON)})`, () => {
    const invalidation = { subscriptionField: 'onUserDelete', payload: { group: 'Developer', type: 'Full-Time' } };

    expect(validateInvalidation(invalidation)).toEqual(invalidation);
  });

  it('answers the payload as it is at the call, unaffected by later changes', () => {
    const payload = { group: 'Developer' };
    const checked = validateInvalidation({ subscriptionField: 'onUserDelete', payload });
    payload.group = 'Admin';

    expect(checked.payload).toEqual({ group: 'Developer' });
  });

  it.each([
    ['null', null, 'expects an invalidationJsonObject'],
    ['a list', [], 'expects an invalidationJsonObject'],
    ['no subscriptionField', { payload: {} }, 'subscriptionField must name the GraphQL subscription'],
    ['a blank subscriptionField', { subscriptionField: ' ', payload: {} }, 'subscriptionField must name'],
    ['no payload', { subscriptionField: 'onUserDelete' }, 'payload must be a key-value map'],
    ['a list as payload', { subscriptionField: 'onUserDelete', payload: ['a'] }, 'payload must be a key-value map'],
  ])('refuses %s', (_, invalidation, message) => {
    expect(() => validateInvalidation(invalidation)).toThrow(`extensions.invalidateSubscriptions: ${message}`);
  });

  it('refuses a payload that cannot be JSON', () => {
    const payload: Record<string, unknown> = {};
    payload.self = payload;

    expect(() => validateInvalidation({ subscriptionField: 'onUserDelete', payload })).toThrow(
      'extensions.invalidateSubscriptions: payload cannot be read as JSON',
    );
  });
});

describe('util.transform.toElasticsearchQueryDSL', () => {
  const dsl = (query: unknown) => JSON.parse(toElasticsearchQueryDSL(query));

  it.each([
    ['eq', 'x', { term: { f: 'x' } }],
    ['eq', true, { term: { f: true } }],
    ['ne', 3, { bool: { must_not: { term: { f: 3 } } } }],
    ['gt', 1, { range: { f: { gt: 1 } } }],
    ['gte', '2024-01-01', { range: { f: { gte: '2024-01-01' } } }],
    ['lt', 1.5, { range: { f: { lt: 1.5 } } }],
    ['lte', 9, { range: { f: { lte: 9 } } }],
    ['range', ['a', 'm'], { range: { f: { gte: 'a', lte: 'm' } } }],
    ['match', 'quick fox', { match: { f: 'quick fox' } }],
    ['matchPhrase', 'quick fox', { match_phrase: { f: 'quick fox' } }],
    ['matchPhrasePrefix', 'quick f', { match_phrase_prefix: { f: 'quick f' } }],
    ['multiMatch', 'fox', { multi_match: { f: 'fox' } }],
    ['wildcard', 'h*i', { wildcard: { f: 'h*i' } }],
    ['regexp', 'h.*i', { regexp: { f: 'h.*i' } }],
    ['exists', true, { exists: { field: 'f' } }],
    ['exists', false, { bool: { must_not: { exists: { field: 'f' } } } }],
  ])('turns %s %j into its own clause', (operator, value, clause) => {
    expect(dsl({ f: { [operator]: value } })).toEqual(clause);
  });

  it('puts several fields in bool.must, in key order', () => {
    expect(dsl({ a: { eq: 1 }, b: { gt: 2 } })).toEqual({
      bool: { must: [{ term: { a: 1 } }, { range: { b: { gt: 2 } } }] },
    });
  });

  it('turns "and" into bool.must, "or" into bool.should and "not" into bool.must_not', () => {
    const query = { and: [{ a: { eq: 1 } }, { or: [{ b: { eq: 2 } }, { not: { c: { eq: 3 } } }] }] };

    expect(dsl(query)).toEqual({
      bool: {
        must: [
          { term: { a: 1 } },
          {
            bool: { should: [{ term: { b: 2 } }, { bool: { must_not: { term: { c: 3 } } } }], minimum_should_match: 1 },
          },
        ],
      },
    });
  });

  it('keeps the bool of an "and" of one member', () => {
    expect(dsl({ and: [{ a: { eq: 1 } }] })).toEqual({ bool: { must: [{ term: { a: 1 } }] } });
  });

  it('leaves out fields, members and groups without conditions', () => {
    expect(dsl({ a: {}, and: [], or: [{}], not: {}, b: { eq: 1 } })).toEqual({ term: { b: 1 } });
  });

  it('answers the JSON null for a query without conditions', () => {
    expect(toElasticsearchQueryDSL({})).toBe('null');
  });

  it.each([
    ['null', null],
    ['a JSON string', '{"a":{"eq":1}}'],
    ['a list', [{ a: { eq: 1 } }]],
  ])('refuses %s', (_, query) => {
    expect(() => toElasticsearchQueryDSL(query)).toThrow(
      /^util\.transform\.toElasticsearchQueryDSL: expects a query object/,
    );
  });

  it.each(['in', 'beginsWith', 'EQ', 'size'])('refuses the unknown operator %s, naming it', (operator) => {
    expect(() => toElasticsearchQueryDSL({ f: { [operator]: 1 } })).toThrow(
      `util.transform.toElasticsearchQueryDSL: unknown operator "${operator}" on "f"`,
    );
  });

  it.each([
    ['eq', { a: 1 }],
    ['ne', null],
    ['gt', true],
    ['range', [1]],
    ['range', '1..5'],
    ['match', 1],
    ['wildcard', ['h*']],
    ['exists', 'yes'],
  ])('refuses %s with the value %j', (operator, value) => {
    expect(() => toElasticsearchQueryDSL({ f: { [operator]: value } })).toThrow(new RegExp(`"f": ${operator} takes `));
  });

  it.each([
    ['a field holding a value', { f: 'x' }, '"f" must map operators to values'],
    ['an "and" holding a map', { and: { a: { eq: 1 } } }, '"and" expects an array of query objects'],
    ['an "or" member that is a value', { or: [1] }, '"or"[0] must be a query object'],
    ['a "not" holding a list', { not: [{ a: { eq: 1 } }] }, '"not" must be a query object'],
  ])('refuses %s', (_, query, message) => {
    expect(() => toElasticsearchQueryDSL(query)).toThrow(message);
  });

  it('refuses a query that contains itself', () => {
    expect(() => toElasticsearchQueryDSL(cyclic('or'))).toThrow('"or"[1] contains itself, so its nesting never ends');
  });
});
