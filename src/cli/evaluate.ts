/**
 * `scoredrive evaluate`: `aws appsync evaluate-code` offline, with the same flags
 * (`--runtime name=APPSYNC_JS,runtimeVersion=1.0.0 --code file://code.js --context
 * file://context.json --function request`, or `--cli-input-json`) and the same output: the
 * response as JSON indented by 4, members in the service model's order, absent ones left out;
 * a service error on stderr as `An error occurred (BadRequestException) when calling the
 * EvaluateCode operation: …` with exit code 254; a malformed parameter with exit code 252
 * (AWS CLI v2's codes).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BadRequestException } from '../evaluate/bad-request';
import { evaluateCode } from '../evaluate/evaluate-code';
import type { EvaluateCodeCommandInput, EvaluateCodeCommandOutput } from '../evaluate/shapes';

export interface EvaluateFlags {
  readonly runtime?: string;
  readonly code?: string;
  readonly context?: string;
  readonly function?: string;
  readonly cliInputJson?: string;
}

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Exit codes of AWS CLI v2: a service error, and a parameter the CLI itself refused. */
export const EXIT_SERVICE_ERROR = 254;
export const EXIT_PARAMETER_ERROR = 252;

class ParameterError extends Error {}

/** `file://path` reads a file (relative to the working directory), anything else is the value itself. */
async function parameterValue(flag: string, value: string, cwd: string): Promise<string> {
  if (!value.startsWith('file://')) return value;
  const file = value.slice('file://'.length);
  try {
    return await readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new ParameterError(
      `Error parsing parameter '--${flag}': Unable to load paramfile ${value}: ${(error as Error).message}`,
    );
  }
}

/** The runtime structure: shorthand `name=…,runtimeVersion=…` or JSON. */
function parseRuntime(value: string): { name?: string; runtimeVersion?: string } {
  const text = value.trim();
  if (text.startsWith('{')) {
    try {
      return JSON.parse(text) as { name?: string; runtimeVersion?: string };
    } catch (error) {
      throw new ParameterError(`Error parsing parameter '--runtime': Invalid JSON: ${(error as Error).message}`);
    }
  }
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const at = pair.indexOf('=');
    if (at < 0)
      throw new ParameterError(
        `Error parsing parameter '--runtime': Expected: '=', received: 'EOF' for input:\n${text}`,
      );
    const key = pair.slice(0, at).trim();
    if (key !== 'name' && key !== 'runtimeVersion') {
      throw new ParameterError(
        `Parameter validation failed:\nUnknown parameter in runtime: "${key}", must be one of: name, runtimeVersion`,
      );
    }
    out[key] = pair.slice(at + 1).trim();
  }
  return out;
}

/** Members of the wrong JSON type, in the AWS CLI's words ("Invalid type for parameter …"). */
function typeProblems(input: Partial<EvaluateCodeCommandInput>): string[] {
  const problems: string[] = [];
  const describe = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value);
  const runtime = input.runtime as unknown;
  if (runtime === null || typeof runtime !== 'object' || Array.isArray(runtime)) {
    problems.push(
      `Invalid type for parameter runtime, value: ${JSON.stringify(runtime)}, type: ${describe(runtime)}, valid types: object`,
    );
  } else {
    for (const member of ['name', 'runtimeVersion'] as const) {
      const value = (runtime as Record<string, unknown>)[member];
      if (value !== undefined && typeof value !== 'string') {
        problems.push(
          `Invalid type for parameter runtime.${member}, value: ${JSON.stringify(value)}, type: ${describe(value)}, valid types: string`,
        );
      }
    }
  }
  for (const member of ['code', 'context', 'function'] as const) {
    const value = input[member] as unknown;
    if (value !== undefined && typeof value !== 'string') {
      problems.push(
        `Invalid type for parameter ${member}, value: ${JSON.stringify(value)}, type: ${describe(value)}, valid types: string`,
      );
    }
  }
  return problems;
}

/** The request, or the parameter errors the AWS CLI would print before sending anything. */
async function requestOf(flags: EvaluateFlags, cwd: string): Promise<EvaluateCodeCommandInput> {
  let input: Partial<EvaluateCodeCommandInput> = {};
  if (flags.cliInputJson !== undefined) {
    const text = await parameterValue('cli-input-json', flags.cliInputJson, cwd);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new ParameterError(`Error parsing parameter '--cli-input-json': Invalid JSON: ${(error as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ParameterError("Error parsing parameter '--cli-input-json': expected a JSON object");
    }
    input = parsed as Partial<EvaluateCodeCommandInput>;
  }
  if (flags.runtime !== undefined)
    input.runtime = parseRuntime(await parameterValue('runtime', flags.runtime, cwd)) as never;
  if (flags.code !== undefined) input.code = await parameterValue('code', flags.code, cwd);
  if (flags.context !== undefined) input.context = await parameterValue('context', flags.context, cwd);
  if (flags.function !== undefined) input.function = flags.function;
  const missing = (['runtime', 'code', 'context'] as const).filter((name) => input[name] === undefined);
  if (missing.length > 0) {
    throw new ParameterError(`the following arguments are required: ${missing.map((m) => `--${m}`).join(', ')}`);
  }
  const problems = typeProblems(input);
  if (problems.length > 0) throw new ParameterError(`Parameter validation failed:\n${problems.join('\n')}`);
  for (const member of ['name', 'runtimeVersion'] as const) {
    if ((input.runtime as unknown as Record<string, unknown>)[member] === undefined) {
      problems.push(`Missing required parameter in runtime: "${member}"`);
    }
  }
  if ((input.code as string).length < 1)
    problems.push('Invalid length for parameter code, value: 0, valid min length: 1');
  const contextLength = (input.context as string).length;
  if (contextLength < 2) {
    problems.push(`Invalid length for parameter context, value: ${contextLength}, valid min length: 2`);
  }
  if (problems.length > 0) throw new ParameterError(`Parameter validation failed:\n${problems.join('\n')}`);
  return input as EvaluateCodeCommandInput;
}

/** The members of the response, in the service model's order, as the AWS CLI prints them. */
const OUTPUT_MEMBERS = ['evaluationResult', 'error', 'logs', 'stash', 'outErrors'] as const;

export function formatOutput(output: EvaluateCodeCommandOutput): string {
  const printed: Record<string, unknown> = {};
  for (const member of OUTPUT_MEMBERS) {
    if (output[member] !== undefined && output[member] !== null) printed[member] = output[member];
  }
  return Object.keys(printed).length === 0 ? '' : `${JSON.stringify(printed, null, 4)}\n`;
}

export async function evaluateCommand(flags: EvaluateFlags, cwd = process.cwd()): Promise<CommandResult> {
  let input: EvaluateCodeCommandInput;
  try {
    input = await requestOf(flags, cwd);
  } catch (error) {
    if (error instanceof ParameterError)
      return { stdout: '', stderr: `\n${error.message}\n`, exitCode: EXIT_PARAMETER_ERROR };
    throw error;
  }
  try {
    return { stdout: formatOutput(await evaluateCode(input)), stderr: '', exitCode: 0 };
  } catch (error) {
    if (error instanceof BadRequestException) {
      return {
        stdout: '',
        stderr: `\nAn error occurred (BadRequestException) when calling the EvaluateCode operation: ${error.message}\n`,
        exitCode: EXIT_SERVICE_ERROR,
      };
    }
    throw error;
  }
}
