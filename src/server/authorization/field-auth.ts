/**
 * AppSync's field-level authorization, offline: which authorization modes may reach each field,
 * read from the schema's directives as the developer guide describes them (security-authz,
 * "Using additional authorization modes"):
 * - `@aws_api_key`, `@aws_iam`, `@aws_oidc`, `@aws_cognito_user_pools`, `@aws_lambda` on an
 *   object type or a field name the modes that may reach it;
 * - a field's own directives replace its type's: in the guide's example, `restrictedContent:
 *   String! @aws_iam` in `type Post @aws_api_key @aws_iam` is refused to API_KEY requests;
 * - a field whose type and self name no mode "has to pass the API level authorization setting":
 *   the default mode only.
 * A refused field is null with AppSync's error, as recorded in aws-amplify/amplify-cli#5163 and
 * aws/aws-appsync-community#349: errorType `Unauthorized`, message `Not Authorized to access
 * <field> on type <Type>`.
 */
import { type GraphQLResolveInfo, type GraphQLSchema, isObjectType } from 'graphql';
import { ResolverError } from '../../runtime/errors';

/** AppSync's AuthenticationType names, by the directive that grants each. */
const MODE_OF_DIRECTIVE: Readonly<Record<string, string>> = {
  aws_api_key: 'API_KEY',
  aws_iam: 'AWS_IAM',
  aws_oidc: 'OPENID_CONNECT',
  aws_cognito_user_pools: 'AMAZON_COGNITO_USER_POOLS',
  aws_lambda: 'AWS_LAMBDA',
};

function modesNamedBy(node: { directives?: readonly { name: { value: string } }[] } | null | undefined): string[] {
  return (node?.directives ?? []).flatMap((d) => MODE_OF_DIRECTIVE[d.name.value] ?? []);
}

/**
 * What util.authType() answers for each mode: "either "IAM Authorization", "User Pool
 * Authorization", "Open ID Connect Authorization", or "API Key Authorization"" (the declaration
 * of util.authType in @aws-appsync/utils). AWS_LAMBDA, which offline does not accept, has none.
 */
export const AUTH_TYPE_OF_MODE: Readonly<Record<string, string>> = {
  API_KEY: 'API Key Authorization',
  AWS_IAM: 'IAM Authorization',
  OPENID_CONNECT: 'Open ID Connect Authorization',
  AMAZON_COGNITO_USER_POOLS: 'User Pool Authorization',
};

export function unauthorizedField(fieldName: string, typeName: string): ResolverError {
  return new ResolverError(`Not Authorized to access ${fieldName} on type ${typeName}`, 'Unauthorized');
}

export class FieldAuthorization {
  /** Type → field → the modes that may reach it (two lookups: no key string built per field). */
  private readonly allowed = new Map<string, Map<string, ReadonlySet<string>>>();

  constructor(schema: GraphQLSchema, defaultMode: string) {
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || !isObjectType(type)) continue;
      const typeModes = modesNamedBy(type.astNode);
      const fields = new Map<string, ReadonlySet<string>>();
      for (const field of Object.values(type.getFields())) {
        const fieldModes = modesNamedBy(field.astNode);
        const modes = fieldModes.length > 0 ? fieldModes : typeModes.length > 0 ? typeModes : [defaultMode];
        fields.set(field.name, new Set(modes));
      }
      this.allowed.set(type.name, fields);
    }
  }

  /** The modes that may reach `Type.field` (introspection and unknown fields: none listed). */
  modesOf(typeName: string, fieldName: string): ReadonlySet<string> | undefined {
    return this.allowed.get(typeName)?.get(fieldName);
  }

  /** Throws AppSync's Unauthorized error when a caller authenticated by `mode` may not reach the field. */
  assertAllowed(info: GraphQLResolveInfo, mode: string): void {
    const modes = this.allowed.get(info.parentType.name)?.get(info.fieldName);
    // Introspection's own types (__Schema, __Type…) carry no directives and are not the API's data.
    if (!modes || modes.has(mode)) return;
    throw unauthorizedField(info.fieldName, info.parentType.name);
  }
}
