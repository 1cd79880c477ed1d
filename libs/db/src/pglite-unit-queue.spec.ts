import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';
import { MessageStream, UNTYPED } from './pglite-unit-queue.js';

const G = 'G'.charCodeAt(0);
const code = (c: string) => c.charCodeAt(0);

/** The message types a stream yields when it arrives in the given chunks. */
function typesOf(chunks: Uint8Array[], untyped: boolean): number[] {
  const stream = new MessageStream(untyped);
  const types: number[] = [];
  for (const chunk of chunks) stream.push(chunk, (type) => types.push(type));
  return types;
}

/** The offsets at which splitting the stream in two changes the messages read from it. */
function splitsThatDiffer(bytes: Uint8Array, untyped: boolean, whole: number[]): number[] {
  const expected = whole.join();
  const differ: number[] = [];
  for (let at = 0; at <= bytes.length; at++) {
    if (typesOf([bytes.subarray(0, at), bytes.subarray(at)], untyped).join() !== expected) differ.push(at);
  }
  return differ;
}

/**
 * Real protocol bytes, both directions, recorded by a loopback proxy between pg and the embedded
 * database: a startup, then a simple query and an extended one whose rows are full of "G" (the type
 * byte of CopyInResponse, which none of this is).
 */
describe('MessageStream on recorded protocol bytes', () => {
  let embedded: EmbeddedPostgres;
  let proxy: Server;
  const fromClient: Buffer[] = [];
  const fromServer: Buffer[] = [];
  const ROWS = 3;

  beforeAll(async () => {
    embedded = await startEmbeddedPostgres(null);
    // The embedded server listens on a Unix socket only; the recording proxy is the one TCP hop.
    const socketPath = `${embedded.socketDir}/.s.PGSQL.5432`;
    proxy = createServer((client) => {
      const server = connect(socketPath);
      client.on('data', (data) => {
        fromClient.push(Buffer.from(data));
        server.write(data);
      });
      server.on('data', (data) => {
        fromServer.push(Buffer.from(data));
        client.write(data);
      });
      client.on('close', () => server.end());
      server.on('close', () => client.end());
      client.on('error', () => server.destroy());
      server.on('error', () => client.destroy());
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    const client = new pg.Client({
      connectionString: `postgres://postgres@127.0.0.1:${(proxy.address() as AddressInfo).port}/postgres`,
    });
    await client.connect();
    const simple = await client.query(`SELECT repeat('G', 5000) AS g FROM generate_series(1, ${ROWS})`);
    expect(simple.rows).toHaveLength(ROWS);
    const extended = await client.query(`SELECT $1::text || repeat('G', 3000) AS g FROM generate_series(1, $2)`, [
      'G',
      ROWS,
    ]);
    expect(extended.rows).toHaveLength(ROWS);
    await client.end();
  }, 180_000); // PGlite starts slowly on a busy machine

  afterAll(async () => {
    proxy?.close();
    await embedded?.stop();
  });

  it('reads the server stream by length, split at every byte: row data full of "G" is no CopyInResponse', () => {
    const bytes = new Uint8Array(Buffer.concat(fromServer));
    const whole = typesOf([bytes], false);
    // Each query answers RowDescription, one DataRow per row, CommandComplete.
    expect(whole.filter((t) => t === code('T'))).toHaveLength(2);
    expect(whole.filter((t) => t === code('D'))).toHaveLength(2 * ROWS);
    expect(whole.filter((t) => t === code('C'))).toHaveLength(2);
    expect(whole).not.toContain(G);
    // The row data is mostly "G": a reader that took a chunk's first byte for a type would see many.
    expect(bytes.filter((b) => b === G).length).toBeGreaterThan(20000);
    expect(splitsThatDiffer(bytes, false, whole)).toEqual([]);
    const byByte = Array.from(bytes, (b) => Uint8Array.of(b));
    expect(typesOf(byByte, false)).toEqual(whole);
  });

  it('reads the client stream by length from its untyped startup message on, split at every byte', () => {
    const bytes = new Uint8Array(Buffer.concat(fromClient));
    const whole = typesOf([bytes], true);
    expect(whole[0]).toBe(UNTYPED);
    expect(whole.filter((t) => t === UNTYPED)).toHaveLength(1);
    for (const type of 'QPBES') expect(whole).toContain(code(type));
    expect(whole.at(-1)).toBe(code('X'));
    expect(splitsThatDiffer(bytes, true, whole)).toEqual([]);
    expect(
      typesOf(
        Array.from(bytes, (b) => Uint8Array.of(b)),
        true,
      ),
    ).toEqual(whole);
  });

  it('takes an SSL request before the startup message as untyped too', () => {
    const ssl = Buffer.alloc(8);
    ssl.writeInt32BE(8, 0);
    ssl.writeInt32BE(80877103, 4);
    const client = new Uint8Array(Buffer.concat(fromClient));
    const bytes = new Uint8Array(Buffer.concat([ssl, client]));
    for (let at = 0; at <= 12; at++) {
      expect(typesOf([bytes.subarray(0, at), bytes.subarray(at)], true)).toEqual([UNTYPED, ...typesOf([client], true)]);
    }
  });
});
