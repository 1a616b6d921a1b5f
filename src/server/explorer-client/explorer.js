// The explorer page's start-up, served as /explorer/explorer.js: an external file rather than an
// inline script, so the page's Content-Security-Policy allows scripts from this server only
// ('self': no 'unsafe-inline', no nonce or hash to keep in step). explorer.ts puts the settings
// in a JSON data block, which no browser executes.
const config = JSON.parse(document.getElementById('explorer-config').textContent);
// GraphiQL's dialogs lock scrolling with a <style> element it stamps with this global's value
// (react-style-singleton); the page's CSP admits styles carrying this response's nonce.
window.__webpack_nonce__ = config.styleNonce;
const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultHeaders: config.headers,
    headers: config.headers,
    defaultQuery: config.query,
    shouldPersistHeaders: false,
    isHeadersEditorEnabled: true,
    // Without a key in the page, the headers editor is where the user must paste it: open it.
    ...(config.keyIncluded ? {} : { defaultEditorToolsVisibility: 'headers' }),
  }),
);
