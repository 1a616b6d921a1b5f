/**
 * The embedded DynamoDB-compatible store: dynalite (LevelDB on disk) in a worker thread,
 * listening on a loopback port for any DynamoDB client, and reached by the server over the
 * worker's message port (see worker-transport.ts and dynamodb-api.ts).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { lockDataDir } from './data-dir-lock';
import { WorkerRequestHandler } from './worker-transport';

export interface EmbeddedStore {
  /** http://127.0.0.1:<port>, for any DynamoDB client or tool. */
  readonly endpoint: string;
  /** SDK request handler reaching the store over the worker's message port (no TCP). */
  readonly requestHandler: WorkerRequestHandler;
  close(): Promise<void>;
}

/**
 * Starts dynalite on `<dataDir>/dynamodb`; fails at once if another server holds the directory.
 * `onStopped` hears of a worker that dies on its own (requests then fail fast with 503).
 */
export async function startEmbeddedStore(
  dataDir: string,
  onStopped: (error?: Error) => void = () => {},
): Promise<EmbeddedStore> {
  await mkdir(dataDir, { recursive: true });
  const release = lockDataDir(dataDir);
  try {
    const worker = new Worker(new URL('./dynalite-worker.js', import.meta.url), {
      workerData: { path: path.join(dataDir, 'dynamodb') },
    });
    const port = await new Promise<number>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('exit', (code) =>
        reject(new Error(`the embedded store stopped during start-up (exit code ${code})`)),
      );
      worker.once('message', (message: { port?: number; error?: string }) =>
        message.port ? resolve(message.port) : reject(new Error(`embedded store: ${message.error}`)),
      );
    });
    worker.removeAllListeners('exit');
    const requestHandler = new WorkerRequestHandler(worker);
    let closing = false;
    let failure: Error | undefined;
    worker.on('error', (error) => {
      failure = error;
    });
    worker.on('exit', () => {
      requestHandler.destroy();
      if (!closing) onStopped(failure);
    });
    return {
      endpoint: `http://127.0.0.1:${port}`,
      requestHandler,
      async close() {
        closing = true;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 5000);
          worker.on('message', (message: { closed?: boolean }) => {
            if (message.closed) {
              clearTimeout(timer);
              resolve();
            }
          });
          worker.postMessage('close');
        });
        await worker.terminate();
        // 'exit' may come later than terminate() resolves; nothing must wait on a dead port meanwhile.
        requestHandler.destroy();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
