/** The `scoredrive` command line. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { buildResolverBundles } from '../build/resolver-bundles';
import { serve } from './serve';

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

program
  .command('build')
  .description('bundle the resolvers into build/resolvers (the files CDK deploys)')
  .action(async () => {
    for (const bundle of await buildResolverBundles()) {
      console.log(`${bundle.bundleFile} ${bundle.code.length} characters`);
    }
  });

program.parseAsync().catch((error: unknown) => {
  console.error(`scoredrive: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
