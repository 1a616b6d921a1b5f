/**
 * The CDK entry: `cdk synth -c stage=dev|test|prod [-c drRegion=… -c domainName=… …]` (see
 * README). Builds the resolver bundles exactly as the offline runtime does, then one stack per
 * region of the stage, with cdk-nag's AwsSolutions checks on everything.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { DataSourceCatalogue } from '../src/contract/data-sources';
import { buildResolverBundles, type ResolverBundle } from '../src/contract/resolver-bundles';
import { ScoreDriveStack } from './scoredrive-stack';
import { resolveStageSettings, type StageSettings } from './stages';

export interface ScoreDriveApp {
  readonly app: App;
  readonly settings: StageSettings;
  readonly primary: ScoreDriveStack;
  readonly dr?: ScoreDriveStack;
}

/**
 * The app for the stage the context names; `context` is what `-c key=value` would give,
 * `dataSources` the catalogue the bundles were built against and `schemaDir` the schema's
 * folder (the project's unless a test says).
 */
export function createScoreDriveApp(
  bundles: readonly ResolverBundle[],
  options: {
    context?: Record<string, string>;
    outdir?: string;
    now?: Date;
    dataSources?: DataSourceCatalogue;
    schemaDir?: string;
  } = {},
): ScoreDriveApp {
  const app = new App({ context: options.context, outdir: options.outdir });
  const settings = resolveStageSettings((key) => app.node.tryGetContext(key), process.env, options.now);
  const stackName = (region: string) => `scoredrive-${settings.name}-${region}`;
  const primary = new ScoreDriveStack(app, stackName(settings.region), {
    env: { account: settings.account, region: settings.region },
    settings,
    role: 'primary',
    bundles,
    dataSources: options.dataSources,
    schemaDir: options.schemaDir,
    description: `ScoreDrive ${settings.name}: scores table, GraphQL and REST APIs (primary region)`,
    terminationProtection: settings.name === 'prod',
  });
  const dr = settings.drRegion
    ? new ScoreDriveStack(app, stackName(settings.drRegion), {
        env: { account: settings.account, region: settings.drRegion },
        settings,
        role: 'dr',
        bundles,
        dataSources: options.dataSources,
        schemaDir: options.schemaDir,
        description: `ScoreDrive ${settings.name}: GraphQL and REST APIs on the table's replica (DR region)`,
        terminationProtection: settings.name === 'prod',
      })
    : undefined;
  // The DR stack reads the replica the primary stack's table creates.
  if (dr) dr.addStackDependency(primary);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, settings, primary, dr };
}

// Run by the CDK CLI (cdk.json's "app"): synthesise into cdk.out.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const { app } = createScoreDriveApp(await buildResolverBundles());
  app.synth();
}
