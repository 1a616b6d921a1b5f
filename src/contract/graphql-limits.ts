/**
 * What each stage's GraphQL API refuses: introspection, query depth and the resolver count per
 * request. Part of the contract (CDK deploys these values, `scoredrive serve --stage <name>`
 * enforces them), and free of aws-cdk-lib so the offline server can load it.
 */

export const STAGE_NAMES = ['dev', 'test', 'prod'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** The deployed stage a name stands for offline: itself, or dev (what developers deploy first) for any other name. */
export function deployedStageOf(stage: string): StageName {
  return (STAGE_NAMES as readonly string[]).includes(stage) ? (stage as StageName) : 'dev';
}

export interface GraphQLLimits {
  /** Whether `__schema` / `__type` queries are answered. */
  readonly introspection: boolean;
  /** Maximum query depth (AppSync allows 1-75); 0 means no limit. */
  readonly queryDepthLimit: number;
  /**
   * Most resolvers one request may run (AppSync allows 1-10,000; 0 leaves AppSync's default).
   * Our largest legitimate request asks `score`, `scoreHistory` and `scores` once each; a
   * renewal tool comparing a year month by month aliases `score` 12 times. 25 leaves twice
   * that as headroom while capping an alias flood at 25 store reads (2,500 keys with `scores`).
   */
  readonly resolverCountLimit: number;
}

const RESOLVER_COUNT_LIMIT = 25;

export const GRAPHQL_LIMITS: Readonly<Record<StageName, GraphQLLimits>> = {
  dev: { introspection: true, queryDepthLimit: 0, resolverCountLimit: RESOLVER_COUNT_LIMIT },
  test: { introspection: true, queryDepthLimit: 5, resolverCountLimit: RESOLVER_COUNT_LIMIT },
  prod: { introspection: false, queryDepthLimit: 5, resolverCountLimit: RESOLVER_COUNT_LIMIT },
};
