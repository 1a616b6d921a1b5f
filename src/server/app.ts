/**
 * The HTTP layer: a Fastify app, testable in-process with `app.inject()`; binding it to a port
 * is the CLI's job. Routes: GET and POST /graphql (AppSync's wire format, CORS and error headers:
 * wire/graphql-http.ts; x-api-key auth), the REST facade's routes (GET /drivers/{driverId}/score),
 * GET / (the GraphiQL explorer), GET /health, GET /metrics (Prometheus, API key required). Every
 * API call is recorded (api-calls.ts).
 */

import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { type OfflineAuthorizationServer, oauthRoutes } from '../auth/oauth';
import type { GraphQLAuthMode } from '../contract/auth-modes';
import { restOpenApi } from '../contract/rest/openapi';
import { REST_ROUTES } from '../contract/rest/routes';
import { outcomeOf } from '../observability/api-call';
import type { ApiName } from '../sla/report-model';
import { type ApiCallRecording, describeCall, recordApiCalls } from './api-calls';
import { apiKeyMatcher } from './api-keys';
import { HTTP_ERRORS } from './appsync-errors';
import { authenticate, isRefusal, type Verifiers } from './authorization/authenticate';
import { EXPLORER_ASSETS, type ExplorerIam, sendExplorer } from './explorer';
import type { GraphQLAnswer, GraphQLService } from './graphql-service';
import { fastifyPath, type RestFacadeOptions, registerRestRoutes } from './rest-facade';
import { answerFrameworkError, secureAnswers } from './security-headers';
import { answerPreflight, appSyncAnswerHeaders, GRAPHQL_MEDIA_TYPES, readGraphQLRequest } from './wire/graphql-http';

export interface AppOptions {
  readonly graphql: Pick<GraphQLService, 'handle'>;
  /** Accepted API keys (x-api-key). */
  readonly apiKeys: readonly string[];
  /**
   * What /health reports besides its status; a report with a `problem` is answered 503
   * (`status: "unavailable"`), so a load balancer or DNS failover stops sending traffic here.
   */
  readonly health: () => Promise<HealthReport> | HealthReport;
  /** Error log; Fastify's own request logging stays off (it would log raw URLs). */
  readonly logger?: Logger;
  /** A driverId to put in the explorer's example query. */
  readonly exampleDriverId?: () => string | undefined;
  /** Largest request body accepted, in bytes. */
  readonly bodyLimit?: number;
  /** Time allowed to receive a whole request, in ms (slow senders get 408 and are dropped). */
  readonly requestTimeout?: number;
  /** Time allowed to receive the request headers, in ms. */
  readonly headersTimeout?: number;
  /** The REST facade's routes (src/contract/rest/routes.ts), run offline through their mapping templates. */
  readonly rest?: Omit<RestFacadeOptions, 'isValidApiKey' | 'skip' | 'logger'>;
  /** Access log and metrics; without it calls are not recorded and /metrics is absent. */
  readonly recording?: ApiCallRecording;
  /**
   * The GraphQL API's authorization modes (default first) and their verifiers
   * (authorization/offline-auth.ts). Without it: API keys only, as the offline stage has.
   */
  readonly auth?: { readonly modes: readonly GraphQLAuthMode[]; readonly verifiers: Verifiers };
  /** The offline authorization server, whose token and discovery routes are served when present. */
  readonly oauth?: OfflineAuthorizationServer;
  /** The region and first offline IAM key the explorer signs AWS_IAM requests with (a loopback page only). */
  readonly explorerIam?: ExplorerIam;
}

/** The raw text of each GraphQL request body: SigV4 signs the bytes, not the parsed JSON. */
const rawBodies = new WeakMap<FastifyRequest, string>();

/**
 * The error type a GraphQL answer is logged and counted under: the first service-side error
 * (5xx) if there is one, else the first error. An entry without a type is a validation error when
 * it has no path (graphql-java's), else an execution error.
 */
function answerErrorType(errors: unknown[] | undefined): string | undefined {
  if (!errors?.length) return undefined;
  const types = errors.map((error) => {
    const { errorType, path } = error as { errorType?: unknown; path?: unknown };
    if (typeof errorType === 'string') return errorType;
    return path ? 'ExecutionError' : 'GraphQLValidation';
  });
  return types.find((errorType) => outcomeOf({ status: 200, errorType }) === '5xx') ?? types[0];
}

export type HealthReport = Record<string, unknown> & { readonly problem?: string };

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export function buildApp(options: AppOptions): FastifyInstance {
  const isApiKey = apiKeyMatcher(options.apiKeys);
  const requestTimeout = options.requestTimeout ?? 30_000;
  const headersTimeout = Math.min(options.headersTimeout ?? 10_000, requestTimeout);
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // Node's own timers, checked often enough that the limits hold to within a second.
    serverFactory: (handler) =>
      createServer(
        {
          requestTimeout,
          headersTimeout,
          keepAliveTimeout: 65_000,
          connectionsCheckingInterval: Math.min(1000, headersTimeout),
        },
        handler,
      ),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Request ids as AppSync and API Gateway make them; sent back in x-amzn-RequestId and logged.
    genReqId: () => randomUUID(),
    // Fastify's own answers to unroutable URLs (bad percent-encoding, long parameters) echo the
    // path, which holds a driverId: answered without it (security-headers.ts).
    frameworkErrors: answerFrameworkError,
    // API Gateway takes a long path parameter to the mapping template, which answers 400 "Invalid
    // driverId"; Fastify's default (100 characters) would answer 414 first.
    routerOptions: { maxParamLength: 1024 },
  });

  // A browser's CORS preflight asks permission and calls nothing: registered before the recording
  // hooks, so it is not an API call in the access log and the metrics.
  app.options('/graphql', { onRequest: appSyncAnswerHeaders }, answerPreflight);

  if (options.recording) {
    const routes = new Map<string, { api: ApiName; resource: string }>([
      ['/graphql', { api: 'graphql', resource: '/graphql' }],
    ]);
    if (options.rest) {
      for (const route of REST_ROUTES) routes.set(fastifyPath(route.path), { api: 'rest', resource: route.path });
    }
    recordApiCalls(app, options.recording, routes);
  }
  secureAnswers(app);

  // Every JSON parse failure gets AppSync's answer rather than Fastify's. `application/graphql`
  // carries the same JSON body (wire/graphql-http.ts).
  app.addContentTypeParser(GRAPHQL_MEDIA_TYPES, { parseAs: 'string' }, (request, body, done) => {
    rawBodies.set(request, body as string);
    if ((body as string).trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(null, Symbol.for('unparseable'));
    }
  });

  // Each answer names its error type in x-amzn-ErrorType too, as AppSync's do (wire/graphql-http.ts).
  app.setErrorHandler((error, _request, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    const refusal =
      status === 413
        ? HTTP_ERRORS.tooLarge
        : status === 415
          ? HTTP_ERRORS.unsupportedMediaType
          : status < 500
            ? { ...HTTP_ERRORS.unparseable, status }
            : HTTP_ERRORS.internal;
    if (refusal === HTTP_ERRORS.internal) options.logger?.error({ err: error }, 'request failed');
    reply.code(refusal.status).header('x-amzn-errortype', refusal.body.errors[0].errorType).send(refusal.body);
  });

  const graphqlAuth = options.auth ?? {
    modes: ['API_KEY'] as const,
    verifiers: { apiKey: isApiKey },
  };
  const authenticateCaller = (request: FastifyRequest) =>
    authenticate(
      {
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: rawBodies.get(request) ?? '',
        remoteAddress: request.socket.remoteAddress ?? '',
      },
      graphqlAuth.modes,
      graphqlAuth.verifiers,
    );

  const graphqlRoute = async (request: FastifyRequest, reply: FastifyReply) => {
    const answer = await answerGraphQL(request);
    describeCall(request, {
      // Distinct root fields, sorted: aliases must not mint new resources (or metric label values).
      ...(answer.fields?.length ? { resource: [...new Set(answer.fields)].sort().join(',') } : {}),
      driverIds: answer.driverIds,
      errorType: answerErrorType(answer.body.errors as unknown[] | undefined),
    });
    for (const [name, value] of answer.headers ?? []) reply.header(name, value);
    // AppSync's HTTP-level refusals name their type in a header too: Amplify JS reads the 401's.
    const refusal = answer.status >= 400 ? (answer.body.errors?.[0] as { errorType?: unknown } | undefined) : undefined;
    if (typeof refusal?.errorType === 'string') reply.header('x-amzn-errortype', refusal.errorType);
    return reply.code(answer.status).send(answer.body);
  };
  // No HEAD: AWS documents none, and a HEAD would run the query.
  app.route({
    method: ['GET', 'POST'],
    url: '/graphql',
    exposeHeadRoute: false,
    onRequest: appSyncAnswerHeaders,
    handler: graphqlRoute,
  });

  async function answerGraphQL(request: FastifyRequest): Promise<GraphQLAnswer> {
    const caller = await authenticateCaller(request);
    if (isRefusal(caller)) {
      return { status: caller.status, body: caller.body, headers: Object.entries(caller.headers ?? {}) };
    }
    const read = readGraphQLRequest(request);
    if ('refused' in read) return read.refused;
    return options.graphql.handle(read.request, {
      headers: request.headers,
      identity: caller.identity,
      authMode: caller.mode,
    });
  }

  app.get('/', async (request, reply) =>
    sendExplorer(request, reply, {
      apiKey: options.apiKeys[0] ?? '',
      exampleDriverId: options.exampleDriverId?.(),
      stage: options.recording?.stage ?? options.rest?.stage,
      authModes: graphqlAuth.modes,
      oidcClient: options.oauth?.clients[0],
      iam: options.explorerIam,
    }),
  );

  for (const [url, asset] of Object.entries(EXPLORER_ASSETS)) {
    app.get(url, async (_request, reply) =>
      reply.type(asset.type).header('cache-control', 'public, max-age=86400').send(createReadStream(asset.file)),
    );
  }

  app.get('/health', async (_request, reply) => {
    const report = await options.health();
    if (report.problem !== undefined) return reply.code(503).send({ status: 'unavailable', ...report });
    return { status: 'ok', ...report };
  });

  const metrics = options.recording?.metrics;
  if (metrics) {
    // Protected like the API: the key in x-api-key, or as a bearer token (Prometheus' authorization setting).
    app.get('/metrics', async (request, reply) => {
      const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
      const key = bearer ?? request.headers['x-api-key'];
      if (typeof key !== 'string' || !isApiKey(key)) {
        return reply.code(401).header('www-authenticate', 'Bearer').send({ message: 'Unauthorized' });
      }
      return reply.type(metrics.contentType).send(await metrics.render());
    });
  }

  // The token, discovery and key-set routes answer as Cognito's do, with no API key.
  if (options.oauth) app.register(oauthRoutes(options.oauth));

  if (options.rest) {
    // The REST facade's description, generated from the same routes; public, like API Gateway's docs.
    app.get('/openapi.json', async (request) => restOpenApi({ serverUrl: `${request.protocol}://${request.host}` }));
    registerRestRoutes(app, {
      ...options.rest,
      isValidApiKey: (key) => key !== undefined && isApiKey(key),
      logger: options.logger,
      // The offline /health above says more than the REST route's table check (seeding progress).
      skip: new Set(['/health']),
    });
  }

  return app;
}
