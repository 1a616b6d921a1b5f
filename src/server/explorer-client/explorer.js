// The explorer page's start-up, served as /explorer/explorer.js: an external file rather than an
// inline script, so the page's Content-Security-Policy allows scripts from this server only
// ('self': no 'unsafe-inline', no nonce or hash to keep in step). explorer.ts puts the settings
// in a JSON data block, which no browser executes.
const config = JSON.parse(document.getElementById('explorer-config').textContent);
// GraphiQL's dialogs lock scrolling with a <style> element it stamps with this global's value
// (react-style-singleton); the page's CSP admits styles carrying this response's nonce.
window.__webpack_nonce__ = config.styleNonce;

// "Trace resolvers": while on, each operation is sent with x-scoredrive-trace: 1 and the trace
// the server returns in extensions.scoredriveTrace (src/runtime/resolver-trace.ts) is shown in
// the panel. The switch wraps fetch itself, so it holds for whichever transport GraphiQL picks.
const TRACE_HEADER = 'x-scoredrive-trace';
const TRACE_SETTING = 'scoredrive:trace';
const traceToggle = document.getElementById('trace-toggle');
const tracePanel = document.getElementById('trace-panel');

function savedTraceSetting() {
  try {
    return window.localStorage.getItem(TRACE_SETTING) === '1';
  } catch {
    return false; // Storage refused (a privacy setting): the switch starts off.
  }
}

function saveTraceSetting(on) {
  try {
    window.localStorage.setItem(TRACE_SETTING, on ? '1' : '0');
  } catch {
    // Not kept across reloads, then.
  }
}

/** The panel before any traced answer. */
function awaitTrace() {
  tracePanel.replaceChildren(
    element('h2', '', 'Resolver trace'),
    element('p', '', 'Run an operation to see each resolver’s steps and timings.'),
  );
}

traceToggle.checked = savedTraceSetting();
tracePanel.hidden = !traceToggle.checked;
if (traceToggle.checked) awaitTrace();
traceToggle.addEventListener('change', () => {
  saveTraceSetting(traceToggle.checked);
  tracePanel.hidden = !traceToggle.checked;
  if (traceToggle.checked) awaitTrace();
  else tracePanel.replaceChildren();
});

/** GraphiQL's schema fetch runs no resolver: it is neither traced nor shown. */
function isIntrospection(init) {
  try {
    return JSON.parse(init.body).operationName === 'IntrospectionQuery';
  } catch {
    return false;
  }
}

// The header: the API's name, the stage and its GraphQL auth modes (text only, never parsed as HTML).
const MODE_LABELS = { API_KEY: 'API key', AWS_IAM: 'IAM (SigV4)', OPENID_CONNECT: 'OIDC (client credentials)' };
document.getElementById('explorer-api').textContent = config.apiName;
document.getElementById('explorer-stage').textContent = config.stage;
document.getElementById('explorer-modes').textContent = config.authModes.join(', ');

// "Auth": the stage's modes this page can send (explorer.ts's EXPLORER_AUTH_MODES). API key: the
// Headers editor's x-api-key goes as it is. IAM: each request signed with SigV4 (service appsync,
// the server's region) by aws4fetch, with the offline key the page carries, or one pasted;
// `Authorization: AWS4-HMAC-SHA256 …` and x-amz-date in place of x-api-key. OIDC: a token from the
// offline authorization server (client credentials, client_secret_basic), sent as
// `Authorization: <token>` in place of x-api-key.
const authSelect = document.getElementById('auth-mode');
const authStatus = document.getElementById('auth-status');
const requestIdView = document.getElementById('request-id');
const iamPaste = document.getElementById('iam-paste');
const pastedKeyId = document.getElementById('iam-access-key-id');
const pastedSecret = document.getElementById('iam-secret-access-key');
for (const mode of config.explorerModes) {
  const option = element('option', '', MODE_LABELS[mode]);
  option.value = mode;
  authSelect.append(option);
}
authSelect.disabled = config.explorerModes.length < 2;

/** The OIDC token and when it stops being used (a minute before it expires). */
let token;
let tokenRefresh = 0;

async function oidcToken() {
  if (token && Date.now() < tokenRefresh) return token;
  const { clientId, clientSecret } = config.oidcClient;
  const basic = window.btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`);
  const response = await window.fetch('/oauth2/token', {
    method: 'POST',
    headers: { authorization: `Basic ${basic}` },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  const body = await response.json().catch(() => undefined);
  if (!response.ok || typeof body?.access_token !== 'string') {
    throw new Error(`the token endpoint answered ${response.status}${body?.error ? ` ${body.error}` : ''}`);
  }
  token = body.access_token;
  const lifetime = typeof body.expires_in === 'number' ? body.expires_in : 300;
  tokenRefresh = Date.now() + Math.max(lifetime - 60, lifetime / 2) * 1000;
  authStatus.textContent = `token obtained for ${clientId}, valid ${lifetime} s`;
  return token;
}

/** WebCrypto, which aws4fetch signs with, exists in secure contexts only (https, or a loopback address). */
const canSign = Boolean(window.crypto?.subtle);

/** The key IAM requests are signed with: the page's own, else the one pasted (kept in this page only). */
function iamKey() {
  if (config.iam.key) return config.iam.key;
  const accessKeyId = pastedKeyId.value.trim();
  const secretAccessKey = pastedSecret.value.trim();
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
}

/** Says how the chosen mode authorizes; for OIDC, fetches a token now, showing whether it can be had. */
async function showAuth() {
  iamPaste.hidden = !(authSelect.value === 'AWS_IAM' && !config.iam.key && canSign);
  if (authSelect.value === 'AWS_IAM') {
    const { service, region, key } = config.iam;
    if (!canSign) {
      authStatus.textContent =
        'this browser signs only in a secure context (https, or a loopback address): use an AWS SDK or tool to sign';
    } else if (key) {
      authStatus.textContent = `signs with SigV4 (${service}, ${region}) with the offline key ${key.accessKeyId}`;
    } else {
      authStatus.textContent = `this page was not opened at a loopback address, so it carries no IAM key: paste the [scoredrive] key of the data directory’s iam-credentials file to sign with SigV4 (${service}, ${region})`;
    }
    return;
  }
  if (authSelect.value !== 'OPENID_CONNECT') {
    authStatus.textContent = 'sends x-api-key from the Headers editor';
    return;
  }
  if (!config.oidcClient) {
    authStatus.textContent =
      'this page was not opened at a loopback address, so it carries no client: put a token in Authorization in the Headers editor';
    return;
  }
  authStatus.textContent = 'getting a token…';
  try {
    await oidcToken();
  } catch (error) {
    authStatus.textContent = `no token: ${error.message}`;
  }
}
authSelect.addEventListener('change', showAuth);
showAuth();

/** `headers` without those named (case-insensitively). */
function without(headers, names) {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name.toLowerCase())));
}

/** The headers with the chosen mode's credentials: for OIDC, the token and no x-api-key; for IAM, no x-api-key. */
async function authorizedHeaders(headers = {}) {
  // A signature replaces whatever Authorization or date the editor holds.
  if (authSelect.value === 'AWS_IAM') return without(headers, ['x-api-key', 'authorization', 'x-amz-date']);
  if (authSelect.value !== 'OPENID_CONNECT') return headers;
  // Without a client in the page, an Authorization typed into the editor is what goes.
  const others = without(headers, config.oidcClient ? ['x-api-key', 'authorization'] : ['x-api-key']);
  if (!config.oidcClient) return others;
  return { ...others, authorization: await oidcToken() };
}

/** Signing keys, derived once a day per secret and region (aws4fetch's cache). */
const signingKeys = new Map();

/**
 * The request as sent: for IAM, signed with SigV4 over its method, path, headers (host and
 * x-amz-date among them) and the SHA-256 of its body, the exact text sent, as AppSync checks.
 */
async function send(url, init) {
  if (authSelect.value !== 'AWS_IAM') return window.fetch(url, init);
  if (!canSign) throw new Error('IAM: this browser signs only in a secure context (https, or a loopback address)');
  const key = iamKey();
  if (!key) throw new Error('IAM: paste an access key id and secret to sign with');
  const signer = new aws4fetch.AwsV4Signer({
    method: init.method ?? 'GET',
    // Absolute: the host is signed.
    url: new URL(url, window.location.href).href,
    headers: init.headers,
    body: init.body,
    accessKeyId: key.accessKeyId,
    secretAccessKey: key.secretAccessKey,
    service: config.iam.service,
    region: config.iam.region,
    cache: signingKeys,
  });
  const signed = await signer.sign();
  return window.fetch(signed.url, { ...init, method: signed.method, headers: signed.headers });
}

async function tracingFetch(url, init = {}) {
  const introspection = isIntrospection(init);
  const tracing = traceToggle.checked && !introspection;
  const headers = await authorizedHeaders(init.headers);
  const request = { ...init, headers: tracing ? { ...headers, [TRACE_HEADER]: '1' } : headers };
  const response = await send(url, request);
  if (!introspection) requestIdView.textContent = response.headers.get('x-amzn-RequestId') ?? '(none sent)';
  if (tracing) {
    // A copy, so GraphiQL still reads the body itself.
    response
      .clone()
      .json()
      .then(
        (body) => showTrace(body?.extensions?.scoredriveTrace),
        () => showTrace(undefined),
      );
  }
  return response;
}

/** An element with a class and text (text only: nothing from the answer is parsed as HTML). */
function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const formatMs = (ms) => (typeof ms === 'number' ? `${ms.toFixed(3)} ms` : '');

/** What a step's row says besides its name, data source and duration. */
function stepNotes(step) {
  const notes = [];
  if (step.step === 'function') {
    const parts = [`request ${formatMs(step.requestMs)}`];
    if (step.dataSourceMs !== undefined) parts.push(`data source ${formatMs(step.dataSourceMs)}`);
    if (step.responseMs !== undefined) parts.push(`response ${formatMs(step.responseMs)}`);
    notes.push(parts.join(' · '));
  }
  if (step.earlyReturn) {
    const where = step.earlyReturn === true ? '' : ` in ${step.earlyReturn}`;
    notes.push(`early return${where}${step.skipTo === 'END' ? ' to END' : ''}`);
  }
  if (step.dataSourceSkipped) notes.push('data source skipped');
  if (step.dataSourceErrorType) notes.push(`data source error ${step.dataSourceErrorType}`);
  if ('errorType' in step) notes.push(`error ${step.errorType ?? '(no type)'}`);
  return notes.join('; ');
}

function fieldTable(field) {
  const table = element('table', 'trace-steps');
  const head = table.createTHead().insertRow();
  for (const title of ['step', 'data source', 'time', '']) head.append(element('th', '', title));
  const body = table.createTBody();
  for (const step of field.steps ?? []) {
    const row = body.insertRow();
    row.className = 'errorType' in step ? 'trace-error' : '';
    row.append(
      element('td', '', step.step === 'function' ? `function ${step.name}` : step.step),
      element('td', '', step.dataSource ?? ''),
      element('td', 'trace-ms', formatMs(step.durationMs)),
      element('td', '', stepNotes(step)),
    );
  }
  return table;
}

function showTrace(trace) {
  tracePanel.replaceChildren();
  tracePanel.hidden = false;
  const fields = Array.isArray(trace?.fields) ? trace.fields : undefined;
  const title = element('h2', '', 'Resolver trace');
  tracePanel.append(title);
  if (!fields) {
    tracePanel.append(element('p', '', 'The last answer carried no trace.'));
    return;
  }
  if (fields.length === 0) {
    tracePanel.append(element('p', '', 'No resolver ran for the last operation.'));
    return;
  }
  title.textContent = `Resolver trace: ${fields.length} field${fields.length === 1 ? '' : 's'}`;
  for (const field of fields) {
    const section = element('section', 'trace-field');
    const errors = field.errorTypes?.length
      ? ` · errors: ${field.errorTypes.map((t) => t ?? '(no type)').join(', ')}`
      : '';
    section.append(
      element(
        'h3',
        '',
        `${field.field} at ${(field.path ?? []).join('.')} · ${field.kind} · ${formatMs(field.durationMs)}${errors}`,
      ),
      fieldTable(field),
    );
    tracePanel.append(section);
  }
}

const fetcher = GraphiQL.createFetcher({ url: '/graphql', fetch: tracingFetch });
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
