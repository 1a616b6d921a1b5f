/**
 * The stage's schema: its modes written onto object types without auth directives, and nothing
 * else changed. The rule it serves is AppSync's (security-authz, "Using additional authorization
 * modes"): a type without directives "has to pass the API level authorization setting".
 */
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { withStageAuthDirectives } from '../../src/contract/stage-schema';

const SDL = `
"A post."
type Post @aws_api_key {
  id: ID!
  secret: String @aws_iam
}
type Query {
  "One post."
  post(id: ID!): Post
}
enum Kind { A B }
input Filter { kind: Kind }
`;

describe('withStageAuthDirectives', () => {
  const staged = withStageAuthDirectives(SDL, ['AWS_IAM', 'OPENID_CONNECT']);

  it('names the stage’s modes on a type without auth directives, the default first', () => {
    expect(staged).toMatch(/type Query @aws_iam @aws_oidc \{/);
  });

  it('keeps a type’s own directives, and its fields’, as they are', () => {
    expect(staged).toMatch(/type Post @aws_api_key \{/);
    expect(staged).toMatch(/secret: String @aws_iam\n/);
  });

  it('leaves enums, inputs and descriptions alone, and stays a valid schema with AppSync’s directives', () => {
    expect(staged).toContain('enum Kind');
    expect(staged).toContain('input Filter');
    expect(staged).toContain('"One post."');
    const directives = ['aws_api_key', 'aws_iam', 'aws_oidc']
      .map((name) => `directive @${name} on FIELD_DEFINITION | OBJECT`)
      .join('\n');
    expect(() => buildSchema(`${directives}\n${staged}`)).not.toThrow();
  });
});
