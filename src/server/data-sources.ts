/**
 * The runtime's data sources, made from the catalogue (src/contract/data-sources.ts) as the CDK
 * app deploys them from it: the scores table for each AMAZON_DYNAMODB spec, NONE for NONE, and
 * for HTTP a client of the spec's endpoint, or of the one `--http-endpoint <name>=<url>` gives
 * offline (a local twin of the service).
 */
import {
  checkDataSources,
  type DataSourceCatalogue,
  type DataSourceSpec,
  DEFAULT_DATA_SOURCE,
  httpEndpointProblem,
} from '../contract/data-sources';
import { HttpDataSource, type HttpDataSourceOptions } from '../runtime/datasources/http';
import { NoneDataSource } from '../runtime/datasources/none';
import type { DataSource } from '../runtime/resolver-runtime';

export interface DataSourceWiring {
  /** The scores table's data source: every AMAZON_DYNAMODB spec names it (the catalogue knows one table). */
  readonly dynamodb: DataSource;
  /** Endpoints that replace HTTP specs' own, by data source name. */
  readonly httpEndpoints?: Readonly<Record<string, string>>;
  /** Time-out, size bound and dispatcher of every HTTP data source. */
  readonly http?: Omit<HttpDataSourceOptions, 'onFailure'>;
  /** Told of each failed HTTP call and its cause (which may hold an address: for the server's log only). */
  readonly onHttpFailure?: (dataSource: string, cause: unknown) => void;
}

export interface DataSources {
  /** Every data source but the default (`scores`), which the runtime takes on its own. */
  readonly named: Readonly<Record<string, DataSource>>;
  /** Ends the HTTP data sources' connections. */
  close(): Promise<void>;
}

/**
 * The catalogue with `overrides` in place of HTTP endpoints; throws naming an override whose
 * name is no HTTP data source, or whose URL is not `http(s)://host[:port]`. An override may use
 * any port: it stands for a local twin, not what AppSync will call.
 */
export function withHttpEndpoints(
  catalogue: DataSourceCatalogue,
  overrides: Readonly<Record<string, string>> = {},
): DataSourceCatalogue {
  checkDataSources(catalogue);
  const httpNames = Object.keys(catalogue).filter((name) => catalogue[name]?.kind === 'HTTP');
  const result: Record<string, DataSourceSpec> = { ...catalogue };
  for (const [name, endpoint] of Object.entries(overrides)) {
    const spec = Object.hasOwn(catalogue, name) ? catalogue[name] : undefined;
    if (spec?.kind !== 'HTTP') {
      throw new Error(
        `HTTP endpoint for "${name}": no HTTP data source has that name (HTTP data sources: ${httpNames.join(', ') || 'none'})`,
      );
    }
    const problem = httpEndpointProblem(endpoint);
    if (problem) throw new Error(`HTTP endpoint for "${name}": ${problem}`);
    result[name] = { ...spec, endpoint };
  }
  return result;
}

/** The runtime's data sources for `catalogue`; an unknown kind throws, naming the data source. */
export function buildDataSources(catalogue: DataSourceCatalogue, wiring: DataSourceWiring): DataSources {
  const effective = withHttpEndpoints(catalogue, wiring.httpEndpoints);
  const named: Record<string, DataSource> = {};
  const http: HttpDataSource[] = [];
  for (const [name, spec] of Object.entries(effective)) {
    if (name === DEFAULT_DATA_SOURCE) {
      // The runtime gives unit resolvers `wiring.dynamodb` by this name, whatever the catalogue says.
      if (spec.kind !== 'AMAZON_DYNAMODB') throw new Error(`data source "${name}" must be the scores table`);
      continue;
    }
    switch (spec.kind) {
      case 'AMAZON_DYNAMODB':
        named[name] = wiring.dynamodb;
        break;
      case 'NONE':
        named[name] = new NoneDataSource();
        break;
      case 'HTTP': {
        const onHttpFailure = wiring.onHttpFailure;
        const source = new HttpDataSource(spec.endpoint, {
          ...wiring.http,
          ...(onHttpFailure ? { onFailure: (cause: unknown) => onHttpFailure(name, cause) } : {}),
        });
        http.push(source);
        named[name] = source;
        break;
      }
      default:
        throw new Error(
          `data source "${name}": kind ${JSON.stringify((spec as { kind?: unknown }).kind)} has no offline twin`,
        );
    }
  }
  return {
    named,
    close: async () => {
      await Promise.all(http.map((source) => source.close()));
    },
  };
}
