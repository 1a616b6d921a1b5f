/**
 * The security gate: cdk-nag's AwsSolutions pack over every stack of every stage finds nothing
 * that is not acknowledged with a written reason, and the deployment holds no Lambda (no cold
 * starts, nothing of ours running code in AWS).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { DR_CONTEXT, resolverBundles, type SynthesisedStage, synthesise, synthesiseEveryStage } from './synth';

const run = promisify(execFile);
let stages: Record<string, SynthesisedStage>;

beforeAll(async () => {
  const { dev, test, prod, prodDr } = await synthesiseEveryStage();
  stages = { dev, test, prod, 'prod with DR': prodDr };
}, 120_000);

describe('cdk-nag AwsSolutions', () => {
  it('finds no unacknowledged finding in any stack of any stage', () => {
    for (const [name, stage] of Object.entries(stages)) {
      for (const stack of [stage.primary, stage.dr].filter((s) => s !== undefined)) {
        const report = new AwsSolutionsChecks(stage.app).validateScope(stack);
        const findings = report.violations.map(
          (v) =>
            `${name} ${stack.stackName}: ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId).join(', ')}`,
        );
        expect(findings).toEqual([]);
      }
    }
  });

  it('still catches what it should: a finding appears when its acknowledgement is missing', async () => {
    // Same stage, but with the ASC3 acknowledgement (AppSync request logging) taken away.
    const dev = await synthesise({ stage: 'dev' });
    const api = dev.primary.graphql.api;
    const acknowledged = api.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
    expect(acknowledged.length).toBeGreaterThan(0);
    (api.node as unknown as { _metadata: unknown[] })._metadata = api.node.metadata.filter(
      (m) => m.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY,
    );
    const report = new AwsSolutionsChecks(dev.app).validateScope(dev.primary);
    expect(report.violations.map((v) => v.ruleName)).toContain('AwsSolutions-ASC3');
  });

  it('gives a reason for every acknowledgement', () => {
    for (const stage of Object.values(stages)) {
      const acknowledgements = stage.app.node
        .findAll()
        .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
        .flatMap((m) => Object.entries(m.data as Record<string, string>));
      expect(acknowledgements.length).toBeGreaterThan(0);
      for (const [id, reason] of acknowledgements) {
        expect(reason, id).toMatch(/\w.{30,}/);
      }
    }
  });

  it('runs no Lambda function anywhere', () => {
    for (const stage of Object.values(stages)) {
      stage.template.resourceCountIs('AWS::Lambda::Function', 0);
      stage.drTemplate?.resourceCountIs('AWS::Lambda::Function', 0);
    }
  });
});

describe('npm run synth', () => {
  it('synthesises prod with DR offline through the CDK CLI, with the bundles in the template', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'scoredrive-synth-'));
    try {
      const context = Object.entries(DR_CONTEXT).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
      await run('npm', ['run', '-s', 'synth', '--', ...context, '--output', out], {
        env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
        timeout: 120_000,
      });
      const templates = (await readdir(out)).filter((f) => f.endsWith('.template.json')).sort();
      expect(templates).toEqual([
        'scoredrive-prod-eu-central-1.template.json',
        'scoredrive-prod-eu-south-1.template.json',
      ]);
      const primary = await readFile(path.join(out, templates[1]), 'utf8');
      for (const bundle of await resolverBundles()) {
        expect(primary).toContain(JSON.stringify(bundle.code).slice(1, -1));
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 120_000);
});
