// Runs dynalite in a worker thread, so the embedded store's request handling uses the second
// core instead of competing with the GraphQL server's event loop. Plain JavaScript: workers do
// not inherit the tsx loader.
//
// Two ways in: a loopback HTTP port (for any DynamoDB client or tool), and DynamoDB HTTP
// requests posted over the worker's message port by our own SDK client (worker-transport.ts),
// which hands them to the same dynalite request handler without a TCP round trip.
//
// workerData: { path }. Posts { port } or { error } once, then { id, statusCode, headers, body }
// for each { id, method, url, headers, body } it receives, and { closed } after 'close'.
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite');

const server = dynalite({ path: workerData.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
const handleRequest = server.listeners('request')[0];

server.on('error', (error) => parentPort.postMessage({ error: error.message }));
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));

/** The part of http.ServerResponse dynalite's handler uses, answering over the message port. */
function messageResponse(id) {
  const headers = {};
  return {
    statusCode: 200,
    setHeader(name, value) {
      headers[name.toLowerCase()] = String(value);
    },
    end(body) {
      parentPort.postMessage({
        id,
        statusCode: this.statusCode,
        headers,
        body: body === undefined ? '' : String(body),
      });
    },
  };
}

parentPort.on('message', (message) => {
  if (message === 'close') {
    server.close(() => parentPort.postMessage({ closed: true }));
    return;
  }
  // The part of http.IncomingMessage dynalite's handler uses.
  const request = Object.assign(new EventEmitter(), {
    method: message.method,
    url: message.url,
    headers: message.headers,
  });
  handleRequest(request, messageResponse(message.id));
  if (message.body.length > 0) request.emit('data', Buffer.from(message.body));
  request.emit('end');
});
