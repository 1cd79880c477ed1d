// A process that shuts down through exitOnShutdownSignals (libs/runtime), for shutdown-exit.spec.ts. CLOSE says how
// its close behaves: "hang" never finishes (an interval stands in for a socket that keeps the process alive), "ok"
// finishes at once. SHUTDOWN_TIMEOUT_MS is the setting as the app's processes read it.
import { JsonLogger } from '@brandshelf/core';
import { exitOnShutdownSignals } from '@brandshelf/runtime';

const hang = process.env.CLOSE === 'hang';
setInterval(() => undefined, 1000);
exitOnShutdownSignals(
  { shutdownTimeoutMs: Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 0) },
  new JsonLogger('info'),
  () => (hang ? new Promise<void>(() => undefined) : Promise.resolve()),
);
process.stdout.write('ready\n');
