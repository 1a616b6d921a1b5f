/**
 * The schema as each stage deploys it: schema/schema.graphql with the stage's authorization
 * modes written onto every object type that names none of its own.
 *
 * Why: AppSync lets a type or field be reached only by the modes its directives name, and a
 * type without any "has to pass the API level authorization setting" (security-authz, "Using
 * additional authorization modes"). So with IAM as prod's default and OIDC as an additional
 * mode, an OIDC token would read nothing unless the types say `@aws_oidc`. ScoreDrive's rule is
 * that every mode a stage enables may reach every field (the authorize pipeline step then
 * decides by the caller's scopes), so each stage's schema says exactly that; a type or field
 * that carries its own directives keeps them.
 */
import { type ConstDirectiveNode, Kind, parse, print, visit } from 'graphql';
import type { GraphQLAuthMode } from './auth-modes';

/** AppSync's directive for each mode (security-authz, "Using additional authorization modes"). */
export const AUTH_DIRECTIVES: Readonly<Record<GraphQLAuthMode, string>> = {
  API_KEY: 'aws_api_key',
  AWS_IAM: 'aws_iam',
  OPENID_CONNECT: 'aws_oidc',
};

const ALL_AUTH_DIRECTIVES = new Set([
  'aws_api_key',
  'aws_iam',
  'aws_oidc',
  'aws_cognito_user_pools',
  'aws_lambda',
  'aws_auth',
]);

function directive(name: string): ConstDirectiveNode {
  return { kind: Kind.DIRECTIVE, name: { kind: Kind.NAME, value: name }, arguments: [] };
}

/** `sdl` with `modes`' directives on each object type that has no auth directive of its own. */
export function withStageAuthDirectives(sdl: string, modes: readonly GraphQLAuthMode[]): string {
  const added = modes.map((mode) => directive(AUTH_DIRECTIVES[mode]));
  const document = visit(parse(sdl), {
    ObjectTypeDefinition(node) {
      if ((node.directives ?? []).some((d) => ALL_AUTH_DIRECTIVES.has(d.name.value))) return undefined;
      return { ...node, directives: [...(node.directives ?? []), ...added] };
    },
  });
  return `${print(document)}\n`;
}
