import { RemovalPolicy } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { createScoreDriveApp } from '../../infra/app';
import { resolveStageSettings, StageSettingsError } from '../../infra/stages';
import { SchemaDriftError } from '../../src/contract/schema';
import { DR_CONTEXT, NOW, resolverBundles } from './synth';

const settingsFor = (context: Record<string, string>) => resolveStageSettings((key) => context[key], {}, NOW);

describe('stage settings', () => {
  it('default to dev in Milan, with throwaway resources and a GraphQL API key 11 months ahead', () => {
    const dev = settingsFor({});
    expect(dev.name).toBe('dev');
    expect(dev.region).toBe('eu-south-1');
    expect(dev.removalPolicy).toBe(RemovalPolicy.DESTROY);
    expect(dev.auth.apiKeyExpires?.toISOString()).toBe('2027-10-01T00:00:00.000Z');
  });

  it('keep data in test and prod: retained, point-in-time recovery, deletion protection', () => {
    for (const stage of ['test', 'prod']) {
      const settings = settingsFor({ stage });
      expect(settings.removalPolicy).toBe(RemovalPolicy.RETAIN);
      expect(settings.table).toMatchObject({ pointInTimeRecovery: true, deletionProtection: true });
    }
  });

  it('take the region from context, else from SCOREDRIVE_REGION, never from the CLI profile', () => {
    expect(resolveStageSettings((key) => ({ region: 'eu-west-1' })[key], {}, NOW).region).toBe('eu-west-1');
    expect(resolveStageSettings(() => undefined, { SCOREDRIVE_REGION: 'eu-west-3' }, NOW).region).toBe('eu-west-3');
    expect(resolveStageSettings(() => undefined, { CDK_DEFAULT_REGION: 'us-east-1' }, NOW).region).toBe('eu-south-1');
  });

  it('take the account from context, else from CDK_DEFAULT_ACCOUNT', () => {
    expect(resolveStageSettings((key) => ({ account: '111122223333' })[key], {}, NOW).account).toBe('111122223333');
    expect(resolveStageSettings(() => undefined, { CDK_DEFAULT_ACCOUNT: '444455556666' }, NOW).account).toBe(
      '444455556666',
    );
  });

  it('refuse what cannot be deployed, saying what to pass', () => {
    expect(() => settingsFor({ stage: 'staging' })).toThrow(/unknown stage "staging": use -c stage=dev\|test\|prod/);
    expect(() => settingsFor({ region: 'milan' })).toThrow(/region "milan" is not an AWS region name/);
    expect(() => settingsFor({ drRegion: 'eu-south-1' })).toThrow(/drRegion must differ/);
    expect(() => settingsFor({ stage: 'prod', drRegion: 'eu-central-1' })).toThrow(/a DR region needs a custom domain/);
    expect(() => settingsFor({ domainName: 'api.example.it' })).toThrow(/needs all of -c domainName/);
    expect(() => settingsFor({ apiKeyExpires: '2029-01-01' })).toThrow(/between tomorrow and 365 days/);
    expect(() => settingsFor({ apiKeyExpires: 'soon' })).toThrow(StageSettingsError);
    // prod's GraphQL API has no API key in the contract: a context value cannot add one.
    expect(() => settingsFor({ stage: 'prod', apiKeyExpires: '2027-06-30' })).toThrow(
      /the prod stage's GraphQL API has no API key \(its modes: AWS_IAM, OPENID_CONNECT/,
    );
  });

  it('accept an explicit API key expiry within AppSync’s limits', () => {
    expect(settingsFor({ apiKeyExpires: '2027-06-30' }).auth.apiKeyExpires?.toISOString()).toBe(
      '2027-06-30T00:00:00.000Z',
    );
  });

  it('need a replica key when prod (customer-managed key) gets a DR region', async () => {
    const { replicaKeyArn: _, ...withoutKey } = DR_CONTEXT;
    const bundles = await resolverBundles();
    expect(() => createScoreDriveApp(bundles, { context: withoutKey, now: NOW })).toThrow(
      /each replica needs a KMS key ARN in its region: missing for eu-central-1/,
    );
  });
});

describe('synth refuses schema drift', () => {
  it('names a schema field that has no resolver', async () => {
    const bundles = (await resolverBundles()).filter((b) => b.fieldName !== 'scores');
    expect(() => createScoreDriveApp(bundles, { now: NOW })).toThrow(SchemaDriftError);
    expect(() => createScoreDriveApp(bundles, { now: NOW })).toThrow(/schema field Query.scores has no resolver/);
  });

  it('names a resolver that matches no schema field', async () => {
    const bundles = await resolverBundles();
    const extra = { ...bundles[0], fieldName: 'scoreOfTheDay' };
    expect(() => createScoreDriveApp([...bundles, extra], { now: NOW })).toThrow(
      /resolver Query.scoreOfTheDay matches no field/,
    );
  });
});
