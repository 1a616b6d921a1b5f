/**
 * What every answer of the offline server carries, and what none may carry. Headers: the
 * browser may not sniff a JSON answer into HTML, frame any page (clickjacking), send a Referer
 * onwards, or run anything in an answer rendered as a document (the explorer sets its own CSP,
 * explorer.ts). Bodies: an unknown path is not echoed back, since a REST path holds a driverId,
 * which identifies a person; Fastify's default answers (`Route GET:/drivers/… not found`,
 * `'/drivers/%E0…' is not a valid url component`) all do.
 *
 * A hook, not @fastify/helmet (13.x fits Fastify 5 and Node 20): the plugin rebuilds helmet's
 * middleware on every request, which measured here took a trivial route from ~22,000 to
 * ~10,000 requests/s (~50 µs a request); these headers are constants, set in about 1 µs, and
 * most of helmet's others (HSTS, COEP, Origin-Agent-Cluster…) say nothing over plain HTTP to
 * an API.
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The CSP of answers that are not the explorer: nothing in them may run, load or be framed. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': API_CSP,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Fastify's error shape, with no part of the request in it. */
const plainError = (statusCode: number) => ({
  message: STATUS_CODES[statusCode] ?? 'Error',
  error: STATUS_CODES[statusCode] ?? 'Error',
  statusCode,
});

/**
 * Adds the headers to every answer and a 404 that does not echo the path. Sets the app's
 * not-found handler, so it is called once, on the root instance. Set on arrival (onRequest), so
 * the error handler's and the not-found handler's answers carry them too; a route may override
 * one (the explorer's CSP).
 */
export function secureAnswers(app: FastifyInstance): void {
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(SECURITY_HEADERS);
    done();
  });
  app.setNotFoundHandler((_request, reply) => {
    reply.code(404).send(plainError(404));
  });
}

/**
 * For Fastify's `frameworkErrors` option: a URL the router cannot decode (400) or with a path
 * parameter over its length limit (414) is answered before any hook or handler, by default with
 * the path in the body. This answers with the status alone, and the headers.
 */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
  reply.headers(SECURITY_HEADERS).code(status).send(plainError(status));
}
