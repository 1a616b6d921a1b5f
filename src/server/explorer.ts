/**
 * The GraphiQL explorer at `/`, served entirely from node_modules (the machine may be offline:
 * no CDN). The page sends the API key with every request, pre-filled in the headers editor.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

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

/** The explorer page; values are JSON-encoded into the script, never concatenated raw. */
export function explorerPage(options: { apiKey: string; exampleDriverId?: string }): string {
  const config = JSON.stringify({
    headers: JSON.stringify({ 'x-api-key': options.apiKey }, null, 2),
    query: DEFAULT_QUERY(options.exampleDriverId),
  }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>ScoreDrive GraphQL explorer</title>
  <link rel="stylesheet" href="/explorer/graphiql.css">
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading the explorer…</div>
  <script src="/explorer/react.js"></script>
  <script src="/explorer/react-dom.js"></script>
  <script src="/explorer/graphiql.js"></script>
  <script>
    const config = ${config};
    const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultHeaders: config.headers,
        headers: config.headers,
        defaultQuery: config.query,
        shouldPersistHeaders: false,
        isHeadersEditorEnabled: true,
      }),
    );
  </script>
</body>
</html>`;
}
