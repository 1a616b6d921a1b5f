/**
 * The data sources resolvers and pipeline functions may name (`<Type>.<field>.[<name>].ts`,
 * `<n>.<function>.[<name>].ts`), and what each one is. The CDK app deploys each as an AppSync
 * data source with its own role; the offline server connects each to its offline twin. A name
 * that is not here stops the build, the server and synth, naming the file.
 */

/** The key schema of the scores table: partition key driverId, sort key period (both strings). */
export const TABLE_KEY = { partitionKey: 'driverId', sortKey: 'period' } as const;

export interface DynamoDbDataSourceSpec {
  readonly kind: 'AMAZON_DYNAMODB';
  readonly description: string;
  /** Which of the stack's tables: only the scores table exists. */
  readonly table: 'scores';
}

export interface NoneDataSourceSpec {
  readonly kind: 'NONE';
  readonly description: string;
}

/**
 * An HTTP data source: AppSync sends a function's request object (method, resourcePath, params)
 * to `endpoint`, which is a scheme and authority only (`https://host[:port]`), as AppSync's
 * HttpConfig takes it. Offline, `scoredrive serve --http-endpoint <name>=<url>` points it
 * elsewhere (a local twin of the service).
 */
export interface HttpDataSourceSpec {
  readonly kind: 'HTTP';
  readonly description: string;
  readonly endpoint: string;
}

export type DataSourceSpec = DynamoDbDataSourceSpec | NoneDataSourceSpec | HttpDataSourceSpec;

/** Data sources by the name files use. */
export type DataSourceCatalogue = Readonly<Record<string, DataSourceSpec>>;

/** The name a unit resolver without `[<name>]` uses. */
export const DEFAULT_DATA_SOURCE = 'scores';

/** ScoreDrive's data sources. */
export const DATA_SOURCES: DataSourceCatalogue = {
  scores: { kind: 'AMAZON_DYNAMODB', description: 'the scores table, read-only', table: 'scores' },
  none: { kind: 'NONE', description: 'no data source (NONE): checks and shaping in the resolver code' },
};

const NAME = /^[a-z][a-z0-9-]*$/;
const ENDPOINT = /^https?:\/\/[^/?#\s]+$/;

/**
 * Whether `endpoint` has the shape of AppSync's HttpConfig endpoint: a scheme and authority,
 * no path (AppSync takes the path from each request's resourcePath). Said as an error, or null.
 */
export function httpEndpointProblem(endpoint: string): string | null {
  if (!ENDPOINT.test(endpoint)) return `${JSON.stringify(endpoint)} must be http(s)://host[:port], without a path`;
  try {
    new URL(endpoint);
  } catch {
    return `${JSON.stringify(endpoint)} is not a URL`;
  }
  return null;
}

/**
 * AppSync's HTTP data sources reach ports 80 and 443 only: a call to any other port times out
 * at connect ("HTTP resolver times out with a non 80/443 port", aws/aws-appsync-community#79,
 * open since 2020; AWS: "We will evaluate this change"). A deployed endpoint on another port
 * would work offline and never on AWS, so it is refused here. (`--http-endpoint` overrides,
 * which stand for a local twin, may use any port.)
 */
function deployedPortProblem(endpoint: string): string | null {
  const url = new URL(endpoint);
  if (url.port === '' || url.port === '80' || url.port === '443') return null;
  return `${JSON.stringify(endpoint)}: AppSync's HTTP data sources reach ports 80 and 443 only (aws/aws-appsync-community#79: other ports time out)`;
}

/**
 * A catalogue's mistakes, each naming the data source: a name a file could not carry, an HTTP
 * endpoint AppSync would not take or could not reach, no default.
 */
export function checkDataSources(catalogue: DataSourceCatalogue): void {
  if (!Object.hasOwn(catalogue, DEFAULT_DATA_SOURCE)) {
    throw new Error(`data sources: "${DEFAULT_DATA_SOURCE}" (the unit resolvers' default) is missing`);
  }
  for (const [name, spec] of Object.entries(catalogue)) {
    if (!NAME.test(name)) throw new Error(`data source "${name}": names are lower case letters, digits and -`);
    if (spec.kind === 'HTTP') {
      const problem = httpEndpointProblem(spec.endpoint) ?? deployedPortProblem(spec.endpoint);
      if (problem) throw new Error(`data source "${name}": endpoint ${problem}`);
    }
  }
}
