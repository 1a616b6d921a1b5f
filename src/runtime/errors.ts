/**
 * The ways a resolver handler ends other than by returning, as the offline runtime models
 * them. Handlers cannot catch anything (APPSYNC_JS has no try/catch), so these are thrown
 * by util/runtime functions and caught only by the executor.
 */

/** Raised by `util.error(message, errorType, data, errorInfo)`: a GraphQL field error. */
export class ResolverError extends Error {
  constructor(
    message: string,
    readonly errorType: string | null = null,
    readonly data: unknown = null,
    readonly errorInfo: unknown = null,
  ) {
    super(message);
    this.name = 'ResolverError';
  }
}

/** Raised by `util.unauthorized()`; AppSync reports it as errorType `Unauthorized`. */
export class UnauthorizedError extends ResolverError {
  constructor(fieldName: string, parentTypeName: string) {
    super(`Not Authorized to access ${fieldName} on type ${parentTypeName}`, 'Unauthorized');
    this.name = 'UnauthorizedError';
  }
}

/** Raised by `runtime.earlyReturn(value)`: ends the handler with `value` as the result. */
export class EarlyReturn {
  constructor(
    readonly value: unknown,
    readonly skipTo: 'END' | 'NEXT' | undefined,
  ) {}
}

/**
 * A util function, module export, data-source operation or option that AppSync has but this
 * runtime does not implement. Failing loudly keeps a resolver from "working" offline on an
 * `undefined` that AppSync would never produce.
 */
export class UnsupportedError extends Error {
  constructor(what: string) {
    super(`unsupported in the offline runtime: ${what}`);
    this.name = 'UnsupportedError';
  }
}

/** Code AppSync would refuse at deploy time (CreateResolver answers "The code contains one or more errors."). */
export class CodeRejectedError extends Error {
  constructor(
    readonly file: string,
    readonly violations: readonly CodeViolation[],
  ) {
    super(
      `${file}: the APPSYNC_JS runtime rejects this code:\n${violations
        .map((v) => `  ${v.file}:${v.line}:${v.column} ${v.rule}: ${v.message}`)
        .join('\n')}`,
    );
    this.name = 'CodeRejectedError';
  }
}

/** Code AppSync accepts that uses what the offline runtime does not implement, refused at load. */
export class UnsupportedCodeError extends Error {
  constructor(
    readonly file: string,
    readonly violations: readonly CodeViolation[],
  ) {
    super(
      `${file}: the offline runtime does not implement what this code uses:\n${violations
        .map((v) => `  ${v.file}:${v.line}:${v.column} ${v.message}`)
        .join('\n')}`,
    );
    this.name = 'UnsupportedCodeError';
  }
}

/** The code exports no function under a handler name it must have. */
export class MissingHandlerError extends Error {
  constructor(
    readonly file: string,
    readonly handler: string,
  ) {
    super(`${file}: the code must export a function named ${handler}`);
    this.name = 'MissingHandlerError';
  }
}

/** The module's top-level code threw while loading; `message` is AppSync's `code.js:L:C: Name: message`. */
export class CodeEvaluationError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'CodeEvaluationError';
  }
}

export interface CodeViolation {
  /** Source file (mapped through the bundle's source map when it has one). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /**
   * What it violates: an @aws-appsync/eslint-plugin rule name, `supported-features/<rule>` for a
   * statement of AppSync's "Supported runtime features" page, `ts2339`/`ts2305` for AppSync's
   * TypeScript check of its declared API, `code-size`, or `parse`.
   */
  readonly rule: string;
  readonly message: string;
}
