/**
 * The permission check in front of every Query field's data access: the first function of each
 * Query pipeline (`Query.<field>/1.authorize.[none].ts`), written once here.
 *
 * AppSync has authenticated the caller before any resolver runs (API key, IAM or OIDC); this
 * step decides whether that caller may read the field. A field missing from FIELD_PERMISSIONS
 * is refused to everyone, so a new field stays closed until its permission is written down.
 * Today every field admits any authenticated caller (no scopes); issue 10 gives fields the
 * OAuth scopes an OIDC caller's token must carry.
 */
import { type Context, runtime, util } from '@aws-appsync/utils';

export interface FieldPermission {
  /** OAuth scopes the caller's token must all carry; none: any authenticated caller. */
  readonly scopes: readonly string[];
}

export const FIELD_PERMISSIONS: Readonly<Record<string, FieldPermission>> = {
  'Query.score': { scopes: [] },
  'Query.scoreHistory': { scopes: [] },
  'Query.scores': { scopes: [] },
};

/**
 * The scopes of the caller's token: OIDC and Cognito access tokens carry them space-separated
 * in the `scope` claim (RFC 9068, section 2.2.3). API-key and IAM callers have none.
 */
export function callerScopes(ctx: Context): string[] {
  const identity = ctx.identity as { claims?: { scope?: unknown } } | null | undefined;
  const scope = identity?.claims?.scope;
  return typeof scope === 'string' ? scope.split(' ').filter((s) => s.length > 0) : [];
}

/** Whether `permission` admits a caller holding `scopes`. */
export function admits(permission: FieldPermission | undefined, scopes: readonly string[]): boolean {
  if (!permission) return false;
  for (const required of permission.scopes) {
    if (!scopes.includes(required)) return false;
  }
  return true;
}

/**
 * Refuses the field as AppSync refuses an unauthorised one (util.unauthorized), or goes on to
 * the next function without calling a data source, the previous result passed along unchanged.
 */
export function request(ctx: Context): never {
  const permission = FIELD_PERMISSIONS[`${ctx.info.parentTypeName}.${ctx.info.fieldName}`];
  if (!admits(permission, callerScopes(ctx))) {
    util.unauthorized();
  }
  return runtime.earlyReturn(ctx.prev.result);
}

/** Not reached (the request returns early); AppSync requires a function to have one. */
export function response(ctx: Context): unknown {
  return ctx.prev.result;
}
