/**
 * Every answer is checked, not just its status: the score asked for, about the driver asked
 * for, consistent with the domain's rules (score 0-100, band from score, period YYYY-MM), or
 * the API's "no such driver" (GraphQL `data.score: null`, REST 404) for ids that do not exist.
 * Failures are sorted into kinds; their detail never holds a driverId (see `redact`).
 */
import { bandFor, FACTOR_NAMES } from '../domain/score';
import type { BenchApi } from './target';

/** `http_4xx`, `http_5xx`, `graphql_error:<errorType>`, `wrong_body`, `timeout`, `network`, `overload`. */
export type ErrorKind = string;

export type Outcome =
  | { readonly ok: true; readonly answered: true }
  | { readonly ok: false; readonly answered: boolean; readonly kind: ErrorKind; readonly detail: string };

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

const failure = (kind: ErrorKind, detail: string, answered = true): Outcome => ({ ok: false, answered, kind, detail });

/** Up to `max` characters, for a detail line. */
const clip = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max)}…` : text);

function isInteger0to100(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100;
}

/** What is wrong with a score object, or undefined when it is right for `driverId`. */
export function scoreProblem(score: unknown, driverId: string): string | undefined {
  if (typeof score !== 'object' || score === null || Array.isArray(score)) return 'the score is not an object';
  const s = score as Record<string, unknown>;
  if (s.driverId !== driverId) return 'driverId is not the one asked for';
  if (!isInteger0to100(s.score))
    return `score ${clip(JSON.stringify(s.score) ?? 'undefined', 20)} is not an integer 0-100`;
  const expected = bandFor(s.score);
  if (s.band !== expected) {
    return `band ${clip(JSON.stringify(s.band) ?? 'undefined', 10)} does not match score ${s.score} (expected ${expected})`;
  }
  if (typeof s.period !== 'string' || !PERIOD.test(s.period)) {
    return `period ${clip(JSON.stringify(s.period) ?? 'undefined', 20)} is not YYYY-MM`;
  }
  const factors = s.factors as Record<string, unknown> | null | undefined;
  for (const name of FACTOR_NAMES) {
    if (!isInteger0to100(factors?.[name])) return `factor ${name} is not an integer 0-100`;
  }
  return undefined;
}

function parseJson(body: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(body) };
  } catch {
    return undefined;
  }
}

/** `HTTP 401: UnauthorizedException: …` from an error body, whatever its shape. */
function httpDetail(status: number, body: string): string {
  const parsed = parseJson(body)?.value as
    | { errors?: { errorType?: unknown; message?: unknown }[]; message?: unknown; Message?: unknown }
    | undefined;
  const first = Array.isArray(parsed?.errors) ? parsed.errors[0] : undefined;
  const described = first
    ? [first.errorType, first.message].filter((part) => typeof part === 'string').join(': ')
    : typeof parsed?.message === 'string'
      ? parsed.message
      : typeof parsed?.Message === 'string'
        ? parsed.Message
        : body.trim();
  return clip(`HTTP ${status}${described ? `: ${described}` : ''}`);
}

function statusKind(status: number): ErrorKind {
  return `http_${Math.floor(status / 100)}xx`;
}

/**
 * Checks one answer to a request for `driverId`; `exists` says whether the driver should be
 * there (an id from the data) or not (a made-up id mixed in with --unknown-share).
 */
export function checkAnswer(api: BenchApi, driverId: string, exists: boolean, status: number, body: string): Outcome {
  if (api === 'rest') {
    if (!exists) {
      if (status === 404) return { ok: true, answered: true };
      if (status === 200) return failure('wrong_body', 'a score for a driver that does not exist (expected 404)');
      return failure(statusKind(status), httpDetail(status, body));
    }
    if (status !== 200) return failure(statusKind(status), httpDetail(status, body));
    const parsed = parseJson(body);
    if (!parsed) return failure('wrong_body', 'the body is not JSON');
    const problem = scoreProblem(parsed.value, driverId);
    return problem ? failure('wrong_body', problem) : { ok: true, answered: true };
  }

  if (status !== 200) return failure(statusKind(status), httpDetail(status, body));
  const parsed = parseJson(body);
  if (!parsed || typeof parsed.value !== 'object' || parsed.value === null) {
    return failure('wrong_body', 'the body is not a JSON object');
  }
  const answer = parsed.value as { data?: { score?: unknown } | null; errors?: unknown };
  if (answer.errors !== undefined && answer.errors !== null) {
    const first = (Array.isArray(answer.errors) ? answer.errors[0] : undefined) as
      | { errorType?: unknown; message?: unknown }
      | undefined;
    const message = typeof first?.message === 'string' ? first.message : '';
    const type =
      typeof first?.errorType === 'string' && first.errorType !== ''
        ? first.errorType
        : message.startsWith('Validation error')
          ? 'ValidationError'
          : 'unknown';
    return failure(`graphql_error:${type}`, clip(message || 'an error without a message'));
  }
  if (typeof answer.data !== 'object' || answer.data === null || !('score' in answer.data)) {
    return failure('wrong_body', 'no data.score in the answer');
  }
  const score = answer.data.score;
  if (!exists) {
    return score === null
      ? { ok: true, answered: true }
      : failure('wrong_body', 'a score for a driver that does not exist (expected null)');
  }
  if (score === null) return failure('wrong_body', 'data.score is null for a driver that should exist');
  const problem = scoreProblem(score, driverId);
  return problem ? failure('wrong_body', problem) : { ok: true, answered: true };
}

/** Failures without an answer. */
export const NO_ANSWER = {
  timeout: (ms: number): Outcome => failure('timeout', `no complete answer within ${ms} ms`, false),
  network: (message: string): Outcome => failure('network', clip(message), false),
  overload: (max: number): Outcome =>
    failure('overload', `not sent: ${max} requests were already in flight (--max-in-flight)`, false),
};
