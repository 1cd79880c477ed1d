import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { MAX_ANSWER_BYTES, ServerClient } from './client.js';
import { ProgressBar } from './progress-bar.js';

describe('ServerClient.upload against a server whose answer never ends', () => {
  let server: Server;
  let base: URL;
  let closed = false;

  beforeAll(async () => {
    // Reads the upload, then answers 502 with a body it never ends (a misbehaving proxy in front of the server).
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(502, { 'content-type': 'text/html' });
        const chunk = '<p>' + 'x'.repeat(16 * 1024) + '</p>';
        const pump = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
        res.on('close', () => (closed = true));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads at most MAX_ANSWER_BYTES of it, hangs up and reports the status', async () => {
    const client = new ServerClient(base, 'bsk_test');
    const progress = new ProgressBar(process.stderr, 60_000);
    const upload = client.upload('feed', Readable.from([Buffer.from('id,title\n1,a\n')]), {
      size: null,
      name: null,
      validateOnly: false,
      progress,
    });
    await expect(upload).rejects.toThrow('The server refused the upload (HTTP 502)');
    for (let i = 0; i < 100 && !closed; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(true);
    expect(MAX_ANSWER_BYTES).toBe(64 * 1024);
  });
});
