import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Transform, type Readable } from 'node:stream';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { ProgressBar } from './progress-bar.js';
import { CliError, fromWire, RUN_REPORT_FIELDS, type RunReport, type WireRunReport } from './run-report.js';

/** Most bytes of the server's answer to an upload the CLI reads (the answer is a JSON object of a few hundred). */
export const MAX_ANSWER_BYTES = 64 * 1024;

/** Client mode: a running Brandshelf server at `server`, spoken to with a brand's API key. */
export class ServerClient {
  constructor(
    private readonly server: URL,
    private readonly key: string,
  ) {}

  /**
   * Streams the feed to POST /feeds/:feedId/uploads (the file is never held in memory) and answers the
   * run the server queued for it.
   */
  async upload(
    feedId: string,
    body: Readable,
    options: { size: number | null; name: string | null; validateOnly: boolean; progress: ProgressBar },
  ): Promise<string> {
    const url = new URL(`feeds/${encodeURIComponent(feedId)}/uploads`, this.base());
    if (options.validateOnly) url.searchParams.set('validateOnly', 'true');
    if (options.name) url.searchParams.set('filename', options.name);
    let sent = 0;
    const show = () =>
      options.progress.update({
        phase: 'UPLOADING',
        bytesRead: sent,
        bytesTotal: options.size,
        rowsRead: 0,
        itemsAccepted: 0,
        itemsRejected: 0,
      });
    show();
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        sent += chunk.length;
        show();
        callback(null, chunk);
      },
    });
    const response = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.key}`,
          'content-type': 'application/octet-stream',
          ...(options.size !== null ? { 'content-length': String(options.size) } : {}),
        },
      });
      let answered = false;
      req.on('response', (res: IncomingMessage) => {
        answered = true;
        // The server may answer (401, 404, 413) before it has read everything: stop sending.
        body.unpipe(counter);
        counter.unpipe(req);
        body.destroy();
        // The answer is a short JSON object: at most MAX_ANSWER_BYTES of it are kept, and a longer one (a proxy's
        // page, or a server that never ends its body) is cut there rather than held whole or waited on for ever.
        const chunks: Buffer[] = [];
        let kept = 0;
        const done = () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        res.on('data', (chunk: Buffer) => {
          if (kept >= MAX_ANSWER_BYTES) return;
          chunks.push(chunk.subarray(0, MAX_ANSWER_BYTES - kept));
          kept += Math.min(chunk.length, MAX_ANSWER_BYTES - kept);
          if (kept >= MAX_ANSWER_BYTES) {
            res.destroy();
            done();
          }
        });
        res.on('end', done);
        res.on('error', (error) => (kept >= MAX_ANSWER_BYTES ? undefined : reject(error)));
      });
      req.on('error', (error) => {
        if (!answered) reject(this.unreachable(error));
      });
      body.on('error', (error) => {
        req.destroy();
        reject(new CliError(`Reading the feed failed: ${error.message}`));
      });
      body.pipe(counter).pipe(req);
    });
    let json: { runId?: string; code?: string; message?: string } = {};
    try {
      json = JSON.parse(response.text);
    } catch {
      // not JSON: reported with the status below
    }
    if (response.status === 202 && json.runId) return json.runId;
    throw new CliError(
      `The server refused the upload (HTTP ${response.status}${json.code ? ` ${json.code}` : ''}): ` +
        `${json.message ?? response.text.slice(0, 200)}`,
    );
  }

  /**
   * Follows the run over the `ingestionRunProgress` subscription until the server completes it (after
   * the run finished and, on an auto-publish feed, after its publish), and answers the last message.
   */
  async follow(runId: string, onUpdate: (run: RunReport) => void): Promise<RunReport> {
    const client = createClient({
      url: this.base().href.replace(/^http/, 'ws') + 'graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${this.key}` },
      retryAttempts: 5,
    });
    let last: RunReport | null = null;
    try {
      await new Promise<void>((resolve, reject) => {
        client.subscribe<{ ingestionRunProgress: WireRunReport }>(
          {
            query: `subscription($id: ID!) { ingestionRunProgress(runId: $id) { ${RUN_REPORT_FIELDS} } }`,
            variables: { id: runId },
          },
          {
            next: (message) => {
              if (message.errors?.length) {
                reject(new CliError(`The server refused to report run ${runId}: ${message.errors[0].message}`));
                return;
              }
              last = fromWire(message.data!.ingestionRunProgress);
              onUpdate(last);
            },
            error: (error) => reject(this.subscriptionFailure(runId, error)),
            complete: resolve,
          },
        );
      });
    } finally {
      await client.dispose();
    }
    if (!last) throw new CliError(`The server ended the report of run ${runId} without a word.`);
    return last;
  }

  /** The brand's feeds (id, source, name), every page of them. */
  async feeds(): Promise<{ id: string; name: string; source: string }[]> {
    type Feed = { id: string; name: string; source: string };
    const query =
      'query($after: String) { feeds(first: 100, after: $after) { nodes { id name source } pageInfo { hasNextPage endCursor } } }';
    const feeds: Feed[] = [];
    let after: string | null = null;
    for (;;) {
      let res: Response;
      try {
        res = await fetch(new URL('graphql', this.base()), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${this.key}` },
          body: JSON.stringify({ query, variables: { after } }),
        });
      } catch (error) {
        throw this.unreachable(error as Error);
      }
      const json = (await res.json().catch(() => ({}))) as {
        data?: { feeds: { nodes: Feed[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
        errors?: { message: string }[];
      };
      if (json.errors?.length || !json.data) {
        throw new CliError(`The server refused to list feeds: ${json.errors?.[0]?.message ?? `HTTP ${res.status}`}`);
      }
      feeds.push(...json.data.feeds.nodes);
      if (!json.data.feeds.pageInfo.hasNextPage) return feeds;
      after = json.data.feeds.pageInfo.endCursor;
    }
  }

  /** The server URL as a base that relative paths append to (keeps a path prefix such as /brandshelf/). */
  private base(): URL {
    const base = new URL(this.server.href);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    return base;
  }

  private unreachable(error: Error): CliError {
    const withCode = error as { code?: string; cause?: { code?: string } };
    const code = withCode.code ?? withCode.cause?.code;
    return new CliError(
      `Cannot reach the server at ${this.server.origin}${code ? ` (${code})` : ''}: ${error.message}`,
    );
  }

  private subscriptionFailure(runId: string, error: unknown): CliError {
    const detail =
      error instanceof Error
        ? error.message
        : Array.isArray(error)
          ? (error as { message: string }[]).map((e) => e.message).join('; ')
          : (error as { reason?: string; code?: number })?.reason ||
            `connection closed (${String((error as { code?: number })?.code ?? error)})`;
    return new CliError(
      `Lost the progress of run ${runId} (${detail}). The run goes on on the server: see ingestionRun(id: "${runId}").`,
    );
  }
}
