/**
 * `ctx.identity` in AppSync's shapes, per the mode that authenticated the request
 * (resolver-context-reference-js, "Identity"; the `Identity` types of @aws-appsync/utils):
 * - API_KEY: "The identity field isn't populated" (null);
 * - OPENID_CONNECT: `{ claims, issuer, sub }` (@aws-appsync/utils AppSyncIdentityOIDC);
 * - AWS_IAM: built where SigV4 is verified (src/auth/iam), from the same sourceIp rule.
 */

export interface OidcIdentity {
  readonly claims: Record<string, unknown>;
  readonly issuer: string;
  readonly sub: string;
}

/** The identity of a request whose OIDC token was verified with these claims. */
export function oidcIdentity(claims: Record<string, unknown>): OidcIdentity {
  return { claims, issuer: String(claims.iss ?? ''), sub: String(claims.sub ?? '') };
}

/**
 * "If the request doesn't include the x-forwarded-for header, the source IP value contains only
 * a single IP address from the TCP connection. If the request includes a x-forwarded-for
 * header, the source IP is a list of IP addresses from the x-forwarded-for header, in addition
 * to the IP address from the TCP connection" (resolver-context-reference-js, sourceIp).
 */
export function sourceIpOf(headers: Record<string, string | string[] | undefined>, remoteAddress: string): string[] {
  const forwarded = headers['x-forwarded-for'];
  const listed = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''))
    .split(',')
    .map((address) => address.trim())
    .filter((address) => address.length > 0);
  return [...listed, remoteAddress];
}
