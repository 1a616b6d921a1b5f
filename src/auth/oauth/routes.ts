/**
 * The authorization server's routes, as a Fastify plugin for the offline server to register
 * (`app.register(oauthRoutes(server))`, no prefix: the discovery URLs hang off the issuer, the
 * server's origin):
 *
 * - `POST /oauth2/token`, answered by `answerTokenRequest` (token-endpoint.ts);
 * - `GET /.well-known/openid-configuration` and `GET /.well-known/jwks.json`.
 *
 * The plugin is encapsulated (no fastify-plugin), so what it sets stays inside it: its own body
 * parsing (the token endpoint reads every body as text, so a wrong Content-Type gets Cognito's
 * `invalid_request` rather than Fastify's 415, and no parser of the app sees a client secret) and
 * its own error handler (Cognito's error shape, not AppSync's). The routes need no API key:
 * register them where the app's key check does not apply.
 */
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import { DISCOVERY_PATH, JWKS_PATH, TOKEN_PATH } from './discovery';
import type { OfflineAuthorizationServer } from './server';
import { TOKEN_RESPONSE_HEADERS, tokenError } from './token-endpoint';

/** The largest token request read: a few parameters of a few hundred bytes. */
export const TOKEN_BODY_LIMIT = 16 * 1024;

const JSON_UTF8 = 'application/json;charset=UTF-8';

export function oauthRoutes(server: OfflineAuthorizationServer): FastifyPluginAsync {
  return async (instance) => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', { parseAs: 'string', bodyLimit: TOKEN_BODY_LIMIT }, (_request, body, done) => {
      done(null, body);
    });

    // A body too large or unreadable is the client's mistake: Cognito's invalid_request. The
    // error is not logged with the request: its body may hold a client secret.
    instance.setErrorHandler((error: FastifyError, request, reply) => {
      const status = error.statusCode ?? 500;
      if (status < 500) {
        const answer = tokenError('invalid_request');
        return reply.code(answer.status).headers(answer.headers).send(JSON.stringify(answer.body));
      }
      request.log.error({ code: error.code, route: request.routeOptions.url }, 'OAuth request failed');
      return reply
        .code(500)
        .headers(TOKEN_RESPONSE_HEADERS)
        .send(JSON.stringify({ error: 'server_error' }));
    });

    instance.post(TOKEN_PATH, async (request, reply) => {
      const answer = await server.token({
        contentType: request.headers['content-type'],
        authorization: request.headers.authorization,
        body: typeof request.body === 'string' ? request.body : '',
      });
      return reply.code(answer.status).headers(answer.headers).send(JSON.stringify(answer.body));
    });

    instance.get(DISCOVERY_PATH, async (_request, reply) =>
      reply.type(JSON_UTF8).header('access-control-allow-origin', '*').send(JSON.stringify(server.discovery())),
    );

    instance.get(JWKS_PATH, async (_request, reply) =>
      reply.type(JSON_UTF8).header('access-control-allow-origin', '*').send(JSON.stringify(server.jwks())),
    );
  };
}
