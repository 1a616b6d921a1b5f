/**
 * What a stage refuses before or while a query runs, as AppSync refuses it:
 * - documents of more than 15,000 tokens (AppSync's quota; it also bounds the work and memory of
 *   parsing: a 1 MB query of 20,000 aliases took ~230 ms and ~60 MB to parse);
 * - introspection when the API disables it (a validation error);
 * - fields nested deeper than `queryDepthLimit`, and resolvers beyond `resolverCountLimit`: both
 *   at execution, on the field concerned, the rest of the data still answered.
 */
import type { GraphQLError, GraphQLResolveInfo, ValidationContext, ValidationRule } from 'graphql';
import { GraphQLError as GraphQLValidationError, getNamedType, isIntrospectionType } from 'graphql';
import type { GraphQLLimits } from '../contract/graphql-limits';
import { APPSYNC_LIMIT_ERRORS } from './appsync-errors';

/**
 * Introspection switched off as graphql-java's NoIntrospectionGraphqlFieldVisibility (which
 * AppSync's answer matches) does it: `__schema` and `__type` are still fields, but every field
 * of the introspection types is undefined; `__typename` still answers.
 */
function noIntrospectionFieldsRule(context: ValidationContext): ReturnType<ValidationRule> {
  const path: string[] = [];
  return {
    Field: {
      enter(node) {
        path.push(node.name.value);
        const parent = context.getParentType();
        if (parent && isIntrospectionType(getNamedType(parent)) && node.name.value !== '__typename') {
          context.reportError(
            new GraphQLValidationError(
              `Field '${node.name.value}' in type '${getNamedType(parent).name}' is undefined @ '${path.join('/')}'`,
              { nodes: node },
            ),
          );
          // As graphql-java: the fields inside an undefined field are not looked at.
          path.pop();
          return false;
        }
        return undefined;
      },
      leave() {
        path.pop();
      },
    },
  };
}

/** The validation rules a stage adds to the specification's. */
export function limitRules(limits: Partial<GraphQLLimits>): ValidationRule[] {
  return limits.introspection === false ? [noIntrospectionFieldsRule] : [];
}

/** graphql-java's ValidationErrorType for the rules limitRules adds. */
export function validationTypeOfLimitRule(rule: ValidationRule): string | undefined {
  return rule === noIntrospectionFieldsRule ? 'FieldUndefined' : undefined;
}

/** Whether graphql-js stopped parsing `error`'s document at its token limit. */
export function isTooManyTokens(error: GraphQLError): boolean {
  return /Document contains more th\w+ \d+ tokens/.test(error.message);
}

/** Counts the resolvers one request runs; the one past the limit and every later one fail. */
export class ResolverCounter {
  private used = 0;

  constructor(private readonly limit: number) {}

  count(): void {
    this.used += 1;
    if (this.used > this.limit) throw APPSYNC_LIMIT_ERRORS.resolverCount(this.limit);
  }
}

/** The depth of a field: 1 for a root field, one more for each selection set it is nested in. */
export function fieldDepth(info: GraphQLResolveInfo): number {
  let depth = 0;
  for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) {
    if (typeof p.key === 'string') depth += 1;
  }
  return depth;
}

export function assertWithinDepth(info: GraphQLResolveInfo, limit: number): void {
  if (limit > 0 && fieldDepth(info) > limit) throw APPSYNC_LIMIT_ERRORS.depth(limit);
}
