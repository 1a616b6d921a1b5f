/**
 * What the deployed resources are called, per stage: read by CDK (infra/) when it names them and
 * by the offline server when it says which API it stands in for (the explorer's header).
 */

/** The GraphQL API's name: `scoredrive-<stage>`, and `scoredrive-<stage>-dr` in the DR region. */
export function graphqlApiName(stage: string, role: 'primary' | 'dr' = 'primary'): string {
  return role === 'primary' ? `scoredrive-${stage}` : `scoredrive-${stage}-dr`;
}

/** `scoredrive-<stage>-scores`, the table's name in every region (a global table keeps one name). */
export function scoresTableName(stage: string): string {
  return `scoredrive-${stage}-scores`;
}
