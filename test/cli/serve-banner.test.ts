/**
 * The `scoredrive serve` banner: a loopback bind prints today's banner; a bind beyond loopback
 * lists the addresses other machines reach and warns that the API, the explorer and the metrics
 * are open to the network.
 */
import type { AddressInfo } from 'node:net';
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { exposureWarning, reachableUrls, serveBanner } from '../../src/cli/serve-banner';

const iface = (address: string, family: 'IPv4' | 'IPv6', internal = false) =>
  ({ address, family, internal, netmask: '', mac: '', cidr: null }) as unknown as NetworkInterfaceInfo;

/** This machine's interfaces, as os.networkInterfaces() reports them. */
const INTERFACES = {
  lo: [iface('127.0.0.1', 'IPv4', true), iface('::1', 'IPv6', true)],
  eth0: [iface('192.0.2.2', 'IPv4'), iface('fd00::2', 'IPv6'), iface('fe80::fc:ff:fe00:1', 'IPv6')],
};

const bound = (address: string, family: 'IPv4' | 'IPv6' = 'IPv4'): AddressInfo[] => [{ address, family, port: 4000 }];

const banner = (addresses: AddressInfo[]) =>
  serveBanner({
    addresses,
    interfaces: INTERFACES,
    readySeconds: 1.23,
    apiKey: 'da2-bannertestkeybannertestkey',
    accessLogDir: '/data/logs',
    table: 'scoredrive-dev-scores',
    store: 'embedded store',
    records: '60000 records',
    driverId: 'DEMO0001',
  });

describe('the serve banner', () => {
  it('is today’s banner for a loopback bind, with no warning', () => {
    expect(banner(bound('127.0.0.1'))).toBe(
      [
        '',
        'ScoreDrive offline API ready in 1.2 s',
        '  GraphQL   http://localhost:4000/graphql',
        '  REST      http://localhost:4000/drivers/{driverId}/score[?period=YYYY-MM]  (OpenAPI: http://localhost:4000/openapi.json)',
        '  Explorer  http://localhost:4000/',
        '  Metrics   http://localhost:4000/metrics  (Prometheus; same API key)',
        '  Log       /data/logs/access.log (scoredrive report turns it into the SLA report)',
        '  API key   da2-bannertestkeybannertestkey',
        '  Table     scoredrive-dev-scores (embedded store), 60000 records',
        '',
        'Try it:',
        "  curl -s http://localhost:4000/graphql -H 'content-type: application/json' -H 'x-api-key: da2-bannertestkeybannertestkey' \\",
        `    -d '{"query":"{ score(driverId: \\"DEMO0001\\") { driverId period score band } }"}'`,
        "  curl -s http://localhost:4000/drivers/DEMO0001/score -H 'x-api-key: da2-bannertestkeybannertestkey'",
        '',
      ].join('\n'),
    );
    expect(exposureWarning({ addresses: bound('127.0.0.1'), interfaces: INTERFACES })).toBeUndefined();
    // Only ::1: the URL names it, since localhost may resolve to 127.0.0.1 first.
    expect(banner(bound('::1', 'IPv6'))).toContain('GraphQL   http://[::1]:4000/graphql');
    expect(banner(bound('::1', 'IPv6'))).not.toContain('WARNING');
  });

  it('for 0.0.0.0, lists the interfaces’ addresses and warns that API, explorer and metrics are on the network', () => {
    const text = banner(bound('0.0.0.0'));
    expect(text).toContain('  Listening http://localhost:4000, http://192.0.2.2:4000\n');
    expect(text).toContain(
      [
        'WARNING: listening on http://0.0.0.0:4000, not only on this machine.',
        '  The GraphQL and REST API, the explorer and /metrics are reachable from the network',
        '  (http://192.0.2.2:4000) by anyone who has the API key, over plain HTTP: the key travels unencrypted.',
      ].join('\n'),
    );
    // The examples still work from this machine.
    expect(text).toContain('curl -s http://localhost:4000/graphql');
  });

  it('for ::, takes IPv4 and IPv6 addresses, but not link-local ones', () => {
    expect(reachableUrls({ addresses: bound('::', 'IPv6'), interfaces: INTERFACES })).toEqual({
      loopbackOnly: false,
      local: 'http://localhost:4000',
      network: ['http://192.0.2.2:4000', 'http://[fd00::2]:4000'],
    });
  });

  it('for one LAN address, names it everywhere (localhost does not reach it) and warns', () => {
    const text = banner(bound('192.0.2.2'));
    expect(text).toContain('  GraphQL   http://192.0.2.2:4000/graphql');
    expect(text).not.toContain('localhost');
    expect(text).toContain('WARNING: listening on http://192.0.2.2:4000');
  });
});
