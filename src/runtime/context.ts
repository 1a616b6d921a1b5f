/**
 * Builds the `ctx` object AppSync hands to a resolver's handlers.
 * https://docs.aws.amazon.com/appsync/latest/devguide/resolver-context-reference-js.html
 */

/** Everything about one field resolution that ends up in ctx. */
export interface FieldInvocation {
  readonly parentTypeName: string;
  readonly fieldName: string;
  readonly args: Record<string, unknown>;
  readonly source?: Record<string, unknown> | null;
  /** null for API-key requests: "The identity field isn't populated." */
  readonly identity?: Record<string, unknown> | null;
  /** Request headers, lower-cased names; AppSync leaves out the cookie header. */
  readonly headers?: Record<string, string | string[] | undefined>;
  readonly variables?: Record<string, unknown>;
  readonly selectionSetList?: string[];
  readonly selectionSetGraphQL?: string;
  readonly domainName?: string | null;
}

export interface ResolverContext {
  arguments: Record<string, unknown>;
  args: Record<string, unknown>;
  identity: Record<string, unknown> | null;
  source: Record<string, unknown> | null;
  stash: Record<string, unknown>;
  prev: { result: unknown } | undefined;
  env: Record<string, string>;
  request: { headers: Record<string, string | string[]>; domainName: string | null };
  info: {
    fieldName: string;
    parentTypeName: string;
    variables: Record<string, unknown>;
    selectionSetList: string[];
    selectionSetGraphQL: string;
  };
  result?: unknown;
  error?: { message: string; type: string };
}

export function buildContext(invocation: FieldInvocation, env: Record<string, string>): ResolverContext {
  // A fresh copy: handlers may write into args, and graphql-js hands out prototype-less objects.
  const args = JSON.parse(JSON.stringify(invocation.args ?? {})) as Record<string, unknown>;
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(invocation.headers ?? {})) {
    if (value !== undefined && name !== 'cookie') headers[name] = value;
  }
  return {
    arguments: args,
    args,
    identity: invocation.identity ?? null,
    source: invocation.source ?? null,
    stash: {},
    prev: undefined,
    env: { ...env },
    request: { headers, domainName: invocation.domainName ?? null },
    info: {
      fieldName: invocation.fieldName,
      parentTypeName: invocation.parentTypeName,
      variables: invocation.variables ?? {},
      selectionSetList: invocation.selectionSetList ?? [],
      selectionSetGraphQL: invocation.selectionSetGraphQL ?? '',
    },
  };
}
