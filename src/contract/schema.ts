/**
 * Loads the deployed schema (with the AWS scalar stubs) and checks it against the resolvers:
 * a root field without a resolver, or a resolver without a field, stops the start with a
 * message naming them (AppSync would silently answer null for the first, CDK fail on the second).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildSchema, type GraphQLSchema } from 'graphql';
import type { GraphQLAuthMode } from './auth-modes';
import { SCHEMA_DIR } from './project-paths';
import { withStageAuthDirectives } from './stage-schema';

export { SCHEMA_DIR };
export const SCHEMA_FILE = path.join(SCHEMA_DIR, 'schema.graphql');
export const AWS_SCALARS_FILE = path.join(SCHEMA_DIR, 'aws-scalars.graphql');

/**
 * The schema with AppSync's scalars; `dir` holds schema.graphql and aws-scalars.graphql (the
 * project's by default). Given a stage's auth modes, the schema is the one that stage deploys
 * (stage-schema.ts: the modes written onto each object type without directives of its own).
 */
export async function loadSchema(dir?: string, modes?: readonly GraphQLAuthMode[]): Promise<GraphQLSchema> {
  const files = dir
    ? [path.join(dir, path.basename(AWS_SCALARS_FILE)), path.join(dir, path.basename(SCHEMA_FILE))]
    : [AWS_SCALARS_FILE, SCHEMA_FILE];
  const [scalars, schema] = await Promise.all(files.map((file) => readFile(file, 'utf8')));
  const deployed = modes ? withStageAuthDirectives(schema as string, modes) : schema;
  return buildSchema(`${scalars}\n${deployed}`);
}

/** `Type.field` for every field of the root operation types. */
export function rootFields(schema: GraphQLSchema): string[] {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
  return roots.flatMap((type) => (type ? Object.keys(type.getFields()).map((field) => `${type.name}.${field}`) : []));
}

export class SchemaDriftError extends Error {
  override readonly name = 'SchemaDriftError';
}

/** Throws SchemaDriftError unless every root field has exactly one resolver and vice versa. */
export function assertResolversMatchSchema(schema: GraphQLSchema, resolverFields: readonly string[]): void {
  const fields = rootFields(schema);
  const missing = fields.filter((field) => !resolverFields.includes(field));
  const extra = resolverFields.filter((field) => !fields.includes(field));
  const problems = [
    ...missing.map((field) => `schema field ${field} has no resolver (add resolvers/${field}.ts)`),
    ...extra.map((field) => `resolver ${field} matches no field of schema/schema.graphql`),
  ];
  if (problems.length > 0) {
    throw new SchemaDriftError(`schema and resolvers disagree:\n  ${problems.join('\n  ')}`);
  }
}
