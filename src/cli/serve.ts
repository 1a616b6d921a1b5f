/** `scoredrive serve`: the offline GraphQL API on a port, with a start-up banner. */
import { pino } from 'pino';
import { createService, type ServiceConfig } from '../server/service';
import { demoDriverId } from '../store/demo-seed';

export interface ServeOptions extends ServiceConfig {
  readonly port: number;
  readonly host: string;
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

const COUNT_WAIT_MS = 3000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export async function serve(options: ServeOptions): Promise<void> {
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));
  const started = Date.now();
  const service = await createService({ ...options, logger });
  closeOnSignals(() => service.close(), logger);
  const address = await service.app.listen({ port: options.port, host: options.host });
  logger.info({ address, ms: Date.now() - started }, 'listening');
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
      (error: unknown) => logger.warn({ err: error }, 'could not count the records'),
    );
  }
  const recordsText =
    records === undefined
      ? 'records being counted (logged when done)'
      : `${records} records${service.embedded ? '' : ' (DynamoDB estimate)'}`;
  const url = address.replace('127.0.0.1', 'localhost');
  const query = JSON.stringify({
    query: `{ score(driverId: "${driverId ?? 'SOME_DRIVER_ID'}") { driverId period score band } }`,
  });
  console.log(
    [
      '',
      `ScoreDrive offline API ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      `  GraphQL   ${url}/graphql`,
      `  REST      ${url}/drivers/{driverId}/score[?period=YYYY-MM]  (OpenAPI: ${url}/openapi.json)`,
      `  Explorer  ${url}/`,
      `  Metrics   ${url}/metrics  (Prometheus; same API key)`,
      `  Log       ${service.accessLogDir ? `${service.accessLogDir}/access.log (scoredrive report turns it into the SLA report)` : 'off'}`,
      `  API key   ${service.apiKeys[0]}`,
      `  Table     ${service.tableName} (${service.embedded ? 'embedded store' : service.endpoint}), ${recordsText}`,
      '',
      'Try it:',
      `  curl -s ${url}/graphql -H 'content-type: application/json' -H 'x-api-key: ${service.apiKeys[0]}' \\`,
      `    -d '${query}'`,
      `  curl -s ${url}/drivers/${driverId ?? 'SOME_DRIVER_ID'}/score -H 'x-api-key: ${service.apiKeys[0]}'`,
      '',
    ].join('\n'),
  );
}
