/** Types of sigv4.js (plain JavaScript, so the embedded store's worker can load it). */

export declare const ALGORITHM: 'AWS4-HMAC-SHA256';

export interface SigV4Credential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface SigV4VerifierOptions {
  /** The service the credential scope must name (`appsync`, `dynamodb`). */
  readonly service: string;
  /** The region the credential scope must name; undefined takes any. */
  readonly region?: string;
  /** How far the signing time may be from the clock, either way. */
  readonly maxSkewMs: number;
  /** Refuse a request carrying x-amz-security-token (as an unrecognized client). @default false */
  readonly refuseSessionTokens?: boolean;
}

export interface SigV4Request {
  readonly method: string;
  /** The request target as received: path and query. */
  readonly url: string;
  /** Header names in lower case, as Node gives them. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The body as received: its hash is part of what is signed. */
  readonly body?: Uint8Array | string;
}

export interface SigV4Accepted {
  readonly ok: true;
  readonly accessKeyId: string;
  readonly region: string;
  readonly signedMs: number;
}

export interface SigV4SkewRefusal {
  readonly ok: false;
  readonly reason: 'expired' | 'not-yet-current';
  /** The request's x-amz-date. */
  readonly signed: string;
  /** The clock minus (expired) or plus the window. */
  readonly limit: string;
  readonly now: string;
  readonly minutes: number;
}

export type SigV4Refusal =
  /** `authorization`: the Authorization header when there is one (not a SigV4 one). */
  | { readonly ok: false; readonly reason: 'missing'; readonly authorization?: string }
  | {
      readonly ok: false;
      readonly reason: 'incomplete';
      readonly missing: readonly ('Credential' | 'Signature' | 'SignedHeaders' | 'X-Amz-Date')[];
      readonly authorization: string;
    }
  | { readonly ok: false; readonly reason: 'unsigned-header'; readonly header: string }
  | { readonly ok: false; readonly reason: 'unrecognized-client'; readonly accessKeyId: string }
  | SigV4SkewRefusal
  | { readonly ok: false; readonly reason: 'wrong-service'; readonly expected: string; readonly got: string }
  | { readonly ok: false; readonly reason: 'wrong-region'; readonly got: string }
  | { readonly ok: false; readonly reason: 'scope-date'; readonly scopeDate: string; readonly amzDate: string }
  | { readonly ok: false; readonly reason: 'mismatch' };

export type SigV4Verdict = SigV4Accepted | SigV4Refusal;

export type SigV4Verify = (request: SigV4Request, nowMs: number) => Promise<SigV4Verdict>;

/** 20130609T094515Z, the x-amz-date form. */
export declare function basicDate(ms: number): string;

/** AWS's "Signature expired: … is now earlier than … (… - N min.)" and its "not yet current" twin. */
export declare function skewMessage(refusal: SigV4SkewRefusal): string;

/** A verifier for requests to `options.service` signed with one of `credentials`. */
export declare function createSigV4Verifier(
  credentials: Iterable<SigV4Credential>,
  options: SigV4VerifierOptions,
): SigV4Verify;
