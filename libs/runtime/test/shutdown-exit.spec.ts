import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import { SHUTDOWN_CLOSE_MARGIN_MS } from '@brandshelf/runtime';

const fixture = new URL('./__fixtures__/shutdown-child.ts', import.meta.url);
const registerTs = new URL('../../../scripts/register-ts.mjs', import.meta.url);

/** Starts the fixture, sends SIGTERM once it is ready, and gives back how it ended and what it logged. */
async function terminate(close: 'hang' | 'ok'): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', registerTs.href, fixture.pathname], {
    env: { ...process.env, CLOSE: close, SHUTDOWN_TIMEOUT_MS: '0', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const ready = new Promise<void>((resolve) =>
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready\n')) resolve();
    }),
  );
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  // A child that never exits (the behaviour under test broken) is killed when the test gives up.
  const stop = setTimeout(() => child.kill('SIGKILL'), 40_000);
  try {
    await Promise.race([ready, exited]);
    child.kill('SIGTERM');
    const [code] = await exited;
    return { code, output };
  } finally {
    clearTimeout(stop);
  }
}

describe('exitOnShutdownSignals', () => {
  it('exits 1 with an error logged when closing has not finished by SHUTDOWN_TIMEOUT_MS and its margin', async () => {
    const ended = await terminate('hang');
    expect(ended.code).toBe(1);
    // The limit it waited for: the floor of SHUTDOWN_TIMEOUT_MS (a second) and the closing margin.
    const line = ended.output.split('\n').find((l) => l.includes('shutdown did not finish in time'));
    expect(JSON.parse(line!)).toMatchObject({ level: 'error', limitMs: 1000 + SHUTDOWN_CLOSE_MARGIN_MS });
  }, 60_000);

  it('exits 0 at once when closing finishes', async () => {
    const ended = await terminate('ok');
    expect(ended.code).toBe(0);
    expect(ended.output).not.toContain('shutdown did not finish in time');
  }, 60_000);
});
