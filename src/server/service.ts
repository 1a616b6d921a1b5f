/**
 * Assembles the offline service: store (embedded dynalite or an external endpoint), table,
 * resolver bundles, runtime, GraphQL, HTTP app. The CLI binds it to a port; tests drive it
 * in-process.
 */
import path from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { IAM_CREDENTIALS_ENV } from '../auth/iam';
import { DATA_SOURCES, type DataSourceCatalogue } from '../contract/data-sources';
import { deployedStageOf, GRAPHQL_LIMITS, type GraphQLLimits } from '../contract/graphql-limits';
import { buildResolverBundles } from '../contract/resolver-bundles';
import { loadSchema } from '../contract/schema';
import { type AccessLogOptions, type AccessLogWriter, openAccessLog } from '../observability/access-log';
import { driverIdHasher } from '../observability/driver-id-hash';
import { instrumentedApi } from '../observability/instrumented-api';
import { ServiceMetrics } from '../observability/metrics';
import { DynamoDBDataSource } from '../runtime/datasources/dynamodb';
import { PaginationTokens } from '../runtime/datasources/pagination';
import { ResolverRuntime } from '../runtime/resolver-runtime';
import { createDynamoDBClient, createEmbeddedStoreClient } from '../store/client';
import { seedDemoData } from '../store/demo-seed';
import { embeddedStoreApi, sdkDynamoDBApi } from '../store/dynamodb-api';
import {
  DEFAULT_STORE_CACHE_MB,
  type EmbeddedStore,
  type RangeReads,
  startEmbeddedStore,
  type TableReads,
} from '../store/embedded-store';
import { ensurePrivateDir } from '../store/private-files';
import { anyDriverId, approximateItemCount, ensureScoresTable } from '../store/table';
import { apiKeyMatcher, resolveApiKeys, resolveLogHashKey, resolvePaginationKey } from './api-keys';
import { buildApp } from './app';
import { type OfflineAuth, setUpOfflineAuth } from './authorization/offline-auth';
import { buildDataSources } from './data-sources';
import { GraphQLService } from './graphql-service';
import { storeProbe } from './store-health';
import { logUnsupportedOnce } from './unsupported-features';

export interface ServiceConfig {
  readonly dataDir: string;
  readonly tableName: string;
  /** Use this DynamoDB endpoint instead of the embedded store. */
  readonly dynamodbEndpoint?: string;
  /** The embedded store's LevelDB block cache, in MiB (src/store/embedded-store.ts). */
  readonly storeCacheMb?: number;
  /** Let LevelDB memory-map the embedded store's table files (src/store/embedded-store.ts). */
  readonly storeMapTables?: boolean;
  /** Create the table on an external endpoint when it is missing (always done for the embedded store). */
  readonly createTable?: boolean;
  /** Comma-separated API keys; when empty, the data directory's key. */
  readonly apiKeys?: string;
  /** Demo data for an empty embedded store. */
  readonly demo?: { drivers: number; months: number };
  readonly logger?: Logger;
  /** The stage the access log and metrics name. @default 'offline' */
  readonly stage?: string;
  /**
   * The GraphQL limits to enforce (introspection, depth, resolvers per request); by default the
   * stage's from src/contract/graphql-limits.ts, and the dev stage's for `offline` or any other name.
   */
  readonly graphqlLimits?: GraphQLLimits;
  /** The resolvers, bundles and schema to serve; the project's own by default. */
  readonly resolversDir?: string;
  readonly bundlesDir?: string;
  readonly schemaDir?: string;
  /** Where the access log goes (`<dataDir>/logs` by default); `false` for none. */
  readonly accessLog?: (Omit<AccessLogOptions, 'dir'> & { dir?: string }) | false;
  /** The data sources resolvers may name. @default DATA_SOURCES (src/contract/data-sources.ts) */
  readonly dataSources?: DataSourceCatalogue;
  /** Endpoints in place of HTTP data sources' own, by name (`--http-endpoint <name>=<url>`). */
  readonly httpEndpoints?: Readonly<Record<string, string>>;
  /**
   * The offline authorization server's issuer (the URL clients reach this server at), read when
   * a token is issued or checked. @default 'http://localhost:4000'
   */
  readonly oauthIssuer?: string | (() => string);
  /** An external OIDC issuer to trust instead of the offline authorization server (AppSync's OIDC config). */
  readonly oidcIssuer?: string;
  /** The region IAM (SigV4) requests are signed for. @default AWS_REGION, else eu-south-1 (the stages' region) */
  readonly region?: string;
}

export const DEFAULT_DEMO = { drivers: 10_000, months: 6 };

export interface Service {
  readonly app: FastifyInstance;
  /** The GraphQL service answering now (a reload replaces it). */
  readonly graphql: GraphQLService;
  /**
   * Rebuilds the bundles and the schema and swaps them in at once; on any error (a build error,
   * a deploy check, schema drift) throws and the previous ones keep serving.
   */
  reloadResolvers(): Promise<void>;
  readonly apiKeys: readonly string[];
  /** The GraphQL API's modes and what backs them (the OAuth clients, the IAM keys), for the banner. */
  readonly auth: OfflineAuth;
  readonly tableName: string;
  /** The external endpoint; undefined for the embedded store (reached over its worker's message port). */
  readonly endpoint?: string;
  readonly embedded: boolean;
  readonly client: DynamoDBClient;
  readonly metrics: ServiceMetrics;
  /** The access log's directory; undefined when it is off. */
  readonly accessLogDir?: string;
  /** Resolves when demo data (if any was needed) is in the table. */
  readonly ready: Promise<void>;
  /** Records in the table: exact for the embedded store, DynamoDB's estimate otherwise. */
  recordCount(): Promise<number>;
  exampleDriverId(): Promise<string | undefined>;
  close(): Promise<void>;
}

/** The access log's outage warnings go to the server's log when there is one (else to stderr). */
function accessLogWarning(logger: Logger | undefined): ((message: string) => void) | undefined {
  return logger ? (message) => logger.warn(message) : undefined;
}

/** Says at start how the store's memory is bounded, and warns when it is not as asked. */
function logTableReads(config: ServiceConfig, tableReads: TableReads): void {
  const cacheMb = config.storeCacheMb ?? DEFAULT_STORE_CACHE_MB;
  if (tableReads === 'cached') {
    config.logger?.info({ cacheMb }, 'store: table files read through the block cache, none memory-mapped');
  } else if (config.storeMapTables) {
    config.logger?.info("store: table files memory-mapped (--store-map-tables): memory grows to the store's size");
  } else if (tableReads === 'mapped') {
    config.logger?.warn(
      "store: this LevelDB memory-maps more than 1,000 table files, so the store's tables are mapped: its memory grows to the store's size",
    );
  } else {
    config.logger?.info(
      { cacheMb },
      'store: table files read through the block cache (no /proc/self/maps to check it)',
    );
  }
}

/** Says at start where the store's Query reads run, and warns when they cost a thread hop each. */
function logRangeReads(config: ServiceConfig, rangeReads: RangeReads): void {
  if (rangeReads === 'store-thread') {
    config.logger?.info("store: LevelDB reads run on the store's own thread");
  } else {
    config.logger?.warn(
      "store: classic-level is the prebuilt binary, not the one built from its patched source at install, so each Query's read goes through libuv's thread pool and costs more CPU (npm run build:store-binding says why the build fails)",
    );
  }
}

/** What `$context.stage` says offline (routes are served without a stage prefix). */
export const OFFLINE_STAGE = 'offline';

/** The deployed stage's GraphQL limits; the dev stage's (what developers deploy first) for any other name. */
export function graphqlLimitsOf(stage: string): GraphQLLimits {
  return GRAPHQL_LIMITS[deployedStageOf(stage)];
}

export async function createService(config: ServiceConfig): Promise<Service> {
  const dataDir = path.resolve(config.dataDir);
  await ensurePrivateDir(dataDir);
  let store: EmbeddedStore | undefined;
  if (!config.dynamodbEndpoint) {
    store = await startEmbeddedStore(dataDir, {
      cacheMb: config.storeCacheMb,
      mapTables: config.storeMapTables,
      onStopped: (error) =>
        config.logger?.fatal({ err: error }, 'the embedded store stopped; requests fail until a restart'),
    });
    logTableReads(config, store.tableReads);
    logRangeReads(config, store.rangeReads);
  }
  // What a failed start must let go of, besides the store.
  let clientToClose: DynamoDBClient | undefined;
  let accessLog: AccessLogWriter | undefined;
  try {
    const endpoint = store ? undefined : config.dynamodbEndpoint;
    const client = store
      ? createEmbeddedStoreClient(store.endpoint, store.requestHandler)
      : createDynamoDBClient({ endpoint });
    clientToClose = client;
    await ensureScoresTable(client, config.tableName, Boolean(store) || Boolean(config.createTable));

    const stage = config.stage ?? OFFLINE_STAGE;
    const metrics = new ServiceMetrics({ stage });
    // The embedded store is reached without the SDK on the request path (see dynamodb-api.ts).
    const api = instrumentedApi(store ? embeddedStoreApi(store.requestHandler) : sdkDynamoDBApi(client), metrics);
    const hashDriverId = driverIdHasher(await resolveLogHashKey(dataDir, process.env.SCOREDRIVE_LOG_HASH_KEY));
    const accessLogDir =
      config.accessLog === false ? undefined : path.resolve(config.accessLog?.dir ?? path.join(dataDir, 'logs'));
    accessLog =
      accessLogDir && config.accessLog !== false
        ? openAccessLog({ warn: accessLogWarning(config.logger), ...config.accessLog, dir: accessLogDir })
        : undefined;
    // Made once: a reload swaps the resolvers, not the data sources (nor the pagination key).
    const dataSource = new DynamoDBDataSource({
      api,
      tableName: config.tableName,
      paginationTokens: new PaginationTokens(await resolvePaginationKey(dataDir)),
    });
    const catalogue = config.dataSources ?? DATA_SOURCES;
    const dataSources = buildDataSources(catalogue, {
      dynamodb: dataSource,
      httpEndpoints: config.httpEndpoints,
      onHttpFailure: (name, cause) =>
        config.logger?.warn({ err: cause, dataSource: name }, 'HTTP data source call failed'),
    });
    const apiKeys = await resolveApiKeys(config.apiKeys, dataDir);
    const oauthIssuer = config.oauthIssuer ?? 'http://localhost:4000';
    const region = config.region ?? process.env.AWS_REGION ?? 'eu-south-1';
    const auth = await setUpOfflineAuth({
      stage,
      dataDir,
      apiKeyMatches: apiKeyMatcher(apiKeys),
      issuer: typeof oauthIssuer === 'string' ? () => oauthIssuer : oauthIssuer,
      externalIssuer: config.oidcIssuer,
      region,
      iamCredentials: process.env[IAM_CREDENTIALS_ENV],
    });
    const onUnsupported = logUnsupportedOnce(config.logger);
    const limits = config.graphqlLimits ?? graphqlLimitsOf(stage);
    const buildGraphQL = async () => {
      const runtime = new ResolverRuntime({
        // The data sources the resolver manifest may name besides `scores` (src/contract/resolver-manifest.ts).
        dataSources: dataSources.named,
        dataSource,
        env: { SCORES_TABLE: config.tableName },
        onUnsupported,
      });
      runtime.loadBundles(
        await buildResolverBundles({
          sourceDir: config.resolversDir,
          outDir: config.bundlesDir,
          dataSources: catalogue,
        }),
      );
      // The schema as the stage deploys it: its modes on every type (src/contract/stage-schema.ts).
      return new GraphQLService(await loadSchema(config.schemaDir, auth.modes), runtime, {
        limits,
        logger: config.logger,
        defaultAuthMode: auth.modes[0],
      });
    };
    let graphql = await buildGraphQL();

    let example: string | undefined;
    const seeding = { written: 0, total: 0 };
    const ready = (async () => {
      if (store) {
        await seedDemoData({
          client,
          api,
          tableName: config.tableName,
          dataDir,
          size: config.demo ?? DEFAULT_DEMO,
          progress: seeding,
          onStart: (plan, resumed) =>
            config.logger?.info(
              { records: plan.drivers * plan.months },
              resumed
                ? 'finishing the demo data an earlier start did not complete'
                : 'seeding the empty embedded store with demo data',
            ),
        });
      }
      example = await anyDriverId(client, config.tableName);
    })();
    // Callers await `ready`; this only keeps a failure from also being an unhandled rejection.
    ready.catch(() => {});

    const probeStore = storeProbe(client, config.tableName, {
      onUnreachable: (error) => config.logger?.error({ err: error }, 'health check: the store cannot be reached'),
    });
    const app = buildApp({
      // Through the current service, so a reload swaps it for the next request.
      graphql: { handle: (body, caller) => graphql.handle(body, caller) },
      apiKeys,
      auth: { modes: auth.modes, verifiers: auth.verifiers },
      oauth: auth.oauth,
      // The explorer signs with the first key, for the region the verifier checks.
      explorerIam: auth.iam && { region, key: auth.iam.credentials[0] },
      logger: config.logger,
      exampleDriverId: () => example,
      health: async () => {
        const storeHealth = await probeStore();
        return {
          table: config.tableName,
          store: store ? 'embedded' : 'external',
          ...(storeHealth.reachable ? {} : { problem: storeHealth.problem }),
          ...(seeding.total > 0 && seeding.written < seeding.total ? { seeding } : {}),
        };
      },
      rest: { api, tableName: config.tableName, stage, authorizeToken: auth.restAuthorizer },
      recording: { stage, hashDriverId, accessLog, metrics },
    });

    return {
      app,
      get graphql() {
        return graphql;
      },
      async reloadResolvers() {
        // Built and loaded in full before the swap: a failure leaves the running service as it was.
        graphql = await buildGraphQL();
      },
      apiKeys,
      auth,
      tableName: config.tableName,
      endpoint,
      embedded: Boolean(store),
      client,
      metrics,
      accessLogDir,
      ready,
      recordCount: () => (store ? store.countItems(config.tableName) : approximateItemCount(client, config.tableName)),
      exampleDriverId: async () => {
        await ready;
        return example;
      },
      async close() {
        // Each step runs whatever the one before did: a failing log must not keep the store open.
        try {
          await app.close();
        } finally {
          try {
            await accessLog?.close();
          } finally {
            client.destroy();
            // Never in the way of the store's close: an HTTP client has nothing to save.
            await dataSources.close().catch(() => {});
            await store?.close();
          }
        }
      },
    };
  } catch (error) {
    await accessLog?.close().catch(() => {});
    clientToClose?.destroy();
    await store?.close();
    throw error;
  }
}
