/** The `scoredrive` command line. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { restrictUmask } from '../store/private-files';

// Each command imports what it needs when it runs: `load` has no use for the GraphQL server,
// and loading it anyway costs start-up time and tens of MB of heap.

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('expected a port number, 0-65535');
  return n;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number above 0');
  return n;
}

const program = new Command('scoredrive').description('ScoreDrive driving-score API: offline runtime and tools');

program
  .command('serve')
  .description('run the GraphQL API offline, executing the APPSYNC_JS resolver bundles')
  .addOption(new Option('-p, --port <port>', 'port to listen on').env('PORT').default(4000).argParser(port))
  .addOption(new Option('--host <host>', 'address to bind').env('SCOREDRIVE_HOST').default('127.0.0.1'))
  .addOption(
    new Option('--data-dir <dir>', 'data directory (embedded store, API key)')
      .env('SCOREDRIVE_DATA_DIR')
      .default('.scoredrive'),
  )
  .addOption(
    new Option('--dynamodb-endpoint <url>', 'use this DynamoDB endpoint instead of the embedded store').env(
      'DYNAMODB_ENDPOINT',
    ),
  )
  .addOption(new Option('--table <name>', 'scores table name').env('SCOREDRIVE_TABLE').default('scoredrive-dev-scores'))
  .addOption(storeCacheOption())
  .addOption(storeMapTablesOption())
  .option('--create-table', 'create the table on an external endpoint if it is missing', false)
  .addOption(
    new Option('--demo-drivers <n>', 'drivers of demo data seeded into an empty embedded store')
      .default(10_000)
      .argParser(positiveInteger),
  )
  .addOption(new Option('--demo-months <n>', 'months of demo data per driver').default(6).argParser(positiveInteger))
  .addOption(
    new Option(
      '--stage <stage>',
      "stage named in the access log and metrics; dev|test|prod also enforce that stage's auth modes and GraphQL limits (introspection, depth, resolvers per request), any other name dev's",
    )
      .env('SCOREDRIVE_STAGE')
      .default('offline'),
  )
  .addOption(
    new Option('--access-log <dir>', 'access log directory (default: <data-dir>/logs)').env('SCOREDRIVE_ACCESS_LOG'),
  )
  .option('--no-access-log', 'write no access log')
  .option('--watch', 'reload the resolvers and the schema when a file under resolvers/ or schema/ changes')
  .option('--access-log-file-size <size>', 'rotate the access log at this size (also daily, UTC)', '100M')
  .addOption(
    new Option('--access-log-files <n>', 'rotated access log files kept (gzipped)')
      .default(60)
      .argParser(positiveInteger),
  )
  .option('--access-log-total-size <size>', 'most disk the rotated files may take', '2G')
  .addOption(
    new Option(
      '--oidc-issuer <url>',
      "trust this OIDC issuer's tokens instead of the offline authorization server's (as AppSync's OIDC config)",
    ).env('SCOREDRIVE_OIDC_ISSUER'),
  )
  .addOption(
    new Option('--region <region>', 'the region IAM (SigV4) requests are signed for')
      .env('AWS_REGION')
      .default('eu-south-1'),
  )
  .option(
    '--http-endpoint <name=url>',
    'send the HTTP data source <name> to <url>, http(s)://host[:port] (repeatable)',
    (value: string, previous: string[] = []) => [...previous, value],
  )
  .action(async (options, command: Command) => {
    const { serve, httpEndpointsOption } = await import('./serve');
    let httpEndpoints: Record<string, string> | undefined;
    try {
      httpEndpoints = httpEndpointsOption(options.httpEndpoint ?? []);
    } catch (error) {
      command.error(`error: ${(error as Error).message}`);
    }
    await serve({
      httpEndpoints,
      port: options.port,
      host: options.host,
      dataDir: options.dataDir,
      tableName: options.table,
      dynamodbEndpoint: options.dynamodbEndpoint,
      storeCacheMb: options.storeCacheMb,
      storeMapTables: options.storeMapTables,
      createTable: options.createTable,
      apiKeys: process.env.SCOREDRIVE_API_KEY,
      demo: { drivers: options.demoDrivers, months: options.demoMonths },
      stage: options.stage,
      oidcIssuer: options.oidcIssuer,
      region: options.region,
      watch: Boolean(options.watch),
      accessLog:
        options.accessLog === false
          ? false
          : {
              dir: typeof options.accessLog === 'string' ? options.accessLog : undefined,
              maxFileSize: options.accessLogFileSize,
              maxFiles: options.accessLogFiles,
              maxTotalSize: options.accessLogTotalSize,
            },
    });
  });

function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number, 0 or more');
  return n;
}

/** The embedded store's memory (a function: hoisted, used by serve before this point). */
function storeCacheOption(): Option {
  return new Option(
    '--store-cache-mb <n>',
    "the embedded store's LevelDB block cache in MiB (its memory besides the write buffers: 32 MiB for serve, 128 MiB for load)",
  )
    .env('SCOREDRIVE_STORE_CACHE_MB')
    .default(64)
    .argParser(positiveInteger);
}

/** LevelDB's memory maps of the table files, off unless asked for (src/store/leveldb-mmap-slots.js). */
function storeMapTablesOption(): Option {
  return new Option(
    '--store-map-tables',
    "let LevelDB memory-map the embedded store's table files: a little less CPU per read, but memory that grows to the store's size (without it, reads go through the block cache and --store-cache-mb bounds the store's memory)",
  ).default(false);
}

const dataDirOption = () =>
  new Option('--data-dir <dir>', 'data directory of the embedded store')
    .env('SCOREDRIVE_DATA_DIR')
    .default('.scoredrive');
const tableOption = () =>
  new Option('--table <name>', 'scores table name').env('SCOREDRIVE_TABLE').default('scoredrive-dev-scores');

program
  .command('load')
  .description('load monthly score files (CSV with header or JSON lines; gzip detected; - for stdin) into the table')
  .argument('<files...>', 'files to load, in order')
  .addOption(dataDirOption())
  .addOption(tableOption())
  .addOption(storeCacheOption())
  .addOption(storeMapTablesOption())
  .addOption(
    new Option('--dynamodb-endpoint <url>', 'load into this DynamoDB endpoint instead of the embedded store').env(
      'DYNAMODB_ENDPOINT',
    ),
  )
  .option('--aws', 'load into the table on AWS (credentials and region from the standard AWS chain)', false)
  .option('--create-table', 'create the table on an endpoint if it is missing', false)
  .option('--rejects <file>', 'where invalid rows go (default: <file>.rejects.csv)')
  .addOption(
    new Option('--max-rejects <n>', 'exit with code 2 when more rows than this are rejected')
      .default(0)
      .argParser(nonNegativeInteger),
  )
  .addOption(new Option('--concurrency <n>', 'batches in flight').default(8).argParser(positiveInteger))
  .option('--restart', 'ignore a checkpoint and load the file from the start', false)
  .option(
    '--import',
    'bulk-import into a new table of the embedded store, created when every file is loaded (as DynamoDB ImportTable)',
    false,
  )
  .action(async (files: string[], options) => {
    const { loadCommand } = await import('./load');
    process.exitCode = await loadCommand({ ...options, files });
  });

program
  .command('generate')
  .description('write deterministic synthetic scores in the load format')
  .requiredOption('--count <n>', 'rows to write', positiveInteger)
  .addOption(new Option('--seed <n>', 'random seed (same seed, same file)').argParser(nonNegativeInteger))
  .addOption(new Option('--months <n>', 'months per driver').default(6).argParser(positiveInteger))
  .addOption(new Option('--format <format>', 'csv or jsonl').choices(['csv', 'jsonl']).default('csv'))
  .option('--out <file>', 'output file (.gz to compress); default stdout')
  .action(async (options) => {
    const { generateCommand } = await import('./load');
    await generateCommand(options);
  });

program
  .command('bench')
  .description(
    'load a ScoreDrive API (offline or deployed, GraphQL or REST), check every answer, report latency and SLOs',
  )
  .argument('<url>', 'API base URL, e.g. http://localhost:4000 or https://<id>.appsync-api.<region>.amazonaws.com')
  .addOption(new Option('--api <api>', 'which API to call').choices(['graphql', 'rest']).default('graphql'))
  .option(
    '--api-key <key>',
    'x-api-key to send (default: SCOREDRIVE_API_KEY, else <data-dir>/api-key for a loopback url)',
  )
  .option('--iam', 'sign requests with SigV4 (standard AWS credential chain; service appsync or execute-api)')
  .option('--region <region>', 'region for --iam (default: from an AWS hostname, else AWS_REGION)')
  .addOption(
    new Option(
      '--data-dir <dir>',
      "the offline server's data directory (its API key and demo data), for a loopback url",
    )
      .env('SCOREDRIVE_DATA_DIR')
      .default('.scoredrive'),
  )
  .option('--rate <rate>', 'fixed rate, open loop: e.g. 500/min, 20/s, 1000/h (default 500/min)')
  .addOption(
    new Option('--connections <n>', 'max throughput, closed loop: n requests always in flight').argParser(
      positiveInteger,
    ),
  )
  .addOption(
    new Option(
      '--max-in-flight <n>',
      'with --rate: outstanding requests beyond which a due one is skipped (error overload) (default 1000)',
    ).argParser(positiveInteger),
  )
  .option('--duration <time>', 'measured time: 30s, 2m, 1h', '1m')
  .option('--warmup <time>', 'time before measuring (requests sent, not recorded)', '5s')
  .option('--timeout <time>', 'per request (error timeout)', '10s')
  .option('--ids <file>', 'driverIds: one a line, or a load file (CSV with a driverId column, JSON lines)')
  .addOption(
    new Option(
      '--demo-drivers <n>',
      "without --ids: the demo data's drivers (default: the data directory's demo data for a loopback url, else 10000)",
    ).argParser(positiveInteger),
  )
  .addOption(
    new Option(
      '--demo-months <n>',
      'without --ids: months per demo driver (default as --demo-drivers, else 6)',
    ).argParser(positiveInteger),
  )
  .option(
    '--unknown-share <share>',
    'share of requests for drivers that do not exist (expect null / 404), e.g. 0.01',
    '0',
  )
  .addOption(
    new Option(
      '--slo <slo>',
      'objective, repeatable or comma-separated: p99.8<1000, p99<=250ms, max<2s, errors<0.1%, over1s<0.2%, rps>=100',
    )
      .argParser((value: string, previous: string[]) => [...previous, value])
      .default([], 'none'),
  )
  .option('--out <file>', 'JSON result file (default: bench-<api>-<time>.json)')
  // Usage errors exit with 2, as the SLO verdict owns exit code 1.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
  .action(async (url: string, options) => {
    const { benchCommand } = await import('./bench');
    process.exitCode = await benchCommand({ ...options, url });
  });

program
  .command('report')
  .description(
    'build the SLA report (self-contained HTML) of a stage and date range, from the access log or CloudWatch',
  )
  .option('--logs <dir>', 'access log directory (default: <data-dir>/logs)')
  .addOption(
    new Option('--data-dir <dir>', "the offline server's data directory")
      .env('SCOREDRIVE_DATA_DIR')
      .default('.scoredrive'),
  )
  .option('--stage <stage>', 'stage to report (needed when the log holds several, and for CloudWatch)')
  .option('--from <date>', 'start, inclusive: 2026-10-01 (UTC) or an ISO-8601 time (default: the first call logged)')
  .option('--to <date>', 'end, exclusive (default: the last call logged)')
  .option('--month <month>', 'a calendar month, YYYY-MM, or "last" for the previous one')
  .option('--out <file>', 'HTML file to write', 'sla-report.html')
  .option('--json <file>', 'also write the report data as JSON')
  .option('--check', 'exit 1 when the SLA is broken, 3 when there is nothing to judge (for a monthly job)', false)
  .option('--region <region>', 'CloudWatch: region (default: the standard AWS chain)')
  .option('--graphql-api-id <id>', 'CloudWatch: the AppSync API id of the stage')
  .option('--rest-api-name <name>', 'CloudWatch: the API Gateway REST API name of the stage')
  .action(async (options) => {
    const { reportCommand } = await import('./report');
    process.exitCode = await reportCommand(options);
  });

program
  .command('hash-id')
  .description("print the access log's hash of each driverId (to find one person's calls), one a line")
  .argument('<driverIds...>', 'driverIds to hash')
  .addOption(
    new Option('--data-dir <dir>', "the offline server's data directory (its hash key)")
      .env('SCOREDRIVE_DATA_DIR')
      .default('.scoredrive'),
  )
  .action(async (driverIds: string[], options) => {
    const [{ resolveLogHashKey }, { driverIdHasher }] = await Promise.all([
      import('../server/api-keys'),
      import('../observability/driver-id-hash'),
    ]);
    // Never a new key here: hashes under a key the server does not use would match nothing.
    const key = await resolveLogHashKey(options.dataDir, process.env.SCOREDRIVE_LOG_HASH_KEY, { create: false });
    const hash = driverIdHasher(key);
    for (const id of driverIds) console.log(hash(id));
  });

program
  .command('token')
  .description("print an access token for one of the offline server's machine clients (client credentials, no network)")
  .requiredOption('--client <id>', 'the client id (or its name, e.g. systems), from <data-dir>/oauth-clients.json')
  .option('--scope <scopes>', "space-separated scopes (default: all the client's)")
  .addOption(
    new Option('--data-dir <dir>', "the offline server's data directory (its OAuth clients and signing key)")
      .env('SCOREDRIVE_DATA_DIR')
      .default('.scoredrive'),
  )
  .addOption(
    new Option('--issuer <url>', "the server's issuer (default: http://localhost:$PORT, port 4000)").env(
      'SCOREDRIVE_OAUTH_ISSUER',
    ),
  )
  .action(async (options, command: Command) => {
    const { tokenCommand, TokenCommandError } = await import('./token');
    try {
      console.log(await tokenCommand(options));
    } catch (error) {
      if (error instanceof TokenCommandError) command.error(`error: ${error.message}`);
      throw error;
    }
  });

program
  .command('build')
  .description('bundle the resolvers into build/resolvers (the files CDK deploys)')
  .action(async () => {
    const { buildResolverBundles } = await import('../contract/resolver-bundles');
    const { resolverCodeCharacters } = await import('../contract/code-size');
    for (const bundle of await buildResolverBundles()) {
      for (const built of [bundle, ...bundle.functions]) {
        console.log(`${built.bundleFile} ${resolverCodeCharacters(built.code)} characters`);
      }
    }
  });

program
  .command('evaluate')
  .description('run one handler of APPSYNC_JS code on a context, as `aws appsync evaluate-code` does')
  .option('--runtime <value>', 'name=APPSYNC_JS,runtimeVersion=1.0.0 (or the JSON structure)')
  .option('--code <value>', 'the code, or file://path')
  .option('--context <value>', 'the context as JSON, or file://path')
  .option('--function <value>', 'request or response')
  .option('--cli-input-json <value>', 'the whole request as JSON, or file://path')
  .action(async (options) => {
    const { evaluateCommand } = await import('./evaluate');
    const result = await evaluateCommand(options);
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.exitCode;
  });

// Whatever a command writes (the store, keys, logs, rejects files, checkpoints) is private to
// the user: driverIds identify people. Set here, in the main thread, before anything is written.
restrictUmask();

program.parseAsync().catch((error: unknown) => {
  console.error(`scoredrive: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
