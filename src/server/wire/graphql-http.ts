/**
 * AppSync's GraphQL endpoint over HTTP, as clients meet it:
 *
 * - **Methods.** POST with the request in the body, and GET with `query`, `variables` (JSON) and
 *   `operationName` as query parameters: "AppSync supports HTTP POST and GET for queries and
 *   mutations … Query variables are sent in the HTTP POST Body, encoded as JSON or as query
 *   parameters in HTTP GET" (the AppSync team, graphql/graphql-over-http#81). A GET runs what the
 *   same POST would, mutations included, as that says (the schema has no Mutation type today).
 *   A GET without `query`, with a parameter given twice, or with `variables` that are not a JSON
 *   object is answered as the body `{}` or a body that is not JSON: 400 "Unable to parse GraphQL
 *   query." (#81). AWS documents no other answer for these; the same refusal is the safe one.
 * - **Media types.** `application/json`, and `application/graphql` with the same JSON body, as
 *   the developer guide's own example sends (`curl -XPOST -H "Content-Type:application/graphql"
 *   … -d '{ "query": "query { movies { id } }" }'`, security-authz «API_KEY authorization»).
 *   AWS documents nothing about other media types, so they stay refused offline (415): a client
 *   relying on one might work on AWS, but nothing that works offline fails there.
 * - **CORS.** Any origin may call it, and read the error headers: AppSync answers every call with
 *   `access-control-allow-origin: *` and `access-control-expose-headers: x-amzn-RequestId,
 *   x-amzn-ErrorType, x-amz-user-agent, x-amzn-ErrorMessage, Date, x-amz-schema-version`, 401s
 *   included (recorded answers: aws-amplify/amplify-js#5518, a 401; amplify-js#3089), and a
 *   preflight with 200, an empty body, those two headers, `access-control-max-age: 172800` and a
 *   request id (recorded with `curl -X OPTIONS -H "Origin: …" -H "Access-Control-Request-Method:
 *   POST"`: DevelopersIO, "[CDK] AppSyncにCORSレスポンスヘッダーを設定する方法を考える", 2022-05-09).
 *   Nothing recorded shows which request headers a preflight admits. The answer names the list
 *   AppSync's own endpoints answer with (`Content-Type,X-Amz-Date,Authorization,X-Api-Key,
 *   X-Amz-Security-Token,X-Amz-Content-Sha256,X-Amz-User-Agent`, recorded from AppSync's control
 *   plane in aws/aws-appsync-community#103): every header AWS's clients send (Amplify JS: API
 *   key, SigV4, OIDC tokens, its user agent) passes; a page adding any other header is refused
 *   offline, the safe side if AppSync refuses it too. No `access-control-allow-methods` is sent,
 *   as in the recording: GET and POST need none.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HTTP_ERRORS } from '../appsync-errors';
import type { GraphQLAnswer, GraphQLRequestBody } from '../graphql-service';

/** The media types whose body is read as AppSync's JSON request. */
export const GRAPHQL_MEDIA_TYPES = ['application/json', 'application/graphql'];

/** Headers on every answer of the GraphQL endpoint, errors included. */
export const APPSYNC_CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers':
    'x-amzn-RequestId,x-amzn-ErrorType,x-amz-user-agent,x-amzn-ErrorMessage,Date,x-amz-schema-version',
};

/** How long a browser may keep a preflight's answer, in seconds. */
export const APPSYNC_PREFLIGHT_MAX_AGE = '172800';

/** The request headers a preflight admits. */
export const APPSYNC_ALLOWED_HEADERS =
  'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-Content-Sha256,X-Amz-User-Agent';

/** For the GraphQL routes' onRequest: what every answer carries, set on arrival so error answers carry it too. */
export function appSyncAnswerHeaders(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  reply.headers(APPSYNC_CORS_HEADERS).header('x-amzn-requestid', request.id);
  done();
}

/** The answer to a CORS preflight (OPTIONS /graphql); no key is needed, as on AWS. */
export function answerPreflight(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.header('access-control-max-age', APPSYNC_PREFLIGHT_MAX_AGE);
  // Only a preflight that asks for headers is told which ones pass (the recording asked for none).
  if (request.headers['access-control-request-headers'] !== undefined) {
    reply.header('access-control-allow-headers', APPSYNC_ALLOWED_HEADERS);
  }
  return reply.code(200).send();
}

/** What a GET or POST asks: the GraphQL request, or AppSync's answer refusing to read it. */
export type ReadRequest = { readonly request: GraphQLRequestBody } | { readonly refused: GraphQLAnswer };

/** The GraphQL request of a GET's query string. */
function fromQueryString(query: unknown): ReadRequest {
  const { query: text, variables, operationName } = (query ?? {}) as Record<string, unknown>;
  if (typeof text !== 'string' || Array.isArray(variables) || Array.isArray(operationName)) {
    return { refused: HTTP_ERRORS.unparseable };
  }
  let parsed: unknown;
  if (typeof variables === 'string' && variables !== '') {
    try {
      parsed = JSON.parse(variables);
    } catch {
      return { refused: HTTP_ERRORS.unparseable };
    }
    if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
      return { refused: HTTP_ERRORS.unparseable };
    }
  }
  return { request: { query: text, variables: parsed, operationName } };
}

/** The GraphQL request a GET's query string or a POST's body carries. */
export function readGraphQLRequest(request: FastifyRequest): ReadRequest {
  if (request.method === 'GET') return fromQueryString(request.query);
  // A body that is not JSON was parsed to a symbol (app.ts's parser); a string is Fastify's own
  // text/plain parse, a media type AppSync is not known to read.
  const body = request.body as GraphQLRequestBody | symbol | string | undefined;
  if (typeof body === 'string') return { refused: HTTP_ERRORS.unsupportedMediaType };
  if (body === undefined) return { refused: HTTP_ERRORS.emptyBody };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { refused: HTTP_ERRORS.unparseable };
  return { request: body };
}
