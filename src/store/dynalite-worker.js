// Runs dynalite in a worker thread, so the embedded store's request handling uses the second
// core instead of competing with the GraphQL server's event loop. Plain JavaScript: workers do
// not inherit the tsx loader.
//
// The way in is the worker's message port: DynamoDB HTTP requests posted by our own SDK client
// (worker-transport.ts), handed to dynalite's request handler without a TCP round trip. Only
// code holding this Worker can post, so these requests carry no credential.
//
// A loopback HTTP port, for any DynamoDB client or tool, is opened only when asked for
// (workerData.credentials set), and every request on it must be signed (SigV4) with those
// credentials: request-signature.js checks it before dynalite sees the request.
//
// workerData: { path, credentials?, levelOptions?, mmapSlotsPath? }. Posts { port, tableReads,
// rangeReads } (listening) or { ready, tableReads, rangeReads } or { error } once, then { id, statusCode, headers, body }
// for each { id, method, url, headers, body } it receives, { id, step } or { id, stepError } for each { id, step: { op, ... } } (a
// store step outside the DynamoDB API: a table import's, table-import-worker.js, or a count),
// and { closed } after 'close'.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { occupyMmapSlots } from './leveldb-mmap-slots.js';
import { createRequestVerifier, SIGNATURE_MISMATCH } from './request-signature.js';
import { createTableImports } from './table-import-worker.js';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite');
const storeModule = require('dynalite/db');

// dynalite closes its database only after closing its HTTP server, and a server that never
// listened fails to close (ERR_SERVER_NOT_RUNNING) before the database is reached. So the store
// dynalite creates is kept here, to close its database the way dynalite's close() does.
let store;
const create = storeModule.create;
storeModule.create = (options) => {
  store = create(options);
  return store;
};
// Taken before dynalite opens LevelDB, which may open tables of the store as it recovers.
let mmapSlots;
try {
  mmapSlots = workerData.mmapSlotsPath === undefined ? undefined : await occupyMmapSlots(workerData.mmapSlotsPath);
} catch (error) {
  const message = `holding LevelDB's memory maps in ${workerData.mmapSlotsPath}: ${error.message} (--store-map-tables starts without them)`;
  parentPort.postMessage({ error: message });
  // The same words whichever reaches the starter first, this message or the worker's error.
  throw new Error(message, { cause: error });
}
/** 'cached' (no table of the store is mapped), 'mapped', or 'unverified' (held, but no /proc to check). */
const tableReads = { held: 'cached', 'not-held': 'mapped', unverified: 'unverified' }[mmapSlots?.state] ?? 'mapped';
let server;
try {
  server = dynalite({
    path: workerData.path,
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    levelOptions: workerData.levelOptions,
  });
} finally {
  storeModule.create = create;
}
const handleRequest = server.listeners('request')[0];
/**
 * 'store-thread' when a Query's LevelDB reads run on this thread (classic-level built from the
 * patched source, scripts/build-store-binding.mjs), 'thread-pool' when each goes through libuv's
 * pool and back (the prebuilt binary), which costs more CPU per query.
 */
const rangeReads = store.db.supports.nextvSync === true ? 'store-thread' : 'thread-pool';
const listening = workerData.credentials !== undefined;

/** dynalite's limit, applied before the body is buffered for the signature check. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/** Hands a request whose body has been read to dynalite's handler. */
function toDynalite(method, url, headers, body, response) {
  const refusal = importRefusal(headers, body);
  if (refusal) return answer(response, 400, refusal);
  handToDynalite(method, url, headers, body, response);
}

function handToDynalite(method, url, headers, body, response) {
  // The part of http.IncomingMessage dynalite's handler uses.
  const request = Object.assign(new EventEmitter(), { method, url, headers });
  handleRequest(request, response);
  if (body.length > 0) request.emit('data', body);
  request.emit('end');
}

const imports = createTableImports(store, storeModule, createTableForImport, checkCreateTable);

const validations = require('dynalite/validations');
const createTableValidation = require('dynalite/validations/createTable');

/**
 * dynalite's own checks of a CreateTable request (what its handler runs before the action), so
 * an import whose table could not be created is refused before its rows are written, not after.
 * Throws dynalite's words ("TableName must be at least 3 characters long …").
 */
function checkCreateTable(input) {
  try {
    const data = validations.checkTypes(structuredClone(input), createTableValidation.types);
    validations.checkValidations(data, createTableValidation.types, createTableValidation.custom, store);
  } catch (error) {
    throw new Error(error.body?.message ?? error.body?.Message ?? error.message);
  }
}

/** A CreateTable for a table whose import is unfinished: its staged items must not surface. */
function importRefusal(headers, body) {
  if (!String(headers['x-amz-target'] ?? '').endsWith('.CreateTable')) return undefined;
  let tableName;
  try {
    tableName = JSON.parse(body.toString('utf8')).TableName;
  } catch {
    return undefined; // dynalite answers a malformed body itself
  }
  if (!imports.refusesCreateTable(tableName)) return undefined;
  return {
    __type: 'com.amazonaws.dynamodb.v20120810#ResourceInUseException',
    message: `Table ${tableName} is being imported (scoredrive load --import): run the import again to finish it, or with --restart to start it over`,
  };
}

/** The import's commit: dynalite's own CreateTable (validation included) for the staged table. */
function createTableForImport(input) {
  const body = Buffer.from(JSON.stringify(input));
  const headers = {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': 'DynamoDB_20120810.CreateTable',
    'x-amz-date': new Date().toISOString().replace(/[-:]|\.\d{3}/g, ''),
    // dynalite checks that a request is signed, not the signature (the worker's port is private).
    authorization: 'AWS4-HMAC-SHA256 Credential=import/scoredrive, SignedHeaders=host, Signature=import',
  };
  return new Promise((resolve, reject) => {
    const response = capturedResponse((statusCode, text) =>
      statusCode === 200 ? resolve() : reject(new Error(`CreateTable ${input.TableName}: ${text}`)),
    );
    handToDynalite('POST', '/', headers, body, response);
  });
}

function answer(response, statusCode, payload) {
  const body = JSON.stringify(payload);
  response.statusCode = statusCode;
  response.setHeader('content-type', 'application/x-amz-json-1.0');
  response.setHeader('content-length', Buffer.byteLength(body));
  response.end(body);
}

function refuse(response, { type, message }) {
  const body = JSON.stringify({ __type: `com.amazon.coral.service#${type}`, message });
  response.writeHead(400, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomBytes(39).toString('base64').toUpperCase().replace(/\+|\//g, '0'),
  });
  response.end(body);
}

// Unfinished imports are known before the first request: a CreateTable for one must be refused.
try {
  await imports.open();
} catch (error) {
  parentPort.postMessage({ error: `reading unfinished imports: ${error.message}` });
  throw error;
}

if (listening) {
  const verify = createRequestVerifier(workerData.credentials);
  server.removeAllListeners('request');
  server.on('request', (request, response) => {
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        response.writeHead(413, { connection: 'close' });
        response.end();
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', async () => {
      const body = Buffer.concat(chunks);
      const { method, url, headers } = request;
      let refusal;
      try {
        refusal = await verify({ method, url, headers, body });
      } catch {
        refusal = SIGNATURE_MISMATCH; // a request the signer cannot even process is not signed right
      }
      if (refusal) refuse(response, refusal);
      else toDynalite(method, url, headers, body, response);
    });
  });
  server.on('error', (error) => parentPort.postMessage({ error: error.message }));
  server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port, tableReads, rangeReads }));
} else {
  parentPort.postMessage({ ready: true, tableReads, rangeReads });
}

/** The part of http.ServerResponse dynalite's handler uses, handing the answer to `done`. */
function capturedResponse(done) {
  const headers = {};
  return {
    statusCode: 200,
    headers,
    setHeader(name, value) {
      headers[name.toLowerCase()] = String(value);
    },
    end(body) {
      done(this.statusCode, body === undefined ? '' : String(body), headers);
    },
  };
}

/** A response answering over the message port. */
function messageResponse(id) {
  return capturedResponse((statusCode, body, headers) => parentPort.postMessage({ id, statusCode, headers, body }));
}

/**
 * The items of a table, counted by their keys alone: dynalite's Scan with Select COUNT decodes
 * every item's JSON, which took some 3 minutes of this thread for 16M records (`serve` counts at
 * start-up, while it already answers).
 */
async function countItems({ tableName }) {
  // dynalite's error carries DynamoDB's words in its body ("Requested resource not found: …").
  await new Promise((resolve, reject) =>
    store.getTable(tableName, false, (error) =>
      error ? reject(new Error(error.body?.message ?? error.message)) : resolve(),
    ),
  );
  const prefix = store.getItemDb(tableName).prefix;
  const keys = store.db.keys({ gte: prefix, lt: `${prefix}\uffff` });
  let count = 0;
  try {
    for (let chunk = await keys.nextv(10_000); chunk.length > 0; chunk = await keys.nextv(10_000))
      count += chunk.length;
  } finally {
    await keys.close();
  }
  return { count };
}

/** A store step asked for over the message port: a table import's (table-import-worker.js) or a count. */
function runStoreStep(id, { op, ...args }) {
  const step = { begin: imports.begin, write: imports.write, commit: imports.commit, count: countItems }[op];
  const run = step ? step(args) : Promise.reject(new Error(`unknown store step ${op}`));
  run.then(
    (step) => parentPort.postMessage({ id, step }),
    (error) =>
      parentPort.postMessage({ id, stepError: { name: error.name, code: error.code, message: error.message } }),
  );
}

parentPort.on('message', (message) => {
  if (message === 'close') {
    const closed = () => {
      const done = () => parentPort.postMessage({ closed: true });
      // The holder goes last: its slots, freed earlier, could map tables the store still opens.
      if (mmapSlots) mmapSlots.close().then(done, done);
      else done();
    };
    if (listening) server.close(closed);
    else store.db.close(closed);
    return;
  }
  if (message.step) return runStoreStep(message.id, message.step);
  toDynalite(message.method, message.url, message.headers, Buffer.from(message.body), messageResponse(message.id));
});
