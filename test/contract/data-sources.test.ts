/**
 * The data-source catalogue's own checks, run by the manifest, the server and synth alike: each
 * mistake names the data source, and an HTTP endpoint AppSync could not call is refused before
 * it can work offline.
 */
import { describe, expect, it } from 'vitest';
import { checkDataSources, DATA_SOURCES, type DataSourceCatalogue } from '../../src/contract/data-sources';
import { withHttpEndpoints } from '../../src/server/data-sources';

const http = (endpoint: string): DataSourceCatalogue => ({
  ...DATA_SOURCES,
  partner: { kind: 'HTTP', description: 'a partner service', endpoint },
});

describe('checkDataSources', () => {
  it('accepts ScoreDrive’s catalogue and HTTP endpoints on the default ports', () => {
    for (const catalogue of [
      DATA_SOURCES,
      http('https://partner.example.com'),
      http('https://partner.example.com:443'),
    ]) {
      expect(() => checkDataSources(catalogue)).not.toThrow();
    }
    expect(() => checkDataSources(http('http://partner.example.com:80'))).not.toThrow();
  });

  it.each([
    [
      'no scores, the unit resolvers’ default',
      { none: DATA_SOURCES.none } as DataSourceCatalogue,
      /"scores" .* is missing/,
    ],
    [
      'a name a file name cannot carry',
      { ...DATA_SOURCES, Partner_1: DATA_SOURCES.none } as DataSourceCatalogue,
      /"Partner_1": names are lower case/,
    ],
    ['an endpoint with a path', http('https://partner.example.com/v1'), /"partner": endpoint .* without a path/],
    ['an endpoint that is not http(s)', http('ftp://partner.example.com'), /"partner": endpoint .* must be http\(s\)/],
    [
      'an endpoint on a port AppSync cannot reach (aws/aws-appsync-community#79)',
      http('https://partner.example.com:8443'),
      /"partner": endpoint "https:\/\/partner\.example\.com:8443": AppSync's HTTP data sources reach ports 80 and 443 only/,
    ],
  ])('refuses %s, naming it', (_kind, catalogue, message) => {
    expect(() => checkDataSources(catalogue)).toThrow(message);
  });
});

describe('offline endpoints (--http-endpoint)', () => {
  it('may use any port: they stand for a local twin, not what AppSync calls', () => {
    const catalogue = withHttpEndpoints(http('https://partner.example.com'), { partner: 'http://127.0.0.1:4100' });
    expect(catalogue.partner).toMatchObject({ kind: 'HTTP', endpoint: 'http://127.0.0.1:4100' });
  });

  it('do not excuse a deployed endpoint AppSync cannot reach', () => {
    expect(() =>
      withHttpEndpoints(http('https://partner.example.com:8443'), { partner: 'http://127.0.0.1:4100' }),
    ).toThrow(/ports 80 and 443 only/);
  });
});
