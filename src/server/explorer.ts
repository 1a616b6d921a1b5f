/**
 * The GraphiQL explorer at `/`, served entirely from node_modules and explorer-client/ (the
 * machine may be offline: no CDN). Opened at a loopback address, the page carries the API key,
 * pre-filled in the headers editor; opened under any other Host it does not (see sendExplorer).
 * A "Trace resolvers" switch sends `x-scoredrive-trace: 1` and shows each field's steps and
 * timings from the answer's extensions in a panel under the editors (explorer-client/explorer.js).
 * The header names the API (as CDK names it on the stage), the stage and its GraphQL auth
 * modes; an "Auth" chooser picks the API key,
 * or on stages with AWS_IAM (test, prod) IAM: each request signed in the browser with SigV4
 * (service `appsync`, the server's region, the body's hash included) by aws4fetch, served from
 * node_modules, with the first offline IAM key; or on stages with OIDC a token from the offline
 * authorization server (client credentials: the first machine client's id and secret). The
 * IAM key and the client's secret are carried like the API key, at a loopback address only
 * (one rule, in sendExplorer). Embedding the IAM key there is as safe as embedding the API key:
 * it is an offline key, generated on first start into the data directory (src/auth/iam), which
 * only this server checks and no AWS account knows (SCOREDRIVE_IAM_CREDENTIALS may name others:
 * they are meant to be offline ones too); a loopback Host cannot be forged by another site's
 * page, and under any other Host the page carries no secret (the user may paste a key, kept in
 * the page only). The last answer's `x-amzn-RequestId` is shown beside the chooser.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APPSYNC_SIGNING_SERVICE } from '../auth/iam';
import type { GraphQLAuthMode } from '../contract/auth-modes';
import { graphqlApiName } from '../contract/resource-names';
import { isLoopbackHost } from './loopback';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

const CLIENT_DIR = fileURLToPath(new URL('./explorer-client/', import.meta.url));

/** URL path → file on disk, for the explorer's assets. */
export const EXPLORER_ASSETS: Record<string, { file: string; type: string }> = {
  '/explorer/react.js': {
    file: path.join(packageDir('react'), 'umd/react.production.min.js'),
    type: 'text/javascript',
  },
  '/explorer/react-dom.js': {
    file: path.join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
    type: 'text/javascript',
  },
  '/explorer/graphiql.js': { file: path.join(packageDir('graphiql'), 'graphiql.min.js'), type: 'text/javascript' },
  '/explorer/graphiql.css': { file: path.join(packageDir('graphiql'), 'graphiql.min.css'), type: 'text/css' },
  // The browser (UMD) build: a classic script defining `aws4fetch`, the SigV4 signer of the IAM mode.
  '/explorer/aws4fetch.js': {
    file: path.join(path.dirname(require.resolve('aws4fetch')), 'aws4fetch.umd.js'),
    type: 'text/javascript',
  },
  '/explorer/explorer.js': { file: path.join(CLIENT_DIR, 'explorer.js'), type: 'text/javascript' },
  '/explorer/explorer.css': { file: path.join(CLIENT_DIR, 'explorer.css'), type: 'text/css' },
};

const DEFAULT_QUERY = (driverId: string | undefined) => `# ScoreDrive offline API: the same resolvers AppSync runs.
query LatestScore {
  score(driverId: "${driverId ?? 'RSSMRA85T10A562S'}") {
    driverId
    period
    score
    band
    factors { acceleration braking cornering speeding nightDriving }
    kmDriven
    trips
    updatedAt
  }
}
`;

/**
 * The explorer's Content-Security-Policy. Scripts and style sheets come from this server only;
 * GraphiQL 3.9 needs, besides: its fonts and icons as data: URLs (graphiql.min.css), fetches to
 * /graphql, and one <style> element its dialogs insert (admitted by `nonce`). No frame may
 * embed the page (clickjacking), no <base> or form may point it elsewhere.
 */
export function explorerCsp(nonce: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A machine client of the offline authorization server, as the page gets its token with. */
export interface ExplorerOidcClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** An offline IAM access key, as the page signs its requests with. */
export interface ExplorerIamKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** What the page signs AWS_IAM requests for, and with. */
export interface ExplorerIam {
  /** The region SigV4 requests must be signed for: the server's (authorization/offline-auth.ts). */
  readonly region: string;
  /** The key to sign with; left out of the page when undefined (the user may paste one). */
  readonly key?: ExplorerIamKey;
}

/**
 * The modes the page can send requests in: all of ScoreDrive's. AWS_IAM is offered when the
 * page knows the region to sign for (ExplorerOptions.iam).
 */
export const EXPLORER_AUTH_MODES: readonly GraphQLAuthMode[] = ['API_KEY', 'AWS_IAM', 'OPENID_CONNECT'];

export interface ExplorerOptions {
  /** The key to pre-fill; left out of the page when undefined. */
  readonly apiKey: string | undefined;
  /** The stage's name, shown in the page's header. @default 'offline' */
  readonly stage?: string;
  /** The GraphQL API's auth modes, the default first. @default ['API_KEY'] */
  readonly authModes?: readonly GraphQLAuthMode[];
  /** The client the page trades for an OIDC token; left out of the page when undefined. */
  readonly oidcClient?: ExplorerOidcClient;
  /** The region and key the page signs IAM requests with; without it, IAM is not offered. */
  readonly iam?: ExplorerIam;
  readonly exampleDriverId?: string;
  /** This response's CSP nonce for styles (explorerCsp). */
  readonly styleNonce: string;
}

/** The explorer page; values are JSON-encoded into a data block, never concatenated raw. */
export function explorerPage(options: ExplorerOptions): string {
  const authModes = options.authModes ?? ['API_KEY'];
  const usesApiKey = authModes.includes('API_KEY');
  const keyIncluded = !usesApiKey || options.apiKey !== undefined;
  const oidcClient = authModes.includes('OPENID_CONNECT') ? options.oidcClient : undefined;
  const iam = authModes.includes('AWS_IAM') ? options.iam : undefined;
  const offered = (mode: GraphQLAuthMode) =>
    EXPLORER_AUTH_MODES.includes(mode) && (mode !== 'AWS_IAM' || iam !== undefined);
  const config = JSON.stringify({
    headers: JSON.stringify(usesApiKey ? { 'x-api-key': options.apiKey ?? '' } : {}, null, 2),
    query: DEFAULT_QUERY(options.exampleDriverId),
    keyIncluded,
    stage: options.stage ?? 'offline',
    apiName: graphqlApiName(options.stage ?? 'offline'),
    authModes,
    // The modes the chooser offers, in the stage's order (its default first).
    explorerModes: authModes.filter(offered),
    oidcClient: oidcClient ? { clientId: oidcClient.clientId, clientSecret: oidcClient.clientSecret } : null,
    iam: iam
      ? {
          service: APPSYNC_SIGNING_SERVICE, // the page signs as AppSync's callers do (src/auth/iam)
          region: iam.region,
          key: iam.key ? { accessKeyId: iam.key.accessKeyId, secretAccessKey: iam.key.secretAccessKey } : null,
        }
      : null,
    styleNonce: options.styleNonce,
    // `<` escaped: no `</script>` or `<!--` can end the data block early.
  }).replace(/</g, '\\u003c');
  const note = keyIncluded
    ? ''
    : `
  <p id="explorer-note" role="note">This page was not opened at a loopback address (localhost, 127.0.0.1 or [::1]
  with the server’s port), so it does not carry the API key. Paste the key into <code>x-api-key</code> in the
  Headers editor below: <code>scoredrive serve</code> prints it, and it is in the data directory’s
  <code>api-key</code> file.</p>`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>ScoreDrive GraphQL explorer</title>
  <link rel="stylesheet" href="/explorer/graphiql.css">
  <link rel="stylesheet" href="/explorer/explorer.css">
</head>
<body>${note}
  <header id="explorer-header">
    <h1>ScoreDrive GraphQL explorer</h1>
    <span>API <code id="explorer-api"></code></span>
    <span>stage <code id="explorer-stage"></code></span>
    <span>auth modes <code id="explorer-modes"></code></span>
  </header>
  <div id="explorer-bar">
    <label>Auth <select id="auth-mode"></select></label>
    <span id="auth-status" aria-live="polite"></span>
    <span id="iam-paste" hidden>
      <label>access key id <input id="iam-access-key-id" autocomplete="off" spellcheck="false"></label>
      <label>secret <input id="iam-secret-access-key" type="password" autocomplete="off"></label>
    </span>
    <label><input type="checkbox" id="trace-toggle"> Trace resolvers</label>
    <span>sends <code>x-scoredrive-trace: 1</code>: each field’s steps and timings show below and in the
    result’s <code>extensions</code></span>
    <span id="request-id-line">last request id <code id="request-id">none yet</code></span>
  </div>
  <div id="graphiql">Loading the explorer…</div>
  <section id="trace-panel" aria-label="Resolver trace" aria-live="polite" hidden></section>
  <script id="explorer-config" type="application/json">${config}</script>
  <script src="/explorer/react.js"></script>
  <script src="/explorer/react-dom.js"></script>
  <script src="/explorer/graphiql.js"></script>${iam ? '\n  <script src="/explorer/aws4fetch.js"></script>' : ''}
  <script src="/explorer/explorer.js"></script>
</body>
</html>`;
}

/**
 * GET /. The key goes into the page only when the request's Host is a loopback name with the
 * server's port. Any web site the developer visits can make the browser fetch this server under
 * the site's own hostname (DNS rebinding: its DNS answers 127.0.0.1) and read the answer as
 * same-origin; a key in that page would be the site's. Such a request names the site as Host,
 * while a loopback Host cannot be forged by a page, its origin being the server's own.
 *
 * Under any other Host the page is served without the key, with a note saying where to find
 * it, rather than refused (421 or 403): a developer who bound `--host 0.0.0.0` on purpose, or
 * reaches the server through a Docker port mapping, a tunnel or a LAN name, still gets a
 * working explorer and pastes the key once, while a rebinding site gets a page with nothing in
 * it that the graphiql package does not already publish. `no-store`, so no cache hands a
 * keyed page to another Host.
 */
export function sendExplorer(
  request: FastifyRequest,
  reply: FastifyReply,
  options: {
    apiKey: string;
    exampleDriverId?: string;
    stage?: string;
    authModes?: readonly GraphQLAuthMode[];
    /** The offline authorization server's first machine client, on stages with OIDC. */
    oidcClient?: ExplorerOidcClient;
    /** The region to sign for and the first offline IAM key, on stages with AWS_IAM. */
    iam?: ExplorerIam;
  },
): FastifyReply {
  const loopback = isLoopbackHost(request.headers.host, request.socket.localPort);
  const styleNonce = randomBytes(16).toString('base64');
  return reply
    .type('text/html; charset=utf-8')
    .header('content-security-policy', explorerCsp(styleNonce))
    .header('cache-control', 'no-store')
    .send(
      explorerPage({
        apiKey: loopback ? options.apiKey : undefined,
        // The client's secret gets a token as good as the key: the same rule holds for it.
        oidcClient: loopback ? options.oidcClient : undefined,
        // So does an IAM key, whose signatures are as good as the key; the region is no secret.
        iam: options.iam && { region: options.iam.region, key: loopback ? options.iam.key : undefined },
        stage: options.stage,
        authModes: options.authModes,
        exampleDriverId: options.exampleDriverId,
        styleNonce,
      }),
    );
}
