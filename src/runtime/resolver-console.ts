/**
 * `console.log` / `console.error` inside resolver code. AppSync writes each call as one line,
 * `INFO - code.js:5:3: "current id" "record-id"`: level, the code's name and the position of
 * the call, then every argument JSON-encoded, separated by spaces (the EvaluateCode example of
 * https://docs.aws.amazon.com/appsync/latest/devguide/test-resolvers.html). EvaluateCode returns
 * the lines; a running API sends them where the runtime's owner says (never stdout by default:
 * they may hold personal data).
 */
import { type CallStarts, framePosition, type Position } from './code-positions';

export type LogLevel = 'INFO' | 'ERROR';

export interface ResolverLogLine {
  readonly level: LogLevel;
  /** The line as AppSync prints it. */
  readonly text: string;
  /** Where the call is in the code the runtime was given (0:0 when unknown). */
  readonly position: Position;
}

export interface ConsoleOptions {
  /** The file name the script was compiled under (stack frames carry it). */
  readonly scriptFile: string;
  /** The name AppSync gives the code in log lines. */
  readonly codeName: string;
  readonly callStarts: CallStarts;
  /** Receives each line. */
  readonly write: (line: ResolverLogLine) => void;
}

function encode(value: unknown): string {
  if (typeof value === 'function') return 'function';
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json;
}

export function createResolverConsole(options: ConsoleOptions) {
  const line = (level: LogLevel, args: unknown[]) => {
    const frame = framePosition(new Error().stack, options.scriptFile);
    const position = frame ? options.callStarts.callStart(frame) : { line: 0, column: 0 };
    const text = `${level} - ${options.codeName}:${position.line}:${position.column}: ${args.map(encode).join(' ')}`;
    options.write({ level, text, position });
  };
  // Only the two methods the supported-features page lists; others are absent, as on AWS.
  return {
    log: (...args: unknown[]) => line('INFO', args),
    error: (...args: unknown[]) => line('ERROR', args),
  };
}
