import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/contract/project-paths';

describe('resolvers/', () => {
  it('pass @aws-appsync/eslint-plugin (recommended, type-aware) with no findings', async () => {
    const eslint = new ESLint({ cwd: PROJECT_ROOT });
    const results = await eslint.lintFiles(['resolvers/**/*.ts']);
    expect(results.length).toBeGreaterThanOrEqual(4);
    const findings = results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId}: ${m.message}`));
    expect(findings).toEqual([]);
  });

  it('would flag what APPSYNC_JS forbids (the lint is live, not a no-op)', async () => {
    const eslint = new ESLint({ cwd: PROJECT_ROOT });
    const [result] = await eslint.lintFiles(['test/fixtures/forbidden-resolver.ts']);
    const rules = result.messages.map((m) => m.ruleId);
    expect(rules).toContain('@aws-appsync/no-while');
    expect(rules).toContain('@aws-appsync/no-disallowed-unary-operators');
  });
});
