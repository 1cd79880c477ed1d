import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildDist, freePort, spawnApp, stopApp, type AppProcess } from '@brandshelf/testing';

/**
 * The built API started as `npm start` does, on a port another process holds: the first thing a stranger meets
 * when port 3000 is taken. It must stop with a message naming the setting to change, not only the socket error.
 */
describe('the API process on a port already in use', () => {
  let dir: string;
  let holder: Server;
  let port: number;
  let app: AppProcess | undefined;

  beforeAll(async () => {
    buildDist();
    dir = await mkdtemp(join(tmpdir(), 'bs-listen-'));
    port = await freePort();
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    if (app) await stopApp(app);
    await new Promise((resolve) => holder?.close(resolve));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('exits 1 naming PORT, the port and what to do', async () => {
    const env: Record<string, string> = {
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dir,
      IMAGES_ENABLED: 'false',
      LOG_LEVEL: 'error',
    };
    app = spawnApp('api', env);
    expect(await app.exited).toBe(1);
    const lines = app
      .output()
      .split('\n')
      .filter((line) => line.includes('"context":"Main"'));
    expect(lines.join('\n')).toContain(
      `Invalid configuration: PORT ${port} is already in use on 127.0.0.1 by another process (another Brandshelf?): ` +
        'stop it, or set PORT to a free port.',
    );
  }, 180_000);
});
