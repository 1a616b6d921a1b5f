/**
 * Loads APPSYNC_JS code into its own realm (src/runtime/realm.ts), where `@aws-appsync/utils`
 * and `@aws-appsync/utils/dynamodb` resolve to this runtime's implementation and nothing else
 * (no require, process, network or file system; no eval or Function constructor) is reachable.
 */
import vm from 'node:vm';
import { analyzeResolverCode } from './code-check';
import { CallStarts, type Position, type SourcePosition, sourceLocator } from './code-positions';
import {
  CodeEvaluationError,
  CodeRejectedError,
  MissingHandlerError,
  UnsupportedCodeError,
  UnsupportedError,
} from './errors';
import { codeErrorMessage } from './handler-invocation';
import { ModuleSyntaxError, toModuleScript } from './module-script';
import { OFFLINE_RULE, offlineSupportViolations } from './offline-support';
import { createRealm, type Realm } from './realm';
import { createResolverConsole, type ResolverLogLine } from './resolver-console';

export type Handler = (ctx: unknown) => unknown;

export interface LoadedResolver {
  /** The file the code came from (a bundle path, or `code.js` for EvaluateCode). */
  readonly file: string;
  /** The file name stack frames of this code carry. */
  readonly scriptFile: string;
  /** The name AppSync gives the code in log lines and error messages. */
  readonly codeName: string;
  readonly handlers: Readonly<Record<string, Handler | undefined>>;
  readonly realm: Realm;
  /** A position in the code, in the source it was built from (through its inline source map). */
  readonly locate: (at: Position) => SourcePosition;
  /** How long one handler call may run, in ms; undefined for no limit. */
  readonly timeoutMs: number | undefined;
}

/**
 * How long offline code may run where a limit is kept: top-level code, and EvaluateCode's
 * handler. AWS states no limit of its own for handler code; one second is the whole answer's
 * SLA budget.
 */
export const HANDLER_TIMEOUT_MS = 1000;

/** The modules a bundle may import, by specifier. */
export type ModuleTable = Record<string, object>;

export interface SandboxOptions {
  /** `@aws-appsync/utils` and friends, as the bundle will import them. */
  readonly modules: ModuleTable;
  /** Globals AppSync provides besides the language built-ins (util, runtime, extensions). */
  readonly globals: Record<string, unknown>;
  /** The name AppSync gives the code in log lines and error positions. @default 'code.js' */
  readonly codeName?: string;
  /** Receives every console.log / console.error line of the code. */
  readonly log: (line: ResolverLogLine) => void;
  /** Names refused at load although implemented, each with why (see offline-support.ts). */
  readonly refused?: Readonly<Record<string, string>>;
  /**
   * How long each handler call may run; none when not given (see Realm.run for the cost).
   * Top-level code always runs under HANDLER_TIMEOUT_MS.
   */
  readonly timeoutMs?: number;
  /** The handler names the code must export. @default ['request', 'response'] */
  readonly requiredExports?: readonly string[];
}

/** Checks the code as AppSync's deploy would, then evaluates it in a fresh realm. */
export function loadResolver(code: string, file: string, options: SandboxOptions): LoadedResolver {
  const { violations, references, program } = analyzeResolverCode(code, file);
  if (violations.length > 0 || !program) {
    throw new CodeRejectedError(file, violations);
  }
  const unsupported = offlineSupportViolations(references, options);
  if (unsupported.length > 0) throw new UnsupportedCodeError(file, unsupported);
  const locate = sourceLocator(code, file);
  let script: ReturnType<typeof toModuleScript>;
  try {
    script = toModuleScript(code, program);
  } catch (error) {
    // AppSync takes re-exports; the offline runtime cannot yet: its limit, not a deploy refusal.
    if (error instanceof ModuleSyntaxError) {
      const at = locate({ line: error.line, column: error.column });
      throw new UnsupportedCodeError(file, [
        { ...at, rule: OFFLINE_RULE, message: new UnsupportedError(error.message).message },
      ]);
    }
    throw error;
  }
  // A scheme no host file has, so stack frames of this code are told apart from the runtime's own.
  const scriptFile = `appsync-js:///${file}`;
  const codeName = options.codeName ?? 'code.js';
  const realm = createRealm(file, {
    ...options.globals,
    console: createResolverConsole({
      scriptFile,
      codeName,
      callStarts: new CallStarts(program),
      write: options.log,
    }),
  });
  let factory: unknown;
  try {
    factory = new vm.Script(script.source, {
      filename: scriptFile,
      lineOffset: -1,
    }).runInContext(realm.context);
  } catch (error) {
    if (!(error instanceof SyntaxError) && (error as Error)?.name !== 'SyntaxError') throw error;
    throw new CodeRejectedError(file, [{ file, line: 1, column: 1, rule: 'parse', message: (error as Error).message }]);
  }
  const missing = script.sources.filter(({ source }) => !Object.hasOwn(options.modules, source));
  if (missing.length > 0) {
    throw new UnsupportedCodeError(
      file,
      missing.map(({ source, line, column }) => ({
        ...locate({ line, column }),
        rule: OFFLINE_RULE,
        message: new UnsupportedError(
          `import of '${source}' (the offline runtime provides ${Object.keys(options.modules).join(', ')})`,
        ).message,
      })),
    );
  }
  const values = script.imports.map((binding) => {
    const module = options.modules[binding.source];
    return realm.expose(binding.imported === '*' ? module : (module as Record<string, unknown>)[binding.imported]);
  });
  // The restrictions hold for the module's top-level code too: it must not be able to undo them.
  realm.restrict();
  let exports: Record<string, unknown>;
  try {
    exports = realm.run(factory, values, HANDLER_TIMEOUT_MS) as Record<string, unknown>;
  } catch (error) {
    // The module's top-level code failed: there is no handler to run.
    const original = realm.hostError(error);
    if (original instanceof UnsupportedError) throw original;
    throw new CodeEvaluationError(file, codeErrorMessage(original, { scriptFile, codeName }));
  }
  const handlers: Record<string, Handler | undefined> = {};
  for (const [name, value] of Object.entries(exports)) {
    if (typeof value === 'function') handlers[name] = value as Handler;
  }
  for (const name of options.requiredExports ?? ['request', 'response']) {
    if (!handlers[name]) throw new MissingHandlerError(file, name);
  }
  return { file, scriptFile, codeName, handlers, realm, locate, timeoutMs: options.timeoutMs };
}
