/**
 * The permission check in front of every Query field's data access: the first function of each
 * Query pipeline (`Query.<field>/1.authorize.[none].ts`), written once here.
 *
 * AppSync has authenticated the caller before any resolver runs (API key, IAM or OIDC); this
 * step decides whether that caller may read the field. A field missing from FIELD_PERMISSIONS
 * is refused to everyone, so a new field stays closed until its permission is written down.
 *
 * An insurer's system calling with an OAuth token reads only what its token's scopes allow:
 * each field names the scopes it needs (the read scope, as the REST facade requires too).
 * API-key and IAM callers carry no scopes: their own gate decides (the stage's API key; IAM
 * policies on AWS), so the step admits them to every field that has a permission.
 */
import { type Context, runtime, util } from '@aws-appsync/utils';

/**
 * The read scope of the stage's user pool, READ_SCOPE of src/contract/auth-modes.ts (a test holds
 * them equal): written out so resolvers/ imports nothing at run time from outside itself.
 */
export const READ_SCOPE = 'scoredrive/scores.read';

export interface FieldPermission {
  /** OAuth scopes a token caller's token must all carry. */
  readonly scopes: readonly string[];
}

export const FIELD_PERMISSIONS: Readonly<Record<string, FieldPermission>> = {
  'Query.score': { scopes: [READ_SCOPE] },
  'Query.scoreHistory': { scopes: [READ_SCOPE] },
  'Query.scores': { scopes: [READ_SCOPE] },
};

/**
 * The scopes of a caller who came with a token, or null for one who did not. OIDC and Cognito
 * identities carry the token's claims (resolver-context-reference-js, «Identity»), access tokens
 * their scopes space-separated in `scope` (RFC 9068, section 2.2.3); API-key callers have no
 * identity, and IAM identities no claims.
 */
export function callerScopes(ctx: Context): string[] | null {
  const identity = ctx.identity as { claims?: { scope?: unknown } } | null | undefined;
  if (!identity?.claims) return null;
  const scope = identity.claims.scope;
  return typeof scope === 'string' ? scope.split(' ').filter((s) => s.length > 0) : [];
}

/** Whether `permission` admits a caller holding `scopes` (null: no token, so no scopes to check). */
export function admits(permission: FieldPermission | undefined, scopes: readonly string[] | null): boolean {
  if (!permission) return false;
  if (scopes === null) return true;
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
