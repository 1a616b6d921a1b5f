/**
 * Invalid variable values, named as AppSync names them. AppSync runs graphql-java 9, whose
 * coercion messages its answers carry word for word (pasted AppSync answers:
 * aws-mobile-appsync-sdk-js#83, aws-appsync-community#273, #322, #406; formats from graphql-java
 * v9.6 ValuesResolver, NonNullableValueCoercedAsNullException and Scalars):
 *   Variable 'id' has coerced Null value for NonNull type 'ID!'
 *   Variable 'id' has an invalid value. Expected type 'ID' but was 'ArrayList'.
 *   The variables input contains a field that is not defined for input object type 'X '
 * The answer is HTTP 200, `data: null`, entries with `path` and `locations` null and no
 * errorType: a client error.
 *
 * Which values are valid stays graphql-js's decision: this runs only once it has refused them, and
 * words the first problem of each variable the way AppSync does.
 */
import {
  type GraphQLInputType,
  type GraphQLSchema,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  type OperationDefinitionNode,
  typeFromAST,
} from 'graphql';

/** The Java class name graphql-java 9 reports for a JSON value (Jackson's default mapping). */
function javaClassOf(value: unknown): string {
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return 'Boolean';
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return 'Double';
    if (Math.abs(value) <= 2 ** 31 - 1) return 'Integer';
    return Number.isSafeInteger(value) ? 'Long' : 'BigInteger';
  }
  if (Array.isArray(value)) return 'ArrayList';
  return 'LinkedHashMap';
}

function problemOf(variable: string, type: GraphQLInputType, value: unknown): string | undefined {
  if (isNonNullType(type)) {
    if (value === null || value === undefined) {
      return `Variable '${variable}' has coerced Null value for NonNull type '${String(type)}'`;
    }
    return problemOf(variable, type.ofType, value);
  }
  if (value === null || value === undefined) return undefined;
  if (isListType(type)) {
    // A single value stands for a one-element list (graphql-java and the specification agree).
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      const problem = problemOf(variable, type.ofType, item);
      if (problem) return problem;
    }
    return undefined;
  }
  if (isInputObjectType(type)) {
    if (typeof value !== 'object' || Array.isArray(value)) {
      return `Variable '${variable}' has an invalid value. Expected type 'Map' but was '${javaClassOf(value)}'. Variables for input objects must be an instance of type 'Map'.`;
    }
    const fields = type.getFields();
    const given = value as Record<string, unknown>;
    // AppSync leaves out the field's name that stock graphql-java prints (and keeps the trailing space).
    if (Object.keys(given).some((name) => !(name in fields))) {
      return `The variables input contains a field that is not defined for input object type '${type.name}' `;
    }
    for (const field of Object.values(fields)) {
      const problem = problemOf(variable, field.type, given[field.name] ?? field.defaultValue);
      if (problem) return problem;
    }
    return undefined;
  }
  if (isLeafType(type)) {
    try {
      const parsed = type.parseValue(value);
      if (parsed === undefined) throw new TypeError('no value');
      return undefined;
    } catch {
      return `Variable '${variable}' has an invalid value. Expected type '${type.name}' but was '${javaClassOf(value)}'.`;
    }
  }
  return undefined;
}

/** AppSync's message for each variable of `operation` whose value cannot be coerced. */
export function variableProblems(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): string[] {
  const problems: string[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (!type) continue;
    const name = definition.variable.name.value;
    const given = Object.hasOwn(variables, name);
    // A default applies only when the variable is not given at all.
    if (!given && definition.defaultValue) continue;
    const problem = problemOf(name, type, variables[name]);
    if (problem) problems.push(problem);
  }
  return problems;
}
