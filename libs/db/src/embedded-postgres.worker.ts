/**
 * The embedded database thread (see startEmbeddedPostgres): PGlite and its socket server, started here so
 * the SQL they execute never runs on the event loop that answers HTTP. Data directory, lock, socket path
 * and permissions are exactly those of the in-thread server: it is the same code.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startEmbeddedPostgres, type DatabaseThreadMessage } from './embedded-postgres.js';

const port = parentPort!;
const post = (message: DatabaseThreadMessage) => port.postMessage(message);

try {
  const db = await startEmbeddedPostgres((workerData as { dataDir: string | null }).dataDir, { thread: false });
  port.on('message', (message: { type: string }) => {
    if (message.type !== 'stop') return;
    db.stop().then(
      () => post({ type: 'stopped' }),
      (error: unknown) => post({ type: 'stopped', error: String((error as Error)?.message ?? error) }),
    );
  });
  post({ type: 'started', url: db.url, socketDir: db.socketDir });
} catch (error) {
  post({ type: 'failed', message: String((error as Error)?.message ?? error) });
}
