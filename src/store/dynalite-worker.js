// Runs dynalite in a worker thread, so the embedded store's request handling uses the second
// core instead of competing with the GraphQL server's event loop. Plain JavaScript: workers do
// not inherit the tsx loader. Receives { path } as workerData; posts { port } or { error }.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite');

const server = dynalite({ path: workerData.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.on('error', (error) => parentPort.postMessage({ error: error.message }));
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));

parentPort.on('message', (message) => {
  if (message === 'close') {
    server.close(() => parentPort.postMessage({ closed: true }));
  }
});
