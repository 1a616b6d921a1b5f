/**
 * Builds the `ctx` object AppSync hands to a resolver's handlers.
 * https://docs.aws.amazon.com/appsync/latest/devguide/resolver-context-reference-js.html
 */

import type { OperationState } from './operation-state';
import type { Realm } from './realm';

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
  /** What the fields of one GraphQL operation share (response headers, invalidations). */
  readonly operation?: OperationState;
  /** util.authType()'s answer for the request's mode; the runtime's own when absent. */
  readonly authType?: string;
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

/**
 * What every step's ctx of one invocation is copied from: a JSON-compatible host value, made
 * once per field (the headers filtered, env copied) and copied into each step's realm.
 */
export interface ContextSource {
  readonly data: Omit<ResolverContext, 'args' | 'info' | 'result' | 'error'> & {
    info: { fieldName: string; parentTypeName: string; variables: Record<string, unknown> };
  };
  readonly selection: { selectionSetList: string[]; selectionSetGraphQL: string };
}

export function contextSource(invocation: FieldInvocation, env: Record<string, string>): ContextSource {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(invocation.headers ?? {})) {
    if (value !== undefined && name !== 'cookie') headers[name] = value;
  }
  return {
    data: {
      arguments: invocation.args ?? {},
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
      },
    },
    selection: {
      selectionSetList: invocation.selectionSetList ?? [],
      selectionSetGraphQL: invocation.selectionSetGraphQL ?? '',
    },
  };
}

/**
 * A step's context, made of its realm's own objects. `args` and `arguments` are one object;
 * `selectionSetList` and `selectionSetGraphQL` are left out of JSON.stringify ("JSON.stringify
 * will not include selectionSetGraphQL and selectionSetList in the string serialization",
 * resolver-context-reference-js, Info).
 */
export function contextIn(source: ContextSource, realm: Realm): ResolverContext {
  return completeContext(realm.fromHost(source.data) as ResolverContext, realm, source.selection);
}

/** The context for one invocation (a unit resolver, EvaluateCode): contextIn of its contextSource. */
export function buildContext(invocation: FieldInvocation, env: Record<string, string>, realm: Realm): ResolverContext {
  return contextIn(contextSource(invocation, env), realm);
}

/** Adds what every context has however it was made: the `args` alias and the info members JSON leaves out. */
export function completeContext(
  ctx: ResolverContext,
  realm: Realm,
  selection: { selectionSetList: string[]; selectionSetGraphQL: string },
): ResolverContext {
  ctx.args = ctx.arguments;
  if (ctx.info && typeof ctx.info === 'object') {
    Object.defineProperty(ctx.info, 'selectionSetList', {
      value: realm.fromHost(selection.selectionSetList),
      enumerable: false,
      writable: true,
      configurable: true,
    });
    Object.defineProperty(ctx.info, 'selectionSetGraphQL', {
      value: selection.selectionSetGraphQL,
      enumerable: false,
      writable: true,
      configurable: true,
    });
  }
  return ctx;
}
