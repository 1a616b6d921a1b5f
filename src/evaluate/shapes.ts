/**
 * AppSync's EvaluateCode request and response, as the AWS SDK v3 declares them
 * (@aws-sdk/client-appsync: EvaluateCodeCommandInput / EvaluateCodeCommandOutput, models_0.d.ts),
 * so code written against the SDK type-checks against the offline implementation unchanged.
 */

export interface AppSyncRuntime {
  /** Currently, the only allowed value is `APPSYNC_JS`. */
  name: 'APPSYNC_JS' | (string & {}) | undefined;
  /** Currently, the only allowed version is `1.0.0`. */
  runtimeVersion: string | undefined;
}

export interface EvaluateCodeCommandInput {
  runtime: AppSyncRuntime | undefined;
  /** The code definition to be evaluated (1–32,768 characters). */
  code: string | undefined;
  /** The context as a JSON string (2–28,000 characters). */
  context: string | undefined;
  /** `request` or `response`. */
  function?: string | undefined;
}

export interface CodeErrorLocation {
  /** Defaults to 0 if unknown. */
  line?: number | undefined;
  /** Defaults to 0 if unknown. */
  column?: number | undefined;
  /** Defaults to -1 if unknown. */
  span?: number | undefined;
}

export interface CodeError {
  /** e.g. `LINT_ERROR`, `PARSER_ERROR`. */
  errorType?: string | undefined;
  /** A user presentable error. */
  value?: string | undefined;
  location?: CodeErrorLocation | undefined;
}

export interface EvaluateCodeErrorDetail {
  message?: string | undefined;
  codeErrors?: CodeError[] | undefined;
}

/** The SDK's ResponseMetadata (@smithy/types), which every command output carries. */
export interface ResponseMetadata {
  httpStatusCode?: number;
  requestId?: string;
  extendedRequestId?: string;
  cfId?: string;
  attempts?: number;
  totalRetryDelay?: number;
}

export interface EvaluateCodeCommandOutput {
  /** The handler's return value as compact JSON. */
  evaluationResult?: string | undefined;
  error?: EvaluateCodeErrorDetail | undefined;
  logs?: string[] | undefined;
  /** ctx.stash after the handler ran, as JSON. */
  stash?: string | undefined;
  /** The errors util.appendError added, as JSON. */
  outErrors?: string | undefined;
  $metadata: ResponseMetadata;
}
