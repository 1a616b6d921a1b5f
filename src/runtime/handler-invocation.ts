/**
 * Runs one handler of loaded code and says how it ended: a value, an early return, or a
 * field error. Handlers cannot catch anything (APPSYNC_JS has no try/catch), so util.error,
 * runtime.earlyReturn and JavaScript errors all end the handler here.
 */
import { framePosition, type SourcePosition } from './code-positions';
import { EarlyReturn, ResolverError, UnsupportedError } from './errors';
import type { LoadedResolver } from './sandbox';

export type HandlerOutcome =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'early'; readonly value: unknown; readonly skipTo: 'END' | 'NEXT' | undefined }
  | { readonly kind: 'error'; readonly error: ResolverError };

/** A feature the code used that the offline runtime does not implement, and where. */
export interface UnsupportedUse {
  readonly message: string;
  readonly file: string;
  /** Where in the code's source it was used, when a stack frame of the code says so. */
  readonly at?: SourcePosition;
}

/** The errorType a caller gets for a feature this runtime does not implement. */
export const UNSUPPORTED_ERROR_TYPE = 'Unsupported';

export function runHandler(
  resolver: LoadedResolver,
  name: string,
  ctx: unknown,
  onUnsupported?: (use: UnsupportedUse) => void,
): HandlerOutcome {
  const handler = resolver.handlers[name];
  if (!handler) {
    return { kind: 'error', error: new ResolverError(`the code exports no function named ${name}`, 'Code') };
  }
  try {
    return { kind: 'value', value: resolver.realm.run(handler, [ctx], resolver.timeoutMs) };
  } catch (thrown) {
    // What util and the modules threw reaches the code as a realm stand-in: take the original.
    const error = resolver.realm.hostError(thrown);
    if ((error as { code?: unknown })?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      return {
        kind: 'error',
        error: new ResolverError(
          `${resolver.codeName}: the ${name} handler ran longer than ${resolver.timeoutMs} ms`,
          'Code',
        ),
      };
    }
    if (error instanceof EarlyReturn) return { kind: 'early', value: error.value, skipTo: error.skipTo };
    if (error instanceof ResolverError) return { kind: 'error', error };
    if (error instanceof UnsupportedError) {
      const frame = framePosition((error as Error).stack, resolver.scriptFile);
      onUnsupported?.({ message: error.message, file: resolver.file, at: frame ? resolver.locate(frame) : undefined });
      return { kind: 'error', error: new ResolverError(error.message, UNSUPPORTED_ERROR_TYPE) };
    }
    return { kind: 'error', error: new ResolverError(codeErrorMessage(error, resolver), 'Code') };
  }
}

/**
 * A bug in the code (TypeError and the like) as AppSync reports it: `code.js:162:13:
 * ReferenceError: …` with errorType Code (aws/aws-appsync-community#328); 0:0 when no frame
 * of the code is on the stack.
 */
export function codeErrorMessage(error: unknown, code: { scriptFile: string; codeName: string }): string {
  const e = error as { name?: string; message?: string; stack?: string };
  const frame = framePosition(e.stack, code.scriptFile);
  const where = frame ? `${frame.line}:${frame.column}` : '0:0';
  return `${code.codeName}:${where}: ${e.name ?? 'Error'}: ${e.message ?? String(error)}`;
}

/**
 * JSON text of what the code handed back (a result, a request, the stash), as AppSync
 * serialises it. A value JSON cannot carry (a cycle, a BigInt) or a getter that fails or runs
 * too long is a Code error naming what could not be written, not a crash of the runtime.
 */
export function codeValueJson(resolver: LoadedResolver, value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = resolver.realm.stringify(value === undefined ? null : value, resolver.timeoutMs);
  } catch (thrown) {
    const error = resolver.realm.hostError(thrown) as { message?: string; code?: string };
    const why =
      error?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT' ? `it took over ${resolver.timeoutMs} ms` : error?.message;
    throw new ResolverError(`${resolver.codeName}: the ${what} cannot be written as JSON: ${why}`, 'Code');
  }
  return text ?? 'null';
}
