/**
 * What `scoredrive serve` prints once it is ready: where it listens, the key, the table, and
 * commands to try. Built from the addresses the server is bound to, not the --host asked for
 * (Fastify's listen() answers `http://127.0.0.1:…` even for 0.0.0.0), so a bind beyond loopback
 * lists the addresses other machines reach and says, loudly, what that exposes.
 */
import type { AddressInfo } from 'node:net';
import type { NetworkInterfaceInfo } from 'node:os';
import { isLoopbackAddress } from '../server/loopback';

export interface BannerInput {
  /** What the server is bound to (`app.addresses()`). */
  readonly addresses: readonly AddressInfo[];
  /** This machine's interfaces (`os.networkInterfaces()`), for a wildcard bind. */
  readonly interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>;
  readonly readySeconds: number;
  readonly apiKey: string;
  readonly accessLogDir?: string;
  readonly table: string;
  readonly store: string;
  readonly records: string;
  /** A demo driverId for the examples, when there is one. */
  readonly driverId?: string;
  /** The GraphQL API's modes (default first) and what stands behind IAM and OIDC offline. */
  readonly auth?: BannerAuth;
}

export interface BannerAuth {
  readonly modes: readonly string[];
  readonly stage: string;
  /** The offline authorization server's clients (no secrets: they stay in `file`). */
  readonly oauth?: {
    readonly file: string;
    readonly clients: readonly { name: string; clientId: string; scopes: readonly string[] }[];
  };
  /** The offline IAM key's id and where its secret is (or that it came from the environment). */
  readonly iam?: { readonly accessKeyId: string; readonly where: string };
}

/** The auth lines: modes, OAuth clients and the IAM key, never a secret. */
function authLines(auth: BannerAuth, local: string): string[] {
  return [
    `  Auth      GraphQL ${auth.modes.join(', ')} (stage ${auth.stage})`,
    ...(auth.oauth
      ? [
          `  OAuth     ${local}/oauth2/token (client credentials); secrets in ${auth.oauth.file}`,
          ...auth.oauth.clients.map((c) => `            ${c.name}: ${c.clientId}  scopes ${c.scopes.join(' ')}`),
        ]
      : []),
    ...(auth.iam ? [`  IAM key   ${auth.iam.accessKeyId} (${auth.iam.where}; sign for service appsync)`] : []),
  ];
}

const url = (address: string, family: string, port: number) =>
  `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`;

const WILDCARDS = new Set(['0.0.0.0', '::']);

/**
 * The URLs that reach the server. `local`, for the examples: `localhost` when the bind covers
 * 127.0.0.1 (as before), else the bound address itself (`[::1]`, or the one LAN address asked
 * for). `network`, for a bind beyond loopback: the bound address, or for a wildcard (0.0.0.0,
 * ::) every interface's address of the families it takes (a `::` socket takes IPv4 too on
 * Linux); link-local IPv6 addresses need a zone id and are left out.
 */
export function reachableUrls(input: Pick<BannerInput, 'addresses' | 'interfaces'>): {
  loopbackOnly: boolean;
  local: string;
  network: string[];
} {
  const [first] = input.addresses;
  const port = first?.port ?? 0;
  const loopbackOnly = input.addresses.every((a) => isLoopbackAddress(a.address));
  const localhost = input.addresses.some((a) => a.address === '127.0.0.1' || WILDCARDS.has(a.address));
  const local = localhost || !first ? `http://localhost:${port}` : url(first.address, first.family, port);
  const network = new Set<string>();
  for (const bound of input.addresses) {
    if (WILDCARDS.has(bound.address)) {
      const families = bound.address === '::' ? ['IPv4', 'IPv6'] : ['IPv4'];
      for (const info of Object.values(input.interfaces).flat()) {
        if (!info || info.internal || !families.includes(info.family)) continue;
        if (info.family === 'IPv6' && /^fe80:/i.test(info.address)) continue;
        network.add(url(info.address, info.family, bound.port));
      }
    } else if (!isLoopbackAddress(bound.address)) {
      network.add(url(bound.address, bound.family, bound.port));
    }
  }
  return { loopbackOnly, local, network: [...network] };
}

/** The warning for a bind beyond loopback; undefined for loopback. */
export function exposureWarning(input: Pick<BannerInput, 'addresses' | 'interfaces'>): string | undefined {
  const { loopbackOnly, network } = reachableUrls(input);
  if (loopbackOnly) return undefined;
  const bound = input.addresses.map((a) => url(a.address, a.family, a.port)).join(', ');
  return [
    `WARNING: listening on ${bound}, not only on this machine.`,
    '  The GraphQL and REST API, the explorer and /metrics are reachable from the network',
    `  ${network.length ? `(${network.join(', ')}) ` : ''}by anyone who has the API key, over plain HTTP: the key travels unencrypted.`,
    '  Explorer pages opened at a non-loopback address leave the key out.',
    '  Use --host 127.0.0.1 unless other machines must reach this one.',
  ].join('\n');
}

export function serveBanner(input: BannerInput): string {
  const { loopbackOnly, local, network } = reachableUrls(input);
  const driverId = input.driverId ?? 'SOME_DRIVER_ID';
  const query = JSON.stringify({ query: `{ score(driverId: "${driverId}") { driverId period score band } }` });
  const warning = exposureWarning(input);
  const apiKeyMode = !input.auth || input.auth.modes.includes('API_KEY');
  return [
    '',
    `ScoreDrive offline API ready in ${input.readySeconds.toFixed(1)} s`,
    ...(loopbackOnly ? [] : [`  Listening ${[...new Set([local, ...network])].join(', ')}`]),
    `  GraphQL   ${local}/graphql`,
    `  REST      ${local}/drivers/{driverId}/score[?period=YYYY-MM]  (OpenAPI: ${local}/openapi.json)`,
    `  Explorer  ${local}/`,
    `  Metrics   ${local}/metrics  (Prometheus; same API key)`,
    `  Log       ${input.accessLogDir ? `${input.accessLogDir}/access.log (scoredrive report turns it into the SLA report)` : 'off'}`,
    ...(apiKeyMode ? [`  API key   ${input.apiKey}`] : []),
    ...(input.auth ? authLines(input.auth, local) : []),
    `  Table     ${input.table} (${input.store}), ${input.records}`,
    '',
    'Try it:',
    apiKeyMode
      ? `  curl -s ${local}/graphql -H 'content-type: application/json' -H 'x-api-key: ${input.apiKey}' \\`
      : `  curl -s ${local}/graphql -H 'content-type: application/json' -H "authorization: $(scoredrive token --client ${input.auth?.oauth?.clients[0]?.name ?? 'systems'}${local === 'http://localhost:4000' ? '' : ` --issuer ${local}`})" \\`,
    `    -d '${query}'`,
    `  curl -s ${local}/drivers/${driverId}/score -H 'x-api-key: ${input.apiKey}'`,
    '',
    ...(warning ? [warning, ''] : []),
  ].join('\n');
}
