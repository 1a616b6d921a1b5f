/** `scoredrive serve`: the offline GraphQL API on a port, with a start-up banner. */
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { pino } from 'pino';
import { offlineIssuer } from '../auth/oauth/discovery';
import { DATA_SOURCES, type DataSourceCatalogue } from '../contract/data-sources';
import { RESOLVERS_DIR } from '../contract/project-paths';
import { SCHEMA_DIR } from '../contract/schema';
import { withHttpEndpoints } from '../server/data-sources';
import { createService, type Service, type ServiceConfig } from '../server/service';
import { watchAndReload } from '../server/watch';
import { demoDriverId } from '../store/demo-seed';
import { type BannerAuth, exposureWarning, reachableUrls, serveBanner } from './serve-banner';

export interface ServeOptions extends ServiceConfig {
  readonly port: number;
  readonly host: string;
  /** Reload the resolvers and the schema when a file under them changes. */
  readonly watch?: boolean;
}

/**
 * `--http-endpoint <name>=<url>` values (repeatable) as ServiceConfig.httpEndpoints. Throws a
 * message for a usage error, naming the value: no `=`, a name given twice, a name that is no
 * HTTP data source of the catalogue, a URL that is not `http(s)://host[:port]`.
 */
export function httpEndpointsOption(
  values: readonly string[],
  catalogue: DataSourceCatalogue = DATA_SOURCES,
): Record<string, string> | undefined {
  if (values.length === 0) return undefined;
  const endpoints: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf('=');
    const name = value.slice(0, at).trim();
    if (at < 0 || name === '') throw new Error(`--http-endpoint ${JSON.stringify(value)}: expected <name>=<url>`);
    if (Object.hasOwn(endpoints, name)) throw new Error(`--http-endpoint: "${name}" is given twice`);
    endpoints[name] = value.slice(at + 1).trim();
  }
  try {
    withHttpEndpoints(catalogue, endpoints);
  } catch (error) {
    throw new Error(`--http-endpoint: ${(error as Error).message}`);
  }
  return endpoints;
}

/** Ends the process cleanly on SIGTERM/SIGINT: stop accepting, finish in-flight requests, close the store. */
function closeOnSignals(close: () => Promise<void>, log: pino.Logger): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

/** `--watch`: reload on changes under schema/ and resolvers/; a failed reload keeps the previous ones. */
function watchProject(service: Service, logger: pino.Logger) {
  return watchAndReload([SCHEMA_DIR, RESOLVERS_DIR], () => service.reloadResolvers(), {
    onReloaded: (ms) => {
      logger.info({ ms: Math.round(ms) }, 'resolvers reloaded');
      console.log(`resolvers reloaded in ${Math.round(ms)} ms`);
    },
    onFailed: (error) => {
      const message = error instanceof Error ? error.message : String(error);
      logger.warn({ err: error }, 'resolvers not reloaded; the previous ones keep serving');
      console.error(`resolvers not reloaded (the previous ones keep serving):\n${message}`);
    },
  });
}

const COUNT_WAIT_MS = 3000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export async function serve(options: ServeOptions): Promise<void> {
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));
  const started = Date.now();
  // Tokens name the issuer systems reach the server at: the bound port unless told otherwise.
  let boundPort = options.port;
  const issuer = process.env.SCOREDRIVE_OAUTH_ISSUER;
  const service = await createService({
    ...options,
    logger,
    oauthIssuer: () => issuer ?? offlineIssuer(boundPort),
  });
  const watcher = options.watch ? watchProject(service, logger) : undefined;
  let closing = false;
  closeOnSignals(async () => {
    closing = true;
    watcher?.close();
    await service.close();
  }, logger);
  await service.app.listen({ port: options.port, host: options.host });
  // A string would be a pipe or Unix socket path, which --host never gives.
  const addresses = service.app.addresses().filter((a): a is AddressInfo => typeof a !== 'string');
  boundPort = addresses[0]?.port ?? boundPort;
  const bound = { addresses, interfaces: networkInterfaces() };
  logger.info({ addresses: bound.addresses, ms: Date.now() - started }, 'listening');
  // At once, not with the banner: the API is reachable while the demo data goes in.
  const warning = exposureWarning(bound);
  if (warning) {
    const { network } = reachableUrls(bound);
    logger.warn(
      { addresses: bound.addresses, network },
      'listening beyond loopback: API, explorer and metrics reachable from the network',
    );
    console.error(`\n${warning}\n`);
  }
  await service.ready;
  // A driverId identifies a person: the banner shows one only from the synthetic demo data.
  const driverId = service.embedded ? await demoDriverId(options.dataDir) : undefined;
  // Counting a big embedded store is a full scan (16 M records: over 2 minutes); the banner does
  // not wait for it beyond COUNT_WAIT_MS, and the count is logged when it is known.
  const counting = service.recordCount();
  const records = await Promise.race([counting, sleep(COUNT_WAIT_MS).then(() => undefined)]);
  if (records === undefined) {
    counting.then(
      (count) => logger.info({ records: count, table: service.tableName }, 'records counted'),
      // A stop during the count ends it: that is no failure to warn of.
      (error: unknown) =>
        closing
          ? logger.info('record count left unfinished: shutting down')
          : logger.warn({ err: error }, 'could not count the records'),
    );
  }
  const recordsText =
    records === undefined
      ? 'records being counted (logged when done)'
      : `${records} records${service.embedded ? '' : ' (DynamoDB estimate)'}`;
  console.log(
    serveBanner({
      ...bound,
      readySeconds: (Date.now() - started) / 1000,
      apiKey: service.apiKeys[0],
      accessLogDir: service.accessLogDir,
      table: service.tableName,
      store: service.embedded ? 'embedded store' : (service.endpoint ?? 'external endpoint'),
      records: recordsText,
      driverId,
      auth: bannerAuth(service, options.stage ?? 'offline'),
    }),
  );
}

/** What the banner says of the stage's auth: modes, the OAuth clients, the IAM key id; no secret. */
function bannerAuth(service: Service, stage: string): BannerAuth {
  const { modes, oauth, iam } = service.auth;
  const credential = iam?.credentials[0];
  return {
    modes,
    stage,
    oauth: oauth?.clientSummary(),
    iam:
      credential && iam
        ? {
            accessKeyId: credential.accessKeyId,
            where: iam.source.kind === 'file' ? `secret in ${iam.source.file}` : 'from SCOREDRIVE_IAM_CREDENTIALS',
          }
        : undefined,
  };
}
