/** Synthesised stages for the infrastructure tests, built once per test file. */
import { Template } from 'aws-cdk-lib/assertions';
import { createScoreDriveApp, type ScoreDriveApp } from '../../infra/app';
import type { DataSourceCatalogue } from '../../src/contract/data-sources';
import { buildResolverBundles, type ResolverBundle } from '../../src/contract/resolver-bundles';

/** A fixed "now" keeps the API key expiry (11 months ahead, first of the month) stable. */
export const NOW = new Date('2026-11-27T10:00:00Z');

export const DR_CONTEXT = {
  stage: 'prod',
  drRegion: 'eu-central-1',
  domainName: 'api.scoredrive.example.it',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  hostedZoneName: 'scoredrive.example.it',
  replicaKeyArn: 'arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
};

let bundles: Promise<ResolverBundle[]> | undefined;
export function resolverBundles(): Promise<ResolverBundle[]> {
  bundles ??= buildResolverBundles();
  return bundles;
}

export interface SynthesisedStage extends ScoreDriveApp {
  readonly template: Template;
  readonly drTemplate?: Template;
}

export async function synthesise(context: Record<string, string>): Promise<SynthesisedStage> {
  return synthesiseBundles(await resolverBundles(), { context });
}

/**
 * A stage synthesised from the given bundles (a temporary layout's, say) against a data-source
 * catalogue, DATA_SOURCES unless one is given: what `cdk synth` would make of them.
 */
export function synthesiseBundles(
  bundles: readonly ResolverBundle[],
  options: { context?: Record<string, string>; dataSources?: DataSourceCatalogue } = {},
): SynthesisedStage {
  const built = createScoreDriveApp(bundles, {
    context: options.context ?? { stage: 'dev' },
    dataSources: options.dataSources,
    now: NOW,
  });
  return {
    ...built,
    template: Template.fromStack(built.primary),
    drTemplate: built.dr ? Template.fromStack(built.dr) : undefined,
  };
}

/** Every resource of one type in a template, as [logical id, resource]. */
export function resourcesOf(template: Template, type: string): [string, { Properties: Record<string, any> }][] {
  return Object.entries(template.findResources(type)) as never;
}

/** dev, test, prod and prod with a DR region, synthesised in parallel. */
export async function synthesiseEveryStage(): Promise<Record<'dev' | 'test' | 'prod' | 'prodDr', SynthesisedStage>> {
  const [dev, test, prod, prodDr] = await Promise.all([
    synthesise({ stage: 'dev' }),
    synthesise({ stage: 'test' }),
    synthesise({ stage: 'prod' }),
    synthesise(DR_CONTEXT),
  ]);
  return { dev, test, prod, prodDr };
}
