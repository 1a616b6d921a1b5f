/**
 * `scoredrive/evaluate` as another project imports it: through package.json `exports`, from
 * plain Node (no TypeScript loader of its own) and from vitest.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { evaluateCode } from 'scoredrive/evaluate';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const input = {
  runtime: { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' },
  code: 'export function request(ctx) { return { hello: ctx.args.name }; }\nexport function response(ctx) { return ctx.result; }',
  context: '{"arguments":{"name":"world"}}',
  function: 'request',
};

describe('scoredrive/evaluate', () => {
  it('resolves in vitest through the package exports', async () => {
    expect((await evaluateCode(input)).evaluationResult).toBe('{"hello":"world"}');
  });

  it('runs from plain Node, with nothing registered beforehand', async () => {
    const script = `import { evaluateCode } from 'scoredrive/evaluate';
const out = await evaluateCode(${JSON.stringify(input)});
process.stdout.write(out.evaluationResult);`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
    });
    expect(stdout).toBe('{"hello":"world"}');
  });
});
