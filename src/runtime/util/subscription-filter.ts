/**
 * Enhanced subscription filters: `util.transform.toSubscriptionFilter`, and the checks AppSync
 * applies to the filterJsonObject of `extensions.setSubscriptionFilter` /
 * `extensions.setSubscriptionInvalidationFilter` and to the invalidationJsonObject of
 * `extensions.invalidateSubscriptions`. Pure functions: the runtime wires them into `util` and
 * `extensions`.
 *
 * https://docs.aws.amazon.com/appsync/latest/devguide/transformation-helpers-in-utils-transform-js.html
 * https://docs.aws.amazon.com/appsync/latest/devguide/extensions.html («Field: operator», «Exceptions»)
 * https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-enhanced-filtering.html
 */

const TO_SUBSCRIPTION_FILTER = 'util.transform.toSubscriptionFilter';
const INVALIDATE = 'extensions.invalidateSubscriptions';

/** The limits AppSync documents for subscription filters («Exceptions», extensions.html). */
export const SUBSCRIPTION_FILTER_LIMITS = {
  /** "Each filterGroup can have a maximum of 10 filters. This means that you can combine a maximum of 10 filters using OR logic." */
  filtersPerGroup: 10,
  /** "there can be a maximum of five unique fieldName items per filter". */
  fieldNamesPerFilter: 5,
  /** "There can be a maximum of five values for the in and notIn operators." */
  inValues: 5,
  /** "There can be a maximum of twenty values for the containsAny operator." */
  containsAnyValues: 20,
  /** "Each string can be a maximum of 256 characters." */
  stringLength: 256,
  /** "AWS AppSync supports up to five levels of nesting. Filters on schema fields past nesting level five will be ignored." */
  nestingLevels: 5,
  /** "You can only use at most five unique extensions.invalidateSubscriptions() method calls in any single request." */
  invalidationsPerRequest: 5,
} as const;

type ValueKind = 'scalar' | 'ordered' | 'string' | 'list' | 'pair';

/** The «Field: operator» table of extensions.html: each operator and the values it takes. */
const OPERATORS = {
  eq: 'scalar',
  ne: 'scalar',
  le: 'ordered',
  lt: 'ordered',
  ge: 'ordered',
  gt: 'ordered',
  contains: 'ordered',
  notContains: 'ordered',
  beginsWith: 'string',
  in: 'list',
  notIn: 'list',
  between: 'pair',
  // The table says "integer, float, string"; its example and the twenty-value limit show a list.
  containsAny: 'list',
  // Not in the table, but AWS's own toSubscriptionFilter examples write `lte`/`gte` and print
  // them unchanged in the result, so refusing them would refuse the documented examples.
  lte: 'ordered',
  gte: 'ordered',
} as const satisfies Record<string, ValueKind>;

export type SubscriptionFilterOperator = keyof typeof OPERATORS;

/** The operators a filter may use, in the order of AWS's table (then the two spellings of its examples). */
export const SUBSCRIPTION_FILTER_OPERATORS = Object.keys(OPERATORS) as readonly SubscriptionFilterOperator[];

export type SubscriptionFilterValue = string | number | boolean | (string | number)[];

/** One rule: the notification's `fieldName` compared with `value`. */
export interface SubscriptionFilterEntry {
  fieldName: string;
  operator: SubscriptionFilterOperator;
  value: SubscriptionFilterValue;
}

/** A "filter": rules combined with AND. */
export interface SubscriptionFilterGroup {
  filters: SubscriptionFilterEntry[];
}

/** The filterJsonObject: filters combined with OR. */
export interface SubscriptionFilter {
  filterGroup: SubscriptionFilterGroup[];
}

/** The invalidationJsonObject of extensions.invalidateSubscriptions. */
export interface SubscriptionInvalidation {
  subscriptionField: string;
  payload: Record<string, unknown>;
}

/**
 * A condition in disjunctive normal form: the lists of rules AppSync ORs, each list ANDed.
 * No list at all means no condition (everything in it was ignored or empty).
 */
type Groups = SubscriptionFilterEntry[][];

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How an error message names a value the caller passed. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return typeof value === 'undefined' ? 'undefined' : `${typeof value} ${String(value)}`;
}

function fail(who: string, message: string): TypeError {
  return new TypeError(`${who}: ${message}`);
}

/**
 * Walks into `member` unless it is one of its own ancestors: a filter that contains itself would
 * nest without end, which no JSON filter can.
 */
export function descend<T>(who: string, member: object, ancestors: Set<object>, where: string, walk: () => T): T {
  if (ancestors.has(member)) throw fail(who, `${where} contains itself, so its nesting never ends`);
  ancestors.add(member);
  try {
    return walk();
  } finally {
    ancestors.delete(member);
  }
}

/** "Filters on schema fields past nesting level five will be ignored" (`a.b.c.d.e` is level five). */
function pastNestingLimit(fieldName: string): boolean {
  return fieldName.split('.').length > SUBSCRIPTION_FILTER_LIMITS.nestingLevels;
}

function checkedString(who: string, where: string, value: string): string {
  // Counted in UTF-16 code units, as JavaScript (and Java) count a string's length.
  if (value.length > SUBSCRIPTION_FILTER_LIMITS.stringLength) {
    throw fail(
      who,
      `${where}: each string can be a maximum of ${SUBSCRIPTION_FILTER_LIMITS.stringLength} characters; this one has ${value.length}`,
    );
  }
  return value;
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** An integer, float or string, the values every operator but eq/ne/beginsWith takes. */
function ordered(who: string, where: string, value: unknown): string | number | undefined {
  if (isNumber(value)) return value;
  if (typeof value === 'string') return checkedString(who, where, value);
  return undefined;
}

function checkedList(who: string, where: string, operator: string, value: unknown): (string | number)[] {
  const max =
    operator === 'containsAny' ? SUBSCRIPTION_FILTER_LIMITS.containsAnyValues : SUBSCRIPTION_FILTER_LIMITS.inValues;
  if (!Array.isArray(value) || value.length === 0) {
    throw fail(who, `${where}: ${operator} takes a list of integers, floats or strings; got ${describeValue(value)}`);
  }
  if (value.length > max) {
    throw fail(
      who,
      `${where}: there can be a maximum of ${max} values for the ${operator} operator; got ${value.length}`,
    );
  }
  return value.map((item, i) => {
    const checked = ordered(who, `${where} value ${i}`, item);
    if (checked === undefined) {
      throw fail(
        who,
        `${where}: ${operator} takes a list of integers, floats or strings; item ${i} is ${describeValue(item)}`,
      );
    }
    return checked;
  });
}

function checkedPair(who: string, where: string, value: unknown): (string | number)[] {
  const pair = Array.isArray(value) && value.length === 2 ? value.map((v) => ordered(who, where, v)) : [];
  const [low, high] = pair;
  if (low === undefined || high === undefined || typeof low !== typeof high) {
    throw fail(
      who,
      `${where}: between takes a pair of integers, floats or strings, like [1, 5]; got ${describeValue(value)}`,
    );
  }
  return [low, high];
}

/** The value of one rule, checked against the «Possible value types» of its operator. */
function checkedValue(who: string, where: string, operator: SubscriptionFilterOperator, value: unknown) {
  const kind: ValueKind = OPERATORS[operator];
  switch (kind) {
    case 'list':
      return checkedList(who, where, operator, value);
    case 'pair':
      return checkedPair(who, where, value);
    case 'string':
      if (typeof value === 'string') return checkedString(who, where, value);
      throw fail(who, `${where}: ${operator} takes a string; got ${describeValue(value)}`);
    case 'scalar':
      if (typeof value === 'boolean') return value;
      break;
    case 'ordered':
      break;
  }
  const checked = ordered(who, where, value);
  if (checked !== undefined) return checked;
  const types = kind === 'scalar' ? 'an integer, float, string or Boolean' : 'an integer, float or string';
  throw fail(who, `${where}: ${operator} takes ${types}; got ${describeValue(value)}`);
}

function isOperator(operator: string): operator is SubscriptionFilterOperator {
  return Object.hasOwn(OPERATORS, operator);
}

function rule(
  who: string,
  where: string,
  fieldName: string,
  operator: string,
  value: unknown,
): SubscriptionFilterEntry {
  if (!isOperator(operator)) {
    throw fail(
      who,
      `${where}: unknown operator ${JSON.stringify(operator)} (operators are case-sensitive: ${SUBSCRIPTION_FILTER_OPERATORS.join(', ')})`,
    );
  }
  checkedString(who, where, fieldName);
  return { fieldName, operator, value: checkedValue(who, where, operator, value) };
}

function tooManyFilters(who: string, count: string): TypeError {
  const max = SUBSCRIPTION_FILTER_LIMITS.filtersPerGroup;
  return fail(
    who,
    `each filterGroup can have a maximum of ${max} filters (combined using OR logic, each value of an "in" counting as one filter); this one has ${count}`,
  );
}

/** Keeps a growing list of groups within the limit, so that a large filter fails before it multiplies out. */
function capped(who: string, groups: Groups): Groups {
  if (groups.length > SUBSCRIPTION_FILTER_LIMITS.filtersPerGroup) {
    throw tooManyFilters(who, `more than ${SUBSCRIPTION_FILTER_LIMITS.filtersPerGroup}`);
  }
  return groups;
}

/** AND: every combination of one group of each part, the first part varying slowest (EX-TR-5's order). */
function allOf(who: string, parts: Groups[]): Groups {
  let result: Groups = [];
  for (const part of parts) {
    if (part.length === 0) continue;
    result =
      result.length === 0
        ? part
        : capped(
            who,
            result.flatMap((left) => part.map((right) => [...left, ...right])),
          );
  }
  return result;
}

/** OR: the groups of every part, in order. */
function anyOf(who: string, parts: Groups[]): Groups {
  return capped(who, parts.flat());
}

/** The limits that concern a whole filterJsonObject, checked once it is complete. */
function checkLimits(who: string, groups: Groups): SubscriptionFilter {
  const max = SUBSCRIPTION_FILTER_LIMITS.fieldNamesPerFilter;
  groups.forEach((filters, g) => {
    const names = new Set(filters.map((f) => f.fieldName));
    if (names.size > max) {
      throw fail(
        who,
        `there can be a maximum of ${max} unique fieldName items per filter (combined using AND logic); filterGroup[${g}] has ${names.size}: ${[...names].join(', ')}`,
      );
    }
  });
  // "The in operator is a special case of OR logic": a rule `in` n values stands for n filters.
  const count = groups.reduce(
    (sum, filters) =>
      sum + filters.reduce((n, f) => (f.operator === 'in' && Array.isArray(f.value) ? n * f.value.length : n), 1),
    0,
  );
  if (count > SUBSCRIPTION_FILTER_LIMITS.filtersPerGroup) throw tooManyFilters(who, String(count));
  // Fresh entries: a rule shared by several groups must not change in all of them when one is edited.
  return {
    filterGroup: groups.map((filters) => ({
      filters: filters.map(({ fieldName, operator, value }) => ({
        fieldName,
        operator,
        value: Array.isArray(value) ? [...value] : value,
      })),
    })),
  };
}

/** A field of argument 1 or 3: "When a field has two or more conditions on it, all of these conditions are considered to use the OR operation." */
function fieldConditions(who: string, fieldName: string, conditions: unknown): Groups {
  const where = JSON.stringify(fieldName);
  if (!isRecord(conditions)) {
    throw fail(who, `${where} must map operators to values, like { "eq": value }; got ${describeValue(conditions)}`);
  }
  if (pastNestingLimit(fieldName)) return [];
  return Object.entries(conditions).map(([operator, value]) => [rule(who, where, fieldName, operator, value)]);
}

function conditionList(who: string, value: unknown, where: string): Record<string, unknown>[] {
  if (!Array.isArray(value) || !value.every(isRecord)) {
    throw fail(who, `${where} expects an array of conditions (maps); got ${describeValue(value)}`);
  }
  return value;
}

/** Argument 1: field names, "and" and "or", each entry ANDed with the others. */
function condition(
  who: string,
  filter: Record<string, unknown>,
  ignored: ReadonlySet<string>,
  ancestors: Set<object>,
  path: string,
): Groups {
  const parts = Object.entries(filter).map(([key, value]): Groups => {
    if (key !== 'and' && key !== 'or') return ignored.has(key) ? [] : fieldConditions(who, key, value);
    const where = `${path}"${key}"`;
    const members = conditionList(who, value, where).map((member, i) =>
      descend(who, member, ancestors, `${where}[${i}]`, () =>
        condition(who, member, ignored, ancestors, `${where}[${i}] → `),
      ),
    );
    return key === 'and' ? allOf(who, members) : anyOf(who, members);
  });
  return allOf(who, parts);
}

/** Argument 3: "Unlike argument 1, argument 3 cannot have multiple conditions in the same key … doesn't have an "and" or "or" clause". */
function strictRules(who: string, rules: unknown): Groups {
  if (rules === undefined || rules === null) return [];
  if (!isRecord(rules))
    throw fail(who, `argument 3 (the rules) must be a map of field names to conditions; got ${describeValue(rules)}`);
  const alternatives = Object.entries(rules).map(([fieldName, conditions]) => {
    if (fieldName === 'and' || fieldName === 'or') {
      throw fail(who, `argument 3 (the rules) cannot have "and" or "or"; it has ${JSON.stringify(fieldName)}`);
    }
    if (isRecord(conditions) && Object.keys(conditions).length > 1) {
      throw fail(
        who,
        `argument 3 (the rules) cannot have multiple conditions in the same key; ${JSON.stringify(fieldName)} has ${Object.keys(conditions).join(', ')}`,
      );
    }
    return fieldConditions(who, fieldName, conditions);
  });
  // "at least one of the rules will be satisfied": every rule is an alternative.
  return anyOf(who, alternatives);
}

function ignoredFieldNames(who: string, ignoredFields: unknown): ReadonlySet<string> {
  if (ignoredFields === undefined || ignoredFields === null) return new Set();
  if (!Array.isArray(ignoredFields) || !ignoredFields.every((name) => typeof name === 'string')) {
    throw fail(
      who,
      `argument 2 (the ignored fields) must be a list of field names; got ${describeValue(ignoredFields)}`,
    );
  }
  return new Set(ignoredFields);
}

function filterObject(who: string, objFilter: unknown): Record<string, unknown> {
  let filter = objFilter;
  // AWS's enhanced-filtering guide passes ctx.args.filter, a String argument holding JSON, straight in.
  if (typeof filter === 'string') {
    try {
      filter = JSON.parse(filter);
    } catch (error) {
      throw fail(who, `argument 1 is a string but not a JSON filter: ${(error as Error).message}`);
    }
  }
  if (!isRecord(filter)) {
    throw fail(
      who,
      `argument 1 must be a map of field names, "and" and "or" to conditions (or that map as a JSON string); got ${describeValue(filter)}`,
    );
  }
  return filter;
}

/**
 * `util.transform.toSubscriptionFilter(objFilter, ignoredFields?, rules?)`: the filter object
 * rewritten as the filterJsonObject `extensions.setSubscriptionFilter` takes, in disjunctive normal
 * form. Several conditions on one field are ORed; `and`/`or` arrays nest; fields named in
 * `ignoredFields` are dropped wherever they appear in `objFilter` (but not from `rules`); each rule
 * of `rules` is added to a copy of every group, so that at least one rule must hold.
 *
 * Groups come out in the order of the documented examples: the alternatives of the first key vary
 * slowest, and each group lists its rules in key order. A JSON string is read as the filter object.
 *
 * @throws TypeError naming util.transform.toSubscriptionFilter for a malformed filter, an unknown
 *   operator, a value of the wrong type, or a documented limit exceeded. Filters on fields nested
 *   past level five are dropped, as AppSync ignores them.
 */
export function toSubscriptionFilter(objFilter: unknown, ignoredFields?: unknown, rules?: unknown): SubscriptionFilter {
  const who = TO_SUBSCRIPTION_FILTER;
  const filter = filterObject(who, objFilter);
  const ignored = ignoredFieldNames(who, ignoredFields);
  const groups = condition(who, filter, ignored, new Set([filter]), '');
  return checkLimits(who, allOf(who, [groups, strictRules(who, rules)]));
}

/**
 * Checks a filterJsonObject, `{ filterGroup: [{ filters: [{ fieldName, operator, value }] }] }`,
 * against the documented shape, operators, value types and limits, and returns a copy to keep.
 * Rules on fields nested past level five are left out of the copy ("will be ignored"), and so is a
 * filter left without rules by that.
 *
 * @param who the caller to name in errors, e.g. `extensions.setSubscriptionFilter`
 * @throws TypeError naming `who`
 */
export function validateSubscriptionFilter(filter: unknown, who: string): SubscriptionFilter {
  const shape = '{ filterGroup: [{ filters: [{ fieldName, operator, value }] }] }';
  if (!isRecord(filter) || !Array.isArray(filter.filterGroup)) {
    throw fail(who, `expects a filterJsonObject, ${shape}; got ${describeValue(filter)}`);
  }
  const groups: Groups = [];
  filter.filterGroup.forEach((group: unknown, g) => {
    const where = `filterGroup[${g}]`;
    if (!isRecord(group) || !Array.isArray(group.filters)) {
      throw fail(who, `${where} must be { filters: [{ fieldName, operator, value }] }; got ${describeValue(group)}`);
    }
    // "Filters are defined using at least one rule" (enhanced filtering guide).
    if (group.filters.length === 0) throw fail(who, `${where}.filters is empty; a filter needs at least one rule`);
    const kept = group.filters.flatMap((entry: unknown, i) => {
      const at = `${where}.filters[${i}]`;
      if (!isRecord(entry))
        throw fail(who, `${at} must be { fieldName, operator, value }; got ${describeValue(entry)}`);
      const { fieldName, operator, value } = entry;
      if (typeof fieldName !== 'string' || fieldName === '') {
        throw fail(who, `${at}.fieldName must name a GraphQL schema field; got ${describeValue(fieldName)}`);
      }
      if (typeof operator !== 'string')
        throw fail(who, `${at}.operator must be a string; got ${describeValue(operator)}`);
      return pastNestingLimit(fieldName) ? [] : [rule(who, at, fieldName, operator, value)];
    });
    if (kept.length > 0) groups.push(kept);
  });
  return checkLimits(who, groups);
}

/**
 * Checks the invalidationJsonObject of `extensions.invalidateSubscriptions`,
 * `{ subscriptionField: string, payload: object }`, and returns a copy taken now, as AppSync reads
 * the payload when the call is made. The five-calls-per-request limit is the caller's to count.
 *
 * @throws TypeError naming extensions.invalidateSubscriptions
 */
export function validateInvalidation(obj: unknown): SubscriptionInvalidation {
  if (!isRecord(obj)) {
    throw fail(
      INVALIDATE,
      `expects an invalidationJsonObject, { subscriptionField, payload }; got ${describeValue(obj)}`,
    );
  }
  const { subscriptionField, payload } = obj;
  if (typeof subscriptionField !== 'string' || subscriptionField.trim() === '') {
    throw fail(
      INVALIDATE,
      `subscriptionField must name the GraphQL subscription to invalidate; got ${describeValue(subscriptionField)}`,
    );
  }
  if (!isRecord(payload)) {
    throw fail(
      INVALIDATE,
      `payload must be a key-value map to evaluate the invalidation filters against; got ${describeValue(payload)}`,
    );
  }
  try {
    return { subscriptionField, payload: JSON.parse(JSON.stringify(payload)) };
  } catch (error) {
    throw fail(INVALIDATE, `payload cannot be read as JSON: ${(error as Error).message}`);
  }
}
