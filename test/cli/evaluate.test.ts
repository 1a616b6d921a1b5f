/**
 * `scoredrive evaluate`: the flags and output of `aws appsync evaluate-code`
 * (https://docs.aws.amazon.com/appsync/latest/devguide/test-debug-resolvers-js.html prints the
 * command and its answer; the AWS CLI prints JSON indented by 4 in the model's member order).
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_PARAMETER_ERROR, EXIT_SERVICE_ERROR, evaluateCommand } from '../../src/cli/evaluate';
import { GUIDE_CODE, GUIDE_CONTEXT_JSON } from '../conformance/guide-example';
import { tempDir } from '../helpers/service';

const CLI = path.resolve(__dirname, '../../bin/scoredrive.js');
const RUNTIME = 'name=APPSYNC_JS,runtimeVersion=1.0.0';

let dir: string;
let remove: () => Promise<void>;
beforeAll(async () => {
  ({ dir, remove } = await tempDir());
  await writeFile(path.join(dir, 'code.js'), GUIDE_CODE);
  await writeFile(path.join(dir, 'context.json'), GUIDE_CONTEXT_JSON);
});
afterAll(async () => remove());

describe('scoredrive evaluate', () => {
  it("prints the guide's answer for its example, in the AWS CLI's format", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        CLI,
        'evaluate',
        '--code',
        'file://code.js',
        '--function',
        'response',
        '--context',
        'file://context.json',
        '--runtime',
        RUNTIME,
      ],
      { cwd: dir },
    );
    // The guide's printed answer predates stash and outErrors, which the CLI now prints after logs.
    expect(stdout).toBe(
      [
        '{',
        '    "evaluationResult": "{\\"breed\\":\\"Miniature Schnauzer\\",\\"color\\":\\"black_grey\\"}",',
        '    "logs": [',
        '        "INFO - code.js:13:5: \\"This request is allowed\\""',
        '    ],',
        '    "stash": "{}",',
        '    "outErrors": "[]"',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('takes the whole request from --cli-input-json, and the runtime as JSON', async () => {
    const input = JSON.stringify({
      runtime: { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' },
      code: GUIDE_CODE,
      context: GUIDE_CONTEXT_JSON,
      function: 'request',
    });
    await writeFile(path.join(dir, 'input.json'), input);
    const result = await evaluateCommand({ cliInputJson: 'file://input.json' }, dir);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(JSON.parse(result.stdout).evaluationResult)).toMatchObject({ operation: 'PutItem' });
    const runtimeAsJson = await evaluateCommand(
      {
        runtime: '{"name":"APPSYNC_JS","runtimeVersion":"1.0.0"}',
        code: GUIDE_CODE,
        context: GUIDE_CONTEXT_JSON,
        function: 'response',
      },
      dir,
    );
    expect(runtimeAsJson.exitCode).toBe(0);
  });

  it('prints an evaluation error as the response it is (exit 0), leaving out what is absent', async () => {
    const result = await evaluateCommand(
      {
        runtime: RUNTIME,
        code: 'export function request(ctx) { util.error("foo") }',
        context: '{}',
        function: 'request',
      },
      dir,
    );
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ error: { message: 'foo' }, logs: [], stash: '{}', outErrors: '[]' });
  });

  it('reports a request the service refuses as the AWS CLI does, exit 254', async () => {
    const result = await evaluateCommand(
      { runtime: 'name=APPSYNC_JS,runtimeVersion=9.9.9', code: 'file://code.js', context: '{}' },
      dir,
    );
    expect(result).toEqual({
      stdout: '',
      stderr: expect.stringMatching(
        /^\nAn error occurred \(BadRequestException\) when calling the EvaluateCode operation: 1 validation error detected: .*runtime\.runtimeVersion/,
      ),
      exitCode: EXIT_SERVICE_ERROR,
    });
  });

  it.each([
    [{ code: 'x', context: '{}' }, 'the following arguments are required: --runtime'],
    [
      { runtime: 'name=APPSYNC_JS', code: 'x', context: '{}' },
      'Missing required parameter in runtime: "runtimeVersion"',
    ],
    [{ runtime: RUNTIME, code: '', context: '{}' }, 'Invalid length for parameter code, value: 0, valid min length: 1'],
    [
      { runtime: RUNTIME, code: 'x', context: 'x' },
      'Invalid length for parameter context, value: 1, valid min length: 2',
    ],
    [{ runtime: 'APPSYNC_JS', code: 'x', context: '{}' }, "Error parsing parameter '--runtime': Expected: '='"],
    [{ runtime: 'name=APPSYNC_JS,version=1', code: 'x', context: '{}' }, 'Unknown parameter in runtime: "version"'],
    [
      { runtime: RUNTIME, code: 'file://nope.js', context: '{}' },
      "Error parsing parameter '--code': Unable to load paramfile file://nope.js",
    ],
  ])('refuses malformed parameters before evaluating, exit 252: %o', async (flags, message) => {
    const result = await evaluateCommand(flags, dir);
    expect(result.exitCode).toBe(EXIT_PARAMETER_ERROR);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
  });
});

describe('scoredrive evaluate: parameters of the wrong type', () => {
  it.each([
    [{ cliInputJson: 'null' }, "Error parsing parameter '--cli-input-json': expected a JSON object"],
    [{ cliInputJson: '{"runtime":null,"code":"x","context":"{}"}' }, 'Invalid type for parameter runtime, value: null'],
    [
      { cliInputJson: '{"runtime":{"name":"APPSYNC_JS","runtimeVersion":1},"code":"x","context":"{}"}' },
      'Invalid type for parameter runtime.runtimeVersion',
    ],
    [
      { cliInputJson: '{"runtime":{"name":"APPSYNC_JS","runtimeVersion":"1.0.0"},"code":5,"context":"{}"}' },
      'Invalid type for parameter code',
    ],
  ])('refuses %o with exit 252', async (flags, message) => {
    const result = await evaluateCommand(flags, process.cwd());
    expect(result.exitCode).toBe(EXIT_PARAMETER_ERROR);
    expect(result.stderr).toContain(message);
  });
});
