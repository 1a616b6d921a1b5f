/** The `scoredrive` command line. */
import { Command, InvalidArgumentError, Option } from 'commander';

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
  .option('--create-table', 'create the table on an external endpoint if it is missing', false)
  .addOption(
    new Option('--demo-drivers <n>', 'drivers of demo data seeded into an empty embedded store')
      .default(10_000)
      .argParser(positiveInteger),
  )
  .addOption(new Option('--demo-months <n>', 'months of demo data per driver').default(6).argParser(positiveInteger))
  .action(async (options) => {
    const { serve } = await import('./serve');
    await serve({
      port: options.port,
      host: options.host,
      dataDir: options.dataDir,
      tableName: options.table,
      dynamodbEndpoint: options.dynamodbEndpoint,
      createTable: options.createTable,
      apiKeys: process.env.SCOREDRIVE_API_KEY,
      demo: { drivers: options.demoDrivers, months: options.demoMonths },
    });
  });

function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number, 0 or more');
  return n;
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
  .command('build')
  .description('bundle the resolvers into build/resolvers (the files CDK deploys)')
  .action(async () => {
    const { buildResolverBundles } = await import('../build/resolver-bundles');
    for (const bundle of await buildResolverBundles()) {
      console.log(`${bundle.bundleFile} ${bundle.code.length} characters`);
    }
  });

program.parseAsync().catch((error: unknown) => {
  console.error(`scoredrive: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
