/**
 * Positions in resolver code: where a stack frame points, where a console call starts, and
 * which TypeScript line a bundle position came from.
 */
import type { CallExpression, MemberExpression, Node, Program } from 'acorn';
import { simple } from 'acorn-walk';
import { SourceMapConsumer } from 'source-map-js';

/** 1-based line and column, as AppSync prints them (`code.js:5:3`). */
export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface SourcePosition extends Position {
  readonly file: string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The first frame of `stack` inside the script compiled under `file`, if any. */
export function framePosition(stack: string | undefined, file: string): Position | undefined {
  if (!stack) return undefined;
  const match = new RegExp(`${escapeRegExp(file)}:(\\d+):(\\d+)\\)?\\s*$`, 'm').exec(stack);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : undefined;
}

/**
 * V8 places a method call's frame at the method name (`console.log` → `log`); AppSync's log
 * lines give the start of the call (`INFO - code.js:5:3:` for `  console.log(…)`). This maps
 * the one to the other for every call on a member expression of the program.
 */
export class CallStarts {
  private starts?: Map<string, Position>;

  constructor(private readonly program: Program) {}

  callStart(at: Position): Position {
    if (!this.starts) {
      const starts = new Map<string, Position>();
      simple(this.program, {
        CallExpression(node: Node) {
          const call = node as CallExpression;
          if (call.callee.type !== 'MemberExpression' || !call.loc) return;
          const property = (call.callee as MemberExpression).property;
          if (!property.loc) return;
          starts.set(`${property.loc.start.line}:${property.loc.start.column + 1}`, {
            line: call.loc.start.line,
            column: call.loc.start.column + 1,
          });
        },
      });
      this.starts = starts;
    }
    return this.starts.get(`${at.line}:${at.column}`) ?? at;
  }
}

const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

/**
 * Maps a position in a bundle back to its source file through the bundle's inline source map
 * (esbuild writes one without sources content); positions of code without a map stay in `file`.
 */
export function sourceLocator(code: string, file: string): (at: Position) => SourcePosition {
  const match = INLINE_MAP.exec(code);
  const consumer = match ? new SourceMapConsumer(JSON.parse(Buffer.from(match[1], 'base64').toString('utf8'))) : null;
  return ({ line, column }) => {
    const original = consumer?.originalPositionFor({ line, column: column - 1 });
    if (original?.source && original.line !== null) {
      const source = original.source.replace(/^(\.\.\/)+/, '');
      return { file: readablePath(source), line: original.line, column: original.column + 1 };
    }
    return { file, line, column };
  };
}

/**
 * The source map consumer hands sources back as URLs (`[none]` as `%5Bnone%5D`); people read
 * file names, so they are decoded (a name that is not valid percent-encoding stays as it is).
 */
function readablePath(source: string): string {
  try {
    return decodeURI(source);
  } catch {
    return source;
  }
}
